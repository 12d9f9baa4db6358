"""Uploads never attached to anything are deleted after a day."""

from celery import shared_task

from app.services import uploads


@shared_task(name="uploads.purge-orphans")
def purge_orphan_uploads():
    return uploads.purge_orphans()
