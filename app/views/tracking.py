"""The applicant's side of a request: my requests, one request with its timeline and actions,
and public tracking by number (no login, no personal data)."""

from bson import ObjectId
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required

from app.i18n import current_language
from app.models import Fir, IssuedDocument, ServiceRequest
from app.models.base import stored_id
from app.services import (
    appeals,
    catalogue,
    deadlines,
    forms,
    numbering,
    payments,
    service_types,
    transfers,
    workflow,
)
from app.services import firs as fir_service
from app.services import requests as request_service
from app.services.appeals import AppealError

from .transition_form import apply_posted_transition

bp = Blueprint("tracking", __name__)
PAGE = 20


def _mine(number):
    """The caller's own request (applicants see only theirs here; officers use the admin)."""
    try:
        numbering.parse(number)
    except numbering.MalformedNumber:
        abort(404)
    found = ServiceRequest.objects(number=number.upper(), applicant=current_user.id).first()
    return found or abort(404)


@bp.get("/my/requests")
@auth_required("session")
def mine():
    query = ServiceRequest.objects(applicant=current_user.id).order_by("-id")
    cursor = request.args.get("after", "", type=str)
    if cursor and ObjectId.is_valid(cursor):
        query = query.filter(id__lt=ObjectId(cursor))
    page = list(query.limit(PAGE + 1))
    rows = [(r, service_types.definition_of(r)) for r in page[:PAGE]]
    after = str(page[PAGE - 1].id) if len(page) > PAGE else None
    return render_template("tracking/mine.html", rows=rows, after=after, catalogue=catalogue)


@bp.get("/my/requests/<number>")
@auth_required("session")
def detail(number):
    return _detail_page(_mine(number))


def _detail_page(found, errors=None, code=200):
    definition = service_types.definition_of(found)
    language = current_language()
    fields = [
        (spec, forms.display(spec, found.data.get(spec["name"]), language))
        for spec in definition["fields"]
        if spec["type"] != "file" and spec["name"] in found.data
    ]
    return render_template(
        "tracking/detail.html",
        r=found,
        d=definition,
        info=catalogue.state_info(definition, found.status),
        fields=fields,
        actions=workflow.available_actions(found, current_user),
        submitted=request.args.get("submitted") == "1",
        next_tier=_next_tier(definition, found),
        issues_document=any(s.get("issues") for s in definition["workflow"]["states"].values()),
        status=request_service.public_status(found, language),
        appeals=sorted(appeals.appeals_of(found).values(), key=lambda a: a.level),
        documents=list(IssuedDocument.objects(request=found.id)),
        firs=list(Fir.objects(complaint=found.id, complainant=current_user.id)),
        fir_status=fir_service.status_text,
        appeal_open=appeals.eligibility(found),
        can_rate=appeals.can_rate(found),
        transfer_stations=transfers.stations_to(found)
        if transfers.may_ask(current_user, found)
        else [],
        errors=errors or {},
        pay_url=_pay_url(found),
    ), code


def _pay_url(found):
    """Where the applicant pays an outstanding fee online, when a gateway is configured."""
    gateway = payments.gateway()
    if gateway is None or found.fee is None or not found.fee.outstanding or found.closed_at:
        return None
    if stored_id(found, "applicant") != current_user.id:
        return None
    return gateway.checkout_url(found)


def _next_tier(definition, found):
    """The authority a request goes to if its present deadline passes, or None at the top."""
    tiers = deadlines.chain(definition)
    level = found.escalation_level or 0
    return tiers[level + 1]["role"] if len(tiers) > level + 1 else None


@bp.post("/my/requests/<number>/appeal")
@auth_required("session")
def appeal(number):
    """File the first (or second) appeal the request allows now."""
    found = _mine(number)
    try:
        filed = appeals.file(found, current_user, request.form.get("text", ""))
    except AppealError as error:
        return _detail_page(found, error.errors, error.http_status)
    flash(_("Your appeal %(number)s has been filed.", number=filed.number), "success")
    return redirect(url_for("tracking.detail", number=found.number))


@bp.post("/my/requests/<number>/transfer")
@auth_required("session")
def ask_transfer(number):
    """The applicant asks for the request to go to another station; the SHO decides."""
    found = _mine(number)
    try:
        transfers.propose(
            found,
            current_user,
            request.form.get("station", "", type=str),
            request.form.get("reason", "", type=str),
        )
    except transfers.TransferError as error:
        return _detail_page(found, error.errors, 400)
    except workflow.StaleState:
        flash(_("This request changed meanwhile. Look at it again."), "error")
    except workflow.WorkflowError:
        flash(_("A transfer cannot be asked for now."), "error")
    else:
        flash(_("Your request for a transfer has been sent to the police station."), "success")
    return redirect(url_for("tracking.detail", number=found.number))


