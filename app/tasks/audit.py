"""The audit chain's upkeep: seal new events every minute, purge past the retention daily.

One sealer at a time: a Redis lock (expiring, so a sealer that died frees it) keeps two runs
from giving places in the chain at once; the unique chain index would stop the second anyway,
but it would leave its run half done.
"""

import redis
from celery import shared_task
from flask import current_app

from app.services import audit_chain

LOCK_SECONDS = 55


@shared_task(name="audit.seal")
def seal_audit_events():
    url = current_app.config.get("REDIS_URL")
    if not url:  # unit tests, eager tasks: nothing runs beside us
        return _seal_all()
    lock = redis.Redis.from_url(url).lock("audit:seal", timeout=LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        return 0
    try:
        return _seal_all()
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:
            pass  # expired while sealing; the next run carries on


def _seal_all():
    # Events a few seconds old only: one still being written by a slow request lands next time.
    return audit_chain.seal_all(settle_seconds=5)


@shared_task(name="audit.purge")
def purge_audit_events():
    return audit_chain.purge(current_app.config["AUDIT_RETENTION_DAYS"])
