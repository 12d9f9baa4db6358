"""Citizen pages of the service catalogue: the list, a service, its generated form, the charter.

The form is generated from the live definition; the same services.requests.submit used by the
API checks and saves it, after a review step.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required

from app.i18n import current_language
from app.models import District, PoliceStation, Posting, Role, ServiceRequest, State
from app.services import bulk, catalogue, drafts, forms, service_types, uploads
from app.services import requests as request_service
from app.services.field_types import OMIT, TYPES

bp = Blueprint("services", __name__)


def _state():
    code = request.args.get("state", "", type=str).strip().upper()[:2]
    if code:
        return State.objects(code=code).first() or abort(404)
    if current_user.is_authenticated and current_user.state:
        return current_user.state
    return State.objects.order_by("code").first() or abort(404)


def _service(state, code):
    return service_types.live(state, code[:40]) or abort(404)


@bp.get("/services")
def index():
    state = _state()
    return render_template(
        "services/index.html",
        state=state,
        states=State.objects.only("code", "name_en", "name_hi"),
        services=service_types.live_services(state),
    )


@bp.get("/services/<code>")
def detail(code):
    state = _state()
    live = _service(state, code)
    return render_template("services/detail.html", state=state, service=live, d=live.definition)


def form_values(definition):
    """The raw values of a posted service form, one per field, each read as its type says."""
    return {
        spec["name"]: TYPES[spec["type"]].from_form(request.form, spec["name"])
        for spec in definition["fields"]
    }


def form_values_of(found, definition, with_files=True):
    """A stored request's data as its form shows it (files by their upload ids, times as local
    input; an Aadhaar number is never put back). Without files for a new request."""
    values = dict(found.data)
    for spec in definition["fields"]:
        name = spec["name"]
        if spec["type"] == "file":  # files live in the request's attachments, not its data
            attached = next((a for a in found.attachments if a.field == name), None)
            values[name] = attached.file_id if attached and with_files else ""
        elif name in values:
            shown = TYPES[spec["type"]].to_form(values[name])
            if shown is OMIT:
                values.pop(name)
            else:
                values[name] = shown
    return {name: value for name, value in values.items() if value != ""}


def _answers_again(code, number):
    """The answers of the citizen's own closed request `number` of this service, to apply again
    with (tenant verification is filed every year for the same people), or {}."""
    found = ServiceRequest.objects(
        number=str(number).upper()[:40], applicant=current_user.id, service=code
    ).first()
    if found is None or found.closed_at is None:
        return {}
    return form_values_of(found, service_types.definition_of(found), with_files=False)


def store_files(definition, values, errors):
    """Save newly chosen files; their ids replace earlier uploads of the same field."""
    for spec in definition["fields"]:
        if spec["type"] != "file":
            continue
        file = request.files.get(spec["name"])
        if file is None or not file.filename:
            continue
        try:
            values[spec["name"]] = uploads.store(file.stream, file.filename, current_user).file_id
        except uploads.UploadError as error:
            errors[spec["name"]] = uploads.refusal(error)


def apply_steps(
    state,
    live,
    submit,
    form_action=None,
    extra_errors=None,
    desk=None,
    initial=None,
    draft_url=None,
):
    """The steps of a generated service form: fill in, check (review), submit. `submit(values,
    station)` saves the request (raising SubmissionError for bad answers); `extra_errors` are the
    caller's own fields' (the desk's walk-in contact). Returns (created, None) once submitted,
    else (None, the page to answer with)."""
    definition = live.definition
    stations = []
    if definition["routing"]["by"] == "applicant_choice":
        stations = PoliceStation.objects(state=state).only("code", "name_en", "name_hi")
    values, errors, step = dict(initial or {}), {}, "form"
    chosen = request.form.get("station", "", type=str) or values.pop("station", "")
    if request.method == "POST":
        values = form_values(definition)
        store_files(definition, values, errors)
        errors.update(extra_errors or {})
        station = request.form.get("station", "", type=str) or None
        if request.form.get("confirm") == "1" and not errors:
            try:
                return submit(values, station), None
            except request_service.SubmissionError as error:
                errors = error.errors
        elif not errors:
            clean, errors = forms.clean(definition, values, language=current_language())
            if not errors:  # each file's own type and size, now rather than after the review
                errors = uploads.attachments_for(
                    catalogue.field_map(definition), clean, current_user
                )[1]
            if not errors and definition["routing"]["by"] == "applicant_choice" and not station:
                errors = {"station": _("Choose the police station.")}
            if not errors and definition["routing"]["by"] == "pincode":
                serving = request_service.stations_serving(
                    clean.get(definition["routing"]["field"])
                )
                if len(serving) > 1:  # the PIN is shared: the citizen chooses between them
                    stations = serving
                    if station not in {s.code for s in serving}:
                        errors = {"station": str(request_service.two_stations_message(serving))}
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
        chosen_station=chosen,
        form_action=form_action,
        walk_in_form=extra_errors is not None,  # the desk's form asks for the walk-in's contact
        desk=desk,
        draft_url=draft_url,
    )
    return None, (page, 400 if errors else 200)


@bp.route("/services/<code>/apply", methods=["GET", "POST"])
@auth_required("session")
def apply(code):
    state = _state()
    live = _service(state, code)
    if not request_service.applicable_roles(live.definition, current_user):
        flash(_("Your account may not apply for this service."), "error")
        return redirect(url_for("services.detail", code=code, state=state.code))

    def submit(values, station):
        created = request_service.submit(
            current_user, code, values, station, language=current_language()
        )
        drafts.discard(current_user, code)
        return created

    again = request.args.get("again", "", type=str)
    initial = None
    if request.method == "GET" and again:
        initial = _answers_again(code, again)
        if initial:
            flash(_("Your earlier answers are filled in. Check them and attach the files again."))
    elif request.method == "GET":
        initial = drafts.load(current_user, code)
        if initial:
            flash(_("The answers you had typed are kept. Continue, or start again from empty."))
    created, page = apply_steps(
        state,
        live,
        submit,
        initial=initial,
        draft_url=url_for("services.save_draft", code=code),
    )
    if created is not None:
        return redirect(url_for("tracking.detail", number=created.number, submitted=1))
    return page


@bp.route("/services/<code>/bulk", methods=["GET", "POST"])
@auth_required("session")
def bulk_upload(code):
    """Many requests of one service from a CSV: a hotel's guest list as C-Forms (services.bulk)."""
    state = _state()
    live = _service(state, code)
    if not request_service.applicable_roles(live.definition, current_user):
        abort(403)
    result, errors, status = None, {}, 200
    if request.method == "POST":
        file = request.files.get("file")
        try:
            if file is None or not file.filename:
                raise bulk.BulkError({"file": _("Choose the CSV file.")})
            result = bulk.import_csv(
                current_user,
                live,
                file.read(bulk.MAX_BYTES + 1),
                mode=request.form.get("mode", "all", type=str),
                language=current_language(),
            )
        except bulk.BulkError as error:
            errors, status = {k: str(v) for k, v in error.errors.items()}, 400
        else:
            status = 200 if result["imported"] else 400
    columns = [s for s in live.definition["fields"] if TYPES[s["type"]].widget != "file"]
    return render_template(
        "services/bulk.html",
        state=state,
        d=live.definition,
        columns=columns,
        result=result,
        errors=errors,
        mode=request.form.get("mode", "all"),
    ), status


@bp.post("/services/<code>/draft")
@auth_required("session")
def save_draft(code):
    """Keep the form's answers as they are typed (site.js posts them); 204."""
    live = _service(_state(), code)
    if not request_service.applicable_roles(live.definition, current_user):
        abort(403)
    drafts.save(current_user, live.definition, request.form)
    return "", 204


@bp.post("/services/<code>/draft/discard")
@auth_required("session")
def discard_draft(code):
    drafts.discard(current_user, code[:40])
    return redirect(url_for("services.apply", code=code[:40]))


@bp.get("/charter")
def charter():
    """The Citizens Charter: each service's time limit and the officers responsible."""
    state = _state()
    station_code = request.args.get("station", "", type=str).strip()[:24]
    station = (
        PoliceStation.objects(code=station_code, state=state).first() if station_code else None
    )
    station = station or PoliceStation.objects(state=state).order_by("code").first()
    officers = _officers_for(station) if station else {}
    return render_template(
        "services/charter.html",
        state=state,
        station=station,
        stations=PoliceStation.objects(state=state).only("code", "name_en", "name_hi"),
        services=service_types.live_services(state),
        officers=officers,
        language=current_language(),
    )


def _officers_for(station):
    """Who answers for a station's services at each tier, with contact details."""
    district = District.objects(id=station.district.id).first()
    sho = Role.objects(name="sho").first()
    supervisor = Role.objects(name="district_supervisor").first()
    admin = Role.objects(name="state_admin").first()

    def posted(role, **where):
        posting = Posting.objects(role=role, active=True, **where).first()
        return posting.designation if posting and posting.designation else None

    return {
        "designated": {
            "title": posted(sho, station=station) or _("Station House Officer"),
            "place": station,
            "phone": station.phone,
            "email": station.email,
        },
        "competent": {
            "title": posted(supervisor, district=district) or _("District supervisory officer"),
            "place": district,
        },
        "appellate": {
            "title": posted(admin, state=station.state) or _("State police headquarters"),
            "place": station.state,
            "phone": station.state.helpline,
        },
    }
