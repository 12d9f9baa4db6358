"""Export tasks: write one requested CSV; every ten minutes, remove day-old ones and re-queue
forgotten ones."""

from datetime import UTC, datetime, timedelta

from celery import shared_task

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


def queue(job):
    queue_or_leave(run, str(job.id), "export")


@shared_task(name="open-data.publish")
def publish_open_data():
    """Rewrite the open-data files (daily, and after a deploy on first demand)."""
    from flask import current_app

    from app.services import open_data

    publisher = current_app.config.get("OPEN_DATA_PUBLISHER", "State Police")
    return open_data.publish_all(publisher)


@shared_task(name="central.pull")
def central_pull():
    """On a central instance, pull every configured state's register feed (every 5 minutes)."""
    from flask import current_app

    from app.services import feeds

    if current_app.config.get("DEPLOYMENT_LEVEL") != "central":
        return None
    return feeds.pull_all()
