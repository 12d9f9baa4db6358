"""Email: queue into the outbox, then deliver once.

queue_email() writes the message and announces it (signals.email_queued → a Celery task);
deliver() claims it with a compare-and-set so a re-run task or a second worker sends nothing twice.
"""

import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from mongoengine.queryset.visitor import Q

from app import signals
from app.models import OutboxMessage
from app.models.outbox import (
    STATUS_FAILED,
    STATUS_HELD,
    STATUS_QUEUED,
    STATUS_SENDING,
    STATUS_SENT,
)
from app.services import engine, metrics, sms

MAX_ATTEMPTS = 5
# A claim older than this is taken to belong to a worker that died mid-delivery.
CLAIM_LEASE = timedelta(minutes=10)


class DeliveryError(Exception):
    """The mail server refused or could not be reached; the task retries."""


def queue_email(*, to, subject, body_text, body_html=None, template=None, key=None):
    """`key` names the (event, recipient, channel) a notification is for; the caller claimed it."""
    message = OutboxMessage(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        template=template,
        key=key,
    ).save()
    sender = current_app._get_current_object()  # type: ignore[attr-defined]  # the app behind the proxy
    signals.email_queued.send(sender, message_id=str(message.id))
    return message


def queue_sms(*, to, body_text, key=None, template="sms", dlt_template_id=None):
    """An SMS, delivered through services.sms's gateway (in development: kept in the outbox).
    Its text and DLT id come from services.sms_templates.render()."""
    message = OutboxMessage(
        channel="sms",
        to=to,
        subject="SMS",
        body_text=body_text,
        template=template,
        key=key,
        dlt_template_id=dlt_template_id,
    ).save()
    sender = current_app._get_current_object()  # type: ignore[attr-defined]  # the app behind the proxy
    signals.email_queued.send(sender, message_id=str(message.id))
    return message


def _claim(message_id, now):
    """The message if this worker may deliver it now: queued, or sending under an expired lease.

    The attempt itself is claimed with services.claims (atomic on every backend), so two workers
    never send the same attempt; a filtered findAndModify alone is not atomic on FerretDB 1.24.
    """
    stale = now - CLAIM_LEASE
    message = OutboxMessage.objects(
        Q(id=message_id)
        & (Q(status=STATUS_QUEUED) | (Q(status=STATUS_SENDING) & Q(claimed_at__lte=stale)))
    ).first()
    if message is None:
        return None
    return engine.write_status(
        message,
        STATUS_SENDING,
        claim=f"mail:{message.id}:{message.attempts + 1}",
        set__claimed_at=now,
        set__attempts=message.attempts + 1,
    )


def deliver(message_id, now=None):
    """Deliver one queued message; returns the message, or None when another run took it."""
    now = now or datetime.now(UTC)
    message = _claim(message_id, now)
    if message is None:
        return None
    if (
        message.channel == "sms"
        and not message.dlt_template_id
        and current_app.config.get("SMS_REQUIRE_DLT")
    ):
        # Operators drop an SMS without a registered template; say why, retry nothing.
        engine.write_status(message, STATUS_HELD, set__last_error="no DLT template id")
        return message
    try:
        if message.channel == "sms":
            sms.gateway().send(message.to, message.body_text or "", message.dlt_template_id)
        elif current_app.config["MAIL_BACKEND"] == "smtp":
            _send_smtp(message)
    except (OSError, smtplib.SMTPException, sms.SmsError) as error:
        metrics.DELIVERY_FAILURES.labels(channel=message.channel or "email").inc()
        status = STATUS_FAILED if message.attempts >= MAX_ATTEMPTS else STATUS_QUEUED
        engine.write_status(message, status, set__last_error=type(error).__name__)
        raise DeliveryError(str(message.id)) from error
    # Over "sending" as claimed: a run that took it over after our lease ran out writes nothing.
    engine.write_status(message, STATUS_SENT, set__sent_at=now, unset__last_error=True)
    return message


def _send_smtp(message):
    config = current_app.config
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = config["SECURITY_EMAIL_SENDER"]
    email["To"] = message.to
    email.set_content(message.body_text or "")
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def stuck_messages(now=None, older_than=timedelta(minutes=2)):
    """Ids of queued messages whose delivery task seems lost (e.g. the broker was down)."""
    now = now or datetime.now(UTC)
    return [
        str(m["_id"])
        for m in OutboxMessage.objects(status=STATUS_QUEUED, created_at__lte=now - older_than)
        .only("id")
        .limit(500)
        .as_pymongo()
    ]
