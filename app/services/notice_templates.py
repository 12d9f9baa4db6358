"""The words of every in-app notice and email the portal sends, per kind, channel and language.

KINDS names each kind of notice (a request's new status, an escalation, a transfer, an appeal, an
FIR's news...), the placeholders its text may use, the ones it must carry, and its default text
and email subject. An administrator may replace the text of a kind for one channel and language
(save()); it is checked first (services.template_text): a placeholder the kind does not offer is
refused by its name. render() fills the placeholders in, in the recipient's language.

The defaults are Flask-Babel messages, so their Hindi stays with the other translations. An
officer's remark may appear in an in-app notice or an email ({remark}); an SMS never carries one
(services.sms_templates offers no such placeholder).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.models import NoticeTemplate

from . import audit, template_text
from .errors import FieldErrors

LANGUAGES = ("en", "hi")
CHANNELS = {"in_app": _l("In the portal"), "email": _l("Email")}
MAX_TEXT = 1000
MAX_SUBJECT = 150


class TemplateError(FieldErrors):
    """A text or subject refused; the message names the placeholder or the field."""


@dataclass(frozen=True)
class Kind:
    title: object
    default: object  # a Flask-Babel message with %(name)s placeholders
    subject: object
    placeholders: tuple[str, ...]
    required: tuple[str, ...] = ("number",)
    channels: tuple[str, ...] = ("in_app", "email")
    longest: int = MAX_TEXT  # characters of the filled-in text


_REQUEST = ("number", "service")
_REQUEST_SUBJECT = _l("Update on request %(number)s")
_APPEAL_SUBJECT = _l("Appeal %(appeal)s")
_FIR_SUBJECT = _l("Your FIR %(number)s")
_COMPLAINT_SUBJECT = _l("Your complaint %(complaint)s")

KINDS = {
    "request_status": Kind(
        _l("A request's new status (to the applicant)"),
        _l("Request %(number)s (%(service)s): %(status)s %(remark)s"),
        _REQUEST_SUBJECT,
        (*_REQUEST, "status", "remark"),
    ),
    "request_escalated_applicant": Kind(
        _l("A request escalated (to the applicant)"),
        _l(
            "Request %(number)s (%(service)s) was not decided within its time limit and has "
            "been escalated to the %(authority)s, who must decide by %(due)s. You may also "
            "file an appeal."
        ),
        _REQUEST_SUBJECT,
        (*_REQUEST, "authority", "due"),
    ),
    "request_escalated_officer": Kind(
        _l("A request escalated (to the officer it reaches)"),
        _l(
            "Request %(number)s (%(service)s) of %(station)s missed its deadline and is escalated "
            "to you (%(authority)s). Decide by %(due)s."
        ),
        _REQUEST_SUBJECT,
        (*_REQUEST, "station", "authority", "due"),
    ),
    "request_warning": Kind(
        _l("A request nearing its deadline (to the officer)"),
        _l("Request %(number)s (%(service)s) is due by %(due)s. Please act before the deadline."),
        _REQUEST_SUBJECT,
        (*_REQUEST, "due"),
    ),
    "senior_visit_missed": Kind(
        _l("A senior citizen's beat visit overdue (to the station)"),
        _l(
            "The beat visit to senior citizen %(number)s (%(name)s) was due on %(due)s and has "
            "not been recorded."
        ),
        _l("Senior citizen visit overdue: %(number)s"),
        ("number", "name", "due"),
    ),
    "transfer_refused": Kind(
        _l("A transfer refused (to the station that proposed it)"),
        _l(
            "The transfer of request %(number)s (%(service)s) to %(station)s was refused. "
            "It stays where it is. Reason: %(reason)s"
        ),
        _REQUEST_SUBJECT,
        (*_REQUEST, "station", "reason"),
    ),
    "transfer_proposed": Kind(
        _l("A transfer proposed (to the officer who decides it)"),
        _l(
            "A transfer of request %(number)s (%(service)s) to %(station)s waits for your "
            "decision. Reason: %(reason)s"
        ),
        _REQUEST_SUBJECT,
        (*_REQUEST, "station", "reason"),
    ),
    "transferred_applicant": Kind(
        _l("A request transferred (to the applicant)"),
        _l(
            "Request %(number)s (%(service)s) was transferred to %(station)s, which will now "
            "deal with it. Reason: %(reason)s"
        ),
        _REQUEST_SUBJECT,
        (*_REQUEST, "station", "reason"),
    ),
    "transferred_station": Kind(
        _l("A request transferred (to the station receiving it)"),
        _l(
            "Request %(number)s (%(service)s) was transferred to your station from "
            "%(from_station)s. Reason: %(reason)s"
        ),
        _REQUEST_SUBJECT,
        (*_REQUEST, "from_station", "reason"),
    ),
    "appeal_filed_applicant": Kind(
        _l("An appeal filed (to the appellant)"),
        _l(
            "Your appeal %(appeal)s on request %(number)s has been filed. The %(authority)s "
            "will decide it by %(due)s."
        ),
        _APPEAL_SUBJECT,
        ("appeal", "number", "authority", "due"),
        ("appeal",),
    ),
    "appeal_filed_authority": Kind(
        _l("An appeal filed (to the authority deciding it)"),
        _l(
            "Appeal %(appeal)s on request %(number)s (%(service)s) awaits your decision by %(due)s."
        ),
        _APPEAL_SUBJECT,
        ("appeal", *_REQUEST, "due"),
        ("appeal",),
    ),
    "appeal_overdue": Kind(
        _l("An appeal past its decision date (to the authority)"),
        _l("Appeal %(appeal)s is past its decision date of %(due)s."),
        _APPEAL_SUBJECT,
        ("appeal", "due"),
        ("appeal",),
    ),
    "appeal_decided": Kind(
        _l("An appeal decided (to the appellant)"),
        _l(
            "Your appeal %(appeal)s on request %(number)s has been %(outcome)s. "
            "Reasons: %(reasons)s"
        ),
        _APPEAL_SUBJECT,
        ("appeal", "number", "outcome", "reasons"),
        ("appeal",),
    ),
    "fir_confirm": Kind(
        _l("An FIR drafted, to be confirmed (to the complainant)"),
        _l(
            "An FIR has been drafted from your complaint %(complaint)s. It is taken on record "
            "only when you confirm it on your request page by %(date)s."
        ),
        _COMPLAINT_SUBJECT,
        ("complaint", "date"),
        ("complaint",),
    ),
    "fir_registered": Kind(
        _l("An FIR registered (to the complainant)"),
        _l(
            "FIR %(number)s has been registered at %(station)s. You can follow the case and "
            "download a free copy from your account."
        ),
        _FIR_SUBJECT,
        ("number", "station"),
    ),
    "fir_lapsed": Kind(
        _l("A drafted FIR lapsed unconfirmed (to the complainant)"),
        _l(
            "The FIR drafted from your complaint %(complaint)s was not confirmed within three "
            "days and has lapsed. The police station may contact you; you can also visit it."
        ),
        _COMPLAINT_SUBJECT,
        ("complaint",),
        ("complaint",),
    ),
    "fir_enquiry_closed": Kind(
        _l("A preliminary enquiry closed without an FIR (to the complainant)"),
        _l("The preliminary enquiry found no offence to register: %(reasons)s"),
        _COMPLAINT_SUBJECT,
        ("complaint", "reasons"),
        (),
    ),
    "fir_enquiry_overdue": Kind(
        _l("A preliminary enquiry overdue (to the SHO)"),
        _l(
            "The preliminary enquiry into the complaint of %(name)s at %(station)s has run "
            "past its 14 days. Register the FIR or close the enquiry with reasons."
        ),
        _l("Preliminary enquiry overdue at %(station)s"),
        ("complaint", "name", "station"),
        (),
    ),
    "fir_transferred": Kind(
        _l("A zero FIR transferred (to the receiving SHO)"),
        _l(
            "Zero FIR %(number)s of %(station)s has been transferred to your police station. "
            "Re-register it under your own number."
        ),
        _l("Zero FIR %(number)s transferred to your station"),
        ("number", "station"),
    ),
    "register_match": Kind(
        _l("A possible match in the registers (to the SHOs of both stations)"),
        _l(
            "Possible match (%(points)s of 5): %(found)s recorded at %(found_station)s may be "
            "the missing person %(name)s of %(missing_station)s. Compare them in the registers."
        ),
        _l("Possible match in the registers"),
        ("points", "found", "found_station", "name", "missing_station"),
        (),
        ("in_app",),
    ),
    "walk_in_received": Kind(
        _l("A request filed at the desk (to the walk-in citizen's email)"),
        _l(
            "Your request %(number)s has been received at %(station)s. Track it with this "
            "number. To see it in your own account, sign in with this mobile and claim it with "
            "code %(code)s."
        ),
        _l("Request %(number)s received"),
        ("number", "station", "code"),
        ("number", "code"),
        ("email",),
    ),
    "add_email": Kind(
        _l("A link to add an email address to an account"),
        _l(
            "Open this link to add this email address to your account on the police citizen "
            "services portal: %(link)s\n\nIt works for two days. If you did not ask for this, "
            "ignore this email."
        ),
        _l("Confirm your email address"),
        ("link",),
        ("link",),
        ("email",),
    ),
    "login_locked": Kind(
        _l("Logins paused after failed attempts (to the account's owner)"),
        _l(
            "There were %(count)s failed attempts to log in to your account in the last few "
            "minutes, so logins to it are paused for a short while. If this was not you, "
            "nothing is needed: your password was not accepted. If you have forgotten your "
            "password, reset it from the login page."
        ),
        _l("Failed logins to your account"),
        ("count",),
        (),
        ("email",),
    ),
    "daily_digest": Kind(
        _l("The daily summary (to each SHO and district supervisor)"),
        _l(
            "%(open)s open, %(due_today)s due today, %(overdue)s overdue.\n%(services)s\n\n"
            "Your queue: %(queue)s"
        ),
        _l("Daily summary for %(place)s, %(date)s"),
        ("place", "date", "open", "due_today", "overdue", "services", "queue"),
        (),
        longest=4000,  # one line per service
    ),
    # Flask-Security's account emails (app.security.mailer sends these words instead of its own).
    "account_welcome": Kind(
        _l("A new account: confirm the email address (to the person who registered)"),
        _l(
            "Welcome to the police citizen services portal. To finish registering, confirm "
            "your email address %(email)s by opening this link: %(link)s\n\nIf you did not "
            "register, ignore this email; no account is used without this confirmation."
        ),
        _l("Confirm your email address"),
        ("email", "link"),
        ("link",),
        ("email",),
    ),
    "account_exists": Kind(
        _l("A registration with an email that has an account already (to its owner)"),
        _l(
            "Someone, perhaps you, tried to register on the police citizen services portal with "
            "%(email)s, which has an account already. If you have forgotten your password, "
            "choose a new one here: %(link)s\n\nIf it was not you, ignore this email."
        ),
        _l("Your account on the police citizen services portal"),
        ("email", "link"),
        (),
        ("email",),
    ),
    "account_confirm": Kind(
        _l("A new link to confirm the email address (asked for again)"),
        _l(
            "Confirm your email address %(email)s for the police citizen services portal by "
            "opening this link: %(link)s"
        ),
        _l("Confirm your email address"),
        ("email", "link"),
        ("link",),
        ("email",),
    ),
    "password_reset": Kind(
        _l("A link to choose a password (forgotten password, or a new staff account)"),
        _l(
            "Open this link to choose a password for your account %(email)s on the police "
            "citizen services portal: %(link)s\n\nIf you did not ask for it, ignore this "
            "email; your password stays as it is."
        ),
        _l("Choose your password"),
        ("email", "link"),
        ("link",),
        ("email",),
    ),
    "password_reset_notice": Kind(
        _l("A password chosen through the emailed link (to the account's owner)"),
        _l(
            "A new password was chosen for your account %(email)s through the link we emailed. "
            "If this was not you, tell your police station or the portal's help desk at once."
        ),
        _l("Your password was changed"),
        ("email",),
        (),
        ("email",),
    ),
    "password_changed": Kind(
        _l("A password changed while signed in (to the account's owner)"),
        _l(
            "The password of your account %(email)s was changed. If this was not you, choose a "
            "new one through “Forgot your password?” on the login page and tell your police "
            "station or the portal's help desk."
        ),
        _l("Your password was changed"),
        ("email",),
        (),
        ("email",),
    ),
    "fir_progress": Kind(
        _l("News of a case (to the complainant)"),
        _l("FIR %(number)s: %(text)s"),
        _FIR_SUBJECT,
        ("number", "text"),
    ),
}


# The kinds services.notify sends about one request (or its appeal or transfer): their emails end
# with the request's link, their in-app notices link to it. The others carry their own link.
ABOUT_A_REQUEST = frozenset(
    {
        "request_status",
        "request_escalated_applicant",
        "request_escalated_officer",
        "request_warning",
        "senior_visit_missed",
        "transfer_refused",
        "transfer_proposed",
        "transferred_applicant",
        "transferred_station",
        "appeal_filed_applicant",
        "appeal_filed_authority",
        "appeal_overdue",
        "appeal_decided",
    }
)


def offered(kind, channel):
    """Whether notices of `kind` go out on `channel` (and so have a wording to edit there)."""
    return kind in KINDS and channel in KINDS[kind].channels


def default_text(kind, language):
    with force_locale(language):
        return template_text.as_template(KINDS[kind].default)


def default_subject(kind, language):
    with force_locale(language):
        return template_text.as_template(KINDS[kind].subject)


def _row(kind, channel, language):
    return NoticeTemplate.objects(kind=kind, channel=channel, language=language).first()


def wording(kind, channel, language):
    """(subject, text) in use for `kind` on `channel` in `language`, with placeholders: the
    administrator's, else the default."""
    row = _row(kind, channel, language)
    subject = (row.subject if row else None) or default_subject(kind, language)
    text = (row.text if row else None) or default_text(kind, language)
    return subject, text


