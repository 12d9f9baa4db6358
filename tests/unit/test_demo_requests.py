"""The demo requests of `make run`: day one shows an escalation, a pause, an appeal, a visit due."""

from datetime import UTC, datetime

import pytest

from app.models import Fir, RegisterEntry, SeniorCitizen, ServiceRequest
from app.services import appeals, seed, sweep

# Queries, indexes, concurrency or stored formats: run on FerretDB too (tests/unit/conftest.py).
pytestmark = pytest.mark.db


def test_demo_requests_give_the_clock_something_to_show_and_are_seeded_once(catalogue_seeded, ctx):
    counts = seed.seed_all(include_demo_users=True, include_demo_requests=True)
    assert counts["demo_requests.yaml"] == 7 + 6 + 3  # requests, FIRs, register entries
    assert seed.seed_all(True, include_demo_requests=True)["demo_requests.yaml"] == 0
    now = datetime.now(UTC)
    done = sweep.run(now)
    assert done["escalated"] == 1 and done["senior_citizen.enrolled"] == 1
    by_service = {}
    for request in ServiceRequest.objects.order_by("submitted_at"):
        by_service.setdefault(request.service, []).append(request)
    old, paused = by_service["tenant_verification"]
    assert old.escalation_level == 1 and old.escalations[0].role == "district_supervisor"
    assert paused.status == "awaiting_documents" and paused.paused_at is not None
    [grievance] = by_service["grievance"]
    assert appeals.eligibility(grievance, now)[:2] == (1, "rejected")
    assert SeniorCitizen.objects.count() == 1
    # The cases: a complaint followed to the charge-sheet, an e-FIR waiting for its signature,
    # a stolen motorcycle and a missing person on the public registers, a body that may match.
    first, second, vehicle, snatching, sensitive, withheld = Fir.objects.order_by("created_at")
    # Desk FIRs: the public listing shows two; a sexual offence and a withheld one never.
    assert vehicle.informant_mobile == "9810000003" and vehicle.public_keys
    assert snatching.informant_mobile == "9810000005" and snatching.public_keys
    assert sensitive.sensitive and not sensitive.public_keys and not sensitive.informant_mobile
    assert withheld.withheld_reason and not withheld.public_keys
    assert first.status == "charge_sheet_filed" and first.number and first.court.case_number
    assert by_service["complaint"][0].status == "fir_registered"
    assert second.status == "pending_confirmation" and second.complainant.email.startswith(
        "citizen"
    )
    body = RegisterEntry.objects.get(kind="unidentified_body")
    assert body.status == "pending" and [m.entry.kind for m in body.matches] == ["missing_person"]
    assert RegisterEntry.objects(status="published").count() == 2
