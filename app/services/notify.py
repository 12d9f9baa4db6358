"""Notifications about request events, in each recipient's language.

process_event(key) sends what a recorded event (services.events) calls for, through
notify_request_event(request_id, event, seq). The request's definition says who hears of
`submitted`, `transition` and `escalated` and on which channels; events a definition does not
mention use DEFAULT_RULES. Every message has a key "<request>:<event>:v<seq>:<user>:<channel>":
in-app notifications use it as their _id and email or SMS claim it (services.claims) before
queueing, so a re-run sends nothing twice.
"""

import logging
import time
from datetime import UTC, date, datetime
from types import SimpleNamespace

from flask import current_app, url_for
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models import (
    Appeal,
    Fir,
    Notification,
    PoliceStation,
    RegisterEntry,
    RequestEvent,
    SeniorCitizen,
    ServiceRequest,
    User,
)
from app.models.base import stored_id

from . import (
    authorities,
    catalogue,
    claims,
    deadlines,
    firs,
    mail,
    notice_templates,
    registers,
    service_types,
    sms_templates,
)

log = logging.getLogger(__name__)

DEFAULT_RULES = {
    "escalated": {"to": ["applicant", "escalation_target"], "channels": ["in_app", "email"]},
    "warning": {"to": ["assignee"], "channels": ["in_app", "email"]},
    "appeal_filed": {"to": ["applicant", "appeal_authority"], "channels": ["in_app", "email"]},
    "appeal_decided": {"to": ["applicant"], "channels": ["in_app", "email", "sms"]},
    "appeal_overdue": {"to": ["appeal_authority"], "channels": ["in_app", "email"]},
    "senior_visit_missed": {"to": ["sho"], "channels": ["in_app", "email"]},
    # services.transfers: the receiving station's SHO and the applicant; a proposal, its SHO.
    "transferred": {"to": ["applicant", "sho"], "channels": ["in_app", "email"]},
    "transfer_proposed": {"to": ["sho"], "channels": ["in_app", "email"]},
    "transfer_refused": {"to": ["proposer"], "channels": ["in_app", "email"]},
}
STAFF = "staff"
APPLICANT = "applicant"
WALK_IN = "walk_in"  # an applicant without an account (services.assisted): SMS and email only


def _walk_in(request):
    """The walk-in citizen as a recipient: reached at the mobile and email given at the desk."""
    return SimpleNamespace(
        id="walk_in",
        email=request.walk_in_email,
        mobile=request.walk_in_mobile,
        # Given in person at the desk, to the officer or operator who filed the request.
        sms_mobile=request.walk_in_mobile,
        language=request.walk_in_language or "hi",
    )


def _rules(definition, event):
    rules = [r for r in definition.get("notifications", []) if r.get("on") == event]
    return rules or ([DEFAULT_RULES[event]] if event in DEFAULT_RULES else [])


class Context:
    """What one event is about, loaded once for all its recipients."""

    def __init__(self, request, definition, event, seq, detail=None):
        self.request, self.definition, self.event, self.seq = request, definition, event, seq
        self.detail = detail or {}
        self.appeal = None
        if event.startswith("appeal_"):
            self.appeal = Appeal.objects(key=f"{request.id}:A{seq}").first()

    def level(self):
        """The tier of the chain this event is about: a warning's own (its seq), whenever it is
        processed; for other events, the tier the request is at."""
        if self.event == "warning":
            return self.seq
        return self.request.escalation_level or 0

    def tier_role(self):
        tiers = deadlines.chain(self.definition)
        level = min(self.level(), len(tiers) - 1)
        return tiers[level]["role"] if tiers else None

    def recipients(self, who):
        """[(user, audience)] for one name of a rule's `to`."""
        request = self.request
        if who == "applicant":
            if stored_id(request, "applicant") is None:  # filed at the desk, not yet claimed
                return [(_walk_in(request), WALK_IN)] if request.walk_in_mobile else []
            return [(request.applicant, APPLICANT)]
        if who == "escalation_target":
            role = self.escalated_role()
            return [(u, STAFF) for u in authorities.holders(role, request.station)] if role else []
        if who == "assignee":
            if request.assigned_to is not None and self.level() == 0:
                return [(request.assigned_to, STAFF)]
            role = self.tier_role()
            return [(u, STAFF) for u in authorities.holders(role, request.station)] if role else []
        if who == "appeal_authority" and self.appeal is not None:
            holders = authorities.holders(self.appeal.authority_role, request.station)
            return [(u, STAFF) for u in holders]
        if who == "sho":
            return [(u, STAFF) for u in authorities.holders("sho", request.station)]
        if who == "proposer" and self.detail.get("proposer"):
            proposer = User.objects(id=self.detail["proposer"]).first()
            if proposer is None:
                return []
            applicant = proposer.id == stored_id(request, "applicant")
            return [(proposer, APPLICANT if applicant else STAFF)]
        return []

    def escalated_role(self):
        tiers = deadlines.chain(self.definition)
        return tiers[self.seq]["role"] if 0 < self.seq < len(tiers) else None


