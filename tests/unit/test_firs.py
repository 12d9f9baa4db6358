"""FIRs: numbers per station and year, e-FIR confirmation within three days, Zero FIR transfer,
preliminary enquiry, case progress told to the complainant, and who may see what."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Fir, Notification, PoliceStation, ServiceRequest
from app.services import firs, sweep
from app.services.firs import FirError
from tests.helpers.clock import act, submit_at, user

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.

NOW = datetime.now(UTC).replace(microsecond=0)


def _station(code="HR-GGM-SEC29"):
    return PoliceStation.objects.get(code=code)


def _form(**changes):
    form = {
        "informant_name": "Test value",
        "informant_address": "House 7, Sector 29, Gurugram",
        "category": "theft",
        "sections": ["BNS 303(2)"],
        "occurred_from": (NOW - timedelta(days=1)).isoformat(),
        "place": "Sector 29 market, Gurugram",
        "brief": "My phone was stolen from my scooter's dicky.",
    }
    form.update(changes)
    return form


def _complaint_under_enquiry(now=NOW):
    complaint = submit_at("complaint", now)
    complaint = act(complaint, "acknowledge", "officer.sector29", now)
    return act(complaint, "start_enquiry", "officer.sector29", now)


def _notices(who, event):
    return Notification.objects(recipient=user(who).id, event=event)


@pytest.mark.db
def test_a_desk_fir_is_numbered_per_station_and_year(catalogue_seeded, ctx):
    sho = user("sho.sector29")
    first = firs.register(sho, _station(), _form(), now=NOW)
    second = firs.register(sho, _station(), _form(), now=NOW)
    year = NOW.year
    assert (first.status, first.number, second.number) == (
        "registered",
        f"0001/{year}",
        f"0002/{year}",
    )
    other = firs.register(user("sho.nitkotwali"), _station("HR-FBD-NITK"), _form(), now=NOW)
    assert other.number == f"0001/{year}"  # another station's register starts at one
    assert first.key == f"HR-GGM-SEC29/{year}/1" and not first.sensitive


def test_bad_input_names_the_field_and_saves_nothing(catalogue_seeded, ctx):
    sho = user("sho.sector29")
    with pytest.raises(FirError) as error:
        firs.register(
            sho,
            _station(),
            _form(
                informant_name=" ",
                category="witchcraft",
                sections=["BNS 999"],
                occurred_from=(NOW + timedelta(days=2)).isoformat(),
                accused_known="y",
            ),
            now=NOW,
        )
    assert set(error.value.errors) == {
        "informant_name",
        "category",
        "sections",
        "occurred_from",
        "accused",
    }
    assert Fir.objects.count() == 0


def test_an_officer_of_another_station_cannot_register_here(catalogue_seeded, ctx):
    with pytest.raises(FirError) as error:
        firs.register(user("sho.nitkotwali"), _station(), _form(), now=NOW)
    assert error.value.http_status == 403
    with pytest.raises(FirError):
        firs.register(user("citizen"), _station(), _form(), now=NOW)


def test_an_efir_is_on_record_only_once_the_informant_signs_it(catalogue_seeded, ctx):
    complaint = _complaint_under_enquiry()
    fir = firs.register(user("sho.sector29"), _station(), _form(), complaint=complaint, now=NOW)
    assert fir.status == "pending_confirmation" and fir.number is None
    assert fir.key.startswith("draft:") and fir.complainant.id == user("citizen").id
    assert _notices("citizen", "fir_confirm").count() == 1
    with pytest.raises(FirError) as wrong:
        firs.confirm(fir, user("citizen"), "Someone Else", now=NOW)
    assert "signed_name" in wrong.value.errors
    with pytest.raises(FirError) as stranger:
        firs.confirm(fir, user("officer.sector29"), "Test value", now=NOW)
    assert stranger.value.http_status == 404
    fir = firs.confirm(fir, user("citizen"), "  test VALUE ", now=NOW + timedelta(days=2))
    assert fir.status == "registered" and fir.number == f"0001/{NOW.year}"
    complaint = ServiceRequest.objects.get(id=complaint.id)
    assert complaint.status == "fir_registered" and fir.number in complaint.history[-1].remark
    assert _notices("citizen", "fir_registered").count() == 1
    with pytest.raises(FirError):  # once only
        firs.confirm(fir, user("citizen"), "Test value", now=NOW)


@pytest.mark.db
def test_an_unconfirmed_efir_lapses_after_three_days_with_a_notice(catalogue_seeded, ctx):
    complaint = _complaint_under_enquiry()
    fir = firs.register(user("sho.sector29"), _station(), _form(), complaint=complaint, now=NOW)
    assert sweep.run(NOW + timedelta(days=2))["fir.pending_confirmation"] == 0
    assert sweep.run(NOW + timedelta(days=3, minutes=1))["fir.pending_confirmation"] == 1
    assert sweep.run(NOW + timedelta(days=3, minutes=2))["fir.pending_confirmation"] == 0  # once
    fir.reload()
    assert fir.status == "lapsed" and fir.number is None
    assert _notices("citizen", "fir_lapsed").count() == 1
    with pytest.raises(FirError) as late:
        firs.confirm(fir, user("citizen"), "Test value", now=NOW + timedelta(days=4))
    assert late.value.http_status == 409
    # The complaint is still open: the station may draft again.
    assert ServiceRequest.objects.get(id=complaint.id).status == "under_enquiry"
    again = firs.register(user("sho.sector29"), _station(), _form(), complaint=complaint, now=NOW)
    assert again.status == "pending_confirmation"


@pytest.mark.db
def test_a_preliminary_enquiry_is_only_for_three_to_seven_years_and_is_watched(
    catalogue_seeded, ctx
):
    sho = user("sho.sector29")
    with pytest.raises(FirError) as error:  # robbery: ten years
        firs.register(
            sho, _station(), _form(sections=["BNS 309(4)"], preliminary_enquiry="y"), now=NOW
        )
    assert "preliminary_enquiry" in error.value.errors
    fir = firs.register(
        sho, _station(), _form(sections=["BNS 316(2)"], preliminary_enquiry="y"), now=NOW
    )
    assert fir.status == "preliminary_enquiry" and fir.number is None
    assert fir.enquiry_due == NOW + timedelta(days=14)
    assert sweep.run(NOW + timedelta(days=15))["fir.preliminary_enquiry"] == 1
    assert sweep.run(NOW + timedelta(days=15, minutes=1))["fir.preliminary_enquiry"] == 0
    assert _notices("sho.sector29", "fir_enquiry_overdue").count() == 1
    fir = firs.conclude_enquiry(fir.reload(), sho, True, "Entrustment shown.", now=NOW)
    assert fir.status == "registered" and fir.number == f"0001/{NOW.year}"


def test_a_zero_fir_is_transferred_and_re_registered_with_both_numbers_linked(
    catalogue_seeded, ctx
):
    zero = firs.register(
        user("sho.sector29"),
        _station(),
        _form(zero="y", jurisdiction_station="HR-FBD-NITK", place="NIT market, Faridabad"),
        now=NOW,
    )
    assert zero.number == f"Z-0001/{NOW.year}" and zero.key == f"HR-GGM-SEC29/Z{NOW.year}/1"
    with pytest.raises(FirError):  # not yet transferred
        firs.reregister(zero, user("sho.nitkotwali"), now=NOW)
    firs.transfer(zero, user("sho.sector29"), now=NOW)
    assert _notices("sho.nitkotwali", "fir_transferred").count() == 1
    with pytest.raises(FirError) as wrong_station:
        firs.reregister(zero.reload(), user("sho.sector29"), now=NOW)
    assert wrong_station.value.http_status == 403
    local = firs.reregister(zero.reload(), user("sho.nitkotwali"), now=NOW)
    assert local.number == f"0001/{NOW.year}" and local.station.code == "HR-FBD-NITK"
    assert local.transferred_from.id == zero.id and zero.reload().transferred_to.id == local.id
    with pytest.raises(FirError):  # once
        firs.reregister(zero.reload(), user("sho.nitkotwali"), now=NOW)


def test_case_progress_reaches_the_complainant_up_to_the_courts_outcome(catalogue_seeded, ctx):
    complaint = _complaint_under_enquiry()
    sho = user("sho.sector29")
    fir = firs.register(sho, _station(), _form(), complaint=complaint, now=NOW)
    fir = firs.confirm(fir, user("citizen"), "Test value", now=NOW)
    officer = user("officer.sector29")
    fir = firs.record_progress(fir, officer, "investigation", {"text": "CCTV footage seized."})
    assert fir.status == "under_investigation"
    with pytest.raises(FirError) as bad:
        firs.record_progress(fir, officer, "arrest", {"name": "", "at": "yesterday"})
    assert set(bad.value.errors) == {"name", "at"}
    fir = firs.record_progress(
        fir,
        officer,
        "arrest",
        {"name": "Accused One", "at": (NOW - timedelta(hours=2)).isoformat()},
    )
    with pytest.raises(FirError) as early:
        firs.record_progress(fir, officer, "hearing", {"on": "2027-01-10T10:30"})
    assert "on" in early.value.errors  # no court yet
    fir = firs.record_progress(
        fir,
        sho,
        "charge_sheet",
        {"text": "Charge-sheet filed.", "court": "JMIC Gurugram", "case_number": "CIS 1234/2026"},
    )
    fir = firs.record_progress(
        fir, sho, "hearing", {"on": "2027-01-10T10:30", "text": "Framing of charges"}
    )
    fir = firs.record_progress(fir, sho, "outcome", {"outcome": "convicted", "text": "Six months."})
    assert fir.status == "decided" and fir.court.outcome == "convicted"
    assert [u.kind for u in fir.updates] == [
        "investigation",
        "arrest",
        "charge_sheet",
        "hearing",
        "outcome",
    ]
    texts = [n.text for n in Notification.objects(recipient=user("citizen").id)]
    assert any("arrested" in t for t in texts) and any("JMIC Gurugram" in t for t in texts)
    assert not any("Accused One" in t for t in texts)  # the name stays with the police
    with pytest.raises(FirError):  # decided: nothing more
        firs.record_progress(fir, sho, "investigation", {"text": "More."})


@pytest.mark.db
def test_the_public_status_hides_sensitive_firs_and_drafts_alike(catalogue_seeded, ctx):
    sho = user("sho.sector29")
    plain = firs.register(sho, _station(), _form(), now=NOW)
    sensitive = firs.register(sho, _station(), _form(sections=["BNS 75"]), now=NOW)
    by_category = firs.register(sho, _station(), _form(category="child"), now=NOW)
    assert sensitive.sensitive and by_category.sensitive
    year = NOW.year
    assert firs.public_status("HR", "HR-GGM-SEC29", year, plain.number) == plain
    assert firs.public_status("hr", "hr-ggm-sec29", str(year), plain.number.split("/")[0]) == plain
    assert firs.public_status("HR", "HR-GGM-SEC29", year, sensitive.number) is None
    assert firs.public_status("HR", "HR-GGM-SEC29", year, by_category.number) is None
    assert firs.public_status("DL", "HR-GGM-SEC29", year, plain.number) is None  # wrong state
    assert firs.public_status("HR", "HR-GGM-SEC29", "twenty", "x") is None


@pytest.mark.db
def test_two_officers_recording_on_one_fir_at_once_one_gets_409(catalogue_seeded, ctx, app):
    """The FIR's one door (claim on its version, compare-and-set): two officers who loaded the
    same version cannot both write; the second is told to reload (409) and nothing is lost."""
    import threading

    sho = user("sho.sector29")
    fir = firs.register(sho, _station(), _form(), now=NOW)
    copies = [Fir.objects.get(id=fir.id), Fir.objects.get(id=fir.id)]
    officers = [user("officer.sector29"), sho]
    barrier = threading.Barrier(2)
    outcomes = []

    def record(copy, officer):
        with app.app_context():
            barrier.wait()
            try:
                firs.record_progress(copy, officer, "investigation", {"text": "Scene visited."})
                outcomes.append(200)
            except FirError as error:
                outcomes.append(error.http_status)

    threads = [
        threading.Thread(target=record, args=pair) for pair in zip(copies, officers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [200, 409]
    stored = Fir.objects.get(id=fir.id)
    assert len(stored.updates) == 1 and stored.version == fir.version + 1
    # A form carries the version its officer saw: one loaded before that write is refused too.
    with pytest.raises(FirError) as stale:
        firs.record_progress(
            stored, sho, "investigation", {"text": "Late.", "version": str(fir.version)}
        )
    assert stale.value.http_status == 409
    with pytest.raises(FirError) as bad:
        firs.record_progress(stored, sho, "investigation", {"text": "Late.", "version": "v2"})
    assert bad.value.http_status == 400 and "version" in bad.value.errors
