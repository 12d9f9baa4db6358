"""The deadline sweep and the statistics fold (every minute, on the sweep queue) and the daily
digest for SHOs and supervisors."""

from celery import shared_task

from app.services import digest, stats, sweep


@shared_task(name="deadlines.sweep")
def sweep_deadlines():
    return sweep.run()


@shared_task(name="stats.fold")
def fold_statistics():
    return stats.fold()


@shared_task(name="digests.daily")
def daily_digest():
    return digest.send_daily()
