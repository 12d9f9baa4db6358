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
from app.services import access, assisted, forms, service_types
from app.services import requests as request_service
from app.services.assisted import ClaimError

from .services import form_values, store_files

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
    state = _operator_state()
    live = service_types.live(state, code[:40]) or abort(404)
    definition = live.definition
    if "citizen" not in definition["applicants"]:
        abort(404)
    stations = []
    if definition["routing"]["by"] == "applicant_choice":
        stations = PoliceStation.objects(state=state).only("code", "name_en", "name_hi")
    values, errors, step = {}, {}, "form"
    walk_in, walk_in_errors = assisted.walk_in_from(request.form)
    if request.method == "POST":
        values = form_values(definition)
        store_files(definition, values, errors)  # the operator's uploads, attached on filing
        station = request.form.get("station", "", type=str) or None
        errors.update(walk_in_errors)
        if request.form.get("confirm") == "1" and not errors:
            try:
                created = assisted.file(
                    current_user, code, values, walk_in, station, language=current_language()
                )
            except request_service.SubmissionError as error:
                errors = error.errors
            except request_service.NotAllowed:
                abort(403)
            else:
                return redirect(url_for("desk.done", number=created.number))
        elif not errors:
            _clean, errors = forms.clean(definition, values, language=current_language())
            if not errors and definition["routing"]["by"] == "applicant_choice" and not station:
                errors = {"station": _("Choose the police station.")}
            if not errors:
                step = "review"
    page = render_template(
        "services/apply.html",
        state=state,
        service=live,
        d=definition,
        values=values,
        errors={k: str(v) for k, v in errors.items()},
        step=step,
        stations=stations,
        chosen_station=request.form.get("station", ""),
        form_action=url_for("desk.file", code=code),
        desk=walk_in if request.method == "POST" else None,
    )
    return page, 400 if errors else 200


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