def _when(value):
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return format_datetime(value, "d MMM yyyy, HH:mm")


def _status(ctx, language):
    """The public text of the state this event reached (not the request's state by the time
    the message is sent), in `language`."""
    state = ctx.detail.get("to_state") or ctx.request.status
    info = catalogue.state_info(ctx.definition, state)
    return info["public"].get(language) or info["public"]["en"]


def _notice(ctx, audience, language):
    """(kind of notice in services.notice_templates, its values) for one audience, in
    `language` (the caller forces the locale); None when there is nothing to say."""
    request, definition, event = ctx.request, ctx.definition, ctx.event
    service = definition["name"].get(language) or definition["name"]["en"]
    args = {"number": request.number, "service": service}
    if event in ("submitted", "transition"):
        if "remark" in ctx.detail:
            remark = ctx.detail["remark"]
        else:
            remark = request.history[-1].remark if request.history else None
        remark = _("Remark: %(remark)s", remark=remark) if remark else ""
        return "request_status", dict(args, status=_status(ctx, language), remark=remark)
    if event in ("escalated", "warning"):
        due = _tier_due(request, ctx.seq)
        due = _when(due) if due else "-"
        if event == "warning":
            return "request_warning", dict(args, due=due)
        authority = str(authorities.title_of(ctx.escalated_role()))
        if audience == APPLICANT:
            return "request_escalated_applicant", dict(args, authority=authority, due=due)
        station = _station_name(request, language)
        return "request_escalated_officer", dict(
            args, authority=authority, due=due, station=station
        )
    if event == "senior_visit_missed":
        senior = SeniorCitizen.objects(request=request.id).first()
        return "senior_visit_missed", {
            "number": request.number,
            "name": senior.name if senior else request.applicant_name,
            "due": format_date(date.fromordinal(ctx.seq), "d MMM yyyy"),
        }
    if event in ("transferred", "transfer_proposed", "transfer_refused"):
        return _transfer_notice(ctx, audience, args, language)
    return _appeal_notice(ctx, audience, args)


def _tier_due(request, level):
    """The deadline of tier `level` of the chain: the request's own while it is at that tier,
    else the one its escalation record kept. A notice processed late (a worker restarted after
    the request climbed again) must not give the next tier's deadline as its own."""
    if level == (request.escalation_level or 0):
        return request.due_at
    for entry in request.escalations or []:
        if entry.level == level:
            return entry.due_at
        if entry.level == level + 1:
            return entry.missed_due_at
    return request.due_at


def _transfer_notice(ctx, audience, args, language):
    codes = [ctx.detail.get("to_station"), ctx.detail.get("from_station")]
    stations = {s.code: s for s in PoliceStation.objects(code__in=[c for c in codes if c])}

    def name(code):
        station = stations.get(code)
        if station is None:
            return code or "-"
        return station.name_in(language)

    args = dict(args, reason=ctx.detail.get("reason") or "-")
    if ctx.event in ("transfer_refused", "transfer_proposed"):
        return ctx.event, dict(args, station=name(codes[0]))
    if audience == APPLICANT:
        return "transferred_applicant", dict(args, station=name(codes[0]))
    return "transferred_station", dict(args, from_station=name(codes[1]))


def _appeal_notice(ctx, audience, args):
    appeal = ctx.appeal
    if appeal is None:
        return None
    args = dict(args, appeal=appeal.number, due=_when(appeal.due_at))
    if ctx.event == "appeal_filed":
        if audience == APPLICANT:
            authority = str(authorities.title_of(appeal.authority_role))
            return "appeal_filed_applicant", dict(args, authority=authority)
        return "appeal_filed_authority", args
    if ctx.event == "appeal_overdue":
        return "appeal_overdue", args
    outcome = _("allowed") if appeal.status == "allowed" else _("dismissed")
    return "appeal_decided", dict(args, outcome=outcome, reasons=appeal.decision or "")


def _station_name(request, language):
    return request.station.name_in(language)


