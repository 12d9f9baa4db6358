"""Session housekeeping: drop login records and one-time code steps past their expiry."""

from celery import shared_task

from app.security.sessions import purge_expired
from app.services import mobile_codes


@shared_task(name="sessions.purge-expired")
def purge_expired_sessions():
    return purge_expired() + mobile_codes.purge_expired()
