"""One request id from the proxy through the web tier into the tasks it queues, on every log
line, and JSON log lines for operators (LOG_FORMAT=json).

The id is the proxy's `X-Request-ID` when it sends a sane one (nginx: `$request_id`), else a new
one; the answer carries it back. A task queued while serving a request carries it in its
headers, and the worker's log lines say it while the task runs. Log lines hold ids, numbers and
endpoints, never personal data (the services log none).
"""

import contextvars
import logging
import re
import uuid

from celery import signals as celery_signals
from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_task_request_id = contextvars.ContextVar("task_request_id", default=None)


def current_request_id():
    if has_request_context():
        return getattr(g, "request_id", None)
    return _task_request_id.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


def _take_request_id():
    given = request.headers.get(HEADER, "")
    g.request_id = given if SANE.match(given) else uuid.uuid4().hex


def _give_request_id(response):
    if getattr(g, "request_id", None):
        response.headers[HEADER] = g.request_id
    return response


@celery_signals.before_task_publish.connect
def _carry(headers=None, **_):
    rid = current_request_id()
    if rid and headers is not None:
        headers["request_id"] = rid


@celery_signals.task_prerun.connect
def _enter(task=None, **_):
    rid = getattr(task.request, "request_id", None) if task is not None else None
    if rid is None and task is not None:
        rid = (getattr(task.request, "headers", None) or {}).get("request_id")
    _task_request_id.set(rid)


@celery_signals.task_postrun.connect
def _leave(**_):
    _task_request_id.set(None)


_json = {"on": False}


def _dress(logger):
    """The request id on every line of `logger`'s handlers, as JSON when asked."""
    for handler in logger.handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        if _json["on"]:
            handler.setFormatter(
                JsonFormatter(
                    "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                    rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                )
            )


@celery_signals.after_setup_logger.connect
@celery_signals.after_setup_task_logger.connect
def _dress_celery(logger=None, **_):
    # A worker sets up its own handlers after the app is made: dress them too.
    if logger is not None:
        _dress(logger)


def configure_logging(app):
    """Every handler of the root logger gets the request id; LOG_FORMAT=json makes lines JSON."""
    _json["on"] = app.config.get("LOG_FORMAT") == "json"
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO)
    _dress(root)
    app.before_request_funcs.setdefault(None, []).insert(0, _take_request_id)
    app.after_request(_give_request_id)
