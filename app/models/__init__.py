"""mongoengine documents, one module per domain; import them from here."""

from .accounts import (
    ApiToken,
    LoginThrottle,
    OrganisationProfile,
    PhoneCode,
    Posting,
    Role,
    User,
    UserSession,
)
from .api_keys import ApiKey
from .appeals import Appeal
from .audit import AuditAnchor, AuditEvent
from .catalogue import ServiceType, ServiceTypeVersion
from .claims import Claim
from .clock import SweepCursor
from .documents import IssuedDocument
from .drafts import FormDraft
from .events import RequestEvent
from .exports import ExportJob
from .firs import Fir, LawSection
from .help import Faq, UsefulLink
from .jurisdictions import District, Holiday, PoliceStation, State
from .messages import NoticeTemplate, SmsTemplate
from .notifications import Notification
from .outbox import OutboxMessage
from .registers import CentralEntry, FeedCursor, RegisterEntry
from .requests import Counter, IdempotencyRecord, ServiceRequest
from .seniors import SeniorCitizen
from .stats import StatDirty, StatFact, StatTotal
from .uploads import Upload

__all__ = [
    "ApiKey",
    "SmsTemplate",
    "NoticeTemplate",
    "StatDirty",
    "StatFact",
    "StatTotal",
    "CentralEntry",
    "FeedCursor",
    "RegisterEntry",
    "Faq",
    "UsefulLink",
    "Fir",
    "LawSection",
    "ExportJob",
    "IssuedDocument",
    "FormDraft",
    "Appeal",
    "RequestEvent",
    "SeniorCitizen",
    "AuditEvent",
    "AuditAnchor",
    "Claim",
    "SweepCursor",
    "Counter",
    "IdempotencyRecord",
    "ServiceRequest",
    "ServiceType",
    "ServiceTypeVersion",
    "Upload",
    "District",
    "Holiday",
    "Notification",
    "OrganisationProfile",
    "OutboxMessage",
    "PoliceStation",
    "Posting",
    "Role",
    "State",
    "User",
    "UserSession",
    "ApiToken",
    "LoginThrottle",
    "PhoneCode",
]

ALL_DOCUMENTS = (
    SmsTemplate,
    NoticeTemplate,
    State,
    District,
    PoliceStation,
    Holiday,
    Role,
    User,
    Posting,
    UserSession,
    ApiToken,
    ApiKey,
    LoginThrottle,
    PhoneCode,
    AuditEvent,
    AuditAnchor,
    SweepCursor,
    OutboxMessage,
    ServiceType,
    ServiceTypeVersion,
    ServiceRequest,
    Counter,
    IdempotencyRecord,
    Upload,
    Claim,
    Notification,
    RequestEvent,
    Appeal,
    SeniorCitizen,
    IssuedDocument,
    FormDraft,
    ExportJob,
    LawSection,
    Fir,
    Faq,
    UsefulLink,
    RegisterEntry,
    CentralEntry,
    FeedCursor,
    StatFact,
    StatDirty,
    StatTotal,
)
