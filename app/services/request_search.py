"""What an officer can find a request by: its number (with or without dashes), a word of the
applicant's or subject's name (Hindi or Latin letters, as typed), a mobile number, or the last four
digits of an Aadhaar number.

At submission and on every edit, keys() turns the request's answers into `search_keys`, a list of
short strings ("n:asha", "m:9876543210", "a4:<keyed hash>") stored on the request and indexed.
A search is one top-level equality on that list (FerretDB answers it from a GIN index) narrowed
by the officer's jurisdiction (services.access), so it costs what it finds, not the station's
history. The last four digits of an Aadhaar number are kept only as a keyed hash (HMAC with the
app's secret), as the full number is: a leaked database does not list them.
"""

import re
import unicodedata

from app.models import ServiceRequest

from . import access, numbering, service_types
from .keyed import keyed_digest

MAX_RESULTS = 100
MAX_CANDIDATES = 1000  # requests read to check a several-word name search
MAX_NAME_KEYS = 24
# Letters and digits of any script, with the combining marks Devanagari needs (matras, halant).
WORD = re.compile(r"[\w\u0900-\u097F]+", re.UNICODE)


def _name_words(text):
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    return [w for w in WORD.findall(text) if len(w) > 1 or not w.isascii()]


def _last_four_key(digits):
    return "a4:" + keyed_digest(f"aadhaar-last4:{digits}")[:24]


def _is_name_field(spec):
    return spec["type"] == "text" and spec["name"].endswith("name")


def subject_field(definition):
    """The field naming the person a request is about (the tenant, the employee), if any."""
    named = definition.get("document_subject")
    if named:
        return named
    return next((s["name"] for s in definition["fields"] if _is_name_field(s)), None)


def subject_name(definition, data):
    field = subject_field(definition)
    value = data.get(field) if field else None
    return value[:120] if isinstance(value, str) else None


def keys(definition, data, applicant_name=None, applicant_mobile=None):
    """The search keys of a request with these answers, without repeats."""
    found = []
    names = [applicant_name] + [
        data.get(s["name"]) for s in definition["fields"] if _is_name_field(s)
    ]
    for name in names:
        found += ["n:" + word for word in _name_words(name)]
    found = found[:MAX_NAME_KEYS]
    for spec in definition["fields"]:
        value = data.get(spec["name"])
        if spec["type"] == "phone" and isinstance(value, str):
            found.append("m:" + value)
        elif spec["type"] == "aadhaar" and isinstance(value, dict):
            masked = value.get("masked") or ""
            if masked[-4:].isdigit():
                found.append(_last_four_key(masked[-4:]))
    if applicant_mobile:
        found.append("m:" + re.sub(r"\D", "", applicant_mobile)[-10:])
    return list(dict.fromkeys(found))


def query_keys(text):
    """(number, keys) for what an officer typed: a request number, or the keys all of which a
    request must have (a mobile, Aadhaar's last four, or the words of a name)."""
    text = str(text or "").strip()[:100]
    number = numbering.canonical(text)
    if number:
        return number, []
    digits = re.sub(r"[\s\-()]", "", text).removeprefix("+91")
    if digits.isdigit() and len(digits) == 10:
        return None, ["m:" + digits]
    if digits.isdigit() and len(digits) == 4:
        return None, [_last_four_key(digits)]
    return None, ["n:" + word for word in _name_words(text)][:4]


def narrow(query, text):
    """`query` narrowed to the requests matching `text`: the number, or one indexed equality
    on the rarest-looking key with the others checked on what it found."""
    number, wanted = query_keys(text)
    if number:
        return query.filter(number=number)
    if not wanted:
        return query.filter(number="-")  # nothing typed that can match
    # One top-level equality on the longest word (the rarest in practice: "sharma" over "ram"),
    # which FerretDB answers from its GIN index; a `$all` or `$and` beside it would not be pushed
    # down. The other words are checked on the bounded candidates, which come back as ids.
    first = max(wanted, key=len)
    if len(wanted) == 1:
        return query.filter(search_keys=first)
    candidates = query.filter(search_keys=first).only("id", "search_keys").limit(MAX_CANDIDATES)
    ids = [c.id for c in candidates if set(wanted) <= set(c.search_keys or ())]
    return query.filter(id__in=ids)


def search(user, text):
    """The requests in `user`'s jurisdiction matching `text`, newest first (at most
    MAX_RESULTS)."""
    found = narrow(access.scoped(ServiceRequest.objects, user), text)
    return found.exclude(*ServiceRequest.LIST_EXCLUDES).order_by("-submitted_at").limit(MAX_RESULTS)


def backfill(limit=5000):
    """Give requests stored before search keys existed their keys (idempotent; `flask seed`)."""
    done = 0
    for request in ServiceRequest.objects(search_keys__exists=False).limit(limit):
        definition = service_types.definition_of(request)
        ServiceRequest.objects(id=request.id).update_one(
            set__search_keys=keys(definition, request.data, request.applicant_name),
            set__subject_name=subject_name(definition, request.data),
        )
        done += 1
    return done


__all__ = ["keys", "query_keys", "narrow", "search", "subject_name", "backfill"]
