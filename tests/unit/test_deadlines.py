"""The Citizens Charter clock: due dates, pauses, warnings and escalation up the chain.

Every test drives the clock through `now` (an injected time), never by waiting.
"""

import threading
from datetime import timedelta

import pytest

from app.models import Notification, OutboxMessage, RequestEvent, ServiceRequest
from app.services import deadlines, events, notify, sla, sweep
from tests.helpers.clock import MONDAY, act, submit_at, user

# Queries, indexes, concurrency or stored formats: run on FerretDB too (tests/unit/conftest.py).
pytestmark = pytest.mark.db


def _reload(request):
    return ServiceRequest.objects.get(id=request.id)


def _notified(who, event):
    return Notification.objects(recipient=user(who).id, event=event)


def test_submission_sets_the_designated_deadline_the_warning_and_the_escalation(
    catalogue_seeded, ctx
):
    request = submit_at("tenant_verification", MONDAY)
    expected = sla.add_limit(request.state, MONDAY, {"value": 7, "unit": "working_days"})
    assert request.due_at == expected == request.escalate_at
    assert expected.weekday() == 1 and (expected - MONDAY).days == 8  # Tue next week: Sun off
    assert MONDAY < request.warn_at < request.due_at
    assert request.escalation_level == 0


def test_nothing_happens_before_the_deadline(catalogue_seeded, ctx):
    request = submit_at("tenant_verification", MONDAY)
    done = sweep.run(request.warn_at - timedelta(minutes=1))
    assert done["escalated"] == 0 and done["warned"] == 0
    assert _reload(request).escalation_level == 0


def test_the_station_is_warned_once_at_the_configured_share_of_the_limit(catalogue_seeded, ctx):
    request = submit_at("tenant_verification", MONDAY)
    at = request.warn_at + timedelta(minutes=1)
    assert sweep.run(at)["warned"] == 1
    assert sweep.run(at)["warned"] == 0  # a second beat, or a re-run: nothing twice
    warnings = _notified("sho.sector29", "warning")
    assert warnings.count() == 1 and request.number in warnings.first().text
    assert _reload(request).warn_at is None


def test_the_warning_goes_to_the_assigned_officer_once_there_is_one(catalogue_seeded, ctx):
    request = submit_at("tenant_verification", MONDAY)
    request = act(request, "accept", "officer.sector29", MONDAY + timedelta(hours=1))
    sweep.run(request.warn_at + timedelta(minutes=1))
    assert _notified("officer.sector29", "warning").count() == 1
    assert _notified("sho.sector29", "warning").count() == 0


def test_a_missed_deadline_escalates_up_the_chain_and_notifies_each_tier(catalogue_seeded, ctx):
    request = submit_at("tenant_verification", MONDAY)
    first_due = request.due_at
    at = first_due + timedelta(minutes=1)
    assert sweep.run(at)["escalated"] == 1
    request = _reload(request)
    assert request.escalation_level == 1
    assert request.escalations[0].role == "district_supervisor"
    assert request.escalations[0].missed_due_at == first_due
    assert request.due_at == sla.add_limit(request.state, at, {"value": 7, "unit": "working_days"})
    supervisor = _notified("acp.gurugram", "escalated")
    assert supervisor.count() == 1 and "escalated to you" in supervisor.first().text
    applicant = _notified("citizen", "escalated")
    assert applicant.count() == 1 and "appeal" in applicant.first().text
    [email] = OutboxMessage.objects(to=user("acp.gurugram").email)
    assert email.key == f"{request.id}:escalated:v1:{user('acp.gurugram').id}:email"
    assert sweep.run(at)["escalated"] == 0  # the same minute again: once only

    at2 = request.due_at + timedelta(minutes=1)
    assert sweep.run(at2)["escalated"] == 1
    request = _reload(request)
    assert request.escalation_level == 2 and request.escalate_at is None
    assert _notified("admin.haryana", "escalated").count() == 1
    assert _notified("citizen", "escalated").count() == 2
    # The top of the chain: nothing higher, and the sweep no longer picks it up.
    assert sweep.run(request.due_at + timedelta(days=30))["escalated"] == 0
    assert _reload(request).escalation_level == 2


def test_escalation_speaks_the_recipients_language(catalogue_seeded, ctx):
    user("acp.gurugram").update(set__language="hi")
    request = submit_at("tenant_verification", MONDAY)
    sweep.run(request.due_at + timedelta(minutes=1))
    text = _notified("acp.gurugram", "escalated").first().text
    assert "आपको" in text and request.number in text
    assert "appeal" in _notified("citizen", "escalated").first().text


