"""The OpenAPI 3.1 description of /api/v1 at GET /api/v1/openapi.json, generated.

Paths and their path parameters come from the URL map (every rule under /api/v1); what each
view takes and answers from its own declaration (core.api_doc); the body of POST /requests from
the live catalogue: one schema per state and service, built by the same field types that check
the answers, so a new service or field appears here without a code change.
"""

import re

from flask import current_app, jsonify

from app.models import State
from app.services import service_types

from .catalogue import field_schema
from .core import API_DOCS, api_doc, bp

BILINGUAL = {
    "type": "object",
    "required": ["en"],
    "properties": {"en": {"type": "string"}, "hi": {"type": "string"}},
}
TEXT_OR_NULL = {"type": ["string", "null"]}
WHEN = {"type": ["string", "null"], "format": "date-time"}
OBJECT = {"type": "object"}


def _list_of(ref):
    return {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}}


def _page_of(ref):
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {"items": _list_of(ref), "next_cursor": TEXT_OR_NULL},
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "integer"},
            "error": {
                "type": "string",
                "description": "What went wrong, in the caller's language.",
            },
            "errors": {
                "type": "object",
                "description": "Field name → message, for each field at fault.",
                "additionalProperties": {"type": "string"},
            },
        },
    },
    "ServiceSummary": {
        "type": "object",
        "required": ["code", "state", "version", "name", "applicants", "instant"],
        "properties": {
            "code": {"type": "string"},
            "state": {"type": "string"},
            "version": {"type": "integer"},
            "name": BILINGUAL,
            "description": BILINGUAL,
            "applicants": {"type": "array", "items": {"type": "string"}},
            "instant": {"type": "boolean"},
            "time_limit": {"type": ["object", "null"]},
        },
    },
    "ServiceList": _list_of("ServiceSummary"),
    "Service": {
        "allOf": [
            {"$ref": "#/components/schemas/ServiceSummary"},
            {
                "type": "object",
                "required": ["schema", "definition"],
                "properties": {
                    "schema": {"type": "object", "description": "JSON Schema of `data`."},
                    "definition": {"type": "object", "description": "The whole definition."},
                },
            },
        ]
    },
    "ServiceDefinition": {
        "type": "object",
        "description": "A service definition (see docs/architecture.md and the catalogue).",
        "required": ["code", "name", "fields", "workflow"],
    },
    "Station": {
        "type": "object",
        "required": ["code", "name", "pincodes"],
        "properties": {
            "code": {"type": "string"},
            "name": BILINGUAL,
            "address": TEXT_OR_NULL,
            "phone": TEXT_OR_NULL,
            "email": TEXT_OR_NULL,
            "pincodes": {"type": "array", "items": {"type": "string"}},
        },
    },
    "StationList": _list_of("Station"),
    "Upload": {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}},
    },
    "BulkUpload": {
        "type": "object",
        "required": ["file", "service"],
        "properties": {
            "file": {"type": "string", "contentMediaType": "text/csv"},
            "service": {"type": "string"},
            "mode": {"enum": ["all", "valid"]},
        },
    },
    "BulkResult": {
        "type": "object",
        "required": ["imported", "errors", "rows"],
        "properties": {
            "imported": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "integer"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["row", "field", "message"],
                    "properties": {
                        "row": {"type": "integer"},
                        "field": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    },
    "UploadResult": {
        "type": "object",
        "required": ["id", "mime", "size"],
        "properties": {
            "id": {"type": "string"},
            "mime": {"type": "string"},
            "size": {"type": "integer"},
        },
    },
    "RequestSummary": {
        "type": "object",
        "required": ["number", "service", "status", "status_text", "station", "submitted_at"],
        "properties": {
            "number": {"type": "string", "pattern": r"^[A-Z]{2}-[A-Z]{3}-\d{4}-\d{6,}-[0-9A-Z*]$"},
            "service": {"type": "string"},
            "status": {"type": "string"},
            "status_text": {"type": "string"},
            "station": {"type": "string"},
            "submitted_at": {"type": "string", "format": "date-time"},
            "due_at": WHEN,
            "late": {"type": "boolean"},
        },
    },
    "RequestList": _page_of("RequestSummary"),
    "RequestDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/RequestSummary"},
            {
                "type": "object",
                "required": ["version", "data", "history", "actions"],
                "properties": {
                    "version": {"type": "integer"},
                    "data": OBJECT,
                    "attachments": {"type": "array", "items": OBJECT},
                    "history": {"type": "array", "items": OBJECT},
                    "actions": {"type": "array", "items": OBJECT},
                    "editable": {"type": "boolean"},
                    "fee": OBJECT,
                },
            },
        ]
    },
    "Transition": {
        "type": "object",
        "required": ["action"],
        "properties": {
            "action": {"type": "string"},
            "remark": {"type": "string", "maxLength": 2000},
            "version": {
                "type": "integer",
                "description": "The version the caller saw (409 if stale).",
            },
            "report": {
                "type": "object",
                "description": "The step's structured report, if it has one.",
            },
        },
    },
    "DataChange": {"type": "object", "required": ["data"], "properties": {"data": OBJECT}},
    "AppealBody": {
        "type": "object",
        "required": ["text"],
        "properties": {"text": {"type": "string"}},
    },
    "Appeal": {
        "type": "object",
        "required": ["number", "level", "status"],
        "properties": {
            "number": {"type": "string"},
            "level": {"type": "integer"},
            "status": {"type": "string"},
            "grounds": TEXT_OR_NULL,
            "authority_role": TEXT_OR_NULL,
            "filed_at": WHEN,
            "due_at": WHEN,
            "decided_at": WHEN,
            "decision": TEXT_OR_NULL,
        },
    },
    "RatingBody": {
        "type": "object",
        "required": ["score"],
        "properties": {
            "score": {"enum": ["good", "average", "poor"]},
            "comment": {"type": "string"},
        },
    },
    "Rating": {
        "type": "object",
        "required": ["rating", "appeal"],
        "properties": {
            "rating": {"type": "string"},
            "appeal": {"oneOf": [{"$ref": "#/components/schemas/Appeal"}, {"type": "null"}]},
        },
    },
    "TransferBody": {
        "type": "object",
        "required": ["station", "reason"],
        "properties": {"station": {"type": "string"}, "reason": {"type": "string"}},
    },
    "TransferDecision": {
        "type": "object",
        "required": ["decision"],
        "properties": {
            "decision": {"enum": ["approve", "refuse"]},
            "remark": {"type": "string"},
        },
    },
    "PublicStatus": {
        "type": "object",
        "required": ["number", "status_text"],
        "properties": {"number": {"type": "string"}, "status_text": {"type": "string"}},
    },
    "FirStatus": {
        "type": "object",
        "required": ["number", "station"],
        "properties": {"number": {"type": "string"}, "station": {"type": ["string", "object"]}},
    },
    "FirListing": _page_of("FirRow"),
    "FirRow": {
        "type": "object",
        "required": ["number", "station"],
        "properties": {"number": {"type": "string"}, "copy_url": {"type": "string"}},
    },
    "RegisterSearch": {
        "type": "object",
        "required": ["kind", "items"],
        "properties": {"kind": {"type": "string"}, "items": {"type": "array", "items": OBJECT}},
    },
    "RegisterFeed": {"type": "object", "description": "A signed page of register changes."},
    "Notifications": {
        "type": "object",
        "required": ["unread", "items"],
        "properties": {
            "unread": {"type": "integer"},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["number", "event", "text", "created_at", "read"],
                    "properties": {
                        "number": {"type": "string"},
                        "event": {"type": "string"},
                        "text": {"type": "string"},
                        "created_at": {"type": "string", "format": "date-time"},
                        "read": {"type": "boolean"},
                    },
                },
            },
        },
    },
    "Unread": {
        "type": "object",
        "required": ["unread"],
        "properties": {"unread": {"type": "integer"}},
    },
    "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]},
}
SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "session"},
    "token": {
        "type": "apiKey",
        "in": "header",
        "name": "Authentication-Token",
        "description": "From POST /login?include_auth_token with {email, password}.",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An organisation's key, issued by its state's administrator.",
    },
}
STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted: waiting for another's decision",
    400: "A field is wrong; `errors` names it",
    401: "Not signed in",
    403: "Not allowed (or an API key that is not valid)",
    404: "Not found",
    409: "Someone else changed it first, or a step waits (e.g. for a fee)",
    422: "An Idempotency-Key reused with another body",
    429: "Too many calls; retry later",
}
PATH_PARAM = re.compile(r"<(?:[a-z_]+:)?([a-z_]+)>")


