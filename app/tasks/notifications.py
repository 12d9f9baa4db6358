"""Notification tasks: process one recorded request event by key; re-queue the forgotten ones.

Both are idempotent (services.events records, services.notify.process_event sends): a
redelivered or re-queued event sends nothing twice.
"""

from celery import shared_task

from app import signals
from app.services import events, notify
from app.tasks import queue_or_leave


@shared_task(name="notifications.request-event")
def request_event(key):
    return notify.process_event(key)


@shared_task(name="events.requeue-pending")
def requeue_pending():
    keys = events.pending()
    for key in keys:
        request_event.delay(key)
    return len(keys)


def _on_request_event(sender, key, **_):
    queue_or_leave(request_event, key, "request event")


def connect_signals(app):
    signals.request_event.connect(_on_request_event, app)
