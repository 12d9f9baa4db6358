"""The audit chain's upkeep: seal new events every minute, purge past the retention daily."""

from celery import shared_task
from flask import current_app

from app.services import audit_chain


@shared_task(name="audit.seal")
def seal_audit_events():
    # Events a few seconds old only: one still being written by a slow request lands next time.
    total = 0
    while True:
        sealed = audit_chain.seal(settle_seconds=5)
        total += sealed
        if sealed < audit_chain.BATCH:
            return total


@shared_task(name="audit.purge")
def purge_audit_events():
    return audit_chain.purge(current_app.config["AUDIT_RETENTION_DAYS"])
