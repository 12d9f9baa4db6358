"""Export tasks: write one requested CSV; every ten minutes, remove day-old ones and re-queue
forgotten ones."""

from datetime import UTC, datetime, timedelta

from celery import shared_task

from app import signals
from app.models import ExportJob
from app.services import exports
from app.tasks import queue_or_leave


@shared_task(name="exports.run")
def run(job_id):
    job = exports.run(job_id)
    return job.status if job else None


@shared_task(name="exports.tidy")
def tidy():
    """Purge day-old exports; queue again a job that has waited for minutes (its task was lost
    while the broker was down)."""
    removed = exports.purge()
    stale = datetime.now(UTC) - timedelta(minutes=5)
    for job in ExportJob.objects(status="queued", created_at__lt=stale).only("id"):
        queue_or_leave(run, str(job.id), "export")
    return removed


def _on_export_requested(sender, job_id, **_):
    queue_or_leave(run, job_id, "export")


def connect_signals(app):
    signals.export_requested.connect(_on_export_requested, app)
