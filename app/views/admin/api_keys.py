"""API keys in the admin: a state administrator issues a key to an approved organisation of the
state, scoped to services and stations; the key is shown on the page that issued it and never
again; keys are revoked here (services.api_keys)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.i18n import current_language
from app.models import ApiKey, PoliceStation, User
from app.models.accounts import ACCOUNT_ORGANISATION, APPROVAL_APPROVED
from app.models.base import stored_id
from app.models.jurisdictions import localized
from app.services import access, api_keys

from .base import SecuredView, state_services
from .fields import object_ids

MAX_KEYS = 200


class ApiKeysView(SecuredView, BaseView):
    view_permission = "api_keys.manage"

    def _state(self):
        return current_user.state or abort(403)

    def _page(self, issued=None, errors=None, status=200):
        """The keys and the issue form (kept filled in only when it was refused)."""
        state = self._state()
        language = current_language()
        keys = access.scoped(ApiKey.objects, current_user).order_by("-created_at").limit(MAX_KEYS)
        organisations = User.objects(
            state=state.id,
            account_type=ACCOUNT_ORGANISATION,
            organisation__status=APPROVAL_APPROVED,
        ).limit(MAX_KEYS)
        stations = PoliceStation.objects(state=state.id).only("code", "name_en", "name_hi")
        page = self.render(
            "admin/api_keys.html",
            keys=list(keys),
            organisations=list(organisations),
            services=state_services(),
            stations=[(s.code, localized(s, "name", language)) for s in stations],
            issued=issued,
            errors=errors or {},
            form=request.form if errors else MultiDict(),
        )
        return page, status

    @expose("/")
    def index(self):
        return self._page()

    @expose("/issue", methods=["POST"])
    def issue(self):
        ids = object_ids([request.form.get("owner", "", type=str)])
        owner = User.objects(id=ids[0]).first() if ids else None
        try:
            record, key = api_keys.issue(
                current_user,
                self._state(),
                name=request.form.get("name", "", type=str),
                owner=owner,
                services=request.form.getlist("services"),
                stations=request.form.getlist("stations"),
            )
        except api_keys.ApiKeyError as error:
            return self._page(errors={k: str(v) for k, v in error.errors.items()}, status=400)
        # Shown in this response only: never flashed (the session cookie is signed, not secret).
        return self._page(issued=(record, key))

    @expose("/revoke/<key_id>", methods=["POST"])
    def revoke(self, key_id):
        ids = object_ids([key_id])
        record = access.scoped(ApiKey.objects, current_user).filter(id__in=ids).first()
        if record is None or stored_id(record, "state") != self._state().id:
            abort(404)
        try:
            api_keys.revoke(record, current_user)
        except api_keys.ApiKeyError as error:
            flash(" ".join(str(m) for m in error.errors.values()), "error")
        else:
            flash(_("Key revoked: it authenticates nobody from now on."), "success")
        return redirect(url_for(".index"))
