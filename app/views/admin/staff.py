"""Admin views for people: users (staff accounts), postings, roles and organisation approvals.

Roles are never edited on a user: a posting gives its holder the posting's role, and an approval
gives an organisation the `organisation` role. Staff accounts are created here only.
"""

from flask import abort, flash, g
from flask_admin.actions import action
from flask_admin.babel import gettext as admin_gettext  # noqa: F401 — keeps Flask-Admin's domain loaded
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_security.recoverable import send_reset_password_instructions
from wtforms.validators import DataRequired, Length, ValidationError

from app.models import District, PoliceStation, Role, State, User
from app.models.accounts import ACCOUNT_ORGANISATION, ACCOUNT_STAFF, APPROVAL_PENDING
from app.security.forms import ORGANISATION_KIND_LABELS
from app.services import access, accounts

from ..filters import mask_mobile
from .base import (
    ReadOnlyModelView,
    ScopedModelView,
    has_permission,
    in_my_jurisdiction,
    localized_name,
)
from .fields import object_ids

USER_LABELS = {
    "email": _l("Email"),
    "full_name": _l("Full name"),
    "mobile": _l("Mobile"),
    "account_type": _l("Account type"),
    "roles": _l("Roles"),
    "active": _l("Active"),
    "state": _l("State"),
    "confirmed_at": _l("Email confirmed"),
    "last_login_at": _l("Last login"),
    "organisation": _l("Organisation"),
}


class UserView(ScopedModelView):
    view_permission = "staff.view"
    edit_permission = "staff.manage"
    column_list = ("email", "full_name", "account_type", "roles", "active", "last_login_at")
    column_details_list = (
        "email",
        "full_name",
        "mobile",
        "account_type",
        "state",
        "roles",
        "active",
        "confirmed_at",
        "last_login_at",
    )
    column_labels = USER_LABELS
    column_searchable_list = ("email", "full_name")
    column_formatters = {
        "account_type": lambda v, c, m, n: ACCOUNT_TYPE_LABELS.get(m.account_type, m.account_type),
        "mobile": lambda v, c, m, n: mask_mobile(m.mobile),
        "roles": lambda v, c, m, n: ", ".join(r.name for r in m.roles),
    }
    # No roles, password or account type here: see the module docstring.
    form_columns = ("email", "full_name", "mobile", "active")

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        del form.email  # the login identity is not changed from the admin
        return form

    def create_model(self, form):
        state = next(iter(access.scoped(State.objects, current_user)), None)
        try:
            user = accounts.new_staff_user(
                email=form.email.data,
                full_name=form.full_name.data,
                mobile=form.mobile.data,
                state=state,
            )
        except accounts.AccountError as error:
            flash(str(error), "error")
            return False
        if not form.active.data:
            user.modify(set__active=False)
        send_reset_password_instructions(user)
        self.after_model_change(form, user, True)
        flash(_("Staff account created. A link to set a password was emailed to them."), "success")
        return user


class PostingView(ScopedModelView):
    """Postings: every change says why; an administrator's own posting needs a second one.

    Not deletable: a posting ends by being made inactive, with its reason, so the trail keeps it.
    """

    view_permission = "staff.view"
    edit_permission = "staff.manage"
    allow_delete = False
    form_columns = (
        "user",
        "role",
        "designation",
        "station",
        "district",
        "state",
        "active",
        "start_date",
        "end_date",
        "reason",
    )
    form_args = {
        "reason": {
            "label": _l("Reason for this change"),
            "validators": [DataRequired(), Length(max=500)],
        }
    }
    column_list = (
        "user",
        "role",
        "designation",
        "station",
        "district",
        "state",
        "active",
        "approval",
        "start_date",
    )
    column_filters = ("approval", "active")
    column_formatters = dict(
        {place: localized_name(place) for place in ("station", "district", "state")},
        approval=lambda v, c, m, n: POSTING_APPROVAL_LABELS.get(m.approval, ""),
    )
    column_labels = {
        "user": _l("Officer"),
        "role": _l("Role"),
        "designation": _l("Designation"),
        "station": _l("Police station"),
        "district": _l("District"),
        "state": _l("State"),
        "active": _l("Active"),
        "start_date": _l("From"),
        "end_date": _l("Until"),
        "reason": _l("Reason for this change"),
        "approval": _l("Approval"),
    }
    reference_queries = {
        "user": in_my_jurisdiction(User, account_type=ACCOUNT_STAFF),
        "role": lambda: Role.objects(level__ne="none"),
        "station": in_my_jurisdiction(PoliceStation),
        "district": in_my_jurisdiction(District),
        "state": in_my_jurisdiction(State),
    }

    def on_model_change(self, form, model, is_created):
        model.clean()  # fills the wider jurisdiction from the narrower one
        if not access.within_scope(current_user, model.user):
            abort(403)
        super().on_model_change(form, model, is_created)
        try:
            # g, not self: one view object serves every thread of the worker.
            g.posting_pending = accounts.stamp_posting_change(model, current_user, form.reason.data)
        except accounts.AccountError as error:
            raise ValidationError(str(error)) from error

    def after_model_change(self, form, model, is_created):
        accounts.sync_roles(model.user)
        accounts.audit_posting(
            "posting.create" if is_created else "posting.update", model, current_user
        )
        if g.pop("posting_pending", False):
            flash(
                _(
                    "This posting is your own: it takes effect when another administrator "
                    "of the state approves it."
                ),
                "warning",
            )

    def _decide(self, ids, approve):
        if not has_permission(self.edit_permission):
            abort(403)
        decided = 0
        for posting in self.get_query().filter(id__in=object_ids(ids)):
            try:
                accounts.decide_posting(posting, current_user, approve)
                decided += 1
            except accounts.AccountError as error:
                flash(f"{posting}: {error}", "error")
        flash(_("%(count)d posting(s) decided.", count=decided), "success")

    @action("approve", _l("Approve"), _l("Approve the selected postings?"))
    def action_approve(self, ids):
        self._decide(ids, approve=True)

    @action("reject", _l("Refuse"), _l("Refuse the selected postings?"))
    def action_reject(self, ids):
        self._decide(ids, approve=False)


