"""Account rules: completing a registration, approving organisations, staff and their roles.

A staff member's roles are derived from their active postings (sync_roles); citizens get the
`citizen` role on registration and organisations the `organisation` role only once a state
administrator of their state approves them.
"""

import secrets
from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_security import hash_password

from app.models import OrganisationProfile, Posting, Role, State, User
from app.models.accounts import (
    ACCOUNT_CITIZEN,
    ACCOUNT_ORGANISATION,
    ACCOUNT_STAFF,
    APPROVAL_APPROVED,
    APPROVAL_PENDING,
    APPROVAL_REJECTED,
    ORGANISATION_KINDS,
)

from . import access, audit

CITIZEN_ROLE = "citizen"
ORGANISATION_ROLE = "organisation"


class AccountError(ValueError):
    """A rule of accounts was broken; `field` names the input at fault."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def complete_registration(user, form_data, language=None):
    """Apply what the registration form chose; grants `citizen`, never a staff role. `language`
    is the one the person registered in: their emails and SMS speak it from the first."""
    state = State.objects(code=str(form_data.get("home_state") or "")).first()
    user.state = state
    if language:
        user.language = language
    if form_data.get("applicant_type") == ACCOUNT_ORGANISATION:
        kind = str(form_data.get("organisation_kind") or "")
        if kind not in ORGANISATION_KINDS:
            raise AccountError("Unknown kind of organisation.", "organisation_kind")
        user.account_type = ACCOUNT_ORGANISATION
        user.organisation = OrganisationProfile(
            kind=kind,
            name=str(form_data.get("organisation_name") or "").strip()[:200],
            status=APPROVAL_PENDING,
        )
        user.roles = []
    else:
        user.account_type = ACCOUNT_CITIZEN
        user.roles = [Role.objects.get(name=CITIZEN_ROLE)]
    user.save()
    audit.record("register", actor=user, target=user, state=state, account_type=user.account_type)
    return user


def decide_organisation(organisation_user, actor, approve, remarks=""):
    """Approve or reject a pending organisation account. The caller has checked scope."""
    profile = organisation_user.organisation
    if organisation_user.account_type != ACCOUNT_ORGANISATION or profile is None:
        raise AccountError("This account is not an organisation.")
    if profile.status != APPROVAL_PENDING:
        raise AccountError("This organisation has already been decided.")
    decision = {
        "set__organisation__status": APPROVAL_APPROVED if approve else APPROVAL_REJECTED,
        "set__organisation__decided_by": actor,
        "set__organisation__decided_at": datetime.now(UTC),
        "set__organisation__remarks": (remarks or "")[:500],
    }
    if approve:
        decision["add_to_set__roles"] = Role.objects.get(name=ORGANISATION_ROLE)
    # Written only over a pending profile: two administrators deciding at once cannot both
    # land (the second is told it was decided), and nothing else on the account is rewritten.
    if not User.objects(id=organisation_user.id, organisation__status=APPROVAL_PENDING).update_one(
        **decision
    ):
        raise AccountError("This organisation has already been decided.")
    organisation_user.reload()
    audit.record(
        "organisation_approved" if approve else "organisation_rejected",
        actor=actor,
        target=organisation_user,
        state=organisation_user.state,
    )
    return organisation_user


def stamp_posting_change(posting, actor, reason):
    """Record who changed a posting and why; True when it now waits for a second administrator.

    An administrator cannot widen her own powers alone: a posting of her own that is (still)
    active after her change takes effect only when another administrator of the state approves
    it (decide_posting). Ending her own posting needs nobody.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AccountError(_l("Say why this posting is made or changed."), "reason")
    posting.reason = reason[:500]
    posting.requested_by = actor
    if posting.user.id == actor.id and posting.active:
        posting.approval = APPROVAL_PENDING
        posting.decided_by = None
        return True
    posting.approval = APPROVAL_APPROVED
    posting.decided_by = actor
    return False


def decide_posting(posting, actor, approve):
    """A second administrator approves or refuses a pending posting; audited, roles re-synced."""

    if posting.approval != APPROVAL_PENDING:
        raise AccountError(_l("This posting is not waiting for approval."), "approval")
    if actor.id in (posting.user.id, getattr(posting.requested_by, "id", None)):
        raise AccountError(_l("Another administrator must approve this posting."), "approval")
    if not access.may(actor, "staff.manage", posting):
        raise AccountError(_l("You may not approve postings here."), "approval")
    decision = APPROVAL_APPROVED if approve else APPROVAL_REJECTED
    updated = Posting.objects(id=posting.id, approval=APPROVAL_PENDING).modify(
        new=True, set__approval=decision, set__decided_by=actor
    )
    if updated is None:
        raise AccountError(_l("This posting is not waiting for approval."), "approval")
    sync_roles(updated.user)
    audit_posting("posting.approved" if approve else "posting.rejected", updated, actor)
    return updated


def audit_posting(action, posting, actor):
    """One audit event for a posting change: who, whose posting, which role, and why."""
    audit.record(
        action,
        actor=actor,
        target=posting,
        state=posting.state,
        user=posting.user.id,
        role=posting.role.name,
        active=posting.active,
        approval=posting.approval,
        reason=posting.reason,
    )


def sync_roles(user):
    """Set a staff member's roles to those of their active postings."""
    postings = [p for p in Posting.objects(user=user.id, active=True) if p.in_force]
    staff_roles = {posting.role.id: posting.role for posting in postings}
    kept = [role for role in user.roles if not role.is_staff]
    user.roles = kept + list(staff_roles.values())
    if postings and user.account_type == ACCOUNT_STAFF:
        user.state = postings[0].state
    user.save()
    return user


def new_staff_user(*, email, full_name, mobile=None, state=None, password=None):
    """A staff account made by an administrator: confirmed, no roles until posted.

    Without a password it gets an unguessable one; the person sets their own through the
    password-reset email the admin view sends.
    """
    if User.objects(email=email.lower()).first():
        raise AccountError("An account with this email already exists.", "email")
    user = current_app.extensions["security"].datastore.create_user(
        email=email.lower(),
        full_name=full_name,
        mobile=mobile or None,
        state=state,
        account_type=ACCOUNT_STAFF,
        password=hash_password(password or secrets.token_urlsafe(24)),
        confirmed_at=datetime.now(UTC),
        roles=[],
    )
    return user


def backfill_email_keys():
    """Give accounts written before `email_key` existed their key (idempotent; run by seed)."""
    from app.models.accounts import email_key

    done = 0
    for user in User.objects(email_key=None).only("id", "email"):
        done += User.objects(id=user.id).update_one(set__email_key=email_key(user.email))
    return done
