"""Demo requests for `make run`: the clock, escalations, appeals and senior visits on day one.

Loaded from seed/demo_requests.yaml by `flask seed` in development (with the demo users), only
while the demo applicant has no request yet, so re-seeding adds nothing. Every request goes
through services.requests.submit and services.workflow.apply_transition at its past moment, as
if people had done it then; uploads are tiny placeholder images and PDFs.
"""

import base64
import io
from datetime import UTC, datetime, timedelta

from app.constants import IST
from app.models import Fir, PoliceStation, RegisterEntry, ServiceRequest, User

from . import fir_listing, firs, registers, requests, uploads, workflow

DEMO_DOMAIN = "@demo.police.example"
# A 1×1 PNG and a one-page PDF, valid enough for the content sniffing of services.uploads.
PLACEHOLDERS = {
    "image/png": base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    ),
    "application/pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
}


def _user(short):
    return User.objects.get(email=short + DEMO_DOMAIN)


def seed(data, now=None):
    """Create the demo requests once; returns how many were created."""
    now = now or datetime.now(UTC)
    entries = data.get("requests") or []
    if not entries:
        return 0
    applicants = {_user(e["by"]).id for e in entries}
    if ServiceRequest.objects(applicant__in=list(applicants)).count():
        return 0
    for entry in entries:
        applicant = _user(entry["by"])
        submitted = now - timedelta(days=entry["days_ago"])
        values = dict(entry["data"])
        for field, mime in (entry.get("files") or {}).items():
            stored = uploads.store(io.BytesIO(PLACEHOLDERS[mime]), f"{field}.demo", applicant)
            values[field] = stored.file_id
        request = requests.submit(
            applicant, entry["service"], values, station_code=entry.get("station"), now=submitted
        )
        for step in entry.get("steps") or []:
            request = workflow.apply_transition(
                request,
                step["action"],
                _user(step["by"]),
                remark=step.get("remark", ""),
                now=submitted + timedelta(hours=step["hours"]),
            )
    return len(entries) + seed_cases(data.get("cases") or {}, now)


def seed_cases(cases, now):
    """The demo FIRs and register entries (see seed/demo_requests.yaml), once."""

    if Fir.objects.count() or RegisterEntry.objects.count():
        return 0
    citizen = _user("citizen")
    complaints = list(
        ServiceRequest.objects(applicant=citizen.id, service="complaint").order_by("submitted_at")
    )
    made = 0
    for entry in cases.get("firs") or []:
        at = now - timedelta(days=entry["days_ago"])
        if "complaint" in entry:
            complaint = complaints[entry["complaint"]]
            form = {
                "informant_name": complaint.data["complainant_name"],
                "category": entry["category"],
                "sections": entry["sections"],
                "occurred_from": complaint.data["incident_at"],
                "place": complaint.data["incident_place"],
                "brief": complaint.data["description"],
            }
            station = complaint.station
        else:  # an informant at the desk
            complaint, informant = None, entry["informant"]
            occurred = (at - timedelta(hours=entry["occurred_hours_ago"])).astimezone(IST)
            form = {
                "informant_name": informant["name"],
                "informant_mobile": informant["mobile"],
                "informant_address": informant["address"],
                "informant_language": informant["language"],
                "category": entry["category"],
                "sections": entry["sections"],
                "occurred_from": occurred.strftime("%Y-%m-%dT%H:%M"),
                "place": entry["place"],
                "brief": entry["brief"],
            }
            station = PoliceStation.objects.get(code=entry["station"])
        fir = firs.register(_user(entry["by"]), station, form, complaint=complaint, now=at)
        if "withhold" in entry:
            withheld = entry["withhold"]
            fir = fir_listing.withhold(fir, _user(withheld["by"]), withheld["reason"], now=at)
        if "confirm_after_hours" in entry:
            signed = at + timedelta(hours=entry["confirm_after_hours"])
            fir = firs.confirm(fir, citizen, form["informant_name"], now=signed)
        for step in entry.get("progress") or []:
            step = dict(step)
            when = now - timedelta(days=step.pop("days_ago"))
            kind, who = step.pop("kind"), _user(step.pop("by"))
            if kind == "arrest":
                step["at"] = when
            fir = firs.record_progress(fir, who, kind, step, now=when)
        made += 1
    for entry in cases.get("registers") or []:
        station = PoliceStation.objects.get(code=entry["station"])
        record = registers.record(
            _user(entry["by"]), station, entry["kind"], entry["data"], now=now
        )
        if entry.get("publish"):
            registers.publish(record, _user(entry["publish"]), now=now)
        made += 1
    return made
