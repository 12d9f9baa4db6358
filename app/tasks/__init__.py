"""Celery, bound to the Flask app: every task runs inside an app context and receives ids.

The beat schedule is static and declared here with explicit names. Any number of beat processes
may run (one per host): RedBeat's lock in Redis lets exactly one of them schedule (config.py).
"""

import logging
from datetime import timedelta

from celery import Celery, Task
from celery.schedules import crontab

log = logging.getLogger(__name__)

BEAT_SCHEDULE = {
    "sessions-purge-expired": {
        "task": "sessions.purge-expired",
        "schedule": timedelta(hours=1),
    },
    "mail-requeue-stuck": {
        "task": "mail.requeue-stuck",
        "schedule": timedelta(minutes=2),
    },
    "audit-seal": {
        "task": "audit.seal",
        "schedule": timedelta(minutes=1),
    },
    "audit-purge": {
        "task": "audit.purge",
        "schedule": crontab(hour=3, minute=15),
    },
    "uploads-purge-orphans": {
        "task": "uploads.purge-orphans",
        "schedule": timedelta(hours=1),
    },
    # Every SWEEP_INTERVAL_SECONDS (60; the test stack sweeps every few seconds so that its
    # one-minute deadlines are met without waiting for minute ticks): see schedule_for().
    "deadlines-sweep": {
        "task": "deadlines.sweep",
        "schedule": timedelta(minutes=1),
    },
    # Every minute, or every EVENT_REQUEUE_AFTER_SECONDS when that is shorter (the crash tests
    # use 5 s, so a lost event is queued again within seconds): see schedule_for().
    # The supervisors' and the open data's monthly totals (services.stats).
    "stats-fold": {
        "task": "stats.fold",
        "schedule": timedelta(minutes=1),
    },
    "events-requeue-pending": {
        "task": "events.requeue-pending",
        "schedule": timedelta(minutes=1),
    },
    "exports-tidy": {
        "task": "exports.tidy",
        "schedule": timedelta(minutes=10),
    },
    "central-pull": {
        "task": "central.pull",
        "schedule": timedelta(minutes=5),
    },
    "open-data-publish": {
        "task": "open-data.publish",
        "schedule": crontab(hour=2, minute=30),
    },
    # 08:00 in Asia/Kolkata (the Celery timezone), before the morning roll call.
    "digests-daily": {
        "task": "digests.daily",
        "schedule": crontab(hour=8, minute=0),
    },
}


def schedule_for(config):
    """BEAT_SCHEDULE with the sweep's and the event requeue's periods from the configuration."""
    schedule = {name: dict(entry) for name, entry in BEAT_SCHEDULE.items()}
    schedule["deadlines-sweep"]["schedule"] = timedelta(seconds=config["SWEEP_INTERVAL_SECONDS"])
    requeue = min(60, max(1, config["EVENT_REQUEUE_AFTER_SECONDS"]))
    schedule["events-requeue-pending"]["schedule"] = timedelta(seconds=requeue)
    return schedule


def queue_or_leave(task, ident, what):
    """Queue `task(ident)`; if the broker is down, log and leave it: the thing is saved in the
    database and a beat requeue task (mail.requeue-stuck, events.requeue-pending) queues it."""
    from kombu.exceptions import OperationalError

    try:
        task.delay(ident)
    except OperationalError:
        log.warning("broker unavailable; %s %s left for requeue", what, ident)


def celery_init_app(app):
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    settings = dict(app.config["CELERY"])
    redis_url = app.config.get("REDIS_URL") or "memory://"
    settings["broker_url"] = settings.get("broker_url") or redis_url
    settings["redbeat_redis_url"] = settings.get("redbeat_redis_url") or settings["broker_url"]
    settings["result_backend"] = settings.get("result_backend") or None
    settings.setdefault("beat_schedule", schedule_for(app.config))
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(settings)
    celery_app.set_default()
    app.extensions["celery"] = celery_app

    from . import (  # noqa: F401
        accounts,
        audit,
        deadlines,
        exports,
        mail,
        notifications,
        registers,
        sessions,
        uploads,
    )

    mail.connect_signals(app)
    notifications.connect_signals(app)
    exports.connect_signals(app)
    return celery_app
