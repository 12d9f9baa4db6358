"""Open data (RTI Act s.4(1)(b), NDSAP 2012): the public registers and aggregate statistics as CSV
and JSON, each with its metadata (title, publisher, licence, frequency, last updated) and a data
dictionary.

Files are written once a day by the beat task `open-data.publish` (and on first demand) under
UPLOAD_DIR/open-data, so a download never scans the collections. Only published register
entries and only their public fields are exported; statistics are counts, never people.
FIRs are not exported at all, so a sensitive FIR cannot leak through here.
"""

import csv
import io
import json
import os
from collections import defaultdict
from datetime import UTC, datetime

from bson import ObjectId

from app.constants import IST
from app.models import District, RegisterEntry, ServiceRequest
from app.models.base import as_utc

from . import registers, service_types, stats, uploads
from .exports import safe_cell

LICENCE = "Government Open Data License - India (GODL)"
LICENCE_URL = "https://data.gov.in/government-open-data-license-india"
FREQUENCY = "Daily"
MAX_AGE_SECONDS = 26 * 3600  # the daily file, with two hours' grace for a late beat


def _month(moment):
    return as_utc(moment).astimezone(IST).strftime("%Y-%m")


def _districts():
    return {d.id: d for d in District.objects.only("code", "name_en", "state")}


# --- datasets ---------------------------------------------------------------------------------


def _register_dataset(kind):
    spec = registers.definition(kind)
    fields = registers.public_fields(kind)
    columns = [
        ("id", "Identifier of the entry (stable)"),
        ("state", "State code"),
        ("district", "District code"),
        ("station", "Police station code"),
        ("published_on", "Date the SHO published the entry (YYYY-MM-DD)"),
        *[(f["name"], f["label"]["en"]) for f in fields],
    ]
    if (spec.get("photo") or {}).get("public"):
        columns.append(("photo", "Address of the photograph on this portal, if any"))

    def rows():
        districts = _districts()
        query = RegisterEntry.objects(kind=kind, status="published").order_by("published_at")
        for entry in query:
            data = registers.public_data(entry)
            district = districts.get(entry.district.id)
            row = {
                "id": str(entry.id),
                "state": entry.state.code,
                "district": district.code if district else "",
                "station": entry.station.code,
                "published_on": as_utc(entry.published_at).astimezone(IST).date().isoformat(),
                **{f["name"]: data.get(f["name"], "") for f in fields},
            }
            if "photo" in dict(columns):
                row["photo"] = (
                    f"/registers/photo/{entry.id}" if registers.has_public_photo(entry) else ""
                )
            yield row

    return {
        "title": f"{spec['name']['en']} (public register)",
        "title_hi": f"{spec['name']['hi']} (सार्वजनिक रजिस्टर)",
        "description": "Entries published by the station house officer; public fields only.",
        "columns": columns,
        "rows": rows,
    }


def _requests_by_month():
    def rows():
        districts = _districts()
        counts: defaultdict[tuple, int] = defaultdict(int)
        query = ServiceRequest.objects.only("district", "service", "status", "submitted_at")
        for row in query.as_pymongo():
            key = (row["district"], row["service"], row["status"], _month(row["submitted_at"]))
            counts[key] += 1
        for (district_id, service, status, month), count in sorted(
            counts.items(), key=lambda item: (item[0][3], str(item[0][0]), item[0][1], item[0][2])
        ):
            district = districts.get(district_id)
            yield {
                "month": month,
                "state": district.state.code if district else "",
                "district": district.code if district else "",
                "district_name": district.name_en if district else "",
                "service": service,
                "status": status,
                "requests": count,
            }

    return {
        "title": "Service requests by month, district, service and status",
        "title_hi": "माह, ज़िला, सेवा और स्थिति के अनुसार सेवा अनुरोध",
        "description": "Requests received in each month (India time), counted by their status "
        "today.",
        "columns": [
            ("month", "Month the requests were received (YYYY-MM, India time)"),
            ("state", "State code"),
            ("district", "District code"),
            ("district_name", "District name"),
            ("service", "Service code (see the Citizens Charter page)"),
            ("status", "Status today (the service's workflow state)"),
            ("requests", "Number of requests"),
        ],
        "rows": rows,
    }


