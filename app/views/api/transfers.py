"""Transfers of a request between police stations (services.transfers) over the JSON API.

POST /requests/<number>/transfer {"station", "reason"}: an SHO or supervisor over the request's
station transfers it at once (200, the request as the receiving station sees it); an officer of
the station proposes it (202, the request with its proposal waiting for the SHO). Anyone else
who may see the request (its applicant, an auditor) gets 403; who may not see it, 404.
POST /requests/<number>/transfer/decision {"approve": bool, "remark"}: the SHO decides.
"""

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.services import transfers, workflow

from .core import ApiError, api_doc, bp, json_body, login_required
from .requests import request_detail, visible_request


def _fields(body, allowed):
    unknown = set(body) - allowed
    if unknown:
        raise ApiError(400, {str(sorted(unknown)[0])[:60]: _("Unknown field.")})


def _refused(error):
    if isinstance(error, transfers.TransferError):
        return ApiError(400, error.errors)
    if isinstance(error, workflow.StaleState):
        return ApiError(409, message=_("Someone else changed this request first. Reload it."))
    return ApiError(403, message=_("Your role may not transfer this request."))


@bp.post("/requests/<number>/transfer")
@login_required
@api_doc(
    "Transfer to another station (SHO) or propose it (officer, applicant)",
    tag="Requests",
    auth="user",
    body="TransferBody",
    responses={200: "RequestDetail", 202: "RequestDetail"},
    errors=(400, 401, 403, 404, 409),
)
def transfer(number):
    found = visible_request(number)
    body = json_body()
    _fields(body, {"station", "reason"})
    try:
        if transfers.may_decide(current_user, found):
            moved = transfers.transfer(found, current_user, body.get("station"), body.get("reason"))
            return jsonify(request_detail(moved, current_user, current_language()))
        if not transfers.may_propose(current_user, found):
            raise workflow.TransitionNotAllowed("transfer")
        proposed = transfers.propose(found, current_user, body.get("station"), body.get("reason"))
    except workflow.WorkflowError as error:
        raise _refused(error) from error
    return jsonify(request_detail(proposed, current_user, current_language())), 202


@bp.post("/requests/<number>/transfer/decision")
@login_required
@api_doc(
    "Decide a proposed transfer",
    tag="Requests",
    auth="user",
    body="TransferDecision",
    responses={200: "RequestDetail"},
    errors=(400, 401, 403, 404, 409),
)
def decide_transfer(number):
    found = visible_request(number)
    body = json_body()
    _fields(body, {"approve", "remark"})
    try:
        decided = transfers.decide(found, current_user, body.get("approve"), body.get("remark", ""))
    except workflow.WorkflowError as error:
        raise _refused(error) from error
    return jsonify(request_detail(decided, current_user, current_language()))
