"""The wording of every SMS the portal sends, per kind and language, with its DLT template id.

KINDS names each kind of SMS, the placeholders its text may use and its default wording. An
administrator may replace the wording for a language (save()); it is checked first: a placeholder
the kind does not offer is refused by its name, as is a text longer than two SMS or one without
a placeholder the kind must carry (the code of a code SMS). render() fills the placeholders in.
No kind offers an officer's free-text remark: a remark is read in the portal, never by SMS.

Indian operators deliver an SMS only if its text matches a template its sender registered on the
DLT platform and it carries that template's id (TRAI's TCCCPR, 2018). With SMS_REQUIRE_DLT
(production) an SMS whose template has no id is held in the outbox, not sent (services.mail), and
the administrator's SMS wording page counts what is missing and held.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import OutboxMessage, SmsTemplate

from . import audit, template_text
from .errors import FieldErrors

LANGUAGES = ("en", "hi")
MAX_LENGTH = 320  # two SMS
DLT_ID = re.compile(r"^\d{10,30}$")


class TemplateError(FieldErrors):
    """A wording or DLT id refused; the message names the placeholder or the field."""


@dataclass(frozen=True)
class Kind:
    title: object
    default: object
    placeholders: tuple[str, ...]
    required: tuple[str, ...] = ("number",)


KINDS = {
    "request_status": Kind(
        _l("A request's new status"),
        _l("Request {number} ({service}): {status}. Details: {link}"),
        ("number", "service", "status", "link"),
    ),
    "request_escalated": Kind(
        _l("A request escalated for want of a decision"),
        _l(
            "Request {number} ({service}) was not decided in time and is escalated to the "
            "{authority}, to decide by {due}. Details: {link}"
        ),
        ("number", "service", "authority", "due", "link"),
    ),
    "request_update": Kind(
        _l("Other news of a request (appeals, transfers)"),
        _l("There is news of request {number} ({service}). Details: {link}"),
        ("number", "service", "link"),
    ),
    "fir_registered": Kind(
        _l("An FIR registered"),
        _l("FIR {number} has been registered at {station}. Keep this number. Details: {link}"),
        ("number", "station", "link"),
    ),
    "fir_update": Kind(
        _l("News of an FIR or a complaint"),
        _l("There is news of {number} at the police. Details: {link}"),
        ("number", "link"),
    ),
    "walk_in_received": Kind(
        _l("A request filed at the desk for a walk-in citizen"),
        _l(
            "Your request {number} has been received at {station}. Track it with this number. "
            "To see it in your own account, sign in with this mobile and claim it with code "
            "{code}."
        ),
        ("number", "station", "code"),
        ("number", "code"),
    ),
    "code_sign_in": Kind(
        _l("Sign-in code"),
        _l(
            "{code} is your code to sign in to the police citizen services portal. It expires "
            "in {minutes} minutes. Do not share it: the police never ask for it."
        ),
        ("code", "minutes"),
        ("code",),
    ),
    "code_register": Kind(
        _l("Code to create an account"),
        _l(
            "{code} is your code to create your account on the police citizen services portal. "
            "It expires in {minutes} minutes. Do not share it: the police never ask for it."
        ),
        ("code", "minutes"),
        ("code",),
    ),
    "code_verify": Kind(
        _l("Code to confirm a mobile number"),
        _l(
            "{code} is your code to confirm your mobile number on the police citizen services "
            "portal. It expires in {minutes} minutes. Do not share it: the police never ask for "
            "it."
        ),
        ("code", "minutes"),
        ("code",),
    ),
    "account_exists": Kind(
        _l("To a mobile that registers again"),
        _l(
            "This mobile number already has an account on the police citizen services portal. "
            "Sign in with it and a code, or with your password."
        ),
        (),
        (),
    ),
}


def default_text(kind, language):
    with force_locale(language):
        return str(KINDS[kind].default)


def _row(kind, language):
    return SmsTemplate.objects(kind=kind, language=language).first()


def wording(kind, language):
    """(text with its placeholders, DLT template id or None) in use for `kind` in `language`:
    the administrator's wording, else the default."""
    row = _row(kind, language)
    text = (row.text if row and row.text else None) or default_text(kind, language)
    return text, (row.dlt_template_id if row else None)


def render(kind, language, **values):
    """(text, DLT template id or None) of one SMS of `kind` in `language`."""
    language = language if language in LANGUAGES else "en"
    text, dlt_template_id = wording(kind, language)
    with force_locale(language):
        filled = template_text.fill(text, KINDS[kind].placeholders, values)
    return filled[:MAX_LENGTH], dlt_template_id


def check(kind, text):
    """The wording's problems as {"text": message}, each naming the placeholder at fault."""
    spec = KINDS[kind]
    fault = template_text.problem(text, spec.placeholders, spec.required)
    if fault:
        return {"text": fault}
    longest = template_text.fill(text, spec.placeholders, template_text.sample(spec.placeholders))
    if len(text) > MAX_LENGTH or len(longest) > MAX_LENGTH:
        return {
            "text": _(
                "At most %(count)d characters with its placeholders filled in (two SMS).",
                count=MAX_LENGTH,
            )  # fmt: skip
        }
    return {}


def preview(kind, language, text=None):
    """The SMS as a citizen would read it, with sample values."""
    text = text or default_text(kind, language)
    placeholders = KINDS[kind].placeholders
    with force_locale(language):
        return template_text.fill(text, placeholders, template_text.sample(placeholders))


def save(kind, language, text, dlt_template_id, actor):
    """Store the wording (None or the default's text: the default) and the DLT id, or raise
    TemplateError naming what is wrong; nothing is stored then."""
    if kind not in KINDS or language not in LANGUAGES:
        raise TemplateError({"kind": _("Unknown SMS.")})
    text = (text or "").strip()
    dlt_template_id = (dlt_template_id or "").strip()
    errors = check(kind, text) if text else {}
    if dlt_template_id and not DLT_ID.match(dlt_template_id):
        errors["dlt_template_id"] = _(
            "A DLT template id is the number the DLT platform gave the template (digits only)."
        )
    if errors:
        raise TemplateError(errors)
    custom = text if text and text != default_text(kind, language) else None
    SmsTemplate.objects(kind=kind, language=language).update_one(
        upsert=True,
        set__text=custom,
        set__dlt_template_id=dlt_template_id or None,
        set__updated_by=actor,
        set__updated_at=datetime.now(UTC),
    )
    audit.record("sms_template.saved", actor=actor, kind=kind, language=language,
                 custom=custom is not None, dlt=bool(dlt_template_id))  # fmt: skip


def reset(kind, language, actor):
    """Back to the default wording; its DLT id goes too (it was registered for the old text)."""
    SmsTemplate.objects(kind=kind, language=language).delete()
    audit.record("sms_template.reset", actor=actor, kind=kind, language=language)


def table():
    """Every kind in every language: (kind, language, spec, row or None)."""
    rows = {(r.kind, r.language): r for r in SmsTemplate.objects.select_related(max_depth=1)}
    return [
        (kind, language, spec, rows.get((kind, language)))
        for kind, spec in KINDS.items()
        for language in LANGUAGES
    ]


def missing_dlt():
    """How many (kind, language) have no DLT template id."""
    with_id = SmsTemplate.objects(dlt_template_id__ne=None).count()
    return len(KINDS) * len(LANGUAGES) - with_id


def held_count():
    return OutboxMessage.objects(channel="sms", status="held").count()


def dlt_required():
    return bool(current_app.config.get("SMS_REQUIRE_DLT"))
