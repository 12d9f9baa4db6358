"""People and what they may do: users, roles with permission strings, staff postings, sessions.

Roles of staff come from their active postings (services.accounts.sync_roles); nobody edits a
user's role list directly in a form.
"""

import secrets
from datetime import UTC, datetime, timedelta

import mongoengine as me
from flask import current_app
from flask_security import RoleMixin, UserMixin

from .base import BaseDocument, as_utc, utcnow
from .jurisdictions import District, PoliceStation, State

__all__ = [
    "Role",
    "User",
    "OrganisationProfile",
    "Posting",
    "UserSession",
    "ApiToken",
    "LoginThrottle",
    "PhoneCode",
    "ACCOUNT_TYPES",
    "ORGANISATION_KINDS",
    "APPROVAL_STATUSES",
    "ROLE_LEVELS",
]

ACCOUNT_CITIZEN = "citizen"
ACCOUNT_ORGANISATION = "organisation"
ACCOUNT_STAFF = "staff"
ACCOUNT_TYPES = (ACCOUNT_CITIZEN, ACCOUNT_ORGANISATION, ACCOUNT_STAFF)

ORGANISATION_KINDS = ("hotel", "employer", "security_agency")

APPROVAL_PENDING = "pending"
APPROVAL_APPROVED = "approved"
APPROVAL_REJECTED = "rejected"
APPROVAL_STATUSES = (APPROVAL_PENDING, APPROVAL_APPROVED, APPROVAL_REJECTED)

# Where a posting with this role binds its holder.
LEVEL_NONE = "none"
LEVEL_STATION = "station"
LEVEL_DISTRICT = "district"
LEVEL_STATE = "state"
ROLE_LEVELS = (LEVEL_NONE, LEVEL_STATION, LEVEL_DISTRICT, LEVEL_STATE)

MOBILE_RE = r"^[6-9][0-9]{9}$"
INDIA_PREFIX = "+91"


class Role(BaseDocument, RoleMixin):
    name = me.StringField(required=True, unique=True, max_length=40)
    description = me.StringField(max_length=255)
    permissions = me.ListField(me.StringField(max_length=80), default=list)
    level = me.StringField(choices=ROLE_LEVELS, default=LEVEL_NONE)

    meta = {"collection": "roles", "ordering": ["name"], "strict": False}

    @property
    def is_staff(self):
        return self.level != LEVEL_NONE

    def __str__(self):
        return self.name


class OrganisationProfile(me.EmbeddedDocument):
    kind = me.StringField(required=True, choices=ORGANISATION_KINDS)
    name = me.StringField(required=True, max_length=200)
    registration_number = me.StringField(max_length=60)
    address = me.StringField(max_length=500)
    status = me.StringField(choices=APPROVAL_STATUSES, default=APPROVAL_PENDING)
    decided_by = me.ReferenceField("User")
    decided_at = me.DateTimeField()
    remarks = me.StringField(max_length=500)

    def __str__(self):
        return f"{self.name} ({self.kind}, {self.status})"


def email_key(email):
    """The form an email is looked up by: case-insensitive by equality, which an index serves
    (a case-insensitive regex, what Flask-Security would send, reads every account)."""
    return (email or "").strip().lower()


