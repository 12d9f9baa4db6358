"""Appeals, ratings, senior-citizen visits and the daily digest, on an injected clock."""

from datetime import timedelta

import pytest

from app.models import Appeal, Notification, SeniorCitizen, ServiceRequest
from app.services import appeals, digest, seniors, sweep
from app.services.appeals import AppealError
from tests.helpers.clock import MONDAY, act, submit_at, user

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


def _rejected_tenant_request():
    request = submit_at("tenant_verification", MONDAY)
    t = MONDAY + timedelta(hours=1)
    request = act(request, "accept", "officer.sector29", t)
    request = act(request, "submit_report", "officer.sector29", t, "Neighbours do not know him.")
    return act(request, "reject", "sho.sector29", t + timedelta(hours=1), "Adverse antecedents.")


def test_a_rejection_can_be_appealed_and_an_allowed_appeal_reopens_the_request(
    catalogue_seeded, ctx
):
    request = _rejected_tenant_request()
    filed_at = MONDAY + timedelta(days=3)
    assert appeals.eligibility(request, filed_at)[:2] == (1, "rejected")
    appeal = appeals.file(request, user("citizen"), "The report is wrong.", now=filed_at)
    assert appeal.number == f"{request.number}/A1"
    assert appeal.authority_role == "district_supervisor"
    assert appeal.due_at == filed_at + timedelta(days=30)
    assert Notification.objects(recipient=user("acp.gurugram").id, event="appeal_filed").count()
    with pytest.raises(AppealError) as twice:
        appeals.file(request, user("citizen"), "Again.", now=filed_at)
    assert twice.value.http_status == 409

    with pytest.raises(AppealError) as wrong:  # the SHO who rejected is not the authority
        appeals.decide(appeal, user("sho.sector29"), "allowed", "Reconsider.", now=filed_at)
    assert wrong.value.http_status == 403
    with pytest.raises(AppealError) as silent:
        appeals.decide(appeal, user("acp.gurugram"), "allowed", "  ", now=filed_at)
    assert silent.value.errors.keys() == {"remark"}

    decided_at = filed_at + timedelta(days=2)
    appeals.decide(appeal, user("acp.gurugram"), "allowed", "Enquire again.", now=decided_at)
    request = ServiceRequest.objects.get(id=request.id)
    assert request.status == "report_submitted" and request.closed_at is None
    assert request.is_open is True
    assert request.history[-1].action == "reopen_on_appeal"
    assert request.escalation_level == 0 and request.due_at > decided_at
    decided = Notification.objects(recipient=user("citizen").id, event="appeal_decided").first()
    assert "allowed" in decided.text and "Enquire again." in decided.text


def test_a_dismissed_first_appeal_opens_a_second_to_the_next_authority(catalogue_seeded, ctx):
    request = _rejected_tenant_request()
    t = MONDAY + timedelta(days=1)
    first = appeals.file(request, user("citizen"), "Unfair.", now=t)
    appeals.decide(first, user("acp.gurugram"), "dismissed", "The report stands.", now=t)
    level, _grounds, closes = appeals.eligibility(ServiceRequest.objects.get(id=request.id), t)
    assert level == 2 and closes == t + timedelta(days=30)
    second = appeals.file(request, user("citizen"), "Still unfair.", now=t + timedelta(days=1))
    assert second.authority_role == "state_admin"
    assert second.due_at == t + timedelta(days=46)
    assert appeals.eligibility(request, t + timedelta(days=2)) is None  # nothing after the second


def test_an_appeal_lies_only_within_thirty_days(catalogue_seeded, ctx):
    request = _rejected_tenant_request()
    late = request.closed_at + timedelta(days=31)
    assert appeals.eligibility(request, late) is None
    with pytest.raises(AppealError) as error:
        appeals.file(request, user("citizen"), "Late.", now=late)
    assert error.value.http_status == 409


def test_a_missed_deadline_can_be_appealed_while_the_request_is_open(catalogue_seeded, ctx):
    request = submit_at("tenant_verification", MONDAY)
    assert appeals.eligibility(request, MONDAY + timedelta(days=1)) is None
    after = request.due_at + timedelta(hours=1)
    sweep.run(after)
    request = ServiceRequest.objects.get(id=request.id)
    assert appeals.eligibility(request, after)[:2] == (1, "deadline_missed")