def test_a_paused_state_stops_the_clock_and_resuming_shifts_the_deadlines(catalogue_seeded, ctx):
    request = submit_at("tenant_verification", MONDAY)
    due = request.due_at
    request = act(request, "accept", "officer.sector29", MONDAY + timedelta(hours=1))
    paused_at = MONDAY + timedelta(hours=2)
    request = act(request, "ask_documents", "officer.sector29", paused_at, "Send the lease deed.")
    assert request.paused_at == paused_at
    # Paused past the original deadline: no escalation, no warning.
    assert sweep.run(due + timedelta(days=2)) == {
        "escalated": 0,
        "warned": 0,
        "appeal.pending": 0,
        "senior_citizen.enrolled": 0,
        "fir.pending_confirmation": 0,
        "fir.preliminary_enquiry": 0,
    }
    resumed = due + timedelta(days=3)
    request = act(request, "documents_given", "citizen", resumed)
    shifted = resumed - paused_at
    assert request.paused_at is None
    assert request.due_at == due + shifted and request.escalate_at == due + shifted
    assert sweep.run(due + shifted - timedelta(minutes=1))["escalated"] == 0
    assert sweep.run(due + shifted + timedelta(minutes=1))["escalated"] == 1


def test_a_final_state_stops_the_clock(catalogue_seeded, ctx):
    request = submit_at("grievance", MONDAY)
    request = act(request, "take_up", "acp.gurugram", MONDAY + timedelta(hours=1))
    request = act(request, "resolve", "acp.gurugram", MONDAY + timedelta(hours=2))
    assert request.escalate_at is None and request.warn_at is None
    assert sweep.run(request.due_at + timedelta(days=90))["escalated"] == 0


def test_two_sweeps_at_the_same_moment_escalate_each_request_once(catalogue_seeded, ctx, app):
    requests = [submit_at("tenant_verification", MONDAY) for _ in range(4)]
    at = requests[0].due_at + timedelta(minutes=1)
    results = []

    def beat():
        with app.app_context():
            results.append(sweep.run(at)["escalated"])

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 4
    for request in requests:
        request = _reload(request)
        assert request.escalation_level == 1 and len(request.escalations) == 1
    assert _notified("acp.gurugram", "escalated").count() == 4


