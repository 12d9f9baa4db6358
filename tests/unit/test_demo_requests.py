"""The demo requests of `make run`: day one shows an escalation, a pause, an appeal, a visit due."""

from datetime import UTC, datetime

from app.models import SeniorCitizen, ServiceRequest
from app.services import appeals, seed, sweep


def test_demo_requests_give_the_clock_something_to_show_and_are_seeded_once(catalogue_seeded, ctx):
    counts = seed.seed_all(include_demo_users=True, include_demo_requests=True)
    assert counts["demo_requests.yaml"] == 5
    assert seed.seed_all(True, include_demo_requests=True)["demo_requests.yaml"] == 0
    now = datetime.now(UTC)
    done = sweep.run(now)
    assert done["escalated"] == 1 and done["senior_visits_missed"] == 1
    by_service = {}
    for request in ServiceRequest.objects.order_by("submitted_at"):
        by_service.setdefault(request.service, []).append(request)
    old, paused = by_service["tenant_verification"]
    assert old.escalation_level == 1 and old.escalations[0].role == "district_supervisor"
    assert paused.status == "awaiting_documents" and paused.paused_at is not None
    [grievance] = by_service["grievance"]
    assert appeals.eligibility(grievance, now)[:2] == (1, "rejected")
    assert SeniorCitizen.objects.count() == 1