def test_only_the_applicant_may_appeal(catalogue_seeded, ctx):
    request = _rejected_tenant_request()
    with pytest.raises(AppealError) as error:
        appeals.file(request, user("hotel"), "Me too.", now=MONDAY + timedelta(days=1))
    assert error.value.http_status == 404


@pytest.mark.db
def test_an_undecided_appeal_is_flagged_to_its_authority_once(catalogue_seeded, ctx):
    request = _rejected_tenant_request()
    appeal = appeals.file(request, user("citizen"), "Unfair.", now=MONDAY + timedelta(days=1))
    after = appeal.due_at + timedelta(minutes=1)
    assert sweep.run(after)["appeal.pending"] == 1
    assert sweep.run(after)["appeal.pending"] == 0
    assert (
        Notification.objects(recipient=user("acp.gurugram").id, event="appeal_overdue").count() == 1
    )
    assert appeals.eligibility(request, after)[0] == 2  # undecided in time: a second appeal lies


@pytest.mark.db
def test_a_poor_rating_opens_an_appeal_and_a_request_is_rated_once(catalogue_seeded, ctx):
    request = submit_at("grievance", MONDAY)
    request = act(request, "take_up", "acp.gurugram", MONDAY)
    request = act(request, "resolve", "acp.gurugram", MONDAY + timedelta(hours=1), "Replied.")
    with pytest.raises(AppealError):
        appeals.rate(request, user("citizen"), "terrible", now=MONDAY)
    request, appeal = appeals.rate(request, user("citizen"), "poor", "No real answer.", MONDAY)
    assert request.rating.score == "poor"
    assert appeal.grounds == "poor_rating" and appeal.authority_role == "state_admin"
    with pytest.raises(AppealError) as again:
        appeals.rate(request, user("citizen"), "good", now=MONDAY)
    assert again.value.http_status == 409
    assert Appeal.objects(request=request.id).count() == 1


def test_an_open_request_cannot_be_rated(catalogue_seeded, ctx):
    request = submit_at("grievance", MONDAY)
    with pytest.raises(AppealError) as error:
        appeals.rate(request, user("citizen"), "good", now=MONDAY)
    assert error.value.http_status == 409


def _registered_senior():
    request = submit_at("senior_citizen_registration", MONDAY)
    t = MONDAY + timedelta(hours=1)
    request = act(request, "accept", "officer.sector29", t)
    request = act(request, "submit_report", "officer.sector29", t, "Lives alone; verified.")
    act(request, "approve", "sho.sector29", t + timedelta(hours=1))
    return SeniorCitizen.objects.get(request=request.id)


def test_a_registered_senior_gets_visits_on_the_stations_schedule(catalogue_seeded, ctx):
    senior = _registered_senior()
    assert senior.name == "Test value"  # the form's full_name, not the account holder's name
    assert senior.visit_every_days == 7
    assert senior.next_visit_due == MONDAY + timedelta(hours=2, days=7)
    visit_at = MONDAY + timedelta(days=6)
    senior = seniors.record_visit(
        senior, user("officer.sector29"), visit_at, "All well.", now=visit_at
    )
    assert senior.next_visit_due == visit_at + timedelta(days=7)
    assert senior.visits[0].remarks == "All well."


def test_a_visit_cannot_be_in_the_future_or_by_another_station(catalogue_seeded, ctx):
    senior = _registered_senior()
    with pytest.raises(seniors.VisitError) as future:
        seniors.record_visit(
            senior, user("officer.sector29"), MONDAY + timedelta(days=2), now=MONDAY
        )
    assert future.value.errors.keys() == {"at"}
    with pytest.raises(seniors.VisitError) as other:
        seniors.record_visit(senior, user("officer.nitkotwali"), MONDAY, now=MONDAY)
    assert other.value.http_status == 404