def test_an_escalation_whose_claimant_died_is_retried_in_the_next_window(catalogue_seeded, ctx):
    from app.services import claims

    request = submit_at("tenant_verification", MONDAY)
    at = request.due_at + timedelta(minutes=1)
    window = int(at.timestamp() // deadlines.CLAIM_WINDOW_SECONDS)
    assert claims.take(f"escalate:{request.id}:L1:w{window}")  # taken, then the process died
    assert sweep.run(at)["escalated"] == 0
    later = at + timedelta(seconds=deadlines.CLAIM_WINDOW_SECONDS)
    assert sweep.run(later)["escalated"] == 1
    assert _reload(request).escalation_level == 1


def test_an_event_whose_task_was_lost_is_found_and_processed_once(catalogue_seeded, ctx):
    request = submit_at("grievance", MONDAY)
    key = events.key_of(request.id, "submitted", 1)
    RequestEvent.objects(key=key).update_one(set__done_at=None)  # as if the broker lost it
    Notification.objects.delete()
    assert key not in events.pending(now=MONDAY + timedelta(seconds=30))  # not yet: in flight
    assert key in events.pending(now=MONDAY + timedelta(minutes=5))
    # Queued again just now: the next minute's beat leaves it alone (no backlog amplification).
    assert key not in events.pending(now=MONDAY + timedelta(minutes=6))
    assert key in events.pending(now=MONDAY + timedelta(minutes=8))
    assert notify.process_event(key) >= 1
    assert notify.process_event(key) == 0
    assert events.pending(now=MONDAY + timedelta(minutes=30)) == []
    assert Notification.objects(event="submitted").count() == 1


def test_services_without_a_clock_never_escalate(catalogue_seeded, ctx):
    request = submit_at("lost_article", MONDAY)
    assert request.due_at is None and request.escalate_at is None and request.warn_at is None


def test_every_step_of_the_clock_leaves_an_audit_event(catalogue_seeded, ctx):
    from app.models import AuditEvent

    request = submit_at("tenant_verification", MONDAY)
    act(request, "accept", "officer.sector29", MONDAY + timedelta(hours=1))
    sweep.run(request.due_at + timedelta(minutes=1))
    actions = [e.action for e in AuditEvent.objects(object_id=str(request.id)).order_by("id")]
    assert actions == ["request.submit", "request.transition", "request.escalate"]


# --- Due-hour buckets (services.due_hours): the sweep reads what is due, not what is open ------


def _cursor(clock="escalate"):
    from app.models import SweepCursor

    return SweepCursor.objects.get(name=clock)


def test_each_clock_time_is_stored_with_its_hour_and_a_pause_takes_it_out_of_the_buckets(
    catalogue_seeded, ctx
):
    from app.services import due_hours

    request = submit_at("tenant_verification", MONDAY)
    assert request.escalate_hour == due_hours.hour_of(request.escalate_at)
    assert request.warn_hour == due_hours.hour_of(request.warn_at)
    request = act(request, "accept", "officer.sector29", MONDAY + timedelta(hours=1))
    request = act(request, "ask_documents", "officer.sector29", MONDAY + timedelta(hours=2), "Deed")
    assert request.escalate_hour is None and request.warn_hour is None
    assert request.escalate_at is not None  # kept, to be shifted on resuming
    request = act(request, "documents_given", "citizen", MONDAY + timedelta(days=1))
    assert request.escalate_hour == due_hours.hour_of(request.escalate_at)


def test_a_quiet_sweep_moves_the_cursor_to_the_current_hour_and_no_further(catalogue_seeded, ctx):
    from app.services import due_hours

    request = submit_at("tenant_verification", MONDAY)
    sweep.run(MONDAY + timedelta(hours=1))
    assert _cursor().hour == due_hours.hour_of(MONDAY + timedelta(hours=1))
    sweep.run(request.due_at + timedelta(minutes=1))
    assert _cursor().hour == due_hours.hour_of(request.due_at)


def test_a_time_written_behind_the_cursor_is_still_swept(catalogue_seeded, ctx):
    """A clock stored at an hour the sweep has passed (an import, a late resume, a moved test
    clock) lowers the cursor; without that it would never be read again."""
    sweep.run(MONDAY + timedelta(days=30))
    request = submit_at("tenant_verification", MONDAY)
    assert request.due_at < MONDAY + timedelta(days=30)
    assert sweep.run(MONDAY + timedelta(days=30, minutes=1))["escalated"] == 1
    assert _reload(request).escalation_level == 1


def test_a_sweep_cannot_move_the_cursor_past_a_write_it_did_not_see(catalogue_seeded, ctx):
    from app.services import due_hours

    sweep.run(MONDAY)
    seen = _cursor()  # the sweep read the cursor, then an hour as empty ...
    due_hours.reach_back({"escalate_hour": seen.hour})  # ... while a write landed in it
    assert not due_hours._advance(seen, seen.hour + 1)
    assert _cursor().hour == seen.hour


def test_the_cursor_waits_at_an_hour_until_its_due_work_is_done(catalogue_seeded, ctx):
    from app.services import claims, due_hours

    request = submit_at("tenant_verification", MONDAY)
    at = request.due_at + timedelta(hours=3)
    window = int(at.timestamp() // deadlines.CLAIM_WINDOW_SECONDS)
    assert claims.take(f"escalate:{request.id}:L1:w{window}")  # another sweeper holds it
    assert sweep.run(at)["escalated"] == 0
    assert _cursor().hour == due_hours.hour_of(request.due_at)
    later = at + timedelta(seconds=deadlines.CLAIM_WINDOW_SECONDS)
    assert sweep.run(later)["escalated"] == 1
    sweep.run(later + timedelta(minutes=1))
    assert _cursor().hour == due_hours.hour_of(later)


def test_after_a_long_stop_the_sweep_jumps_over_empty_hours(catalogue_seeded, ctx, monkeypatch):
    from app.models import ServiceRequest as Model
    from app.services import due_hours

    sweep.run(MONDAY - timedelta(days=400))  # the cursor, a year before anything is due
    request = submit_at("tenant_verification", MONDAY)
    reads = []
    original = due_hours._bucket
    monkeypatch.setattr(due_hours, "_bucket", lambda *a: reads.append(a) or original(*a))
    assert sweep.run(request.due_at + timedelta(minutes=1))["escalated"] == 1
    assert len(reads) <= 2 * (due_hours.WALK + 3)  # not one read per hour of the year
    assert Model.objects.get(id=request.id).escalation_level == 1


def test_a_notice_processed_after_the_request_climbed_again_gives_its_own_tiers_deadline(
    catalogue_seeded, ctx, app
):
    """A worker restarted late may process the tier-0 warning after the tier-1 escalation: the
    warning must still go to tier 0's officer with the deadline tier 0 had, not to tier 1's with
    tier 1's (the cluster kill test saw tier 1's officer get two warnings that read the same)."""
    from flask_babel import force_locale

    from app.services import service_types

    request = submit_at("tenant_verification", MONDAY)
    first_due = request.due_at
    sweep.run(first_due + timedelta(minutes=1))
    request = _reload(request)
    second_due = request.due_at
    sweep.run(second_due + timedelta(minutes=1))
    request = _reload(request)
    assert notify._tier_due(request, 0) == first_due
    assert notify._tier_due(request, 1) == second_due
    assert notify._tier_due(request, 2) == request.due_at
    definition = service_types.definition_of(request)
    with app.test_request_context(), force_locale("en"):
        kind, values = notify._notice(
            notify.Context(request, definition, "warning", 0), "assignee", "en"
        )
        assert kind == "request_warning" and values["due"] == notify._when(first_due)
        assert values["due"] != notify._when(second_due)
        late = notify.Context(request, definition, "warning", 0)
        assert [u.email for u, _ in late.recipients("assignee")] == [user("sho.sector29").email]
