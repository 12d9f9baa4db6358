"""FIRs online within 24 hours: the public listing (page and API) shows FIRs on record without any
person's name, address or phone, never a sensitive or withheld one; the SHO withholds with a
reason; the redacted copy; desk informants' mobile and address, and their SMS."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Fir, IssuedDocument, OutboxMessage, PoliceStation
from app.services import fir_listing, firs
from app.services.fir_listing import Cursor
from app.services.firs import FirError
from tests.helpers.clock import user

NOW = datetime.now(UTC).replace(microsecond=0)
PHONE = "9810000003"


def _station(code="HR-GGM-SEC29"):
    return PoliceStation.objects.get(code=code)


def _desk_form(**changes):
    form = {
        "informant_name": "Vikas Sharma",
        "informant_mobile": "+91 98100-00003",
        "informant_address": "H. No. 221, Sector 28, Gurugram",
        "informant_language": "hi",
        "category": "vehicle_theft",
        "sections": ["BNS 303(2)"],
        "occurred_from": (NOW - timedelta(hours=30)).isoformat(),
        "place": "Outside Galleria Market, Sector 28",
        "brief": f"My motorcycle was stolen. Call me on {PHONE}.",
    }
    form.update(changes)
    return form


def _seeded_cases(now=NOW):
    """A plain FIR, one sensitive by section, one by category, one withheld, one yesterday."""
    officer, sho = user("officer.sector29"), user("sho.sector29")
    station = _station()
    plain = firs.register(officer, station, _desk_form(), now=now)
    by_section = firs.register(officer, station, _desk_form(sections=["BNS 75"]), now=now)
    by_category = firs.register(officer, station, _desk_form(category="child"), now=now)
    withheld = firs.register(officer, station, _desk_form(), now=now)
    fir_listing.withhold(withheld, sho, "A witness could be exposed.", now=now)
    earlier = firs.register(officer, station, _desk_form(), now=now - timedelta(days=1))
    return plain, by_section, by_category, withheld.reload(), earlier


@pytest.mark.db
def test_the_listing_shows_firs_on_record_newest_first_never_a_sensitive_or_withheld_one(
    catalogue_seeded, ctx
):
    plain, by_section, by_category, withheld, earlier = _seeded_cases()
    rows, cursor = fir_listing.listing("HR", NOW.year, limit=10, now=NOW)
    # The walk reaches back MAX_DAYS days at most; the seeded cases are today and yesterday.
    numbers = [f.number for f in rows]
    assert numbers == [plain.number, earlier.number]
    station_rows, _ = fir_listing.listing("HR-GGM-SEC29", NOW.year, limit=10, now=NOW)
    assert [f.number for f in station_rows] == numbers
    assert fir_listing.listing("HR-FBD-NITK", NOW.year, now=NOW)[0] == []
    assert by_section.sensitive and by_category.sensitive and withheld.withheld_reason
    assert Fir.objects(public_keys__size=0).count() == 3


def test_the_cursor_pages_within_a_day_and_across_days(catalogue_seeded, ctx):
    officer, station = user("officer.sector29"), _station()
    today = [firs.register(officer, station, _desk_form(), now=NOW) for _ in range(3)]
    long_ago = (NOW - timedelta(days=4)).isoformat()
    older = firs.register(
        officer, station, _desk_form(occurred_from=long_ago), now=NOW - timedelta(days=3)
    )
    first, cursor = fir_listing.listing("HR", NOW.year, limit=2, now=NOW)
    assert len(first) == 2 and cursor is not None and cursor.skip == 2
    second, cursor = fir_listing.listing(
        "HR", NOW.year, cursor=Cursor.parse(str(cursor)), limit=2, now=NOW
    )
    seen = [f.number for f in first + second]
    assert seen == [f.number for f in reversed(today)] + [older.number]
    assert Cursor.parse("not-a-cursor") is None and Cursor.parse("2026-13-01.0") is None


def test_only_the_sho_withholds_with_a_reason_and_the_public_copy_is_revoked(catalogue_seeded, ctx):
    officer, sho = user("officer.sector29"), user("sho.sector29")
    fir = firs.register(officer, _station(), _desk_form(), now=NOW)
    copy = fir_listing.public_copy(fir)
    assert copy.kind == "fir_public_copy" and copy.applicant is None
    with pytest.raises(FirError) as refused:
        fir_listing.withhold(fir, officer, "Reason.")
    assert refused.value.http_status == 403
    with pytest.raises(FirError) as empty:
        fir_listing.withhold(fir, sho, "   ")
    assert set(empty.value.errors) == {"withheld_reason"}
    fir_listing.withhold(fir, sho, "Identification parade pending.")
    assert IssuedDocument.objects.get(code=copy.code).revoked_at is not None
    assert firs.public_status("HR", "HR-GGM-SEC29", NOW.year, fir.number) is None
    with pytest.raises(FirError) as again:
        fir_listing.public_copy(fir.reload())
    assert again.value.http_status == 404


def test_the_public_copy_states_the_register_facts_and_no_person(catalogue_seeded, ctx):
    fir = firs.register(user("officer.sector29"), _station(), _desk_form(), now=NOW)
    statements = str(fir_listing.public_copy(fir).statements)
    assert fir.number in statements and "BNS 303(2)" in statements and "Vehicle theft" in statements
    for private in (PHONE, "Vikas", "Sector 28", "Galleria", "motorcycle"):
        assert private not in statements


def test_a_desk_informant_gives_mobile_and_address_and_is_told_by_sms(catalogue_seeded, ctx):
    fir = firs.register(user("officer.sector29"), _station(), _desk_form(), now=NOW)
    assert fir.informant_mobile == PHONE and fir.informant_address.startswith("H. No. 221")
    sms = OutboxMessage.objects(channel="sms", to=PHONE).first()
    assert sms is not None and fir.number in sms.body_text and "दर्ज" in sms.body_text
    with pytest.raises(FirError) as bad:
        firs.register(
            user("officer.sector29"),
            _station(),
            _desk_form(informant_mobile="12345", informant_address="", informant_language="fr"),
        )
    assert set(bad.value.errors) == {"informant_mobile", "informant_address", "informant_language"}
    without = firs.register(user("officer.sector29"), _station(), _desk_form(informant_mobile=""))
    assert without.informant_mobile is None  # not everyone has a mobile


def test_the_page_and_api_list_without_any_person_and_name_bad_input(catalogue_seeded, client):
    app = catalogue_seeded
    with app.app_context():
        plain, by_section, by_category, withheld, earlier = _seeded_cases()
    api = client.get(f"/api/v1/firs?state=HR&year={NOW.year}")
    assert api.status_code == 200
    body = api.get_json()
    assert [i["number"] for i in body["items"]] == [plain.number, earlier.number]
    item = body["items"][0]
    assert item["station"] == "HR-GGM-SEC29" and item["sections"] == ["BNS 303(2)"]
    assert item["category_text"] == "Vehicle theft" and item["copy_url"].endswith("/copy.pdf")
    text = api.get_data(as_text=True)
    for private in (PHONE, "Vikas", "H. No. 221", "Galleria", "withheld", "witness"):
        assert private not in text
    bad = client.get("/api/v1/firs?year=20x6&cursor=zz&limit=500")
    assert bad.status_code == 400
    assert set(bad.get_json()["errors"]) == {"state", "year", "cursor", "limit"}
    elsewhere = client.get("/api/v1/firs?state=DL&station=HR-GGM-SEC29")
    assert elsewhere.status_code == 400 and set(elsewhere.get_json()["errors"]) == {"station"}

    page = client.get("/firs?state=HR")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and plain.number in html and PHONE not in html
    assert withheld.number not in html and by_section.number not in html
    hindi = client.get("/firs?state=HR", headers={"Accept-Language": "hi"})
    assert "वाहन चोरी" in hindi.get_data(as_text=True)

    number = plain.number.split("/")[0]
    pdf = client.get(f"/firs/HR-GGM-SEC29/{NOW.year}/{number}/copy.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    for hidden in (by_section, withheld):
        missing = client.get(
            f"/firs/HR-GGM-SEC29/{NOW.year}/{hidden.number.split('/')[0]}/copy.pdf"
        )
        assert missing.status_code == 404


def test_the_complainant_sees_the_fir_number_on_the_status_others_do_not(catalogue_seeded, ctx):
    from app.services import requests as request_service
    from tests.helpers.clock import act, submit_at

    complaint = submit_at("complaint", NOW)
    complaint = act(complaint, "acknowledge", "officer.sector29", NOW)
    complaint = act(complaint, "start_enquiry", "officer.sector29", NOW)
    fir = firs.register(user("officer.sector29"), _station(), _desk_form(), complaint=complaint)
    fir = firs.confirm(fir, user("citizen"), "Vikas Sharma")
    complaint.reload()
    mine = request_service.public_status(complaint, "en", user("citizen"))
    assert mine["fir"]["number"] == fir.number and mine["status_text"].startswith("FIR registered")
    theirs = request_service.public_status(complaint, "en", None)
    assert "fir" not in theirs and "station" not in theirs