@pytest.mark.db
def test_a_missed_visit_is_escalated_to_the_sho_once(catalogue_seeded, ctx):
    senior = _registered_senior()
    late = senior.next_visit_due + timedelta(hours=1)
    assert sweep.run(late)["senior_citizen.enrolled"] == 1
    assert sweep.run(late + timedelta(hours=1))["senior_citizen.enrolled"] == 0
    missed = Notification.objects(recipient=user("sho.sector29").id, event="senior_visit_missed")
    assert missed.count() == 1 and senior.number in missed.first().text


@pytest.mark.db
def test_each_missed_due_date_is_escalated_once_and_a_visit_clears_the_flag(catalogue_seeded, ctx):
    senior = _registered_senior()
    late = senior.next_visit_due + timedelta(hours=1)
    assert sweep.run(late)["senior_citizen.enrolled"] == 1
    senior = seniors.record_visit(senior, user("officer.sector29"), late, now=late)
    assert senior.visit_missed_notified is False
    assert sweep.run(late + timedelta(days=1))["senior_citizen.enrolled"] == 0  # next one not due
    missed_again = senior.next_visit_due + timedelta(hours=1)
    assert sweep.run(missed_again)["senior_citizen.enrolled"] == 1
    missed = Notification.objects(recipient=user("sho.sector29").id, event="senior_visit_missed")
    assert missed.count() == 2


@pytest.mark.db
def test_the_sho_ends_a_registration_with_reasons_and_its_clock_stops(catalogue_seeded, ctx):
    senior = _registered_senior()
    officer, sho = user("officer.sector29"), user("sho.sector29")
    assert not seniors.may_end(officer, senior) and seniors.may_end(sho, senior)
    with pytest.raises(seniors.VisitError) as not_theirs:
        seniors.end(senior, officer, "Moved to Pune.")
    assert not_theirs.value.http_status == 403
    with pytest.raises(seniors.VisitError) as no_reason:
        seniors.end(senior, sho, "  ")
    assert no_reason.value.errors.keys() == {"remark"}
    senior = seniors.end(senior, sho, "Moved to Pune.", now=MONDAY + timedelta(days=1))
    assert (senior.status, senior.ended_reason, senior.version) == ("ended", "Moved to Pune.", 2)
    assert sweep.run(senior.next_visit_due + timedelta(days=1))["senior_citizen.enrolled"] == 0
    with pytest.raises(seniors.VisitError) as ended:
        seniors.record_visit(senior, officer, MONDAY + timedelta(days=1), now=MONDAY)
    assert ended.value.http_status == 409


@pytest.mark.db
def test_registrations_from_before_the_engine_are_brought_over(catalogue_seeded, ctx):
    senior = _registered_senior()
    collection = SeniorCitizen._get_collection()
    collection.update_one(
        {"_id": senior.id},
        {
            "$unset": {"status": "", "visit_missed_notified": ""},
            "$set": {"active": False, "missed_notified_for": senior.next_visit_due},
        },
    )
    assert seniors.MACHINE.backfill_versions() >= 2
    row = collection.find_one({"_id": senior.id})
    assert (row["status"], row["visit_missed_notified"]) == ("ended", True)
    assert "active" not in row and "missed_notified_for" not in row


@pytest.mark.db
def test_the_daily_digest_counts_open_due_today_and_overdue_per_service(catalogue_seeded, ctx):
    overdue = submit_at("tenant_verification", MONDAY)
    submit_at("tenant_verification", overdue.due_at - timedelta(days=8) + timedelta(hours=2))
    submit_at("grievance", MONDAY)
    at = overdue.due_at + timedelta(hours=1)
    tallies = digest.counts({"station": overdue.station.id}, at)
    assert tallies["tenant_verification"]["open"] == 2
    assert tallies["tenant_verification"]["overdue"] == 1
    assert tallies["grievance"]["open"] == 1
    assert digest.send_daily(at) >= 2  # the SHO of Sector 29 and the Gurugram supervisor at least
    assert digest.send_daily(at) == 0  # the same day again: nothing twice
    text = Notification.objects(recipient=user("sho.sector29").id, event="digest").first().text
    assert "3 open" in text and "1 overdue" in text
