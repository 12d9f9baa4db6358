"""Issuing, signing, rendering, revoking and verifying the portal's documents.

A final state marked `issues: <kind>` in a service definition issues one document of that kind
per request (services.workflow calls issue()). Its statements — what the document says, and all
the public verification page shows — are signed with the state's Ed25519 key
(DOCUMENT_SIGNING_KEY). verify() answers genuine, revoked or altered for a code; verify_pdf()
recognises an uploaded PDF by the SHA-256 of the one the portal rendered.
"""

import base64
import hashlib
import json
import os
import secrets
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.constants import IST
from app.models import IssuedDocument, LawSection, Posting
from app.models.base import as_utc

from . import (
    access,
    audit,
    catalogue,
    claims,
    document_kinds,
    forms,
    pdf,
    service_types,
    uploads,
)
from .errors import FieldErrors

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


class DocumentError(FieldErrors):
    """A revocation refused: bad input (400), not the officer's (403/404), already revoked (409)."""


def signing_seed():
    """The 32-byte Ed25519 seed documents are signed with: the configured key, or in
    development one derived from SECRET_KEY (services.backup keeps it with the data)."""
    configured = current_app.config.get("DOCUMENT_SIGNING_KEY")
    if configured:
        return base64.b64decode(configured)
    return hashlib.sha256(b"document-signing:" + current_app.config["SECRET_KEY"].encode()).digest()


def _private_key():
    return Ed25519PrivateKey.from_private_bytes(signing_seed())


