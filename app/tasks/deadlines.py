"""The deadline sweep (every minute) and the daily digest for SHOs and supervisors."""

from celery import shared_task

from app.services import digest, sweep


@shared_task(name="deadlines.sweep")
def sweep_deadlines():
    return sweep.run()


@shared_task(name="digests.daily")
def daily_digest():
    return digest.send_daily()