def render(kind, channel, language, **values):
    """(subject, text) of one notice, filled in: what the recipient reads."""
    language = language if language in LANGUAGES else "en"
    subject, text = wording(kind, channel, language)
    placeholders = KINDS[kind].placeholders
    with force_locale(language):
        subject = template_text.fill(subject, placeholders, values)
        text = template_text.fill(text, placeholders, values)
    return " ".join(subject.split())[:MAX_SUBJECT], text.strip()[: KINDS[kind].longest]


def check(kind, text, subject=None):
    """{field: message} for a text (and an email's subject), naming the placeholder at fault."""
    spec = KINDS[kind]
    errors = {}
    if not text:
        errors["text"] = _l("Enter the text, or reset to the default.")
    else:
        fault = template_text.problem(text, spec.placeholders, spec.required)
        if fault:
            errors["text"] = fault
        elif len(text) > MAX_TEXT:
            errors["text"] = _l("At most %(count)d characters.", count=MAX_TEXT)
    if subject is not None:
        fault = template_text.problem(subject, spec.placeholders) if subject else None
        if not subject:
            errors["subject"] = _l("Enter the subject, or reset to the default.")
        elif fault:
            errors["subject"] = fault
        elif len(subject) > MAX_SUBJECT:
            errors["subject"] = _l("At most %(count)d characters.", count=MAX_SUBJECT)
    return {name: str(message) for name, message in errors.items()}


