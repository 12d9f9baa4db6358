"""Assisted filing: an officer at the station desk, or a Common Service Centre operator, files
any citizen service for a walk-in citizen, who may claim it later in their own account.

- Who may: the permission `requests.file_assisted` (seed/roles.yaml gives it to station officers,
  SHOs and the `csc_operator` role; a state changes that in its roles, not in code).
- The citizen is identified by their mobile (required) and name, optionally an email. The request
  has no applicant account: its notices go to that mobile by SMS (and to the email), in the
  language the citizen chose at the desk (services.notify).
- The acknowledgement SMS carries a claim code; only its keyed hash is kept, and the desk never
  sees it, so the code proves the mobile. Signed in with that mobile on their account, the citizen
  claims the request with its number and the code (five wrong codes lock the claim: the station
  can file again); from then on it is theirs like any other request.
"""

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from app.models import ServiceRequest
from app.models.base import stored_id

from . import api_keys, audit, claims, mail, notice_templates, numbering, sms_templates
from . import requests as request_service
from .errors import FieldErrors
from .field_types import email_address, mobile_number
from .keyed import keyed_digest

PERMISSION = "requests.file_assisted"
LANGUAGES = ("hi", "en")
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3479"  # no look-alikes (0/O, 1/I/L, 5/S, 2/Z, 8/B, 6/G)
CODE_LENGTH = 6
MAX_CLAIM_FAILURES = 5


class ClaimError(FieldErrors):
    pass


@dataclass(frozen=True)
class WalkIn:
    name: str
    mobile: str
    email: str
    language: str


def may_file(user):
    return bool(getattr(user, "is_authenticated", False)) and user.has_permission(PERMISSION)


def walk_in_from(form):
    """(WalkIn, errors) from the desk form's walk_in_* fields."""
    errors = {}
    name = " ".join(str(form.get("walk_in_name") or "").split())
    if not name:
        errors["walk_in_name"] = _l("Enter the citizen's name.")
    elif len(name) > 120:
        errors["walk_in_name"] = _l("At most %(count)d characters.", count=120)
    mobile = mobile_number(form.get("walk_in_mobile"))
    if not mobile:
        errors["walk_in_mobile"] = _l("Enter the citizen's 10-digit mobile number.")
    email = str(form.get("walk_in_email") or "").strip()
    if email:
        email = email_address(email) if len(email) <= 255 else ""
        if not email:
            errors["walk_in_email"] = _l("Enter a valid email address, or leave it empty.")
    language = str(form.get("walk_in_language") or "hi")
    if language not in LANGUAGES:
        errors["walk_in_language"] = _l("Choose Hindi or English.")
    return WalkIn(name, mobile, email, language), errors


def _hash(number, code):
    return keyed_digest(f"claim:{number}:{code}")


def _new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def file(
    operator,
    service_code,
    data,
    walk_in,
    station_code=None,
    language="en",
    now=None,
    api_key=None,
):
    """File `service_code` for `walk_in`; returns the request. Raises NotAllowed for a filer
    without the permission, SubmissionError (400 naming the field) for bad answers. With
    `api_key` (a partner app reporting through Open311) the key's scope is the authority: its
    services and stations, not the desk's permission."""
    now = now or datetime.now(UTC)
    stations = None
    if api_key is not None:
        if not api_keys.allows_service(api_key, service_code):
            raise request_service.NotAllowed(service_code)
        stations = api_keys.station_scope(api_key)
    elif not may_file(operator):
        raise request_service.NotAllowed(service_code)
    code = _new_code()
    # The number is not known before submit; the hash binds the code to it just after.
    created = request_service.submit(
        operator,
        service_code,
        data,
        station_code,
        now=now,
        language=language,
        walk_in=walk_in,
        stations=stations,
    )
    created.claim_hash = _hash(created.number, code)
    changes = {"set__claim_hash": created.claim_hash}
    if api_key is not None:
        created.channel = "open311"
        changes["set__channel"] = "open311"
    ServiceRequest.objects(id=created.id).update_one(**changes)
    audit.record("request.file_assisted", actor=operator, target=created, state=created.state)
    _acknowledge(created, walk_in, code)
    return created


def _acknowledge(created, walk_in, code):
    station = created.station.name_in(walk_in.language)
    values = {"number": created.number, "station": station, "code": code}
    sms_text, dlt_template_id = sms_templates.render("walk_in_received", walk_in.language, **values)
    key = f"{created.id}:assisted_ack"
    mail.queue_sms(
        to=walk_in.mobile, body_text=sms_text, key=f"{key}:sms", dlt_template_id=dlt_template_id
    )
    if walk_in.email:
        subject, text = notice_templates.render(
            "walk_in_received", "email", walk_in.language, **values
        )
        mail.queue_email(to=walk_in.email, subject=subject, body_text=text, key=f"{key}:email")


def claim(user, number, code, now=None):
    """The signed-in `user` claims the walk-in request `number` with the code sent to its
    mobile; returns the request, now theirs. Every failure that could tell whether the request
    exists answers alike."""
    now = now or datetime.now(UTC)
    nothing = ClaimError({"code": _l("No request waiting to be claimed has this number and code.")})
    number = numbering.canonical(number)
    code = re.sub(r"[\s-]", "", str(code or "")).upper()
    if not number or not code:
        raise nothing
    found = ServiceRequest.objects(number=number).first()
    if found is None or stored_id(found, "applicant") is not None or not found.claim_hash:
        raise nothing
    if (found.claim_failures or 0) >= MAX_CLAIM_FAILURES:
        raise ClaimError(
            {"code": _l("Too many wrong codes. Ask the police station to help you.")}, status=429
        )
    if not hmac.compare_digest(found.claim_hash, _hash(found.number, code)):
        ServiceRequest.objects(id=found.id).update_one(inc__claim_failures=1)
        raise nothing
    if mobile_number(user.mobile) != found.walk_in_mobile:
        raise ClaimError(
            {
                "mobile": _l(
                    "This request was filed for another mobile number. Put that mobile on your "
                    "account first."
                )
            }
        )
    # Two claims at once: one wins (a filtered update alone is not atomic on FerretDB 1.24).
    if not claims.take(f"request:{found.id}:claimed"):
        raise nothing
    ServiceRequest.objects(id=found.id).update_one(
        set__applicant=user, unset__claim_hash=True, set__updated_at=now
    )
    audit.record("request.claim", actor=user, target=found, state=found.state)
    return ServiceRequest.objects(id=found.id).first()
