"""Wording with {placeholders}, as administrators write it for SMS, in-app notices and emails:
checked (every placeholder one the message offers, the ones it must carry present) and filled.

A placeholder is a name in braces, {number}; anything else in braces (a format spec, a
conversion, an unknown name) is refused by its name, so a typo cannot reach a citizen as
"{numbr}" or crash the worker. Defaults are written for Flask-Babel as "%(number)s" so that
their translations stay where translators keep them; as_template() turns them into braces.
"""

import re
import string

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_PERCENT = re.compile(r"%\((\w+)\)s")

# What a preview fills in: one made-up request, FIR and appeal.
SAMPLE = {
    "number": "HR-TEN-2026-000123-K",
    "service": _l("Tenant verification"),
    "status": _l("Verification in progress"),
    "authority": _l("Superintendent of Police"),
    "due": "05-12-2026 17:00",
    "date": "05-12-2026 17:00",
    "station": _l("Police Station Sector 29"),
    "from_station": _l("Police Station Sector 14"),
    "code": "482913",
    "minutes": "5",
    "link": "https://portal.example.gov.in/track/HR-TEN-2026-000123-K",
    "remark": _l("Remark: the owner was not at home on 3 December."),
    "reason": _l("The address is in Sector 14's area."),
    "name": "Ramesh Kumar",
    "appeal": "HR-APL-2026-000045-Q",
    "outcome": _l("allowed"),
    "reasons": _l("The report was filed without a visit."),
    "complaint": "HR-CMP-2026-000321-M",
    "text": _l("Charge sheet filed in court"),
    "points": "4",
    "found": _l("Unidentified dead body"),
    "found_station": _l("Police Station Sector 14"),
    "missing_station": _l("Police Station Sector 29"),
    "count": "6",
    "email": "ramesh.kumar@example.in",
    "place": _l("Police Station Sector 29"),
    "open": "12",
    "due_today": "3",
    "overdue": "1",
    "services": _l(
        "- Tenant verification: 8 open, 2 due today, 1 overdue\n"
        "- Character certificate: 4 open, 1 due today, 0 overdue"
    ),
    "queue": "https://portal.example.gov.in/queue/",
}


def as_template(text):
    """A Flask-Babel message ("%(number)s") as wording with placeholders ("{number}")."""
    return _PERCENT.sub(r"{\1}", str(text))


def problem(text, placeholders, required=()):
    """None, or what is wrong with `text` as wording that may use `placeholders` and must
    carry `required`, naming the placeholder at fault."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return _("Braces must come in pairs around a placeholder's name, as {number}.")
    used = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in placeholders or spec or conversion:
            shown = name + ("!" + conversion if conversion else "") + (":" + spec if spec else "")
            if not placeholders:
                return _("Unknown placeholder {%(name)s}: this text has none.", name=shown)
            return _(
                "Unknown placeholder {%(name)s}: this text can use %(offered)s.",
                name=shown,
                offered=", ".join("{" + p + "}" for p in placeholders),
            )
        used.add(name)
    for name in required:
        if name not in used:
            return _("The text must contain {%(name)s}.", name=name)
    return None


def fill(text, placeholders, values):
    """`text` with each placeholder replaced by its value ("-" for one not given)."""
    return text.format_map({name: str(values.get(name, "-")) for name in placeholders})


def sample(placeholders):
    return {name: str(SAMPLE.get(name, "-")) for name in placeholders}
