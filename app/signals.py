"""Domain signals. Side effects (mail, notifications) hang off these, in Celery tasks by id."""

from blinker import Namespace

_signals = Namespace()

email_queued = _signals.signal("email-queued")
request_event = _signals.signal("request-event")  # a RequestEvent was recorded (by key)
export_requested = _signals.signal("export-requested")  # an ExportJob was saved, queued (by id)
