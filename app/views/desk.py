"""Assisted filing at the station desk or a Common Service Centre (services.assisted): the
service list, the citizen's form with the walk-in citizen's contact, a review step, and the
acknowledgement to hand over; and the citizen's claim of such a request in their account."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required

from app.i18n import current_language
from app.models import PoliceStation, ServiceRequest
from app.models.base import stored_id
from app.services import access, assisted, service_types
from app.services import requests as request_service
from app.services.assisted import ClaimError

from .services import apply_steps

bp = Blueprint("desk", __name__)


def _operator_state():
    """The state whose catalogue the desk files in: the operator's, else their postings'."""
    if not assisted.may_file(current_user):
        abort(403)
    if current_user.state is not None:
        return current_user.state
    station = access.scoped(PoliceStation.objects, current_user).only("state").first()
    return station.state if station is not None else abort(403)


def _citizen_services(state):
    return [
        live
        for live in service_types.live_services(state)
        if "citizen" in live.definition["applicants"]
    ]


@bp.get("/desk")
@auth_required("session")
def index():
    state = _operator_state()
    return render_template("desk/index.html", state=state, services=_citizen_services(state))


@bp.route("/desk/<code>", methods=["GET", "POST"])
@auth_required("session")
def file(code):
    """The service's own form with the walk-in citizen's contact; review, then file."""
    state = _operator_state()
    live = service_types.live(state, code[:40]) or abort(404)
    if "citizen" not in live.definition["applicants"]:
        abort(404)
    walk_in, walk_in_errors = assisted.walk_in_from(request.form)

    def submit(values, station):
        try:
            return assisted.file(
                current_user, code, values, walk_in, station, language=current_language()
            )
        except request_service.NotAllowed:
            abort(403)

    created, page = apply_steps(
        state,
        live,
        submit,
        form_action=url_for("desk.file", code=code),
        extra_errors=walk_in_errors,
        desk=walk_in if request.method == "POST" else None,
    )
    if created is not None:
        return redirect(url_for("desk.done", number=created.number))
    return page


@bp.get("/desk/done/<number>")
@auth_required("session")
def done(number):
    """The acknowledgement the desk hands over (or prints): only to whoever filed it."""
    _operator_state()
    found = ServiceRequest.objects(number=number.upper()[:40]).first()
    if found is None or stored_id(found, "filed_by") != current_user.id:
        abort(404)
    status = request_service.public_status(found, current_language(), None)
    return render_template("desk/done.html", request_=found, status=status)


@bp.route("/my/claim", methods=["GET", "POST"])
@auth_required("session")
def claim():
    """A citizen claims a request filed for them at a desk, with the code the SMS gave."""
    errors, code = {}, 200
    if request.method == "POST":
        try:
            claimed = assisted.claim(
                current_user,
                request.form.get("number", "", type=str)[:40],
                request.form.get("code", "", type=str)[:20],
            )
        except ClaimError as error:
            errors, code = {k: str(v) for k, v in error.errors.items()}, error.http_status
        else:
            flash(_("Request %(number)s is now in your account.", number=claimed.number))
            return redirect(url_for("tracking.detail", number=claimed.number))
    return render_template("desk/claim.html", errors=errors, form=request.form), code
