"""Requests at a chosen moment, for tests that drive the Citizens Charter clock (tests only)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from app.models import User
from app.services import catalogue, requests, service_types, uploads, workflow
from tests.helpers.service_data import BY_MIME, STATION, valid_data

IST = ZoneInfo("Asia/Kolkata")
# A Monday morning with no holiday in the week after it, in either seeded state.
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=IST)


def user(who):
    return User.objects.get(email=f"{who}@demo.police.example")


def submit_at(code, now, who="citizen", **answers):
    """Submit `code` as demo user `who` at `now`, with valid data and uploads (`answers`
    replace some of the data)."""
    applicant = user(who)
    definition = catalogue.load_file(f"{service_types.SERVICE_TYPES_DIR}/{code}.yaml")

    def upload(mime):
        return uploads.store(io.BytesIO(BY_MIME[mime]), "file", applicant).file_id

    data = {**valid_data(definition, upload), **answers}
    station = STATION if definition["routing"]["by"] == "applicant_choice" else None
    return requests.submit(applicant, code, data, station_code=station, now=now)


def report_for(request, action, now):
    """A complete structured report when the step asks for one (a verification's findings)."""
    definition = service_types.definition_of(request)
    for transition in catalogue.transitions_from(definition, request.status):
        if transition["action"] == action and transition.get("report"):
            return {"visited_on": now.astimezone(IST).date().isoformat(), "finding": "verified"}
    return None


def act(request, action, who, now, remark="As checked."):
    report = report_for(request, action, now)
    return workflow.apply_transition(
        request, action, user(who), remark=remark, now=now, report=report
    )