def _disposal_by_month():
    def rows():
        # From the district totals kept at write time (services.stats), not a scan of every
        # closed request: requests that had a charter deadline, by the month of their decision.
        districts = _districts()
        limits = {}
        totals = sorted(stats.district_totals(), key=lambda row: (row[2], row[0], row[1]))
        for district_id, service, month, t in totals:
            if t.get("timed_closed", 0) <= 0:
                continue
            district = districts.get(ObjectId(district_id))
            state = district.state.id if district else None
            if (state, service) not in limits:
                limits[(state, service)] = _limit_text(state, service)
            yield {
                "month": month,
                "state": district.state.code if district else "",
                "district": district.code if district else "",
                "service": service,
                "closed": t["timed_closed"],
                "within_limit": t["timed_within"],
                "share_within_limit_percent": round(100 * t["timed_within"] / t["timed_closed"], 1),
                "average_days": round(t["timed_seconds"] / t["timed_closed"] / 86400, 1),
                "charter_limit": limits[(state, service)],
            }

    return {
        "title": "Disposal of service requests against the Citizens Charter, by month",
        "title_hi": "नागरिक चार्टर के अनुसार सेवा अनुरोधों का निपटान, माहवार",
        "description": "Requests decided in each month: how many, how many within the designated "
        "officer's time limit, and the average days from submission to decision.",
        "columns": [
            ("month", "Month of the decision (YYYY-MM, India time)"),
            ("state", "State code"),
            ("district", "District code"),
            ("service", "Service code"),
            ("closed", "Requests decided"),
            ("within_limit", "Decided within the designated officer's time limit"),
            ("share_within_limit_percent", "within_limit as a percentage of closed"),
            ("average_days", "Average days from submission to decision"),
            ("charter_limit", "The Citizens Charter time limit of the service"),
        ],
        "rows": rows,
    }


def _limit_text(state_id, service):
    from app.models import ServiceType

    live = ServiceType.objects(state=state_id, code=service).first()
    definition = service_types.definition_for(state_id, service, live.version) if live else {}
    limit = (definition.get("sla") or {}).get("limit")
    if not limit:
        return ""
    unit = {"working_days": "working days", "days": "days", "hours": "hours"}.get(
        limit["unit"], limit["unit"]
    )
    return f"{limit['value']} {unit}"


def datasets():
    """{name: dataset} of everything published."""
    found = {
        "requests-by-month": _requests_by_month(),
        "disposal-by-month": _disposal_by_month(),
    }
    for kind in registers.kinds():
        found[f"register-{kind.replace('_', '-')}"] = _register_dataset(kind)
    return found


# --- files ------------------------------------------------------------------------------------


def folder():
    """UPLOAD_DIR/open-data/<database>: two portals (or a portal and a test run) sharing an
    upload directory never serve each other's files."""
    from mongoengine.connection import get_db

    path = os.path.join(uploads.directory(), "open-data", get_db().name)
    os.makedirs(path, exist_ok=True)
    return path


def metadata(name, dataset, publisher, updated):
    return {
        "identifier": name,
        "title": dataset["title"],
        "title_hi": dataset["title_hi"],
        "description": dataset["description"],
        "publisher": publisher,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "frequency": FREQUENCY,
        "last_updated": updated.astimezone(IST).isoformat(timespec="minutes"),
        "formats": ["CSV", "JSON"],
        "columns": [{"name": n, "description": d} for n, d in dataset["columns"]],
    }


def write(name, dataset, publisher, now=None):
    """Write `name`.csv and `name`.json (with its metadata); returns the metadata."""
    now = now or datetime.now(UTC)
    columns = [n for n, _ in dataset["columns"]]
    rows = list(dataset["rows"]())
    meta = metadata(name, dataset, publisher, now)
    meta["rows"] = len(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    _atomic_write(os.path.join(folder(), f"{name}.csv"), buffer.getvalue().encode("utf-8-sig"))
    body = json.dumps({"metadata": meta, "data": rows}, ensure_ascii=False, indent=1, default=str)
    _atomic_write(os.path.join(folder(), f"{name}.json"), body.encode("utf-8"))
    _atomic_write(
        os.path.join(folder(), f"{name}.meta.json"),
        json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"),
    )
    return meta


def _cell(value):

    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return safe_cell(value)


def _atomic_write(path, content):
    """Readers never see half a file: write beside it, then rename over it."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "wb") as handle:
        handle.write(content)
    os.replace(temporary, path)


def publish_all(publisher, now=None):
    """Rewrite every dataset (beat, daily); returns {name: rows}."""
    return {name: write(name, ds, publisher, now)["rows"] for name, ds in datasets().items()}


def read_metadata(name):
    path = os.path.join(folder(), f"{name}.meta.json")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None


def file_path(name, extension, publisher, now=None):
    """The dataset's file, written now if it has never been or is older than a day (the beat
    task normally keeps it fresh; this covers a portal whose beat was down)."""
    found = datasets()
    if name not in found or extension not in ("csv", "json"):
        return None
    path = os.path.join(folder(), f"{name}.{extension}")
    now = now or datetime.now(UTC)
    if not os.path.exists(path) or now.timestamp() - os.path.getmtime(path) > MAX_AGE_SECONDS:
        write(name, found[name], publisher, now)
    return path
