"""Notifications about requests, as each service's definition asks ("notifications" rules).

notify_request_event(request_id, event, version) is what the Celery task calls. Every message has
a key "<request>:<event>:v<version>:<user>:<channel>"; in-app notifications use it as their _id
and email/SMS claim it (services.claims) before queueing, so a re-run sends nothing twice.
Texts are in the recipient's language. Escalation targets come with the escalation work (issue 4).
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models import Notification, ServiceRequest

from . import catalogue, claims, mail, service_types

EVENTS = ("submitted", "transition")


def _recipients(rule, request):
    wanted = rule.get("to", [])
    wanted = wanted if isinstance(wanted, list) else [wanted]
    return [request.applicant] if "applicant" in wanted else []


def _text(request, definition, language):
    info = catalogue.state_info(definition, request.status)
    name = definition["name"].get(language) or definition["name"]["en"]
    status = info["public"].get(language) or info["public"]["en"]
    with force_locale(language):
        text = _(
            "Request %(number)s (%(service)s): %(status)s",
            number=request.number,
            service=name,
            status=status,
        )
        remark = request.history[-1].remark if request.history else None
        if remark:
            text += " " + _("Remark: %(remark)s", remark=remark)
    return text


def notify_request_event(request_id, event, version):
    """Send what the request's definition asks for `event`; returns how many were created."""
    if event not in EVENTS:
        return 0
    request = ServiceRequest.objects(id=request_id).first()
    if request is None:
        return 0
    definition = service_types.definition_of(request)
    created = 0
    for rule in definition.get("notifications", []):
        if rule.get("on") != event:
            continue
        for user in _recipients(rule, request):
            language = user.language or "en"
            text = _text(request, definition, language)
            for channel in rule.get("channels", []):
                key = f"{request.id}:{event}:v{version}:{user.id}:{channel}"
                created += _send(channel, key, user, request, event, text, language)
    return created


def _send(channel, key, user, request, event, text, language):
    if channel == "in_app":
        try:
            Notification(
                key=key,
                recipient=user,
                request=request,
                number=request.number,
                event=event,
                text=text,
            ).save(force_insert=True)
        except (NotUniqueError, DuplicateKeyError):
            return 0
        return 1
    if not claims.take(f"notify:{key}"):
        return 0
    if channel == "email" and user.email:
        with force_locale(language):
            subject = _("Update on your request %(number)s", number=request.number)
        mail.queue_email(
            to=user.email, subject=subject, body_text=text, template=f"request_{event}"
        )
        return 1
    if channel == "sms" and user.mobile:
        mail.queue_sms(to=user.mobile, body_text=text[:320])
        return 1
    return 0


def unread_count(user):
    return Notification.objects(recipient=user.id, read_at=None).count()
