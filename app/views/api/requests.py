"""/api/v1 uploads and requests: submit, list, read, act on, appeal, rate, edit."""

from bson import ObjectId
from flask import abort, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.models import ServiceRequest
from app.models.base import stored_id
from app.services import (
    access,
    api_keys,
    appeals,
    bulk,
    catalogue,
    numbering,
    service_types,
    uploads,
    workflow,
)
from app.services import requests as request_service

from .core import MAX_PAGE, ApiError, _iso, api_doc, bp, json_body, login_required


@bp.post("/uploads")
@login_required
@api_doc(
    "Upload a file for a request's file field",
    tag="Requests",
    auth="user",
    body="Upload",
    responses={201: "UploadResult"},
    errors=(400, 401, 403, 429),
)
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
    is_staff = user.id != stored_id(req, "applicant")
    body = request_summary(req, language)
    body["version"] = req.version
    if req.fee is not None:
        body["fee"] = {
            "amount": req.fee.amount,
            "exempt_reason": (req.fee.exempt_reason or {}).get(language) or None,
            "pay_before": req.fee.pay_before,
            "paid_at": _iso(req.fee.paid_at),
            "receipt": req.fee.receipt,
            "mode": req.fee.mode,
        }
    body["data"] = {
        name: (value.get("masked") if fields.get(name, {}).get("type") == "aadhaar" else value)
        for name, value in req.data.items()
    }
    # A step's structured report and its photos are the officers' (the remark is the public word).
    body["attachments"] = [
        {"field": a.field, "mime": a.mime, "size": a.size, "filename": a.filename}
        for a in req.attachments
        if is_staff or not a.field.startswith(workflow.REPORT_PREFIX)
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
            **({"report": h.report} if is_staff and h.report else {}),
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
    proposal = req.transfer_proposal
    body["transfer_proposal"] = (
        {
            "to_station": proposal.to_station.code,
            "reason": proposal.reason,
            "by": proposal.by_role,
            "at": _iso(proposal.at),
        }
        if proposal is not None
        else None
    )
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
@api_doc(
    "Submit a request (optional Idempotency-Key header)",
    tag="Requests",
    auth="user",
    body="RequestBody",
    responses={201: "RequestSummary"},
    errors=(400, 401, 403, 409, 422),
)
def create_request():
    body = json_body()
    service_code, data, station = body.get("service"), body.get("data"), body.get("station")
    unknown = set(body) - {"service", "data", "station"}
    if unknown:
        raise ApiError(400, {str(sorted(unknown)[0])[:60]: _("Unknown field.")})
    if station is not None and not isinstance(station, str):
        raise ApiError(400, {"station": _("Must be a station code.")})
    key = getattr(g, "api_key", None)  # an organisation's key: only the services it names
    if key is not None and not api_keys.allows_service(key, service_code):
        raise ApiError(403, {"service": _("This API key may not file this service.")})
    try:
        created, _new = request_service.submit_once(
            current_user,
            service_code,
            data,
            station,
            request.headers.get("Idempotency-Key"),
            language=current_language(),
            stations=api_keys.station_scope(key) if key is not None else None,
        )
    except request_service.KeyBusy as error:
        message = _("A request with this key is being made. Retry shortly.")
        raise ApiError(409, message=message) from error
    except request_service.SubmissionError as error:  # a reused key with another body: 422
        raise ApiError(error.http_status, error.errors) from error
    except request_service.NotAllowed as error:
        if key is not None:
            message = _("This API key may not file this service at that police station.")
        else:
            message = _("Your account may not apply for this service.")
        raise ApiError(403, message=message) from error
    except request_service.UnknownService as error:
        raise ApiError(400, {"service": _("Unknown service.")}) from error
    return jsonify(request_summary(created, current_language())), 201


@bp.post("/requests/bulk")
@login_required
@api_doc(
    "File many requests of one service from a CSV (a hotel's guests as C-Forms)",
    tag="Requests",
    auth="user",
    body="BulkUpload",
    responses={201: "BulkResult"},
    errors=(400, 401, 403),
)
def bulk_requests():
    """Columns are the service's field names. mode=all (default): one bad row and nothing is
    filed; mode=valid: the good rows are filed and the others reported."""
    file = request.files.get("file")
    service_code = request.form.get("service", "", type=str)[:40]
    if file is None:
        raise ApiError(400, {"file": _("Send the CSV as multipart form field 'file'.")})
    live = service_types.current(current_user.state, service_code) if current_user.state else None
    if live is None:
        raise ApiError(400, {"service": _("Unknown service.")})
    key = getattr(g, "api_key", None)
    if key is not None and not api_keys.allows_service(key, service_code):
        raise ApiError(403, {"service": _("This API key may not file this service.")})
    try:
        result = bulk.import_csv(
            current_user,
            live,
            file.read(bulk.MAX_BYTES + 1),
            mode=request.form.get("mode", "all", type=str),
            language=current_language(),
            stations=api_keys.station_scope(key) if key is not None else None,
        )
    except bulk.BulkError as error:
        raise ApiError(400, error.errors) from error
    except request_service.NotAllowed as error:
        raise ApiError(403, message=_("Your account may not apply for this service.")) from error
    if not result["imported"]:  # every row refused, or one bad row with mode=all
        message = _("%(count)d rows have errors; nothing was filed.", count=len(result["errors"]))
        return jsonify({"status": 400, "error": message, **result}), 400
    return jsonify(result), 201


@bp.get("/requests")
@login_required
@api_doc(
    "Requests the caller may see, newest first",
    tag="Requests",
    auth="user",
    query={
        "limit": ({"type": "integer"}, "1 to 100", False),
        "cursor": ({"type": "string"}, "From the last page", False),
        "status": ({"type": "string"}, "Only this status", False),
        "view": ({"enum": ["open", "all"]}, "Staff: open work (default) or all", False),
    },
    responses={200: "RequestList"},
    errors=(400, 401),
)
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
@api_doc(
    "One request with its history and the actions the caller may take",
    tag="Requests",
    auth="user",
    responses={200: "RequestDetail"},
    errors=(401, 404),
)
def get_request(number):
    return jsonify(request_detail(visible_request(number), current_user, current_language()))


@bp.post("/requests/<number>/transitions")
@login_required
@api_doc(
    "Take an action on a request",
    tag="Requests",
    auth="user",
    body="Transition",
    responses={200: "RequestDetail"},
    errors=(400, 401, 403, 404, 409),
)
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
    report = body.get("report")
    if report is not None and not isinstance(report, dict):
        raise ApiError(400, {"report": _("Must be an object of field values.")})
    try:
        updated = workflow.apply_transition(
            found, action[:40], current_user, remark, expected_version=version, report=report
        )
    except workflow.NotVisible:
        abort(404)
    except workflow.ReportInvalid as error:
        raise ApiError(400, {k: str(v) for k, v in error.errors.items()}) from error
    except workflow.RemarkRequired as error:
        raise ApiError(400, {"remark": _("A remark is required for this action.")}) from error
    except workflow.StaleState as error:
        raise ApiError(
            409, message=_("Someone else changed this request first. Reload it.")
        ) from error
    except workflow.FeeUnpaid as error:
        raise ApiError(
            409, {"fee": _("This step waits for the fee: record its payment first.")}
        ) from error
    except workflow.WorkflowError as error:
        raise ApiError(
            error.http_status, {"action": _("This action is not allowed now.")}
        ) from error
    return jsonify(request_detail(updated, current_user, current_language()))


def _own_request(number):
    """The caller's own request (appeals and ratings are the applicant's), else 404."""
    found = visible_request(number)
    if stored_id(found, "applicant") != current_user.id:
        abort(404)
    return found


@bp.post("/requests/<number>/appeals")
@login_required
@api_doc(
    "File the appeal that lies now",
    tag="Requests",
    auth="user",
    body="AppealBody",
    responses={201: "Appeal"},
    errors=(400, 401, 404, 409),
)
def file_appeal(number):
    found = _own_request(number)
    text = json_body().get("text", "")
    if not isinstance(text, str):
        raise ApiError(400, {"text": _("Must be text.")})
    try:
        filed = appeals.file(found, current_user, text)
    except appeals.AppealError as error:
        raise ApiError(error.http_status, error.errors) from error
    return jsonify(appeal_json(filed)), 201


@bp.post("/requests/<number>/rating")
@login_required
@api_doc(
    "Rate a closed request once",
    tag="Requests",
    auth="user",
    body="RatingBody",
    responses={201: "Rating"},
    errors=(400, 401, 404, 409),
)
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
        raise ApiError(error.http_status, error.errors) from error
    return jsonify(
        {"rating": rated.rating.score, "appeal": appeal_json(opened) if opened else None}
    ), 201


@bp.put("/requests/<number>/data")
@login_required
@api_doc(
    "Change the answers while allowed",
    tag="Requests",
    auth="user",
    body="DataChange",
    responses={200: "RequestDetail"},
    errors=(400, 401, 403, 404, 409),
)
def edit_request(number):
    found = visible_request(number)
    body = json_body()
    try:
        updated = request_service.edit(
            found, current_user, body.get("data"), language=current_language()
        )
    except request_service.SubmissionError as error:
        raise ApiError(400, error.errors) from error
    except request_service.NotAllowed as error:
        raise ApiError(403, message=_("This request can no longer be changed.")) from error
    except workflow.StaleState as error:
        raise ApiError(
            409, message=_("Someone else changed this request first. Reload it.")
        ) from error
    except workflow.FeeUnpaid as error:
        raise ApiError(
            409, {"fee": _("This step waits for the fee: record its payment first.")}
        ) from error
    return jsonify(request_detail(updated, current_user, current_language()))
