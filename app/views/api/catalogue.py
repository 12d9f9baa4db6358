"""/api/v1 services, their JSON Schemas (from the catalogue) and police stations."""

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.models import PoliceStation, State
from app.services import access, catalogue, field_types, forms, service_types

from .core import ApiError, api_doc, bp, json_body, login_required


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
    """A field as JSON Schema (from its type in services.field_types) plus the portal's own
    keys: its type and its label in `language`."""
    schema = field_types.TYPES[spec["type"]].schema(spec)
    schema["x-field-type"] = spec["type"]
    schema["title"] = spec["label"].get(language) or spec["label"]["en"]
    if "show_when" in spec:
        # Asked (and, if required, required) only when another answer is the one named.
        schema["x-show-when"] = spec["show_when"]
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
@api_doc(
    "Services offered in a state",
    tag="Catalogue",
    query={"state": ({"type": "string"}, "State code such as HR; default: the caller's", False)},
    responses={200: "ServiceList"},
    errors=(400,),
)
def services():
    state = _state_param()
    language = current_language()
    return jsonify([service_summary(s, language) for s in service_types.live_services(state)])


@bp.get("/services/<code>")
@api_doc(
    "One service: its JSON Schema and definition",
    tag="Catalogue",
    query={"state": ({"type": "string"}, "State code such as HR", False)},
    responses={200: "Service"},
    errors=(400, 404),
)
def service(code):
    state = _state_param()
    live = service_types.live(state, code[:40])
    if live is None:
        abort(404)
    language = current_language()
    definition = live.definition
    body = service_summary(live, language)
    required = [f["name"] for f in definition["fields"] if forms.always_required(f)]
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
@api_doc(
    "Publish a service definition for the caller's state",
    tag="Catalogue",
    auth="user",
    query={
        "reason": (
            {"type": "string", "maxLength": 500},
            "What changed and why, kept with the version (its history shows it)",
            False,
        )
    },
    body="ServiceDefinition",
    responses={200: "ServiceSummary", 201: "ServiceSummary"},
    errors=(400, 401, 403),
)
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
    reason = request.args.get("reason", "", type=str)[:500]
    live = service_types.publish(
        state, definition, actor=current_user, source=f"service {code}", reason=reason
    )
    return jsonify(service_summary(live, current_language())), (200 if existed else 201)


@bp.get("/stations")
@api_doc(
    "Police stations, optionally those serving a PIN code",
    tag="Catalogue",
    query={"pincode": ({"type": "string"}, "Six digits", False)},
    responses={200: "StationList"},
    errors=(400,),
)
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
