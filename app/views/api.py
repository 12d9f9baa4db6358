"""The JSON API under /api/v1: a thin layer over services; errors are JSON naming the field.

Authentication: Flask-Security's token (header Authentication-Token, from POST /login with
include_auth_token) or the session cookie. Lists page with a cursor, never a deep skip.
"""

from functools import wraps

from bson import ObjectId
from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.models import Notification, PoliceStation, ServiceRequest, State
from app.services import (
    access,
    appeals,
    catalogue,
    notify,
    numbering,
    service_types,
    uploads,
    workflow,
)
from app.services import requests as request_service

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PAGE = 100


class ApiError(Exception):
    def __init__(self, status, errors=None, message=None):
        super().__init__(message)
        self.status = status
        self.errors = errors
        self.message = message


@bp.errorhandler(ApiError)
def _api_error(error):
    body = {"status": error.status}
    if error.errors:
        body["errors"] = {key: str(value) for key, value in error.errors.items()}
    if error.message:
        body["error"] = str(error.message)
    return jsonify(body), error.status


@bp.errorhandler(404)
def _not_found(_error):
    return jsonify({"status": 404, "error": _("Not found.")}), 404


def login_required(view):
    """401 as JSON (never a redirect) when neither a token nor a session authenticates."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            raise ApiError(401, message=_("Log in, or send an Authentication-Token header."))
        return view(*args, **kwargs)

    return wrapped


def json_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, {"body": _("Send a JSON object.")})
    return body


def _iso(value):
    return value.isoformat() if value else None


def _state_param():
    code = request.args.get("state", "", type=str).strip().upper()[:2]
    if code:
        state = State.objects(code=code).first()
        if state is None:
            raise ApiError(400, {"state": _("Unknown state.")})
        return state
    user_state = getattr(current_user, "state", None) if current_user.is_authenticated else None
    return user_state or State.objects.order_by("code").first()


def field_schema(spec, language):
    """A field as JSON schema plus the portal's own keys (type, label, required)."""
    kinds = {
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "multi_select": {"type": "array", "items": {"type": "string"}},
        "date": {"type": "string", "format": "date"},
        "datetime": {"type": "string", "format": "date-time"},
        "email": {"type": "string", "format": "email"},
        "file": {"type": "string", "description": "id returned by POST /api/v1/uploads"},
    }
    schema = dict(kinds.get(spec["type"], {"type": "string"}))
    schema["x-field-type"] = spec["type"]
    schema["title"] = spec["label"].get(language) or spec["label"]["en"]
    if "max_length" in spec:
        schema["maxLength"] = spec["max_length"]
    for key, name in (("min", "minimum"), ("max", "maximum")):
        if key in spec:
            schema[name] = spec[key]
    if spec["type"] in ("select", "multi_select"):
        values = [c["value"] for c in spec["choices"]]
        (schema["items"] if spec["type"] == "multi_select" else schema)["enum"] = values
    if spec["type"] == "file":
        schema["x-accept"] = spec["accept"]
        schema["x-max-kb"] = spec["max_kb"]
    return schema


def service_summary(service_type, language):
    definition = service_type.definition
    return {
        "code": definition["code"],
        "state": service_type.state.code,
        "version": service_type.version,
        "name": definition["name"],
        "description": definition["description"],
        "applicants": definition["applicants"],
        "instant": bool(definition.get("instant")),
        "time_limit": (definition.get("sla") or {}).get("limit"),
    }


@bp.get("/services")
def services():
    state = _state_param()
    language = current_language()
    return jsonify([service_summary(s, language) for s in service_types.live_services(state)])


@bp.get("/services/<code>")
def service(code):
    state = _state_param()
    live = service_types.live(state, code[:40])
    if live is None:
        abort(404)
    language = current_language()
    definition = live.definition
    body = service_summary(live, language)
    required = [f["name"] for f in definition["fields"] if f.get("required")]
    body["schema"] = {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": {f["name"]: field_schema(f, language) for f in definition["fields"]},
    }
    body["definition"] = definition
    return jsonify(body)


@bp.put("/services/<code>")
@login_required
def put_service(code):
    if not current_user.has_permission("catalogue.manage"):
        raise ApiError(403, message=_("You may not change the service catalogue."))
    states = access.scoped(State.objects, current_user)
    state = states.first()
    if state is None:
        raise ApiError(403, message=_("You have no state to manage."))
    definition = json_body()
    if definition.get("code") != code:
        raise ApiError(400, {"code": _("Must match the address: %(code)s", code=code[:40])})
    errors = catalogue.validate(definition)
    if errors:
        raise ApiError(400, {e.split(": ", 1)[0]: e.split(": ", 1)[1] for e in errors})
    existed = service_types.live(state, code) is not None
    live = service_types.publish(state, definition, actor=current_user, source=f"service {code}")
    return jsonify(service_summary(live, current_language())), (200 if existed else 201)