class RoleView(ReadOnlyModelView):
    view_permission = "staff.view"
    column_list = ("name", "level", "description", "permissions")
    column_labels = {
        "name": _l("Role"),
        "level": _l("Posted at"),
        "description": _l("Description"),
        "permissions": _l("Permissions"),
    }
    column_formatters = {"permissions": lambda v, c, m, n: ", ".join(m.permissions)}

    def get_query(self):
        return Role.objects  # roles are global and hold no personal data

    def get_one(self, id):
        return Role.objects(id=id).first() or abort(404)


STATUS_LABELS = {"pending": _l("Pending"), "approved": _l("Approved"), "rejected": _l("Rejected")}
POSTING_APPROVAL_LABELS = {
    "pending": _l("Awaiting a second administrator"),
    "approved": _l("Approved"),
    "rejected": _l("Refused"),
}
ACCOUNT_TYPE_LABELS = {
    "citizen": _l("Citizen"),
    "organisation": _l("Organisation"),
    "staff": _l("Police staff"),
}


class OrganisationView(ReadOnlyModelView):
    """Organisation accounts of the administrator's state, with approve / reject actions."""

    view_permission = "organisations.approve"
    column_list = (
        "organisation.name",
        "organisation.kind",
        "organisation.status",
        "email",
        "created_at",
    )
    column_labels = {
        "organisation.name": _l("Organisation"),
        "organisation.kind": _l("Kind"),
        "organisation.status": _l("Status"),
        "email": _l("Email"),
        "created_at": _l("Registered"),
    }
    column_default_sort = ("created_at", True)
    column_formatters = {
        "organisation.status": lambda v, c, m, n: STATUS_LABELS[m.organisation.status],
        "organisation.kind": lambda v, c, m, n: ORGANISATION_KIND_LABELS[m.organisation.kind],
    }

    def get_query(self):
        return super().get_query().filter(account_type=ACCOUNT_ORGANISATION)

    def _decide(self, ids, approve):
        decided = 0
        wanted = object_ids(ids)
        for user in self.get_query().filter(id__in=wanted, organisation__status=APPROVAL_PENDING):
            accounts.decide_organisation(user, current_user, approve)
            decided += 1
        skipped = len(ids) - decided
        flash(_("%(count)d organisation(s) decided.", count=decided), "success")
        if skipped:
            flash(_("%(count)d were not pending or not in your state.", count=skipped), "warning")

    @action("approve", _l("Approve"), _l("Approve the selected organisations?"))
    def action_approve(self, ids):
        self._decide(ids, approve=True)

    @action("reject", _l("Reject"), _l("Reject the selected organisations?"))
    def action_reject(self, ids):
        self._decide(ids, approve=False)


class AuditEventView(ReadOnlyModelView):
    view_permission = "audit.view"
    can_view_details = False
    column_list = ("at", "action", "actor", "object_type", "object_id")
    column_labels = {
        "at": _l("Time"),
        "action": _l("Action"),
        "actor": _l("By"),
        "object_type": _l("Object"),
        "object_id": _l("Object id"),
    }
    column_default_sort = ("at", True)
    column_filters = ("action",)
