"""FIRs online (services.fir_listing): the public listing page, its redacted PDF copies, and the
JSON the API shares with the page. Nothing about the people in an FIR is ever shown here."""

from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.constants import IST
from app.i18n import current_language
from app.models import District, PoliceStation, State
from app.models.base import as_utc, stored_id
from app.services import fir_listing, firs
from app.services.fir_listing import Cursor
from app.services.firs import FirError

from .verify import document_download

bp = Blueprint("fir_public", __name__)


def listing_args(args, now=None):
    """(state code, station code, year, cursor, errors) from the page's or the API's query."""
    state = args.get("state", "", type=str).strip().upper()[:10]
    station = args.get("station", "", type=str).strip().upper()[:40]
    year_text = args.get("year", "", type=str).strip()[:4]
    errors = {}
    year = fir_listing.today(now).year
    if year_text:
        if year_text.isdigit() and 2000 <= int(year_text) <= year:
            year = int(year_text)
        else:
            errors["year"] = _("Enter a year from 2000 to %(year)d.", year=year)
    cursor = None
    if args.get("cursor"):
        cursor = Cursor.parse(args.get("cursor", "", type=str)[:30])
        if cursor is None:
            errors["cursor"] = _("Not a valid cursor.")
    return state, station, year, cursor, errors


def listed_rows(rows, language):
    """The listing's rows as the page and the API show them: references resolved once a page."""
    station_ids = {stored_id(f, "station") for f in rows}
    stations = {s.id: s for s in PoliceStation.objects(id__in=list(station_ids))}
    district_ids = {stored_id(f, "district") for f in rows}
    districts = {d.id: d for d in District.objects(id__in=list(district_ids))}
    with force_locale(language):
        categories = {key: str(label) for key, label in firs.CATEGORIES.items()}
    items = []
    for fir in rows:
        station = stations.get(stored_id(fir, "station"))
        district = districts.get(stored_id(fir, "district"))
        if station is None:
            continue
        registered = as_utc(fir.registered_at).astimezone(IST)
        items.append(
            {
                "number": fir.number,
                "year": fir.year,
                "station": station.code,
                "station_name": station.name_in(language),
                "district": district.name_in(language) if district else "",
                "registered_at": registered.isoformat(),
                "registered_on": registered.strftime("%d-%m-%Y %H:%M"),
                "occurred_on": as_utc(fir.occurred_from).astimezone(IST).strftime("%d-%m-%Y"),
                "category": fir.category,
                "category_text": categories.get(fir.category, fir.category),
                "sections": list(fir.sections),
                "status": fir.status,
                "status_text": firs.status_text(fir, language),
                "copy_url": url_for(
                    "fir_public.copy",
                    station=station.code,
                    year=fir.year,
                    number=fir.number.split("/")[0],
                    _external=True,
                ),
            }
        )
    return items


def _default_state():
    if current_user.is_authenticated and getattr(current_user, "state", None) is not None:
        return current_user.state.code
    first = State.objects.only("code").order_by("code").first()
    return first.code if first else ""


@bp.get("/firs")
def index():
    """The listing page: a state's (or one station's) FIRs of a year, newest first."""
    state_code, station_code, year, cursor, errors = listing_args(request.args)
    state_code = state_code or _default_state()
    state, station, place_errors = fir_listing.place(state_code, station_code)
    errors.update(place_errors)
    items, next_cursor, covered = [], None, None
    if not errors:
        place_code = station.code if station else state.code
        rows, next_cursor = fir_listing.listing(place_code, year, cursor)
        items = listed_rows(rows, current_language())
        if next_cursor and not items:  # quiet days: say which ones were read
            start = cursor.day if cursor else min(fir_listing.today(), date(year, 12, 31))
            covered = (
                (next_cursor.day + timedelta(days=1)).strftime("%d-%m-%Y"),
                start.strftime("%d-%m-%Y"),
            )
    return render_template(
        "firs/index.html",
        items=items,
        next_cursor=str(next_cursor) if next_cursor else "",
        covered=covered,
        states=State.objects.only("code", "name_en", "name_hi").order_by("code"),
        stations=PoliceStation.objects(state=state.id)
        .only("code", "name_en", "name_hi")
        .order_by("code")
        if state
        else [],
        state=state,
        station=station,
        year=year,
        errors=errors,
        first_page=cursor is None,
    ), (400 if errors else 200)


@bp.get("/firs/<station>/<int:year>/<number>/copy.pdf")
def copy(station, year, number):
    """The redacted public copy: 404 alike for unknown, not yet on record, sensitive, withheld."""
    place = PoliceStation.objects(code=station.upper()[:40]).first() or abort(404)
    fir = firs.public_status(place.state.code, place.code, year, number[:12]) or abort(404)
    try:
        document = fir_listing.public_copy(fir)
    except FirError:
        abort(404)
    name = fir.number.replace("/", "-")
    return document_download(document, f"FIR-{name}-{place.code}-public.pdf")
