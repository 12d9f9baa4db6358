"""Mail delivery tasks: deliver one outbox message by id; re-dispatch messages left queued."""

from celery import shared_task

from app import signals
from app.services import mail
from app.tasks import queue_or_leave


@shared_task(
    name="mail.deliver",
    autoretry_for=(mail.DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=mail.MAX_ATTEMPTS,
)
def deliver_email(message_id):
    mail.deliver(message_id)


@shared_task(name="mail.requeue-stuck")
def requeue_stuck():
    ids = mail.stuck_messages()
    for message_id in ids:
        deliver_email.delay(message_id)
    return len(ids)


def _on_email_queued(sender, message_id, **_):
    queue_or_leave(deliver_email, message_id, "outbox message")


def connect_signals(app):
    signals.email_queued.connect(_on_email_queued, app)