@bp.get("/stations")
def stations():
    pincode = request.args.get("pincode", "", type=str).strip()
    query = PoliceStation.objects.only(
        "code", "name_en", "name_hi", "address", "phone", "email", "pincodes"
    )
    if pincode:
        if not (pincode.isdigit() and len(pincode) == 6):
            raise ApiError(400, {"pincode": _("Enter a six-digit PIN code.")})
        query = query.filter(pincodes=pincode)
    return jsonify(
        [
            {
                "code": s.code,
                "name": {"en": s.name_en, "hi": s.name_hi},
                "address": s.address,
                "phone": s.phone,
                "email": s.email,
                "pincodes": s.pincodes,
            }
            for s in query.limit(200)
        ]
    )


@bp.post("/uploads")
@login_required
def upload():
    file = request.files.get("file")
    if file is None:
        raise ApiError(400, {"file": _("Send the file as multipart form field 'file'.")})
    try:
        stored = uploads.store(file.stream, file.filename, current_user)
    except uploads.UploadError as error:
        raise ApiError(400, {"file": uploads.refusal(error)}) from error
    return jsonify({"id": stored.file_id, "mime": stored.mime, "size": stored.size}), 201


def request_summary(req, language):
    definition = service_types.definition_of(req)
    info = catalogue.state_info(definition, req.status)
    return {
        "number": req.number,
        "service": req.service,
        "status": req.status,
        "status_text": info["public"].get(language) or info["public"]["en"],
        "station": req.station.code,
        "submitted_at": _iso(req.submitted_at),
        "due_at": _iso(req.due_at),
        "late": req.late,
    }


def request_detail(req, user, language):
    definition = service_types.definition_of(req)
    fields = catalogue.field_map(definition)
    is_staff = not (user.id == req.applicant.id)
    body = request_summary(req, language)
    body["version"] = req.version
    body["data"] = {
        name: (value.get("masked") if fields.get(name, {}).get("type") == "aadhaar" else value)
        for name, value in req.data.items()
    }
    body["attachments"] = [
        {"field": a.field, "mime": a.mime, "size": a.size, "filename": a.filename}
        for a in req.attachments
    ]
    body["history"] = [
        {
            "at": _iso(h.at),
            "action": h.action,
            "from": h.from_state,
            "to": h.to_state,
            "remark": h.remark,
            "status_text": h.public_hi if language == "hi" and h.public_hi else h.public_en,
            "by": h.actor_role,
        }
        for h in req.history
    ]
    body["actions"] = [
        {
            "action": t["action"],
            "label": t["label"],
            "remark": t.get("remark", "optional"),
            "as": role,
        }
        for t, role in workflow.available_actions(req, user)
    ]
    body["editable"] = bool(
        not is_staff and catalogue.state_info(definition, req.status).get("editable_by_applicant")
    )
    body["escalation_level"] = req.escalation_level or 0
    body["escalations"] = [
        {
            "at": _iso(e.at),
            "level": e.level,
            "tier": e.tier,
            "role": e.role,
            "due_at": _iso(e.due_at),
        }
        for e in req.escalations
    ]
    body["paused"] = req.paused_at is not None
    body["appeals"] = [appeal_json(a) for a in appeals.appeals_of(req).values()]
    if not is_staff:
        open_appeal = appeals.eligibility(req)
        body["appeal_open"] = (
            {"level": open_appeal[0], "grounds": open_appeal[1], "until": _iso(open_appeal[2])}
            if open_appeal
            else None
        )
        body["can_rate"] = appeals.can_rate(req)
    body["rating"] = req.rating.score if req.rating else None
    if is_staff:
        body["applicant_name"] = req.applicant_name
        body["assigned_to"] = req.assigned_to.email if req.assigned_to else None
        body["notes"] = [
            {"at": _iso(n.at), "by": n.author.email, "text": n.text} for n in req.notes
        ]
    return body


def appeal_json(appeal):
    return {
        "number": appeal.number,
        "level": appeal.level,
        "grounds": appeal.grounds,
        "status": appeal.status,
        "authority_role": appeal.authority_role,
        "filed_at": _iso(appeal.filed_at),
        "due_at": _iso(appeal.due_at),
        "decided_at": _iso(appeal.decided_at),
        "decision": appeal.decision,
    }


def visible_request(number):
    """The request if the caller may see it: 400 for a malformed number, else 404."""
    try:
        numbering.parse(number)
    except numbering.MalformedNumber as error:
        raise ApiError(400, {"number": _("This is not a valid request number.")}) from error
    found = access.get_scoped(ServiceRequest, current_user, number=number.strip().upper())
    if found is None:
        abort(404)
    return found