class User(BaseDocument, UserMixin):
    # Optional: a citizen may register with a verified mobile number alone.
    email = me.EmailField(unique=True, sparse=True, max_length=255)
    # email_key(email), kept by clean() on every save; sign-in, the login lock and password
    # resets find an account by it (User.with_email).
    email_key = me.StringField(max_length=255)
    password = me.StringField(max_length=255)
    full_name = me.StringField(max_length=120)
    mobile = me.StringField(regex=MOBILE_RE)
    # Flask-Security's unified sign-in: the mobile in E.164 ("+919810000001"), set only once a
    # code sent to it was typed back (services.mobile_codes), and the per-method code secrets.
    us_phone_number = me.StringField(unique=True, sparse=True, max_length=20)
    us_totp_secrets = me.StringField()
    mobile_verified_at = me.DateTimeField()
    # The last time-step each code secret was used at, so a code works once (security.codes).
    totp_counters = me.DictField()
    language = me.StringField(choices=("en", "hi"), default="en")
    account_type = me.StringField(choices=ACCOUNT_TYPES, default=ACCOUNT_CITIZEN)
    # Home state of a citizen or organisation; for staff, the state of their postings.
    state = me.ReferenceField(State)
    organisation = me.EmbeddedDocumentField(OrganisationProfile)

    active = me.BooleanField(default=True)
    fs_uniquifier = me.StringField(required=True, unique=True, max_length=64)
    fs_token_uniquifier = me.StringField(unique=True, sparse=True, max_length=64)
    confirmed_at = me.DateTimeField()
    roles = me.ListField(me.ReferenceField(Role), default=list)

    # Flask-Security tracking.
    last_login_at = me.DateTimeField()
    current_login_at = me.DateTimeField()
    last_login_ip = me.StringField(max_length=64)
    current_login_ip = me.StringField(max_length=64)
    login_count = me.IntField(default=0)

    # Two-factor (TOTP authenticator apps).
    tf_primary_method = me.StringField(max_length=64)
    tf_totp_secret = me.StringField(max_length=255)
    tf_phone_number = me.StringField(max_length=64)
    mf_recovery_codes = me.ListField(me.StringField(max_length=64))

    meta = {
        "collection": "users",
        "indexes": ["email_key", "state", "account_type", ("state", "organisation.status")],
        "ordering": ["email"],
        "strict": False,
    }
    __scope__ = {"state": "state"}

    def clean(self):
        self.email = self.email or None
        self.email_key = email_key(self.email) or None

    @classmethod
    def with_email(cls, email):
        """The accounts whose email is `email`, whatever its case (a queryset; none for none)."""
        key = email_key(email)
        return cls.objects(email_key=key) if key else cls.objects(id=None)

    @property
    def display_name(self):
        return self.full_name or self.email or self.masked_mobile

    @property
    def sms_mobile(self):
        """The mobile SMS may go to: only one the account's owner has shown they hold."""
        if self.mobile and self.us_phone_number == INDIA_PREFIX + self.mobile:
            return self.mobile
        return None

    @property
    def masked_mobile(self):
        return "XXXXXX" + self.mobile[-4:] if self.mobile else ""

    # API tokens: each carries an id recorded in ApiToken, so a token dies at logout, at a
    # password change and after an idle period, not only at its absolute expiry.
    def augment_auth_token(self, tdata):
        tdata["tid"] = secrets.token_urlsafe(16)
        ApiToken(tid=tdata["tid"], user=self).save()

    def verify_auth_token(self, tdata):
        now = datetime.now(UTC)
        idle = timedelta(minutes=current_app.config["TOKEN_IDLE_MINUTES"])
        record = ApiToken.objects(tid=str(tdata.get("tid", "")), user=self.id).first()
        if record is None or as_utc(record.last_used_at) + idle <= now:
            return False
        if as_utc(record.last_used_at) + TOUCH_EVERY <= now:
            # Bounded writes: a busy client touches its token once a minute, not per call.
            ApiToken.objects(id=record.id).update_one(set__last_used_at=now)
        return True

    def __str__(self):
        return self.email or self.masked_mobile or str(self.id)


# How stale a last-use time may be before it is written again (sessions and tokens).
TOUCH_EVERY = timedelta(minutes=1)


class ApiToken(me.Document):
    """One issued API token (by its random id, never the token itself)."""

    tid = me.StringField(required=True, unique=True, max_length=64)
    user = me.ReferenceField(User, required=True, reverse_delete_rule=me.CASCADE)
    created_at = me.DateTimeField(default=utcnow, required=True)
    last_used_at = me.DateTimeField(default=utcnow, required=True)

    meta = {"collection": "api_tokens", "indexes": ["user", "last_used_at"]}

    def __str__(self):
        return f"API token of {self.user}"


