"""Open311 GeoReport v2 over the catalogue and the requests (the views are app/views/open311.py).

- A service is offered through Open311 when its definition says `open311: true` (complaint and
  grievance in the seed); `jurisdiction_id` is the state's code.
- Its attributes are the form's fields in Open311 datatypes (FieldType.open311); a field that
  Open311 cannot carry (a file, an Aadhaar number) is left out, and a service that requires one
  cannot be offered (catalogue.validate says so). A service whose station the applicant chooses
  has a `station` attribute listing the state's stations.
- A report (POST) needs an API key scoped to the service; it becomes a request like one filed at a
  desk (services.assisted): no applicant account, the reporter reached at the phone and email
  given, routed by the PIN code attribute (stations have no coordinates here, so lat/long alone
  cannot route). The public GET shows Open311 fields only: never the reporter's name, contact or
  words, and for a `public_status: minimal` service not the station either.
"""

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.constants import IST
from app.models import PoliceStation, ServiceRequest, State
from app.models.base import as_utc

from . import assisted, catalogue, forms, service_types
from .errors import FieldErrors
from .requests import NotAllowed

LIST_LIMIT = 50
LIST_DAYS = 90


class Open311Error(Exception):
    """An Open311 error: `status` is the HTTP status, `errors` the spec's [{code, description}]."""

    def __init__(self, status, description):
        super().__init__(str(description))
        self.status = status
        self.errors = [{"code": status, "description": str(description)}]


def jurisdiction(code):
    """The State of a jurisdiction_id; Open311Error when missing or unknown."""
    if not code:
        raise Open311Error(400, _l("jurisdiction_id is required: the state's code, such as HR."))
    state = State.objects(code=str(code).upper()[:4]).first()
    if state is None:
        raise Open311Error(404, _l("Unknown jurisdiction_id."))
    return state


def offered(state):
    """The live services of `state` offered through Open311."""
    return [live for live in service_types.live_services(state) if live.definition.get("open311")]


def service_of(state, code):
    live = next((s for s in offered(state) if s.code == code), None)
    if live is None:
        raise Open311Error(404, _l("Unknown service_code."))
    return live


def _text(bilingual, language):
    return (bilingual or {}).get(language) or (bilingual or {}).get("en") or ""


def service_row(live, language):
    definition = live.definition
    return {
        "service_code": live.code,
        "service_name": _text(definition["name"], language),
        "description": _text(definition.get("description"), language),
        "metadata": True,
        "type": "realtime",
        "keywords": "police",
        "group": "police",
    }


def definition_of(state, live, language):
    """The service definition: its attributes in Open311 datatypes, in form order."""
    from .field_types import TYPES

    attributes = []
    for order, spec in enumerate(live.definition["fields"], start=1):
        datatype = TYPES[spec["type"]].open311
        if datatype is None:
            continue
        attribute = {
            "variable": True,
            "code": spec["name"],
            "datatype": datatype,
            "required": forms.always_required(spec),
            "datatype_description": _text(spec.get("help"), language),
            "order": order,
            "description": _text(spec["label"], language),
        }
        if spec["type"] == "boolean":
            attribute["values"] = [{"key": "true", "name": "Yes"}, {"key": "false", "name": "No"}]
        elif spec.get("choices"):
            attribute["values"] = [
                {"key": c["value"], "name": _text(c, language)} for c in spec["choices"]
            ]
        attributes.append(attribute)
    if live.definition["routing"]["by"] == "applicant_choice":
        stations = PoliceStation.objects(state=state.id).only("code", "name_en", "name_hi")
        attributes.append(
            {
                "variable": True,
                "code": "station",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "",
                "order": len(live.definition["fields"]) + 1,
                "description": str(_l("Police station")),
                "values": [{"key": s.code, "name": s.name_in(language)} for s in stations],
            }
        )
    return {"service_code": live.code, "attributes": attributes}