def _service_bodies():
    """Each state's live services: a body schema per service, and the list to choose from."""
    schemas, choices = {}, []
    for state in State.objects.only("code").order_by("code"):
        for live in service_types.live_services(state):
            definition = live.definition
            name = f"Request.{state.code}.{live.code}"
            schemas[name] = {
                "type": "object",
                "title": f"{definition['name']['en']} ({state.code})",
                "required": ["service", "data"],
                "additionalProperties": False,
                "properties": {
                    "service": {"const": live.code},
                    "station": {"type": "string", "description": "A station code, if chosen."},
                    "data": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": [f["name"] for f in definition["fields"] if f.get("required")],
                        "properties": {
                            f["name"]: field_schema(f, "en") for f in definition["fields"]
                        },
                    },
                },
            }
            choices.append({"$ref": f"#/components/schemas/{name}"})
    # anyOf: two states may define a service alike, and a body may fit both.
    schemas["RequestBody"] = {"anyOf": choices} if choices else {"type": "object"}
    return schemas


def _operation(rule, method, doc):
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in PATH_PARAM.findall(rule.rule)
    ]
    for name, (schema, description, required) in doc["query"].items():
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": required,
                "description": str(description),
                "schema": schema,
            }
        )
    responses = {}
    for status, ref in doc["responses"].items():
        response = {"description": STATUS_TEXT.get(status, "OK")}
        if ref:
            response["content"] = {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}
            }
        responses[str(status)] = response
    for status in doc["errors"]:
        responses[str(status)] = {
            "description": STATUS_TEXT[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    operation = {
        "operationId": rule.endpoint.split(".", 1)[1]
        + ("" if method == "GET" else f"_{method.lower()}"),
        "summary": doc["summary"],
        "tags": [doc["tag"]],
        "parameters": parameters,
        "responses": responses,
    }
    if doc["description"]:
        operation["description"] = doc["description"]
    if doc["auth"] == "user":
        operation["security"] = [{"session": []}, {"token": []}, {"apiKey": []}]
    elif doc["auth"] == "optional":
        operation["security"] = [{}, {"session": []}, {"token": []}, {"apiKey": []}]
    else:
        operation["security"] = []
    if doc["body"]:
        multipart = doc["body"] in ("Upload", "BulkUpload")
        media = "multipart/form-data" if multipart else "application/json"
        operation["requestBody"] = {
            "required": True,
            "content": {media: {"schema": {"$ref": f"#/components/schemas/{doc['body']}"}}},
        }
    return operation


def document():
    """The whole OpenAPI document, from the URL map, the declarations and the catalogue."""
    paths = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/"):
            continue
        doc = API_DOCS.get(rule.endpoint.split(".", 1)[1])
        if doc is None:
            raise LookupError(f"{rule.endpoint} has no api_doc declaration")
        path = PATH_PARAM.sub(r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule, method, doc)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Police citizen services portal API",
            "version": "1",
            "description": (
                "Citizens' and organisations' requests, their status, the catalogue, public "
                "registers and FIRs. Errors are JSON: `errors` names each field at fault."
            ),
        },
        "servers": [{"url": current_app.config["PUBLIC_BASE_URL"].rstrip("/")}],
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **_service_bodies()},
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


@bp.get("/openapi.json")
@api_doc("This document", tag="Meta", responses={200: "OpenApiDocument"})
def openapi_document():
    """The OpenAPI 3.1 description of this API, generated from the running application."""
    return jsonify(document())
