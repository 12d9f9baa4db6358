"""Document kinds: the one list of what the portal issues, with what each kind needs.

A service definition's state may say `issues: <kind>` for a kind marked `from_service`;
catalogue.validate() refuses any other name (a misspelt kind used to be accepted and issued
under its misspelling). documents.py takes titles and layout from here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    title: dict  # {"en": …, "hi": …}
    from_service: bool = True  # a service definition's state may issue it
    card: bool = False  # printed as a wallet card (ISO/IEC 7810 ID-1), not an A4 page


KINDS = {
    "verification_certificate": DocumentKind(
        {"en": "Police verification certificate", "hi": "पुलिस सत्यापन प्रमाणपत्र"}
    ),
    "character_certificate": DocumentKind({"en": "Character certificate", "hi": "चरित्र प्रमाणपत्र"}),
    "permission_letter": DocumentKind({"en": "Permission letter", "hi": "अनुमति पत्र"}),
    "senior_citizen_card": DocumentKind(
        {"en": "Senior citizen identity card", "hi": "वरिष्ठ नागरिक पहचान पत्र"}, card=True
    ),
    "lost_article_report": DocumentKind({"en": "Lost article report", "hi": "खोई वस्तु रिपोर्ट"}),
    # Issued by the FIR register and the vehicle search, not by a service's workflow.
    "fir_copy": DocumentKind(
        {"en": "Copy of the FIR (free)", "hi": "एफ़आईआर की प्रति (निःशुल्क)"}, from_service=False
    ),
    # The redacted copy anyone may download from the public listing (services.fir_listing).
    "fir_public_copy": DocumentKind(
        {"en": "Public copy of the FIR (redacted)", "hi": "एफ़आईआर की सार्वजनिक प्रति (संपादित)"},
        from_service=False,
    ),
    "vehicle_noc": DocumentKind(
        {
            "en": "Vehicle NOC: no theft on record",
            "hi": "वाहन अनापत्ति प्रमाणपत्र: चोरी का कोई रिकॉर्ड नहीं",
        },
        from_service=False,
    ),
}

SERVICE_KINDS = frozenset(name for name, kind in KINDS.items() if kind.from_service)


def title(kind: str) -> dict:
    found = KINDS.get(kind)
    return found.title if found else {"en": kind, "hi": kind}


def is_card(kind: str) -> bool:
    found = KINDS.get(kind)
    return bool(found and found.card)