def preview(kind, language, text, subject=None):
    """(subject or None, text) as a recipient would read them, with sample values."""
    placeholders = KINDS[kind].placeholders
    with force_locale(language):
        values = template_text.sample(placeholders)
        shown = template_text.fill(text, placeholders, values).strip()
        return (template_text.fill(subject, placeholders, values) if subject else None), shown


def save(kind, channel, language, text, subject, actor):
    """Store the text (and an email's subject), or raise TemplateError naming what is wrong;
    nothing is stored then. A text equal to the default is stored as "the default"."""
    if not offered(kind, channel) or language not in LANGUAGES:
        raise TemplateError({"kind": "unknown"})
    text = (text or "").strip()
    subject = (subject or "").strip() if channel == "email" else None
    errors = check(kind, text, subject)
    if errors:
        raise TemplateError(errors)
    custom_text = text if text != default_text(kind, language) else None
    custom_subject = subject if subject and subject != default_subject(kind, language) else None
    NoticeTemplate.objects(kind=kind, channel=channel, language=language).update_one(
        upsert=True,
        set__text=custom_text,
        set__subject=custom_subject,
        set__updated_by=actor,
        set__updated_at=datetime.now(UTC),
    )
    audit.record("notice_template.saved", actor=actor, kind=kind, channel=channel,
                 language=language)  # fmt: skip


def reset(kind, channel, language, actor):
    NoticeTemplate.objects(kind=kind, channel=channel, language=language).delete()
    audit.record("notice_template.reset", actor=actor, kind=kind, channel=channel,
                 language=language)  # fmt: skip


def table():
    """Every kind on every channel in every language: (kind, spec, [(channel, language, row)])."""
    rows = {
        (r.kind, r.channel, r.language): r
        for r in NoticeTemplate.objects.select_related(max_depth=1)
    }
    return [
        (
            kind,
            spec,
            [
                (channel, language, rows.get((kind, channel, language)))
                for channel in spec.channels
                for language in LANGUAGES
            ],
        )
        for kind, spec in KINDS.items()
    ]
