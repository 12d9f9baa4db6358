"""Session housekeeping: drop login records past their expiry."""

from celery import shared_task

from app.security.sessions import purge_expired


@shared_task(name="sessions.purge-expired")
def purge_expired_sessions():
    return purge_expired()
