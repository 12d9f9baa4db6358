"""/api/v1 for anyone: request and FIR status, public registers, the feed, national search."""

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.i18n import current_language
from app.services import (
    numbering,
)
from app.services import requests as request_service

from .core import ApiError, api_doc, bp


@bp.get("/status/<number>")
@api_doc(
    "Public status of a request (no personal data)",
    tag="Public",
    responses={200: "PublicStatus"},
    errors=(400, 404, 429),
)
def public_status(number):
    number = numbering.canonical(number) or number  # dashes optional
    try:
        found = request_service.find_by_number(number, only=request_service.PUBLIC_STATUS_FIELDS)
    except numbering.MalformedNumber as error:
        raise ApiError(400, {"number": _("This is not a valid request number.")}) from error
    if found is None:
        abort(404)
    viewer = current_user if current_user.is_authenticated else None
    return jsonify(request_service.public_status(found, current_language(), viewer))


@bp.get("/fir-status")
@api_doc(
    "Public status of an FIR",
    tag="Public",
    query={
        "state": ({"type": "string"}, "State code", True),
        "station": ({"type": "string"}, "Station code", True),
        "year": ({"type": "integer"}, "Year of registration", True),
        "number": ({"type": "string"}, "FIR number", True),
    },
    responses={200: "FirStatus"},
    errors=(400, 404, 429),
)
def fir_status():
    """Public FIR status: ?state=&station=&year=&number= → minimal fields. A sensitive FIR, one
    not yet on record and an unknown one all answer 404 alike."""
    from app.services import firs as fir_service

    from ..firs import fir_search_args, public_fir

    station, year, number, errors = fir_search_args(request.args)
    state = request.args.get("state", "", type=str).strip().upper()[:4]
    if not state:
        errors["state"] = _("Give the state code, such as HR.")
    if errors:
        raise ApiError(400, errors)
    found = fir_service.public_status(state, station, year, number)
    if found is None:
        abort(404)
    return jsonify(public_fir(found, current_language()))


@bp.get("/firs")
@api_doc(
    "FIRs online: the non-sensitive FIRs on record, newest first",
    tag="Public",
    query={
        "state": ({"type": "string"}, "State code", True),
        "station": ({"type": "string"}, "Station code", False),
        "year": ({"type": "integer"}, "Year", False),
        "cursor": ({"type": "string"}, "From the last page", False),
        "limit": ({"type": "integer"}, "1 to 100", False),
    },
    responses={200: "FirListing"},
    errors=(400,),
)
def fir_listing_api():
    """FIRs online: ?state=HR (required), &station=, &year= (this year), &cursor=, &limit= →
    {"items": [...], "next_cursor": … or null}. Non-sensitive FIRs on record only, newest
    first, without any person's name, address or phone. A page may hold fewer items than
    `limit` while `next_cursor` goes on (quiet days); the listing ends at a null cursor."""
    from app.services import fir_listing

    from ..fir_listing import listed_rows, listing_args

    state_code, station_code, year, cursor, errors = listing_args(request.args)
    if not state_code:
        errors["state"] = _("Give the state code, such as HR.")
    limit = request.args.get("limit", 20, type=int)
    if limit is None or not 1 <= limit <= fir_listing.MAX_LIMIT:
        errors["limit"] = _("From 1 to %(most)d.", most=fir_listing.MAX_LIMIT)
    if not errors:
        state, station, place_errors = fir_listing.place(state_code, station_code)
        errors.update(place_errors)
    if errors:
        raise ApiError(400, errors)
    rows, next_cursor = fir_listing.listing(
        station.code if station else state.code, year, cursor, limit
    )
    return jsonify(
        {
            "items": listed_rows(rows, current_language()),
            "next_cursor": str(next_cursor) if next_cursor else None,
        }
    )


@bp.get("/registers/<kind>")
@api_doc(
    "Search a public register",
    tag="Public",
    query={
        "q": ({"type": "string"}, "Words to find", False),
        "registration": ({"type": "string"}, "Vehicle registration", False),
        "chassis": ({"type": "string"}, "Chassis number", False),
        "engine": ({"type": "string"}, "Engine number", False),
    },
    responses={200: "RegisterSearch"},
    errors=(404,),
)
def register_search(kind):
    """Public register search: published entries, public fields only, with photo addresses."""
    from app.services import registers
    from app.services.registers import RegisterError

    from ..registers import entry_json, search_args

    try:
        rows = registers.search(kind, **search_args(request.args))
    except RegisterError:
        abort(404)
    language = current_language()
    return jsonify(kind=kind, items=[entry_json(e, language) for e in rows])


@bp.get("/feed/registers")
@api_doc(
    "Signed feed of this state's public register changes",
    tag="Public",
    query={
        "after": ({"type": "integer"}, "Last sequence held", False),
        "limit": ({"type": "integer"}, "Page size", False),
    },
    responses={200: "RegisterFeed"},
    errors=(400,),
)
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
@api_doc(
    "Search every state's registers (central instance only)",
    tag="Public",
    query={"q": ({"type": "string"}, "Words to find", False)},
    responses={200: "RegisterSearch"},
    errors=(404,),
)
def national_register_search(kind):
    """The central instance's search across every state it pulls (404 on a state instance)."""
    from app.services import feeds, registers

    from ..registers import search_args

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
