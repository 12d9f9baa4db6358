"""services.stats: figures kept at write time (facts once, folded into monthly totals at the
station, district and state), read at the viewer's level, rebuilt for older data."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import StatFact, StatTotal
from app.services import dashboard, open_data, stats, workflow
from tests.helpers.clock import act, submit_at, user

# Queries by equality and the fold's writes: run on FerretDB too (tests/unit/conftest.py).
pytestmark = pytest.mark.db

NOW = datetime.now(UTC).replace(microsecond=0)


def _decide(action, remark="As checked."):
    request = submit_at("tenant_verification", NOW - timedelta(hours=3))
    request = act(request, "accept", "officer.sector29", NOW - timedelta(hours=2))
    request = act(request, "submit_report", "officer.sector29", NOW - timedelta(hours=1), "Fine.")
    return act(request, action, "sho.sector29", NOW, remark)


def _month(who):
    month = stats.month_of(NOW)
    return stats.figures(user(who), [month]).get((month, "tenant_verification"))


def test_each_level_reads_the_same_figures_and_another_state_none(catalogue_seeded, ctx):
    _decide("approve")
    submit_at("tenant_verification", NOW - timedelta(minutes=30))
    assert stats.fold(NOW) >= 1
    for who in ("officer.sector29", "sho.sector29", "acp.gurugram", "admin.haryana"):
        figures = _month(who)
        assert (figures["received"], figures["closed"], figures["within_limit"]) == (2, 1, 1), who
        assert figures["late"] == 0 and figures["timed_closed"] == 1
    assert _month("officer.nitkotwali") is None  # another station's officer
    assert stats.figures(user("admin.delhi"), [stats.month_of(NOW)]) == {}
    assert dashboard.disposal(user("admin.haryana"), NOW)["tenant_verification"] == {
        "closed": 1,
        "average_days": 0.1,  # three hours
        "within_limit": 1,
    }


def test_a_fact_counts_once_and_folding_again_changes_nothing(catalogue_seeded, ctx):
    request = _decide("approve")
    assert stats.received(request) is False and stats.closed(request) is False  # a retry
    stats.fold(NOW)
    before = {row["_id"]: row for row in StatTotal.objects.as_pymongo()}
    stats.fold(NOW + timedelta(minutes=1))  # nothing dirty: nothing rewritten
    stats.StatDirty(bucket=StatFact.objects.first().bucket).save()
    stats.fold(NOW + timedelta(minutes=2))  # recomputed from the facts: the same totals
    after = {row["_id"]: row for row in StatTotal.objects.as_pymongo()}
    assert {k: v["closed"] for k, v in after.items()} == {k: v["closed"] for k, v in before.items()}
    assert len(after) == 3  # the station, its district and its state


def test_a_closure_an_appeal_reopens_is_taken_back(catalogue_seeded, ctx):
    request = _decide("reject", "Adverse report.")
    stats.fold(NOW)
    assert _month("admin.haryana")["closed"] == 1
    reopened = workflow.reopen(request, "report_submitted", user("acp.gurugram"), "x", "r", NOW)
    stats.fold(NOW + timedelta(minutes=1))
    assert _month("admin.haryana")["closed"] == 0
    act(reopened, "approve", "sho.sector29", NOW)  # decided again: counted again, once
    stats.fold(NOW + timedelta(minutes=2))
    figures = _month("admin.haryana")
    assert (figures["closed"], figures["received"]) == (1, 1)


def test_rebuild_gives_the_same_figures_as_the_live_facts(catalogue_seeded, ctx):
    _decide("approve")
    submit_at("tenant_verification", NOW - timedelta(minutes=10))
    stats.fold(NOW)
    live = _month("admin.haryana")
    StatFact.objects.delete()
    StatTotal.objects.delete()
    assert stats.needs_rebuild()
    assert stats.rebuild() == 3  # two received, one closed
    stats.fold(NOW + timedelta(minutes=1))
    assert _month("admin.haryana") == live and not stats.needs_rebuild()


def test_open_data_disposal_comes_from_the_district_totals(catalogue_seeded, ctx):
    _decide("approve")
    stats.fold(NOW)
    rows = list(open_data._disposal_by_month()["rows"]())
    [row] = [r for r in rows if r["service"] == "tenant_verification"]
    assert (row["district"], row["closed"], row["within_limit"]) == ("GGM", 1, 1)
    assert row["share_within_limit_percent"] == 100.0 and row["month"] == stats.month_of(NOW)
