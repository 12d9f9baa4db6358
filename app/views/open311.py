"""Open311 GeoReport v2 at /open311/v2, in JSON and XML, as the specification defines it
(services.open311 holds the rules): discovery, services, a service's definition, requests
(GET and, with an API key, POST), one request, and tokens. Errors are the specification's list
of {code, description} with the matching HTTP status."""

from xml.etree import ElementTree as ET

from flask import Blueprint, Response, g, jsonify, request, url_for

from app.i18n import current_language
from app.services import open311
from app.services.open311 import Open311Error

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
FORMATS = ("json", "xml")
# XML element names of a list's items, per its root (the specification's).
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error"}


def _xml(root, value):
    def add(parent, name, item):
        node = ET.SubElement(parent, name)
        if isinstance(item, dict):
            for key, sub in item.items():
                add(node, key, sub)
        elif isinstance(item, list):
            child = {
                "attributes": "attribute",
                "values": "value",
                "endpoints": "endpoint",
                "formats": "format",
            }.get(name, "item")
            for sub in item:
                add(node, child, sub)
        elif item is not None:
            node.text = str(item).lower() if isinstance(item, bool) else str(item)

    top = ET.Element(root)
    if isinstance(value, list):
        for item in value:
            add(top, ITEM_NAMES.get(root, "item"), item)
    else:
        for key, item in value.items():
            add(top, key, item)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return Response(body, mimetype="text/xml")


def _answer(fmt, root, value, status=200):
    if fmt not in FORMATS:
        fmt = "json"
    if fmt == "xml":
        response = _xml(root, value)
    else:
        response = jsonify(value)
    response.status_code = status
    return response


@bp.errorhandler(Open311Error)
def _error(error):
    return _answer(getattr(g, "open311_format", "json"), "errors", error.errors, error.status)


@bp.before_request
def _format():
    path = request.path
    g.open311_format = "xml" if path.endswith(".xml") else "json"
    if not path.endswith((".json", ".xml")):
        raise Open311Error(404, "Ask for .json or .xml.")


@bp.get("/discovery.<fmt>")
def discovery(fmt):
    base = url_for("open311.services", fmt="json", _external=True).rsplit("/", 1)[0]
    return _answer(
        fmt,
        "discovery",
        {
            "changeset": "2026-12-02T00:00:00+05:30",
            "contact": "State police headquarters (see the portal's Help page)",
            "key_service": "API keys are issued by each state's police headquarters.",
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-12-02T00:00:00+05:30",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


@bp.get("/services.<fmt>")
def services(fmt):
    state = open311.jurisdiction(request.args.get("jurisdiction_id"))
    language = current_language()
    rows = [open311.service_row(live, language) for live in open311.offered(state)]
    return _answer(fmt, "services", rows)


@bp.get("/services/<code>.<fmt>")
def service_definition(code, fmt):
    state = open311.jurisdiction(request.args.get("jurisdiction_id"))
    live = open311.service_of(state, code[:40])
    return _answer(
        fmt, "service_definition", open311.definition_of(state, live, current_language())
    )


@bp.get("/requests.<fmt>")
def requests_list(fmt):
    state = open311.jurisdiction(request.args.get("jurisdiction_id"))
    language = current_language()
    rows = [open311.request_row(r, language) for r in open311.listing(state, request.args)]
    return _answer(fmt, "service_requests", rows)


@bp.post("/requests.<fmt>")
def requests_create(fmt):
    state = open311.jurisdiction(request.form.get("jurisdiction_id"))
    key = getattr(g, "api_key", None)  # app.security.api_keys checked it (403 if not valid)
    if key is None:
        raise Open311Error(403, "An api_key is required to report.")
    if key.state.id != state.id:
        raise Open311Error(403, "This api_key is not for this jurisdiction.")
    live = open311.service_of(state, request.form.get("service_code", "")[:40])
    created = open311.create(state, live, key, request.form, current_language())
    row = {
        "service_request_id": created.number,
        "token": str(created.id),
        "service_notice": open311.request_row(created, current_language())["status_notes"],
        "account_id": None,
    }
    return _answer(fmt, "service_requests", [row], 201)


@bp.get("/requests/<number>.<fmt>")
def request_one(number, fmt):
    state = open311.jurisdiction(request.args.get("jurisdiction_id"))
    found = open311.one(state, number)
    return _answer(fmt, "service_requests", [open311.request_row(found, current_language())])


@bp.get("/tokens/<token>.<fmt>")
def token(token, fmt):
    state = open311.jurisdiction(request.args.get("jurisdiction_id"))
    found = open311.by_token(state, token)
    return _answer(fmt, "service_requests", [{"token": token, "service_request_id": found.number}])