@bp.post("/requests")
@login_required
def create_request():
    body = json_body()
    service_code, data, station = body.get("service"), body.get("data"), body.get("station")
    unknown = set(body) - {"service", "data", "station"}
    if unknown:
        raise ApiError(400, {str(sorted(unknown)[0])[:60]: _("Unknown field.")})
    if station is not None and not isinstance(station, str):
        raise ApiError(400, {"station": _("Must be a station code.")})
    try:
        created, _new = request_service.submit_once(
            current_user, service_code, data, station, request.headers.get("Idempotency-Key")
        )
    except request_service.KeyBusy as error:
        message = _("A request with this key is being made. Retry shortly.")
        raise ApiError(409, message=message) from error
    except request_service.SubmissionError as error:  # a reused key with another body: 422
        raise ApiError(error.status, error.errors) from error
    except request_service.NotAllowed as error:
        raise ApiError(403, message=_("Your account may not apply for this service.")) from error
    except request_service.UnknownService as error:
        raise ApiError(400, {"service": _("Unknown service.")}) from error
    return jsonify(request_summary(created, current_language())), 201


@bp.get("/requests")
@login_required
def list_requests():
    limit = max(1, min(request.args.get("limit", 20, type=int) or 20, MAX_PAGE))
    query = access.scoped(ServiceRequest.objects, current_user).order_by("-id")
    cursor = request.args.get("cursor", "", type=str)
    if cursor:
        if not ObjectId.is_valid(cursor):
            raise ApiError(400, {"cursor": _("Not a valid cursor.")})
        query = query.filter(id__lt=ObjectId(cursor))
    status = request.args.get("status", "", type=str)
    if status:
        query = query.filter(status=status[:40])
    # Staff see open work unless they ask for everything (view=all): the first page must not
    # sort a station's whole history. Applicants' own lists are short and shown whole.
    view = request.args.get("view", "all" if access.scope_of(current_user).owner else "open")
    if view not in ("open", "all"):
        raise ApiError(400, {"view": _("Either open or all.")})
    if view == "open":
        query = query.filter(is_open=True)
    # References (station, state, district) resolved once for the page, not once per row.
    page = query.exclude(*ServiceRequest.LIST_EXCLUDES).limit(limit + 1).select_related(max_depth=1)
    language = current_language()
    body = {"items": [request_summary(r, language) for r in page[:limit]]}
    body["next_cursor"] = str(page[limit - 1].id) if len(page) > limit else None
    return jsonify(body)


@bp.get("/requests/<number>")
@login_required
def get_request(number):
    return jsonify(request_detail(visible_request(number), current_user, current_language()))


@bp.post("/requests/<number>/transitions")
@login_required
def transition(number):
    found = visible_request(number)
    body = json_body()
    action, remark = body.get("action"), body.get("remark", "")
    version = body.get("version")
    if not isinstance(action, str) or not action:
        raise ApiError(400, {"action": _("Name the action.")})
    if not isinstance(remark, str):
        raise ApiError(400, {"remark": _("Must be text.")})
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ApiError(400, {"version": _("Must be a number.")})
    try:
        updated = workflow.apply_transition(
            found, action[:40], current_user, remark, expected_version=version
        )
    except workflow.NotVisible:
        abort(404)
    except workflow.RemarkRequired as error:
        raise ApiError(400, {"remark": _("A remark is required for this action.")}) from error
    except workflow.StaleState as error:
        raise ApiError(
            409, message=_("Someone else changed this request first. Reload it.")
        ) from error
    except workflow.WorkflowError as error:
        raise ApiError(error.status, {"action": _("This action is not allowed now.")}) from error
    return jsonify(request_detail(updated, current_user, current_language()))


def _own_request(number):
    """The caller's own request (appeals and ratings are the applicant's), else 404."""
    found = visible_request(number)
    if found.applicant.id != current_user.id:
        abort(404)
    return found


@bp.post("/requests/<number>/appeals")
@login_required
def file_appeal(number):
    found = _own_request(number)
    text = json_body().get("text", "")
    if not isinstance(text, str):
        raise ApiError(400, {"text": _("Must be text.")})
    try:
        filed = appeals.file(found, current_user, text)
    except appeals.AppealError as error:
        raise ApiError(error.status, error.errors) from error
    return jsonify(appeal_json(filed)), 201


@bp.post("/requests/<number>/rating")
@login_required
def rate_request(number):
    found = _own_request(number)
    body = json_body()
    score, comment = body.get("score"), body.get("comment", "")
    if not isinstance(score, str):
        raise ApiError(400, {"score": _("Choose good, average or poor.")})
    if not isinstance(comment, str):
        raise ApiError(400, {"comment": _("Must be text.")})
    try:
        rated, opened = appeals.rate(found, current_user, score, comment)
    except appeals.AppealError as error:
        raise ApiError(error.status, error.errors) from error
    return jsonify(
        {"rating": rated.rating.score, "appeal": appeal_json(opened) if opened else None}
    ), 201


