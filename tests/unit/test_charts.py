"""Supervisors' charts: the geometry, the figures behind them, and the page that draws them
without JavaScript, with a pattern per series and a table of the same figures."""

import re
from datetime import UTC, datetime, timedelta

from app.services import charts, dashboard, stats
from tests.helpers.clock import act, submit_at, user

SERIES = [charts.Series("a", "A", "solid"), charts.Series("b", "B", "hatch")]


def test_bars_are_scaled_to_the_largest_total_and_stacked():
    chart = charts.bar_chart("t", SERIES, [("one", {"a": 2, "b": 2}), ("two", {"a": 1})])
    first, second = chart.rows
    assert first["total"] == 4 and second["total"] == 1
    assert first["segments"][0]["width"] == charts.BAR_AREA / 2
    assert first["segments"][1]["x"] == charts.LABEL_WIDTH + charts.BAR_AREA / 2
    assert first["end"] == charts.LABEL_WIDTH + charts.BAR_AREA
    assert [s["series"].key for s in second["segments"]] == ["a"]  # no zero-width "b"
    assert second["y"] - first["y"] == charts.ROW_HEIGHT
    assert chart.height == 2 * charts.TOP + 2 * charts.ROW_HEIGHT


def test_a_fixed_scale_and_rows_of_nothing_draw_no_bar():
    chart = charts.bar_chart("t", SERIES[:1], [("x", {"a": 50}), ("y", {"a": 0})], maximum=100)
    assert chart.rows[0]["segments"][0]["width"] == charts.BAR_AREA / 2
    assert chart.rows[1]["segments"] == [] and chart.rows[1]["total"] == 0
    empty = charts.bar_chart("t", SERIES, [])
    assert empty.rows == [] and empty.height > 0


def test_month_starts_follow_the_indian_calendar():
    # 31 Oct 2026, 20:00 UTC is already 1 November in India.
    starts = dashboard.month_starts(datetime(2026, 10, 31, 20, 0, tzinfo=UTC), 3)
    assert [(s.year, s.month, s.day) for s in starts] == [
        (2026, 9, 1),
        (2026, 10, 1),
        (2026, 11, 1),
    ]
    across = dashboard.month_starts(datetime(2026, 2, 10, tzinfo=UTC), 3)
    assert [(s.year, s.month) for s in across] == [(2025, 12), (2026, 1), (2026, 2)]


def test_the_figures_count_open_work_by_status_and_decisions_by_month(catalogue_seeded, ctx):
    now = datetime.now(UTC)
    submit_at("tenant_verification", now - timedelta(days=20))  # overdue
    submit_at("tenant_verification", now - timedelta(hours=1))  # on time
    paused = submit_at("tenant_verification", now - timedelta(hours=2))
    paused = act(paused, "accept", "officer.sector29", now - timedelta(hours=1))
    act(paused, "ask_documents", "officer.sector29", now, "Rent agreement, please.")
    decided = submit_at("tenant_verification", now - timedelta(hours=3))
    decided = act(decided, "accept", "officer.sector29", now - timedelta(hours=2))
    decided = act(decided, "submit_report", "officer.sector29", now - timedelta(hours=1), "Fine.")
    act(decided, "approve", "sho.sector29", now)

    sho = user("sho.sector29")
    assert dashboard.open_by_service(sho, now)["tenant_verification"] == {
        "on_time": 1,
        "overdue": 1,
        "paused": 1,
    }
    stats.fold(now)  # the beat's fold, every minute: the figures are its totals
    months = dict(dashboard.per_month(sho, now))
    this_month = dashboard.month_starts(now, 1)[0]
    assert months[this_month]["within_limit"] == 1 and months[this_month]["late"] == 0
    assert months[this_month]["received"] >= 3  # the 20-day-old one may fall in last month
    assert sum(t["received"] for t in months.values()) == 4
    # Another state's officer counts none of it.
    assert dashboard.open_by_service(user("admin.delhi"), now) == {}


def test_the_supervision_page_draws_the_charts_with_their_tables(catalogue_seeded, auth):
    with catalogue_seeded.app_context():
        submit_at("tenant_verification", datetime.now(UTC) - timedelta(days=20))
    auth.login("acp.gurugram")
    page = auth.client.get("/admin/supervision/").get_data(as_text=True)
    main = page.split("<main")[1].split("</main>")[0]
    assert main.count('<figure class="chart"') == 4 and "<script" not in main
    within = main.split('id="chart-within"')[1].split("</figure>")[0]
    assert "Nothing to show yet." in within and 'role="img"' not in within  # nothing closed
    chart = page.split('id="chart-overdue"')[1].split("</figure>")[0]
    assert 'aria-labelledby="chart-overdue-caption"' in chart
    assert re.search(r'<th scope="row">HR-GGM-SEC29</th><td>1</td>', chart)  # the table
    assert "url(#chart-overdue-hatch)" in chart  # a pattern, not a colour alone
    assert re.search(r'class="chart-value">1</text>', chart)  # the number on the bar
    auth.client.post(
        "/language", data={"language": "hi", "next": "/", "csrf_token": auth.csrf("/")}
    )
    hindi = auth.client.get("/admin/supervision/").get_data(as_text=True)
    assert "पुलिस थाने के अनुसार" in hindi
