"""Notification tasks: one per request event, by id; idempotent (see services.notify)."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from app import signals
from app.services import notify

log = logging.getLogger(__name__)


@shared_task(name="notifications.request-event")
def request_event(request_id, event, version):
    return notify.notify_request_event(request_id, event, version)


def _enqueue(request_id, event, version):
    try:
        request_event.delay(request_id, event, version)
    except OperationalError:
        # The broker is down; the event is lost for notifications only, the request is saved.
        log.warning("broker unavailable; notification for request %s not queued", request_id)


def _on_submitted(sender, request_id, version, **_):
    _enqueue(request_id, "submitted", version)


def _on_transitioned(sender, request_id, version, **_):
    _enqueue(request_id, "transition", version)


def connect_signals(app):
    signals.request_submitted.connect(_on_submitted, app)
    signals.request_transitioned.connect(_on_transitioned, app)
