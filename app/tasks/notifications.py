"""Notification tasks: process one recorded request event by key; re-queue the forgotten ones.

Both are idempotent (services.events, services.notify): a redelivered or re-queued event sends
nothing twice.
"""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from app import signals
from app.services import events

log = logging.getLogger(__name__)


@shared_task(name="notifications.request-event")
def request_event(key):
    return events.process(key)


@shared_task(name="events.requeue-pending")
def requeue_pending():
    keys = events.pending()
    for key in keys:
        request_event.delay(key)
    return len(keys)


def _on_request_event(sender, key, **_):
    try:
        request_event.delay(key)
    except OperationalError:
        # The broker is down: the event is saved, and events.requeue-pending queues it later.
        log.warning("broker unavailable; request event %s left for requeue", key)


def connect_signals(app):
    signals.request_event.connect(_on_request_event, app)