@bp.put("/requests/<number>/data")
@login_required
def edit_request(number):
    found = visible_request(number)
    body = json_body()
    try:
        updated = request_service.edit(found, current_user, body.get("data"))
    except request_service.SubmissionError as error:
        raise ApiError(400, error.errors) from error
    except request_service.NotAllowed as error:
        raise ApiError(403, message=_("This request can no longer be changed.")) from error
    except workflow.StaleState as error:
        raise ApiError(
            409, message=_("Someone else changed this request first. Reload it.")
        ) from error
    return jsonify(request_detail(updated, current_user, current_language()))


@bp.get("/notifications")
@login_required
def notifications():
    """The caller's in-app notifications, newest first (cursor: ?before=<created_at ISO>)."""
    items = Notification.objects(recipient=current_user.id).order_by("-created_at").limit(50)
    return jsonify(
        {
            "unread": notify.unread_count(current_user),
            "items": [
                {
                    "number": n.number,
                    "event": n.event,
                    "text": n.text,
                    "created_at": _iso(n.created_at),
                    "read": n.read_at is not None,
                }
                for n in items
            ],
        }
    )


@bp.post("/notifications/read")
@login_required
def notifications_read():
    from datetime import UTC, datetime

    Notification.objects(recipient=current_user.id, read_at=None).update(
        set__read_at=datetime.now(UTC)
    )
    return jsonify({"unread": 0})


@bp.get("/status/<number>")
def public_status(number):
    try:
        found = request_service.find_by_number(number, only=request_service.PUBLIC_STATUS_FIELDS)
    except numbering.MalformedNumber as error:
        raise ApiError(400, {"number": _("This is not a valid request number.")}) from error
    if found is None:
        abort(404)
    viewer = current_user if current_user.is_authenticated else None
    return jsonify(request_service.public_status(found, current_language(), viewer))


@bp.get("/fir-status")
def fir_status():
    """Public FIR status: ?state=&station=&year=&number= → minimal fields. A sensitive FIR, one
    not yet on record and an unknown one all answer 404 alike."""
    from app.services import firs as fir_service

    from .firs import fir_search_args, public_fir

    station, year, number, errors = fir_search_args(request.args)
    state = request.args.get("state", "", type=str).strip().upper()[:4]
    if not state:
        errors["state"] = _("Give the state code, such as HR.")
    if errors:
        raise ApiError(400, errors)
    found = fir_service.public_status(state, station, year, number)
    if found is None:
        abort(404)
    return jsonify(public_fir(found))


@bp.get("/registers/<kind>")
def register_search(kind):
    """Public register search: published entries, public fields only, with photo addresses."""
    from app.services import registers
    from app.services.registers import RegisterError

    from .registers import entry_json, search_args

    try:
        rows = registers.search(kind, **search_args(request.args))
    except RegisterError:
        abort(404)
    language = current_language()
    return jsonify(kind=kind, items=[entry_json(e, language) for e in rows])


@bp.get("/feed/registers")
def register_feed():
    """This state's public registers as a signed feed of changes, for the central instance."""
    from app.services import feeds

    after = request.args.get("after", "0", type=str)
    limit = request.args.get("limit", str(feeds.PAGE_LIMIT), type=str)
    # isdecimal, not isdigit ("²" is a digit), and within what the database can compare.
    if not (after.isascii() and after.isdecimal()) or int(after) >= 2**63:
        raise ApiError(400, {"after": _("A whole number: the last sequence you hold.")})
    if not (limit.isascii() and limit.isdecimal()) or not 1 <= int(limit) < 2**31:
        raise ApiError(400, {"limit": _("A whole number from 1.")})
    return jsonify(feeds.page(int(after), int(limit)))


@bp.get("/national/registers/<kind>")
def national_register_search(kind):
    """The central instance's search across every state it pulls (404 on a state instance)."""
    from app.services import feeds, registers

    from .registers import search_args

    if current_app.config.get("DEPLOYMENT_LEVEL") != "central":
        abort(404)
    try:
        rows = feeds.national_search(kind, **search_args(request.args))
    except registers.RegisterError:
        abort(404)
    language = current_language()
    return jsonify(
        kind=kind,
        items=[
            {
                "state": e.state,
                "station": e.station,
                "published_on": e.published_at.date().isoformat() if e.published_at else None,
                "fields": {
                    n: f["value"].get(language) or f["value"]["en"] for n, f in e.fields.items()
                },
            }
            for e in rows
        ],
    )
