"""Request exports: written by a worker with progress, scoped, free of personal data, defused
for spreadsheets, downloadable by their owner only, gone after a day."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from app.models import ExportJob
from app.services import exports
from tests.helpers.clock import submit_at, user

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


def _csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.db
def test_an_export_writes_the_register_of_what_the_officer_may_see(catalogue_seeded, ctx):
    now = datetime.now(UTC)
    first = submit_at("tenant_verification", now - timedelta(days=2))
    submit_at("grievance", now - timedelta(days=1))
    job = exports.start(user("sho.sector29"), "requests")
    job = exports.run(job.id)
    assert job.status == "done" and job.written == job.total == 2 and job.percent == 100
    with open(exports.path_of(job), "rb") as handle:
        rows = _csv(handle.read())
    assert rows[0] == list(exports.COLUMNS)
    assert rows[1][:4] == [
        first.number,
        "tenant_verification",
        "HR-GGM-SEC29",
        "Received at the police station",
    ]
    text = repr(rows)
    assert first.data["owner_mobile"] not in text and first.data["property_address"] not in text
    # Narrowed to one service; and another state's administrator gets an empty register.
    only = exports.run(exports.start(user("sho.sector29"), "requests", "grievance").id)
    assert only.written == 1
    assert exports.run(exports.start(user("admin.delhi"), "requests").id).written == 0


def test_a_cell_a_spreadsheet_would_run_is_defused():
    assert exports.safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert exports.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert exports.safe_cell("Ravi") == "Ravi" and exports.safe_cell(3) == 3


def test_bad_export_requests_name_the_field(catalogue_seeded, ctx):
    import pytest

    from app.services.errors import FieldErrors

    with pytest.raises(FieldErrors) as error:
        exports.start(user("sho.sector29"), "requests", "no_such_service")
    assert "service" in error.value.errors
    with pytest.raises(FieldErrors):
        exports.start(user("sho.sector29"), "everything")


def test_the_admin_page_starts_an_export_shows_progress_and_serves_it_to_its_owner(
    catalogue_seeded, auth
):
    with catalogue_seeded.app_context():
        submit_at("tenant_verification", datetime.now(UTC))
    auth.login("sho.sector29")
    page = auth.client.get("/admin/exports/").get_data(as_text=True)
    assert "Export requests (CSV)" in page and "Form answers" in page
    bad = auth.client.post(
        "/admin/exports/", data={"service": "nope", "csrf_token": auth.csrf("/admin/exports/")}
    )
    assert bad.status_code == 400 and 'href="#export-service"' in bad.get_data(True)
    started = auth.client.post(
        "/admin/exports/", data={"service": "", "csrf_token": auth.csrf("/admin/exports/")}
    )
    assert started.status_code == 302  # the worker ran it (eager in the unit tier)
    page = auth.client.get("/admin/exports/").get_data(as_text=True)
    assert re.search(r'<progress max="100" value="100"', page) and "Ready: 1 row." in page
    status_url = re.search(r'data-export-status="([^"]+)"', page).group(1)
    status = auth.client.get(status_url).get_json()
    assert status["status"] == "done" and status["percent"] == 100
    download = auth.client.get(status["download"])
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert len(_csv(download.data)) == 2
    auth.logout()
    auth.login("officer.sector29")  # same station, not the owner
    assert auth.client.get(status_url).status_code == 404
    assert auth.client.get(status["download"]).status_code == 404
    auth.logout()
    auth.login("citizen")
    assert auth.client.get("/admin/exports/").status_code in (302, 403)


@pytest.mark.db
def test_day_old_exports_are_removed_with_their_files(catalogue_seeded, ctx):
    job = exports.run(exports.start(user("sho.sector29"), "requests").id)
    path = exports.path_of(job)
    assert exports.purge(datetime.now(UTC) + timedelta(hours=1)) == 0
    assert exports.purge(datetime.now(UTC) + timedelta(days=1, minutes=1)) == 1
    assert ExportJob.objects.count() == 0
    import os

    assert not os.path.exists(path)


@pytest.mark.db
def test_progress_is_recorded_while_the_file_is_written(catalogue_seeded, ctx, monkeypatch):
    now = datetime.now(UTC)
    for hours in (3, 2, 1):
        submit_at("tenant_verification", now - timedelta(hours=hours))
    seen = []
    original = ExportJob.modify

    def spy(self, **changes):
        if "set__written" in changes:
            seen.append((changes.get("set__status"), changes["set__written"], self.total))
        return original(self, **changes)

    monkeypatch.setattr(exports, "BATCH", 1)
    monkeypatch.setattr(ExportJob, "modify", spy)
    exports.run(exports.start(user("sho.sector29"), "requests").id)
    assert seen == [("running", 0, 0), (None, 1, 3), (None, 2, 3), (None, 3, 3), ("done", 3, 3)]