class Posting(BaseDocument):
    user = me.ReferenceField(User, required=True, reverse_delete_rule=me.CASCADE)
    role = me.ReferenceField(Role, required=True, reverse_delete_rule=me.DENY)
    designation = me.StringField(max_length=80)
    # Only the place the role needs is chosen; clean() fills the wider ones from it.
    state = me.ReferenceField(State, reverse_delete_rule=me.DENY)
    district = me.ReferenceField(District, reverse_delete_rule=me.DENY)
    station = me.ReferenceField(PoliceStation, reverse_delete_rule=me.DENY)
    active = me.BooleanField(default=True)
    start_date = me.DateField()
    end_date = me.DateField()
    # Why the posting was made or last changed (audited with who). A posting an administrator
    # makes for herself waits, inactive, for a second administrator of the state to approve it.
    reason = me.StringField(max_length=500)
    approval = me.StringField(choices=(APPROVAL_PENDING, APPROVAL_APPROVED, APPROVAL_REJECTED))
    requested_by = me.ReferenceField("User")
    decided_by = me.ReferenceField("User")

    meta = {
        "collection": "postings",
        "indexes": [("user", "active"), "state", "district", "station"],
        "ordering": ["-start_date"],
    }
    __scope__ = {"state": "state", "district": "district", "station": "station"}

    def clean(self):
        """Fill the wider jurisdiction from the narrower one and check the role's level."""
        errors = {}
        if self.station:
            self.district = self.station.district
            self.state = self.station.state
        elif self.district:
            self.state = self.district.state
        level = self.role.level if self.role else None
        if level == LEVEL_NONE:
            errors["role"] = "This role is not a staff role and cannot be posted."
        elif level == LEVEL_STATION and not self.station:
            errors["station"] = "A station role needs a police station."
        elif level == LEVEL_DISTRICT and not self.district:
            errors["district"] = "A district role needs a district."
        elif not self.state:
            errors["state"] = "A posting needs a state."
        if level == LEVEL_DISTRICT:
            self.station = None
        if level == LEVEL_STATE:
            self.station = None
            self.district = None
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The posting cannot end before it starts."
        if errors:
            raise me.ValidationError("Invalid posting", errors=errors)

    @property
    def in_force(self):
        """Active and not waiting for (or refused) a second administrator's approval."""
        return bool(self.active) and self.approval in (None, APPROVAL_APPROVED)

    @property
    def place(self):
        return self.station or self.district or self.state

    def __str__(self):
        return f"{self.user} — {self.role} @ {self.place}"


class UserSession(me.Document):
    """A server-side record of one login, so logout kills copies of the cookie too."""

    sid = me.StringField(required=True, unique=True)
    user = me.ReferenceField(User, required=True, reverse_delete_rule=me.CASCADE)
    created_at = me.DateTimeField(default=utcnow, required=True)
    expires_at = me.DateTimeField(required=True)
    last_seen_at = me.DateTimeField(default=utcnow, required=True)

    meta = {"collection": "user_sessions", "indexes": ["user", "expires_at"]}

    def __str__(self):
        return f"session of {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class LoginThrottle(me.Document):
    """Failed logins on one account name, from any address (keyed by a hash, not the email)."""

    key = me.StringField(required=True, unique=True, max_length=64)
    failures = me.IntField(default=0)
    first_failure_at = me.DateTimeField()
    locked_until = me.DateTimeField()
    owner_told_at = me.DateTimeField()

    meta = {"collection": "login_throttles", "indexes": ["first_failure_at"]}

    def __str__(self):
        return f"{self.failures} failed logins"


class PhoneCode(me.Document):
    """A one-time code sent by SMS to show a mobile is one's own (services.mobile_codes), or the
    record of a sign-in code's sending (kept only to count sends per number)."""

    token = me.StringField(required=True, unique=True, max_length=64)
    purpose = me.StringField(required=True, choices=("register", "verify", "sign_in"))
    mobile = me.StringField(required=True, regex=MOBILE_RE)
    user = me.ReferenceField(User, reverse_delete_rule=me.CASCADE)
    # For a registration: the answers given before the code (name, email, state, language).
    payload = me.DictField()
    code_hash = me.StringField(max_length=64)
    created_at = me.DateTimeField(default=utcnow, required=True)
    expires_at = me.DateTimeField(required=True)

    meta = {"collection": "phone_codes", "indexes": [("mobile", "created_at"), "expires_at"]}

    def __str__(self):
        return f"{self.purpose} code until {self.expires_at:%Y-%m-%d %H:%M}"
