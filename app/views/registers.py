"""Public registers: search each register, see only what is approved for the public, photos
included; a vehicle searched by any of its numbers, with a signed NOC when no theft is on record.
"""

from bson import ObjectId
from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required

from app.i18n import current_language
from app.models import RegisterEntry, State, Upload
from app.services import documents, registers, uploads
from app.services.documents import DocumentError
from app.services.registers import RegisterError

from .verify import document_download

bp = Blueprint("registers", __name__)
VEHICLE_FIELDS = ("registration", "chassis", "engine")


def _kind_or_404(kind):
    try:
        return registers.definition(kind)
    except RegisterError:
        abort(404)


def search_args(args):
    return {
        "q": args.get("q", "", type=str).strip()[:100],
        **{name: args.get(name, "", type=str).strip()[:40] for name in VEHICLE_FIELDS},
    }


def entry_json(entry, language):
    return {
        "id": str(entry.id),
        "kind": entry.kind,
        "state": entry.state.code,
        "station": entry.station.code,
        "published_on": entry.published_at.date().isoformat() if entry.published_at else None,
        "fields": {f["name"]: f["value"] for f in registers.public_view(entry, language)},
        "photo": f"/registers/photo/{entry.id}" if registers.has_public_photo(entry) else None,
    }


def _error(message):
    """A 400 page that names the field, for the NOC form (it has no page of its own)."""
    return render_template("errors/error.html", status=400, message=message), 400


@bp.get("/registers")
def index():
    counts = {
        kind: RegisterEntry.objects(kind=kind, status="published").count()
        for kind in registers.kinds()
    }
    return render_template("registers/index.html", kinds=registers.kinds(), counts=counts)


@bp.get("/registers/<kind>")
def search(kind):
    spec = _kind_or_404(kind)
    args = search_args(request.args)
    searched = any(args.values())
    rows = registers.search(kind, **args) if searched or not spec.get("vehicle") else []
    stolen_check = bool(spec.get("vehicle")) and kind == "stolen_vehicle" and searched
    return render_template(
        "registers/search.html",
        kind=kind,
        spec=spec,
        args=args,
        searched=searched,
        rows=rows,
        view=lambda e: registers.public_view(e, current_language()),
        has_photo=registers.has_public_photo,
        may_ask_noc=stolen_check and not rows and any(args[f] for f in VEHICLE_FIELDS),
        states=State.objects.only("code", "name_en", "name_hi").order_by("code"),
    )


@bp.get("/national-search")
def national():
    """On the central instance: one search across the registers of every state it pulls."""
    from flask import current_app

    from app.services import feeds

    if current_app.config.get("DEPLOYMENT_LEVEL") != "central":
        abort(404)
    kind = request.args.get("kind", "stolen_vehicle", type=str)
    spec = _kind_or_404(kind)
    args = search_args(request.args)
    searched = any(args.values())
    return render_template(
        "registers/national.html",
        kind=kind,
        spec=spec,
        kinds=registers.kinds(),
        args=args,
        searched=searched,
        rows=feeds.national_search(kind, **args) if searched else [],
    )


@bp.get("/registers/photo/<entry_id>")
def photo(entry_id):
    if not ObjectId.is_valid(entry_id):
        abort(404)
    entry = RegisterEntry.objects(id=entry_id, status="published").first()
    if entry is None or not registers.has_public_photo(entry):
        abort(404)
    upload = Upload.objects(file_id=entry.photo_file_id).first()
    try:
        path = registers.photo_path(entry)
    except uploads.UploadError:
        abort(404)
    return send_file(path, mimetype=upload.mime if upload else "image/jpeg", max_age=3600)


@bp.post("/registers/stolen_vehicle/noc")
@auth_required("session")
def vehicle_noc():
    """The NOC: only when the register, searched with the same numbers, finds no theft."""
    args = search_args(request.form)
    numbers = {name: registers.normalise_vehicle(args[name]) for name in VEHICLE_FIELDS}
    state = State.objects(code=request.form.get("state", "", type=str).upper()[:4]).first()
    if state is None:
        return _error(_("State: choose the state whose records were searched."))
    if not any(numbers.values()):
        return _error(_("Registration, chassis or engine number: give at least one."))
    if registers.search("stolen_vehicle", state=state, **args):
        return render_template("registers/noc_refused.html", numbers=numbers), 409
    try:
        document = documents.issue_vehicle_noc(current_user, state, numbers)
    except DocumentError:
        return _error(_("Registration, chassis or engine number: give at least one."))
    name = numbers["registration"] or numbers["chassis"] or "check"
    return document_download(document, f"vehicle-noc-{name}.pdf")