def notify_request_event(request_id, event, seq, detail=None):
    """Send what `event` asks for; returns how many messages were created now."""
    request = ServiceRequest.objects(id=request_id).first()
    if request is None:
        return 0
    definition = service_types.definition_of(request)
    ctx = Context(request, definition, event, seq, detail)
    messages = []
    for rule in _rules(definition, event):
        wanted = rule.get("to", [])
        for who in wanted if isinstance(wanted, list) else [wanted]:
            for user, audience in ctx.recipients(who):
                channels = rule.get("channels", [])
                if event == "submitted" and audience == APPLICANT and ctx.detail.get("bulk"):
                    continue  # a file of 500 guests: its upload page listed every number
                if audience == WALK_IN:
                    if event == "submitted":
                        continue  # the desk's acknowledgement (with the claim code) said it
                    # No account to read in-app notices: every notice goes by SMS too.
                    channels = ["sms"] + [c for c in channels if c == "email" and user.email]
                    audience = APPLICANT
                language = user.language or "en"
                with force_locale(language):
                    notice = _notice(ctx, audience, language)
                    link = _link(request, audience)
                    sms = _sms(ctx, audience, language) if "sms" in channels else None
                if notice is None:
                    continue
                kind, values = notice
                for channel in channels:
                    key = f"{request.id}:{event}:v{seq}:{user.id}:{channel}"
                    subject, body = None, None
                    if channel in notice_templates.CHANNELS:
                        subject, body = notice_templates.render(kind, channel, language, **values)
                    if channel == "email":
                        body = f"{body}\n\n{link}"
                    messages.append((channel, key, user, body, subject, sms))
    # In-app first (cheap, local), then the outside world. The pause is a test fault: the crash
    # test kills the worker here, between the two halves of one task.
    messages.sort(key=lambda m: m[0] != "in_app")
    created, paused = 0, False
    for channel, key, user, text, subject, sms in messages:
        if channel != "in_app" and not paused:
            _fault_pause()
            paused = True
        created += _send(channel, key, user, request, event, text, subject, sms)
    return created


def _url(request, audience):
    """Where the recipient opens the request, on the public address (never a request's Host)."""
    if audience == APPLICANT and stored_id(request, "applicant") is None:
        return url_for("tracking.track", number=request.number, _external=True)
    if audience == APPLICANT:
        return url_for("tracking.detail", number=request.number, _external=True)
    return url_for("requests.details_view", id=str(request.id), _external=True)


def _link(request, audience):
    return _("Open it here: %(url)s", url=_url(request, audience))


def _sms(ctx, audience, language):
    """(text, DLT id) of this event's SMS: the registered wording (services.sms_templates), with
    the number, the service, the status and a link; never a remark, which is read in the portal."""
    request, definition, event = ctx.request, ctx.definition, ctx.event
    values = {
        "number": request.number,
        "service": definition["name"].get(language) or definition["name"]["en"],
        "link": _url(request, audience),
    }
    if event in ("submitted", "transition"):
        values["status"] = _status(ctx, language)
        return sms_templates.render("request_status", language, **values)
    if event == "escalated":
        values["authority"] = str(authorities.title_of(ctx.escalated_role()))
        values["due"] = _when(request.due_at) if request.due_at else "-"
        return sms_templates.render("request_escalated", language, **values)
    return sms_templates.render("request_update", language, **values)


def _fault_pause():
    seconds = current_app.config.get("FAULT_NOTIFY_PAUSE_SECONDS") or 0
    if seconds > 0:
        time.sleep(seconds)


def _send(channel, key, user, request, event, text, subject, sms=None):
    if channel == "in_app":
        try:
            Notification(
                key=key,
                recipient=user,
                request=request,
                number=request.number,
                event=event,
                text=text[:1000],
                created_at=datetime.now(UTC),
            ).save(force_insert=True)
        except (NotUniqueError, DuplicateKeyError):
            return 0
        return 1
    if not claims.take(f"notify:{key}"):
        return 0
    if channel == "email" and user.email:
        mail.queue_email(
            to=user.email, subject=subject, body_text=text, template=f"request_{event}", key=key
        )
        return 1
    if channel == "sms" and user.sms_mobile and sms:  # only a mobile its owner has verified
        sms_text, dlt_template_id = sms
        mail.queue_sms(
            to=user.sms_mobile, body_text=sms_text, key=key, dlt_template_id=dlt_template_id
        )
        return 1
    return 0


def unread_count(user):
    return Notification.objects(recipient=user.id, read_at=None).count()


def process_event(key, now=None):
    """Send the event's notifications and mark it done; returns how many were created."""
    event = RequestEvent.objects(key=key).first()
    if event is None or event.done_at is not None:
        return 0
    if stored_id(event, "fir") is not None:
        created = notify_fir_event(stored_id(event, "fir"), event.event, event.seq, event.detail)
    elif stored_id(event, "entry") is not None:
        created = notify_register_match(stored_id(event, "entry"), event.detail or {})
    else:
        # The request's id as stored: notify loads the request once, not twice.
        created = notify_request_event(
            str(stored_id(event, "request")), event.event, event.seq, event.detail or None
        )
    RequestEvent.objects(key=key).update_one(set__done_at=now or datetime.now(UTC))
    log.info("event %s processed: %d notices", key, created)
    return created


