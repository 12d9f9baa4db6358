"""The complainant's side of an FIR (confirm an e-FIR, follow the case, download the free copy)
and the public FIR status search (minimal; a sensitive FIR is "not found")."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required

from app.i18n import current_language
from app.models import PoliceStation
from app.services import documents, firs
from app.services.documents import DocumentError
from app.services.firs import FirError

from .verify import document_download

bp = Blueprint("fir_portal", __name__)


def _mine(fir_id):
    from bson import ObjectId

    if not ObjectId.is_valid(fir_id):
        abort(404)
    return firs.for_complainant(current_user, fir_id) or abort(404)


def _page(fir, errors=None, code=200):
    context = firs.page_context(fir, current_language())
    return render_template("tracking/fir.html", fir=fir, errors=errors or {}, **context), code


@bp.get("/my/firs/<fir_id>")
@auth_required("session")
def detail(fir_id):
    return _page(_mine(fir_id))


@bp.post("/my/firs/<fir_id>/confirm")
@auth_required("session")
def confirm(fir_id):
    fir = _mine(fir_id)
    if not request.form.get("true_statement"):
        return _page(fir, {"true_statement": _("Tick the box to confirm the information.")}, 400)
    try:
        firs.confirm(fir, current_user, request.form.get("signed_name", "", type=str))
    except FirError as error:
        return _page(fir, {k: str(v) for k, v in error.errors.items()}, error.http_status)
    flash(_("Thank you. Your FIR is on record."), "success")
    return redirect(url_for("fir_portal.detail", fir_id=fir.id))


@bp.get("/my/firs/<fir_id>/copy.pdf")
@auth_required("session")
def copy_pdf(fir_id):
    fir = _mine(fir_id)
    try:
        document = documents.issue_fir_copy(fir)
    except DocumentError:
        abort(404)
    number = fir.number.replace("/", "-")
    return document_download(document, f"FIR-{number}-{fir.station.code}.pdf")


def fir_search_args(args):
    """(station code, year, number, errors) from a status search form or the API."""
    station = args.get("station", "", type=str).strip().upper()[:40]
    year = args.get("year", "", type=str).strip()[:4]
    number = args.get("number", "", type=str).strip().upper()[:20]
    errors = {}
    if not station:
        errors["station"] = _("Choose the police station.")
    if not (year.isdigit() and len(year) == 4):
        errors["year"] = _("Enter the year, such as 2026.")
    if not number or not number.removeprefix("Z-").split("/")[0].isdigit():
        errors["number"] = _("Enter the FIR number, such as 0123 or 0123/2026.")
    return station, year, number, errors


def stations_for_search():
    return list(PoliceStation.objects.only("code", "name_en", "name_hi", "state").order_by("code"))


def public_fir(fir, language):
    """The minimal public view of an FIR in `language`: nothing about the people in it."""
    return {
        "number": fir.number,
        "station": fir.station.code,
        "year": fir.year,
        "registered_on": fir.registered_at.date().isoformat() if fir.registered_at else None,
        "status": fir.status,
        "status_text": firs.status_text(fir, language),
    }


def find_public(station_code, year, number):
    station = PoliceStation.objects(code=station_code).first()
    if station is None:
        return None
    return firs.public_status(station.state.code, station.code, year, number)