def public_key_pem():
    return (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_id():
    raw = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return hashlib.sha256(raw).hexdigest()[:16]


def canonical(document_fields):
    """The signed bytes: code, kind, number, issue time and statements, as sorted JSON."""
    return json.dumps(
        document_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def _signed_fields(code, kind, number, issued_at, statements):
    return {
        "code": code,
        "kind": kind,
        "number": number,
        "issued_at": issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "statements": statements,
    }


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def display_code(code):
    return "-".join(code[i : i + 4] for i in (0, 4, 8))


def normalise_code(text):
    """What a person types (lower case, dashes, spaces, O for 0) as a stored code, or None."""
    cleaned = (text or "").upper().replace("-", "").replace(" ", "").replace("O", "0")
    cleaned = cleaned.replace("I", "1").replace("L", "1")
    if len(cleaned) != 12 or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


NOT_OFFICERS = ("citizen", "organisation", "desk", "system")  # steps that decide nothing


def _officer(entry, station):
    """ "Name, designation" of the officer who took a history step, as posted at `station`."""
    if entry is None or entry.actor is None:
        return ""
    posting = Posting.objects(user=entry.actor.id, station=station.id, active=True).first()
    rank = posting.designation if posting is not None and posting.designation else ""
    return ", ".join(part for part in (entry.actor.display_name, rank) if part)


def _verifier(request, definition):
    """The history step of the verification itself: the last one whose transition asks for a
    report, or is the report; None for a service without one."""
    reporting = {
        t["action"]
        for t in definition["workflow"]["transitions"]
        if t.get("report") or t["action"] == "submit_report"
    }
    return next((h for h in reversed(request.history) if h.action in reporting), None)


def _purpose_facts(request, definition, last, now):
    """What the people who check a document look for: the address verified, who verified it and
    who decided, and until when it is valid."""
    station, facts = request.station, []
    address = definition.get("document_address")
    if address and request.data.get(address):
        facts.append(_fact("Address verified", "सत्यापित पता", str(request.data[address])[:500]))
    verifier = _verifier(request, definition)
    if verifier is not None and verifier is not last:
        facts.append(_fact("Verified by", "सत्यापनकर्ता", _officer(verifier, station)))
    if last is not None and last.actor is not None and last.actor_role not in NOT_OFFICERS:
        facts.append(_fact("Decided by", "निर्णयकर्ता", _officer(last, station)))
    days = definition.get("document_validity_days")
    if days:
        until = (now.astimezone(IST) + timedelta(days=days)).strftime("%d-%m-%Y")
        facts.append(_fact("Valid until", "वैधता तिथि", until))
    return [f for f in facts if f["value"]["en"]]


def _statements(request, definition, kind, now=None):
    now = now or datetime.now(UTC)
    info = catalogue.state_info(definition, request.status)
    last = request.history[-1] if request.history else None
    station = request.station
    photo = _photo(request, definition)
    return {
        "title": document_kinds.title(kind),
        "service": definition["name"],
        "outcome": info["public"],
        "holder": request.applicant_name or "",
        "subject": str(request.data.get(definition.get("document_subject") or "", ""))[:200],
        "station": {"en": station.name_en, "hi": station.name_hi},
        "remark": (last.remark if last and last.remark else ""),
        # A wallet card has no room for the officers; a certificate or letter states them.
        "facts": _facts(request, definition)
        + ([] if document_kinds.is_card(kind) else _purpose_facts(request, definition, last, now)),
        "conditions": list(definition.get("document_conditions") or []),
        # A card's photograph is printed on it; its fingerprint is signed with the rest, so a
        # card with another face on it is not this card.
        "photo_sha256": photo.sha256 if photo else "",
    }


def _photo(request, definition):
    """The attachment named by the definition's `document_photo`, or None."""
    field = definition.get("document_photo")
    return next((a for a in request.attachments if field and a.field == field), None)


def _photo_data_uri(document):
    """The document's photograph (a card's, a certificate's) as a data: URI, if the stored file
    still matches the signature."""
    request = document.request
    attachment = _photo(request, service_types.definition_of(request)) if request else None
    if attachment is None or attachment.sha256 != document.statements.get("photo_sha256"):
        return None
    try:
        path = uploads.checked_path(attachment.file_id)
    except uploads.UploadError:
        return None
    with open(path, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        return None
    return f"data:{attachment.mime};base64," + base64.b64encode(content).decode()


def _facts(request, definition):
    """The answers the definition's `document_facts` names, as printed in both languages."""
    specs = {spec["name"]: spec for spec in definition["fields"]}
    facts = []
    for name in definition.get("document_facts") or []:
        value = request.data.get(name)
        if name in specs and value not in (None, ""):
            spec, shown = specs[name], {}
            for language in ("en", "hi"):
                with force_locale(language):  # "Yes" / "हाँ" for a boolean answer
                    shown[language] = str(forms.display(spec, value, language))
            facts.append({"label": spec["label"], "value": shown})
    return facts


def issue(request, kind, now=None):
    """The request's document of `kind`, issued (and signed) once."""
    definition = service_types.definition_of(request)
    return _issue_once(
        f"{request.id}:{kind}",
        kind,
        request,
        lambda: _statements(request, definition, kind, now),
        now,
        request=request,
    )


def issue_fir_copy(fir, now=None):
    """The complainant's free copy of an FIR on record, issued (and signed) once. A sensitive
    FIR's copy is marked restricted: its public verification page says only that it is genuine,
    with its number and station."""
    if fir.complainant is None or not fir.number:
        raise DocumentError({"fir": _l("This FIR has no copy to issue.")}, status=409)

    def statements():
        station = fir.station
        facts = [
            _fact("FIR number", "एफ़आईआर संख्या", fir.number),
            _fact("Registered on", "दर्ज करने की तिथि", _ist(fir.registered_at)),
            _fact("Sections of law", "विधि की धाराएँ", ", ".join(fir.sections)),
            _fact("Occurred", "घटना का समय", _ist(fir.occurred_from)),
            _fact("Place of occurrence", "घटना का स्थान", fir.place),
            _fact("Information given", "दी गई सूचना", fir.brief),
        ]
        if fir.transferred_from is not None:
            facts.append(_fact("Zero FIR", "ज़ीरो एफ़आईआर", fir.transferred_from.number))
        return {
            "title": document_kinds.title("fir_copy"),
            "service": {"en": "First Information Report", "hi": "प्रथम सूचना रिपोर्ट"},
            "outcome": {"en": "Registered", "hi": "दर्ज"},
            "holder": fir.informant_name,
            "subject": "",
            "station": {"en": station.name_en, "hi": station.name_hi},
            "remark": "",
            "facts": facts,
            "conditions": [],
            "photo_sha256": "",
            "restricted": bool(fir.sensitive),
        }

    return _issue_once(f"fir:{fir.id}:fir_copy", "fir_copy", fir, statements, now, fir=fir)


PUBLIC_COPY_NOTE = (
    "Public copy: the names, addresses and phone numbers of everyone concerned and the "
    "informant's account are left out (Youth Bar Association of India v. Union of India, 2016). "
    "The informant gets the full copy free of charge. / सार्वजनिक प्रति: संबंधित सभी व्यक्तियों के "
    "नाम, पते और फ़ोन नंबर तथा सूचनादाता का विवरण इसमें नहीं है। सूचनादाता को पूरी प्रति निःशुल्क मिलती है।"
)


def issue_fir_public_copy(fir, key, category, now=None):
    """The redacted copy of a public FIR, issued (and signed) once under `key`: the register's
    facts only, no person and no free text (services.fir_listing decides who may have it).
    `category` is the offence category's wording, {"en": …, "hi": …}."""

    def statements():
        station, titles = (
            fir.station,
            {s.code: s for s in LawSection.objects(code__in=fir.sections)},
        )
        sections = {
            language: "; ".join(
                f"{code} — {getattr(titles[code], 'title_' + language)}" if code in titles else code
                for code in fir.sections
            )
            for language in ("en", "hi")
        }
        facts = [
            _fact("FIR number", "एफ़आईआर संख्या", fir.number),
            _fact("District", "ज़िला", fir.district.name_en),
            _fact("Registered on", "दर्ज करने की तिथि", _ist(fir.registered_at)),
            {"label": {"en": "Offence", "hi": "अपराध"}, "value": category},
            {"label": {"en": "Sections of law", "hi": "विधि की धाराएँ"}, "value": sections},
            _fact("Occurred", "घटना का समय", _ist(fir.occurred_from)),
        ]
        if fir.transferred_from is not None:
            facts.append(_fact("Zero FIR", "ज़ीरो एफ़आईआर", fir.transferred_from.number))
        return {
            "title": document_kinds.title("fir_public_copy"),
            "service": {"en": "First Information Report", "hi": "प्रथम सूचना रिपोर्ट"},
            "outcome": {"en": "Registered", "hi": "दर्ज"},
            "holder": "Public / जनसाधारण",
            "subject": "",
            "station": {"en": station.name_en, "hi": station.name_hi},
            "remark": PUBLIC_COPY_NOTE,
            "facts": facts,
            "conditions": [],
            "photo_sha256": "",
        }

    # No applicant: the copy belongs to no account (the complainant's own copy is fir_copy).
    place = SimpleNamespace(state=fir.state, district=fir.district, station=fir.station)
    return _issue_once(key, "fir_public_copy", place, statements, now, number=fir.number)


def issue_vehicle_noc(user, state, numbers, now=None):
    """A signed statement that no theft of the vehicle with these numbers is on the state's
    stolen-vehicle register today (the transport office's NOC). The caller has searched the
    register and found nothing; one document per person, vehicle and day."""

    now = now or datetime.now(UTC)
    shown = {k: v for k, v in numbers.items() if v}
    if not shown:
        raise DocumentError({"registration": _l("Give at least one of the vehicle's numbers.")})
    day = now.astimezone(IST).date().isoformat()
    parts = [str(user.id), day, *(f"{k}={v}" for k, v in sorted(shown.items()))]
    key = "noc:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]
    labels = {
        "registration": ("Registration number", "पंजीकरण संख्या"),
        "chassis": ("Chassis number", "चेसिस संख्या"),
        "engine": ("Engine number", "इंजन संख्या"),
    }

    def statements():
        facts = [_fact(*labels[k], v) for k, v in shown.items()]
        facts.append(_fact("Records checked on", "अभिलेख जाँच की तिथि", _ist(now)))
        return {
            "title": document_kinds.title("vehicle_noc"),
            "service": {"en": "Stolen vehicle register", "hi": "चोरी हुए वाहनों का रजिस्टर"},
            "outcome": {
                "en": f"No theft of this vehicle is reported in the records of {state.name_en}.",
                "hi": f"{state.name_hi} के अभिलेखों में इस वाहन की चोरी की कोई रिपोर्ट नहीं है।",
            },
            "holder": user.full_name or user.email,
            "subject": "",
            "station": {"en": f"{state.name_en} Police", "hi": f"{state.name_hi} पुलिस"},
            "remark": "",
            "facts": facts,
            "conditions": [],
            "photo_sha256": "",
        }

    place = SimpleNamespace(state=state, district=None, station=None)  # issued by the state
    return _issue_once(key, "vehicle_noc", place, statements, now, applicant=user)


def _fact(label_en, label_hi, value):
    return {"label": {"en": label_en, "hi": label_hi}, "value": {"en": value, "hi": value}}


def _ist(moment):

    return as_utc(moment).astimezone(IST).strftime("%d-%m-%Y %H:%M IST") if moment else ""


def _issue_once(
    key, kind, source, make_statements, now, request=None, fir=None, applicant=None, number=None
):
    """Sign and save the document `key` names, once; a second caller gets the first's."""
    existing = IssuedDocument.objects(request_kind=key).first()
    if existing is not None:
        return existing
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    statements = make_statements()
    if fir is not None:
        number, applicant = fir.number, fir.complainant
    elif request is not None:
        number, applicant = request.number, request.applicant
    elif number is None:
        number = f"NOC-{now.astimezone(UTC).strftime('%Y%m%d')}"
    code = new_code()
    fields = _signed_fields(code, kind, number, now, statements)
    document = IssuedDocument(
        code=code,
        request_kind=key,
        kind=kind,
        request=request,
        fir=fir,
        number=number,
        state=source.state,
        district=source.district,
        station=source.station,
        applicant=applicant,
        issued_at=now,
        statements=statements,
        key_id=key_id(),
        signature=base64.b64encode(_private_key().sign(canonical(fields))).decode(),
    )
    try:
        document.save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        return IssuedDocument.objects(request_kind=key).first()
    audit.record("document.issue", target=document, state=source.state, kind=kind)
    return document


def signature_valid(document):
    fields = _signed_fields(
        document.code, document.kind, document.number, document.issued_at, document.statements
    )
    try:
        _private_key().public_key().verify(base64.b64decode(document.signature), canonical(fields))
    except (InvalidSignature, ValueError):
        return False
    return True


def verify(code_text):
    """(status, document): status is "genuine", "revoked", "altered" or "unknown"."""
    code = normalise_code(code_text)
    document = IssuedDocument.objects(code=code).first() if code else None
    if document is None:
        return "unknown", None
    if not signature_valid(document):
        return "altered", document
    return ("revoked" if document.revoked_at else "genuine"), document


def verify_pdf(content):
    """(status, document) for an uploaded PDF: unknown unless it is byte for byte ours."""
    digest = hashlib.sha256(content).hexdigest()
    document = IssuedDocument.objects(pdf_sha256=digest).first()
    if document is None:
        return "unknown", None
    return verify(document.code)


def _pdf_path(code):
    folder = os.path.join(uploads.directory(), "documents")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{code}.pdf")


def pdf_bytes(document, verify_url):
    """The document's PDF: rendered and fingerprinted once, then served as stored."""
    path = _pdf_path(document.code)
    if document.pdf_sha256 and os.path.exists(path):
        with open(path, "rb") as handle:
            return handle.read()
    from weasyprint import HTML  # heavy (Pango, fonts): loaded by the first PDF, not at start

    with force_locale("en"):  # the document is bilingual by itself; its dates read the same
        html = _render(document, verify_url, pdf)
    content = HTML(string=html, base_url=pdf.FONTS_DIR).write_pdf()
    return _store(document, path, content)


def _render(document, verify_url, pdf):
    card = document_kinds.is_card(document.kind)
    return render_template(
        "pdf/card.html" if card else "pdf/document.html",
        photo=_photo_data_uri(document),
        doc=document,
        code=display_code(document.code),
        verify_url=verify_url,
        qr=pdf.qr_data_uri(verify_url),
        fonts_dir=pdf.FONTS_DIR,
    )


def _store(document, path, content):
    """Keep the first rendering and its fingerprint; a concurrent one serves the kept file."""
    if not claims.take(f"document:{document.code}:pdf"):
        # Rendered at the same moment by another request: serve theirs once it is written.
        document.reload()
        if document.pdf_sha256 and os.path.exists(path):
            with open(path, "rb") as handle:
                return handle.read()
    with open(path, "wb") as handle:
        handle.write(content)
    IssuedDocument.objects(code=document.code).update_one(
        set__pdf_sha256=hashlib.sha256(content).hexdigest()
    )
    return content


def revoke(document, officer, reason, now=None):
    now = now or datetime.now(UTC)
    reason = (reason or "").strip()
    if not access.can_see(officer, document.request):
        raise DocumentError({"document": _l("Not found.")}, status=404)
    if not access.may(officer, "requests.approve", document.request):
        raise DocumentError({"document": _l("You may not revoke documents.")}, status=403)
    if not reason:
        raise DocumentError({"reason": _l("Give the reason for revoking.")})
    if len(reason) > 500:
        raise DocumentError({"reason": _l("At most 500 characters.")})
    if document.revoked_at or not claims.take(f"document:{document.code}:revoke"):
        raise DocumentError({"document": _l("This document is already revoked.")}, status=409)
    IssuedDocument.objects(code=document.code).update_one(
        set__revoked_at=now, set__revoked_by=officer, set__revoked_reason=reason
    )
    audit.record("document.revoke", actor=officer, target=document, state=document.state)
    return document.reload()