def create(state, live, api_key, form, language):
    """File a report from a partner app; returns the new request."""
    attributes = {}
    for key in form:
        if key.startswith("attribute[") and key.endswith("]"):
            values = form.getlist(key)
            name = key[len("attribute[") : -1]
            attributes[name] = values if len(values) > 1 else values[0]
    station = attributes.pop("station", None)
    name = " ".join(f"{form.get('first_name', '')} {form.get('last_name', '')}".split())
    walk_in, errors = assisted.walk_in_from(
        {
            "walk_in_name": name,
            "walk_in_mobile": form.get("phone", ""),
            "walk_in_email": form.get("email", ""),
            "walk_in_language": language,
        }
    )
    if errors:
        field = next(iter(errors))
        spec_name = {"walk_in_name": "first_name", "walk_in_mobile": "phone"}.get(field, "email")
        raise Open311Error(400, f"{spec_name}: {errors[field]}")
    if "description" in {f["name"] for f in live.definition["fields"]}:
        attributes.setdefault("description", form.get("description", ""))
    try:
        created = assisted.file(
            api_key.owner,
            live.code,
            attributes,
            walk_in,
            station_code=station,
            language=language,
            api_key=api_key,
        )
    except NotAllowed:
        raise Open311Error(403, _l("This API key may not report this service there.")) from None
    except FieldErrors as error:
        field, message = next(iter(error.errors.items()))
        raise Open311Error(400, f"{field}: {message}") from None
    # In this jurisdiction by construction: the view took a key of this state, and the key files
    # only at its state's stations (api_keys.station_scope) — checked before anything is written.
    return created


def request_row(request, language):
    """A request as Open311 shows it to anyone: no reporter's name, contact or words."""
    definition = service_types.definition_of(request)
    info = catalogue.state_info(definition, request.status)
    minimal = definition.get("public_status") == "minimal"
    last = request.history[-1].at if request.history else request.submitted_at
    row = {
        "service_request_id": request.number,
        "status": "closed" if info.get("final") else "open",
        "status_notes": _text(info["public"], language),
        "service_name": _text(definition["name"], language),
        "service_code": request.service,
        "requested_datetime": _w3(request.submitted_at),
        "updated_datetime": _w3(last),
        "expected_datetime": _w3(request.due_at),
    }
    if not minimal:
        row["agency_responsible"] = request.station.name_in(language)
    return row


def _w3(moment):
    if moment is None:
        return None
    return as_utc(moment).astimezone(IST).isoformat(timespec="seconds")


def listing(state, args, now=None):
    """Reports made through Open311 in `state`, newest first, within the spec's 90 days."""
    now = now or datetime.now(UTC)
    ids = [i for i in str(args.get("service_request_id") or "").split(",") if i]
    query = ServiceRequest.objects(channel="open311", state=state.id)
    if ids:
        wanted_ids = [i.strip().upper() for i in ids[:LIST_LIMIT]]
        return list(query.filter(number__in=wanted_ids).select_related(max_depth=1))
    codes = [c for c in str(args.get("service_code") or "").split(",") if c]
    if codes:
        query = query.filter(service__in=codes)
    end = _parse_w3(args.get("end_date"), "end_date") or now
    start = _parse_w3(args.get("start_date"), "start_date") or end - timedelta(days=LIST_DAYS)
    if end - start > timedelta(days=LIST_DAYS):
        raise Open311Error(400, _l("start_date and end_date may not span more than 90 days."))
    query = query.filter(submitted_at__gte=start, submitted_at__lte=end)
    # References (the station a row names) resolved once for the page, not once per row.
    rows = list(query.order_by("-submitted_at").limit(LIST_LIMIT).select_related(max_depth=1))
    wanted = {s for s in str(args.get("status") or "").split(",") if s}
    if wanted:
        rows = [r for r in rows if ("open" if r.is_open else "closed") in wanted]
    return rows


def _parse_w3(value, name):
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            400, f"{name}: " + str(_l("Use the w3 format, e.g. 2026-12-01T00:00:00Z."))
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def one(state, number):
    found = ServiceRequest.objects(
        channel="open311", state=state.id, number=str(number).upper()[:40]
    ).first()
    if found is None:
        raise Open311Error(404, _l("Unknown service_request_id."))
    return found


def by_token(state, token):
    """The report a POST answered with `token` (its id)."""
    from bson import ObjectId

    if not ObjectId.is_valid(str(token)):
        raise Open311Error(404, _l("Unknown token."))
    found = ServiceRequest.objects(
        channel="open311", state=state.id, id=ObjectId(str(token))
    ).first()
    if found is None:
        raise Open311Error(404, _l("Unknown token."))
    return found
