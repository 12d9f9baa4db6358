"""services.access: who sees which records."""

from types import SimpleNamespace

import mongoengine as me
import pytest

from app.models import District, Holiday, PoliceStation, Posting, State, User
from app.services import access

# Queries, indexes, concurrency or stored formats: run on FerretDB too (tests/unit/conftest.py).
pytestmark = pytest.mark.db


class OwnedThing(me.Document):
    """A stand-in for a citizen-owned record such as a service request."""

    owner = me.ReferenceField(User)
    state = me.ReferenceField(State)
    meta = {"collection": "test_owned_things"}
    __scope__ = {"state": "state", "owner": "owner"}


def user(email):
    found = User.objects.get(email=email)
    found._scope_cache = None
    return found


def codes(queryset):
    return sorted(doc.code for doc in queryset)


def test_station_officer_sees_only_their_station(ctx):
    officer = user("officer.sector29@demo.police.example")
    assert codes(access.scoped(PoliceStation, officer)) == ["HR-GGM-SEC29"]


def test_district_supervisor_sees_their_district(ctx):
    acp = user("acp.gurugram@demo.police.example")
    assert codes(access.scoped(PoliceStation, acp)) == [
        "HR-GGM-DLF1",
        "HR-GGM-SADAR",
        "HR-GGM-SEC29",
        "HR-GGM-SEC56",
    ]
    assert codes(access.scoped(District, acp)) == ["GGM"]


def test_state_admin_sees_their_state_only(ctx):
    admin = user("admin.haryana@demo.police.example")
    stations = codes(access.scoped(PoliceStation, admin))
    assert stations and all(code.startswith("HR-") for code in stations)
    assert codes(access.scoped(State, admin)) == ["HR"]
    holidays = access.scoped(Holiday, admin)
    assert holidays.count() == Holiday.objects(state=State.objects.get(code="HR")).count()


def test_citizen_sees_no_jurisdiction_records(ctx):
    citizen = user("citizen@demo.police.example")
    assert access.scoped(PoliceStation, citizen).count() == 0
    assert access.scoped(Posting, citizen).count() == 0


def test_anonymous_sees_nothing(ctx):
    anonymous = SimpleNamespace(is_authenticated=False)
    assert access.scoped(State, anonymous).count() == 0
    assert access.scoped(State, None).count() == 0


def test_deactivated_officer_sees_nothing(ctx):
    officer = user("officer.sector29@demo.police.example")
    officer.update(set__active=False)
    assert access.scoped(PoliceStation, user("officer.sector29@demo.police.example")).count() == 0


def test_ended_posting_removes_the_scope(ctx):
    officer = user("officer.sector29@demo.police.example")
    Posting.objects(user=officer).update(set__active=False)
    assert access.scoped(PoliceStation, user(officer.email)).count() == 0


def test_officer_of_other_station_gets_none_from_get_scoped(ctx):
    officer = user("officer.nitkotwali@demo.police.example")
    assert access.get_scoped(PoliceStation, officer, code="HR-GGM-SEC29") is None
    assert access.get_scoped(PoliceStation, officer, code="HR-FBD-NITK") is not None


def test_owner_scope_applies_to_documents_that_declare_it(ctx):
    """A document with an `owner` scope field shows a citizen only what they own."""

    citizen = user("citizen@demo.police.example")
    other = user("hotel@demo.police.example")
    mine = OwnedThing(owner=citizen).save()
    OwnedThing(owner=other).save()
    assert [e.id for e in access.scoped(OwnedThing, citizen)] == [mine.id]
    admin = user("admin.haryana@demo.police.example")
    assert access.scoped(OwnedThing, admin).count() == 0


def test_within_scope_checks_unsaved_documents(ctx):
    admin = user("admin.haryana@demo.police.example")
    delhi = State.objects.get(code="DL")
    haryana = State.objects.get(code="HR")
    assert access.within_scope(admin, District(state=haryana, code="NEW"))
    assert not access.within_scope(admin, District(state=delhi, code="NEW"))


def test_a_document_without_scope_is_refused(ctx):
    from app.models import OutboxMessage

    admin = user("admin.haryana@demo.police.example")
    try:
        access.scoped(OutboxMessage, admin)
    except TypeError as error:
        assert "declares no __scope__" in str(error)
    else:
        raise AssertionError("scoping a document without __scope__ must fail")