@bp.post("/my/requests/<number>/rating")
@auth_required("session")
def rate(number):
    found = _mine(number)
    try:
        _rated, opened = appeals.rate(
            found, current_user, request.form.get("score", ""), request.form.get("comment", "")
        )
    except AppealError as error:
        return _detail_page(found, error.errors, error.http_status)
    flash(_("Thank you for your rating."), "success")
    if opened is not None:
        flash(_("Your appeal %(number)s has been filed.", number=opened.number), "success")
    return redirect(url_for("tracking.detail", number=found.number))


@bp.get("/my/requests/<number>/acknowledgement.pdf")
@auth_required("session")
def acknowledgement(number):
    """The bilingual acknowledgement, with a QR code that opens the public status page."""
    from app.services import pdf

    found = _mine(number)
    status_url = url_for("tracking.track", number=found.number, _external=True)
    response = make_response(pdf.acknowledgement_pdf(found, status_url))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{found.number}.pdf"'
    return response


@bp.get("/my/requests/<number>/documents/<code>.pdf")
@auth_required("session")
def document_pdf(number, code):
    """A certificate, letter or card of the caller's request, with its verification QR code."""

    from .verify import document_download

    found = _mine(number)
    document = IssuedDocument.objects(code=code, request=found.id).first() or abort(404)
    return document_download(document, f"{found.number}-{document.kind}.pdf")


@bp.post("/my/requests/<number>/actions")
@auth_required("session")
def act(number):
    found = _mine(number)
    apply_posted_transition(found, current_user, request.form)
    return redirect(url_for("tracking.detail", number=found.number))


@bp.route("/my/requests/<number>/edit", methods=["GET", "POST"])
@auth_required("session")
def edit(number):
    """Change the answers while the request is still in a state the applicant may edit."""
    from .services import form_values, form_values_of, store_files

    found = _mine(number)
    definition = service_types.definition_of(found)
    if not catalogue.state_info(definition, found.status).get("editable_by_applicant"):
        flash(_("This request can no longer be changed."), "error")
        return redirect(url_for("tracking.detail", number=found.number))
    errors = {}
    values = form_values_of(found, definition)
    if request.method == "POST":
        values = form_values(definition)
        store_files(definition, values, errors)
        if not errors:
            try:
                request_service.edit(found, current_user, values, language=current_language())
            except request_service.SubmissionError as error:
                errors = error.errors
            except (request_service.NotAllowed, workflow.StaleState):
                flash(_("This request can no longer be changed."), "error")
                return redirect(url_for("tracking.detail", number=found.number))
            else:
                flash(_("Your changes are saved. The police station sees what changed."), "success")
                return redirect(url_for("tracking.detail", number=found.number))
    page = render_template(
        "services/apply.html",
        state=found.state,
        d=definition,
        values=values,
        errors={k: str(v) for k, v in errors.items()},
        step="form",
        stations=[],
        chosen_station="",
        form_action=url_for("tracking.edit", number=found.number),
        editing=found,
    )
    return page, 400 if errors else 200


@bp.route("/notifications", methods=["GET", "POST"])
@auth_required("session")
def notifications():
    from datetime import UTC, datetime

    from app.models import Notification

    if request.method == "POST":
        Notification.objects(recipient=current_user.id, read_at=None).update(
            set__read_at=datetime.now(UTC)
        )
        return redirect(url_for("tracking.notifications"))
    items = Notification.objects(recipient=current_user.id).order_by("-created_at").limit(100)
    return render_template("tracking/notifications.html", items=items)


@bp.get("/track")
def track():
    """One status search: a request by its number, or an FIR by station, year and number.
    Minimal fields, never personal data; a sensitive FIR is not found."""
    from .firs import find_public, fir_search_args, public_fir, stations_for_search

    searched_fir = request.args.get("search") == "fir"
    number = "" if searched_fir else request.args.get("number", "", type=str).strip().upper()[:40]
    # As people type it: without dashes, with spaces (the stored form has dashes).
    number = numbering.canonical(number) or number
    status, error, code = None, None, 200
    if number:
        try:
            found = request_service.find_by_number(
                number, only=request_service.PUBLIC_STATUS_FIELDS
            )
        except numbering.MalformedNumber:
            error, code = _("This is not a valid request number. Check it and try again."), 400
        else:
            if found is None:
                error, code = _("No request has this number."), 404
            else:
                viewer = current_user if current_user.is_authenticated else None
                status = request_service.public_status(found, current_language(), viewer)
    fir, fir_errors = None, {}
    if searched_fir:
        station, year, fir_number, fir_errors = fir_search_args(request.args)
        if fir_errors:
            code = 400
        else:
            found_fir = find_public(station, year, fir_number)
            if found_fir is None:
                fir_errors, code = {"number": _("No FIR open to the public has this number.")}, 404
            else:
                fir = public_fir(found_fir, current_language())
    return render_template(
        "tracking/track.html",
        number=number,
        status=status,
        error=error,
        fir=fir,
        fir_errors=fir_errors,
        searched_fir=searched_fir,
        stations=stations_for_search(),
        args=request.args,
    ), code
