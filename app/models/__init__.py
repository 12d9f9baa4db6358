"""mongoengine documents, one module per domain; import them from here."""

from .accounts import OrganisationProfile, Posting, Role, User, UserSession
from .audit import AuditEvent
from .jurisdictions import District, Holiday, PoliceStation, State
from .outbox import OutboxMessage

__all__ = [
    "AuditEvent",
    "District",
    "Holiday",
    "OrganisationProfile",
    "OutboxMessage",
    "PoliceStation",
    "Posting",
    "Role",
    "State",
    "User",
    "UserSession",
]

ALL_DOCUMENTS = (
    State,
    District,
    PoliceStation,
    Holiday,
    Role,
    User,
    Posting,
    UserSession,
    AuditEvent,
    OutboxMessage,
)
