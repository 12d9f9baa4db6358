"""Public registers: recorded by officers, published by the SHO, searched by the public with only
the public fields, vehicles by any of their numbers, found persons matched to missing ones."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.models import Notification, PoliceStation, RegisterEntry, RequestEvent
from app.services import notify, registers
from app.services.registers import RegisterError
from tests.helpers.clock import user

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.

TODAY = date.today()


def _station(code="HR-GGM-SEC29"):
    return PoliceStation.objects.get(code=code)


def missing_person(**changes):
    data = {
        "name": "Sunita Devi",
        "sex": "female",
        "age": "34",
        "height_cm": "158",
        "identifying_marks": "Mole on the left cheek; green salwar kameez",
        "missing_since": (TODAY - timedelta(days=10)).isoformat(),
        "last_seen_place": "Sector 29 bus stop, Gurugram",
        "reported_by": "Ramesh Kumar",
        "reporter_mobile": "9812000001",
    }
    data.update(changes)
    return data


def found_body(**changes):
    data = {
        "sex": "female",
        "age_min": "30",
        "age_max": "40",
        "height_cm": "160",
        "found_on": (TODAY - timedelta(days=2)).isoformat(),
        "found_place": "Near the canal, Faridabad",
        "description": "Green salwar kameez; mole on the left cheek",
        "post_mortem": "Drowning",
    }
    data.update(changes)
    return data


def stolen_vehicle(**changes):
    data = {
        "registration": "HR26DQ1234",
        "chassis": "MA3EWDE1S00123456",
        "engine": "K12MN1234567",
        "make_model": "Maruti Swift",
        "colour": "White",
        "stolen_on": (TODAY - timedelta(days=3)).isoformat(),
        "stolen_from": "DLF Phase 1 market parking",
        "fir_number": "0042/2026",
        "owner_name": "Arjun Mehta",
        "owner_mobile": "9812000002",
    }
    data.update(changes)
    return data


@pytest.mark.db
def test_an_entry_is_public_only_after_the_sho_publishes_it(catalogue_seeded, ctx):
    officer, sho = user("officer.sector29"), user("sho.sector29")
    entry = registers.record(officer, _station(), "stolen_vehicle", stolen_vehicle())
    assert entry.status == "pending" and registers.search("stolen_vehicle") == []
    with pytest.raises(RegisterError) as not_sho:
        registers.publish(entry, officer)
    assert not_sho.value.http_status == 403
    with pytest.raises(RegisterError):
        registers.publish(entry, user("sho.nitkotwali"))  # another station's SHO
    registers.publish(entry, sho)
    assert registers.search("stolen_vehicle") == [entry.reload()]
    shown = {f["name"]: f["value"] for f in registers.public_view(entry, "en")}
    assert shown["registration"] == "HR26DQ1234" and "owner_name" not in shown
    assert "owner_mobile" not in registers.public_data(entry)
    registers.withdraw(entry, officer, "Vehicle returned to the owner.")
    assert registers.search("stolen_vehicle") == []


@pytest.mark.db
def test_vehicles_are_found_by_any_number_typed_loosely(catalogue_seeded, ctx):
    entry = registers.record(
        user("officer.sector29"), _station(), "stolen_vehicle", stolen_vehicle()
    )
    registers.publish(entry, user("sho.sector29"))
    assert registers.search("stolen_vehicle", registration="hr 26 dq-1234") == [entry.reload()]
    assert registers.search("stolen_vehicle", chassis="ma3ewde1s00123456") == [entry]
    assert registers.search("stolen_vehicle", engine="K12MN 1234567") == [entry]
    assert registers.search("stolen_vehicle", registration="HR26DQ9999") == []
    assert registers.search("stolen_vehicle", q="swift") == [entry]


def test_bad_input_names_the_fields_and_saves_nothing(catalogue_seeded, ctx):
    with pytest.raises(RegisterError) as error:
        registers.record(
            user("officer.sector29"),
            _station(),
            "missing_person",
            missing_person(sex="alien", age="-4", missing_since="tomorrow", extra="x"),
        )
    assert {"sex", "age", "missing_since", "extra"} <= set(error.value.errors)
    with pytest.raises(RegisterError) as juvenile:  # juveniles never enter the register
        registers.record(
            user("officer.sector29"),
            _station(),
            "arrested_person",
            {"name": "X", "father_name": "Y", "age": "16", "sex": "male",
             "arrested_on": TODAY.isoformat(), "case": "FIR 1/2026", "address": "Z"},
        )  # fmt: skip
    assert "age" in juvenile.value.errors
    with pytest.raises(RegisterError) as unknown:
        registers.record(user("officer.sector29"), _station(), "nonsense", {})
    assert unknown.value.http_status == 404
    assert RegisterEntry.objects.count() == 0


def test_a_sensitive_fir_is_never_cited_in_a_public_register(catalogue_seeded, ctx):
    from app.services import firs

    fir = firs.register(
        user("sho.sector29"),
        _station(),
        {"informant_name": "A", "informant_address": "Sector 29", "category": "sexual_offence", "sections": ["BNS 75"],
         "occurred_from": datetime.now(UTC) - timedelta(days=1), "place": "P", "brief": "B"},
    )  # fmt: skip
    with pytest.raises(RegisterError) as error:
        registers.record(
            user("officer.sector29"),
            _station(),
            "arrested_person",
            {"name": "X", "father_name": "Y", "age": "30", "sex": "male",
             "arrested_on": TODAY.isoformat(), "case": "FIR", "address": "Z"},
            fir=fir,
        )  # fmt: skip
    assert "fir" in error.value.errors


@pytest.mark.db
def test_a_body_found_elsewhere_is_matched_to_a_missing_person_and_both_shos_told(
    catalogue_seeded, ctx
):
    missing = registers.record(
        user("officer.sector29"), _station(), "missing_person", missing_person()
    )
    registers.publish(missing, user("sho.sector29"))
    # A man, and a woman found before she went missing: neither matches.
    registers.record(
        user("officer.nitkotwali"), _station("HR-FBD-NITK"), "unidentified_body",
        found_body(sex="male"),
    )  # fmt: skip
    registers.record(
        user("officer.nitkotwali"), _station("HR-FBD-NITK"), "unidentified_body",
        found_body(found_on=(TODAY - timedelta(days=20)).isoformat()),
    )  # fmt: skip
    body = registers.record(
        user("officer.nitkotwali"), _station("HR-FBD-NITK"), "unidentified_body", found_body()
    )
    assert [m.entry.id for m in body.matches] == [missing.id]
    assert set(body.matches[0].reasons) == {"sex", "age", "height", "dates"}
    for sho in ("sho.sector29", "sho.nitkotwali"):
        notes = Notification.objects(recipient=user(sho).id, event="register_match")
        assert notes.count() == 1 and "Sunita Devi" in notes.first().text
    assert registers.match(body) == 0  # once per pair
    # Told through a durable event, like every other notice: processed, and once only.
    [event] = RequestEvent.objects(event="register_match")
    assert event.entry.id == body.id and event.done_at is not None
    assert notify.notify_register_match(body.id, event.detail) == 0  # run twice: nothing new


@pytest.mark.db
def test_a_missing_person_published_later_is_matched_to_earlier_found_persons(
    catalogue_seeded, ctx
):
    found = registers.record(
        user("officer.nitkotwali"),
        _station("HR-FBD-NITK"),
        "found_person",
        {k: v for k, v in found_body().items() if k != "post_mortem"},
    )
    missing = registers.record(
        user("officer.sector29"), _station(), "missing_person", missing_person()
    )
    assert found.reload().matches == []  # a pending missing person is matched at publication
    registers.publish(missing, user("sho.sector29"))
    assert [m.entry.id for m in found.reload().matches] == [missing.id]