def notify_register_match(found_id, detail):
    """In-app notices of a possible match to the SHOs of both stations, in their language, once
    per pair and SHO; returns how many were created now."""
    found = RegisterEntry.objects(id=found_id).first()
    missing = RegisterEntry.objects(id=detail.get("missing")).first()
    if found is None or missing is None:
        return 0
    created = 0
    for sho in registers.match_audience(missing, found):
        language = sho.language or "en"
        values = registers.match_notice(missing, found, detail["points"], language)
        _subject, text = notice_templates.render("register_match", "in_app", language, **values)
        try:
            Notification(
                key=f"match:{found.id}:{missing.id}:{sho.id}:in_app",
                recipient=sho,
                event="register_match",
                text=text[:1000],
                created_at=datetime.now(UTC),
            ).save(force_insert=True)
            created += 1
        except (NotUniqueError, DuplicateKeyError):
            pass
    return created


def _fir_recipients(fir, audience):
    if audience == "complainant":
        return [fir.complainant] if fir.complainant is not None else []
    station = fir.jurisdiction_station if audience == "receiving_sho" else fir.station
    return list(authorities.holders("sho", station)) if station is not None else []


def notify_fir_event(fir_id, event, seq, detail=None):
    """In-app, email and SMS about an FIR event to each recipient in their language, once per
    FIR version, recipient and channel; returns how many messages were created now."""
    fir = Fir.objects(id=fir_id).first()
    audience = firs.NOTICE_AUDIENCE.get(event)
    if fir is None or audience is None:
        return 0
    created = 0
    for user in _fir_recipients(fir, audience):
        language = user.language or "en"
        notice = firs.notice_values(fir, event, detail, language)
        if notice is None:
            continue
        with force_locale(language):
            sms = _fir_sms(fir, event, audience, language)
        _subject, body = notice_templates.render(event, "in_app", language, **notice)
        base = f"fir:{fir.id}:{event}:v{seq}:{user.id}"
        try:
            Notification(
                key=f"{base}:in_app",
                recipient=user,
                request=fir.complaint,
                number=fir.number or (fir.complaint.number if fir.complaint else ""),
                event=event,
                text=body[:1000],
                created_at=datetime.now(UTC),
            ).save(force_insert=True)
            created += 1
        except (NotUniqueError, DuplicateKeyError):
            pass  # sent before this run; email and SMS are claimed on their own keys
        if user.email and claims.take(f"notify:{base}:email"):
            subject, text = notice_templates.render(event, "email", language, **notice)
            mail.queue_email(to=user.email, subject=subject, body_text=text, key=f"{base}:email")
            created += 1
        if user.sms_mobile and claims.take(f"notify:{base}:sms"):
            text, dlt_template_id = sms
            mail.queue_sms(
                to=user.sms_mobile,
                body_text=text,
                key=f"{base}:sms",
                dlt_template_id=dlt_template_id,
            )
            created += 1
    if audience == "complainant" and fir.complainant is None and fir.informant_mobile:
        created += _sms_informant(fir, event, seq, detail)
    return created


def _sms_informant(fir, event, seq, detail):
    """An informant who gave the desk a mobile and has no account is told by SMS, in the
    language they chose there."""
    language = fir.informant_language or "hi"
    with force_locale(language):
        text, dlt_template_id = _fir_sms(fir, event, "informant", language)
    key = f"fir:{fir.id}:{event}:v{seq}:informant:sms"
    if firs.notice_values(fir, event, detail, language) is None:
        return 0
    if not claims.take(f"notify:{key}"):
        return 0
    mail.queue_sms(
        to=fir.informant_mobile, body_text=text, key=key, dlt_template_id=dlt_template_id
    )
    return 1


def _fir_sms(fir, event, audience, language):
    """(text, DLT id): that the FIR is registered, or that there is news of it, and where to read
    it; never the enquiry's reasons or any other officer's words."""
    number = fir.number or (fir.complaint.number if fir.complaint else "")
    if audience == "complainant":
        url = url_for("fir_portal.detail", fir_id=str(fir.id), _external=True)
    elif audience == "informant":
        url = url_for("portal.index", _external=True)
    else:
        url = url_for("firs.details", fir_id=str(fir.id), _external=True)
    if event == "fir_registered" and fir.station is not None:
        station = fir.station.name_in(language)
        return sms_templates.render(
            "fir_registered", language, number=number, station=station, link=url
        )
    return sms_templates.render("fir_update", language, number=number, link=url)
