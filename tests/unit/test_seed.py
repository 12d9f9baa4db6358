"""Seed files load, are idempotent, and a bad file is refused with its name and field."""

import pytest

from app.models import District, Holiday, PoliceStation, Posting, Role, State, User
from app.services import seed

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.

ALL_ROLES = {
    "citizen",
    "organisation",
    "station_officer",
    "sho",
    "district_supervisor",
    "state_admin",
    "auditor",
    "csc_operator",
}


def test_every_seed_file_loads(ctx):
    """The fixture's seed produced the roles, two states, districts, stations and demo users."""
    assert {r.name for r in Role.objects} == ALL_ROLES
    assert State.objects.count() == 2
    haryana = State.objects.get(code="HR")
    assert District.objects(state=haryana).count() >= 3
    assert PoliceStation.objects(state=haryana).count() >= 8
    assert Holiday.objects(state=haryana).count() > 5
    assert User.objects.count() == len(seed.demo_accounts())


@pytest.mark.db
def test_seeding_twice_creates_nothing_new(ctx):
    """A second seed run inserts nothing and keeps administrators' edits."""
    station = PoliceStation.objects.get(code="HR-GGM-SEC29")
    station.update(set__phone="0124-1111111")
    counts = seed.seed_all(include_demo_users=True, include_service_types=False)
    assert counts == {
        "roles.yaml": 0,
        "jurisdictions.yaml": 0,
        "law_sections.yaml": 0,
        "help.yaml": 0,
        "demo_users.yaml": 0,
    }
    assert PoliceStation.objects.get(code="HR-GGM-SEC29").phone == "0124-1111111"


def test_a_bad_station_is_refused_naming_file_and_field(ctx):
    """A wrong PIN code names jurisdictions.yaml, the station and the field."""
    data = {
        "states": [
            {
                "code": "HR",
                "districts": [
                    {
                        "code": "GGM",
                        "stations": [
                            {
                                "code": "HR-GGM-NEW",
                                "name_en": "New",
                                "name_hi": "नया",
                                "address": "x",
                                "pincodes": ["12345"],
                            }
                        ],
                    }
                ],
            }
        ]
    }
    with pytest.raises(
        seed.SeedError, match=r"jurisdictions.yaml: station HR-GGM-NEW: field 'pincodes'"
    ):
        seed.seed_jurisdictions(data)


def test_a_posting_to_an_unknown_station_is_refused(ctx):
    data = {
        "users": [
            {
                "email": "x@example.com",
                "password": "Secret#12345",
                "account_type": "staff",
                "postings": [{"role": "sho", "station": "NOPE"}],
            }
        ]
    }
    with pytest.raises(seed.SeedError, match="field 'station' names unknown NOPE"):
        seed.seed_demo_users(data)


def test_demo_accounts_cover_every_role_and_two_stations(ctx):
    """demo-accounts lists one account per role, officers on two different stations."""
    rows = seed.demo_accounts()
    roles = {role for row in rows for role in row["roles"]}
    assert roles >= ALL_ROLES
    officer_stations = {row["station"] for row in rows if "station_officer" in row["roles"]}
    assert len(officer_stations) >= 2
    for row in rows:
        assert set(row) >= {"email", "password", "roles", "station"}


def test_staff_roles_come_from_postings(ctx):
    """The SHO demo user holds exactly the role of their posting."""
    sho = User.objects.get(email="sho.sector29@demo.police.example")
    assert [r.name for r in sho.roles] == ["sho"]
    assert Posting.objects(user=sho).count() == 1


@pytest.mark.db
def test_every_collection_is_listed_for_ensure_indexes():
    """`flask ensure-indexes` (run at deploy) creates the unique indexes the code relies on, such
    as FIR keys and request numbers: a document class left out of ALL_DOCUMENTS would have none
    until first use."""
    import inspect

    import mongoengine as me

    from app import models

    declared = {
        cls
        for _name, cls in inspect.getmembers(models, inspect.isclass)
        if issubclass(cls, me.Document) and not cls._meta.get("abstract")
    }
    assert declared - set(models.ALL_DOCUMENTS) == set()
