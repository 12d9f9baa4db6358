"""The state's signed register feed and the central instance pulling it: idempotent upserts,
resuming from a cursor, surviving a state that is down, forged, or fails half way."""

import base64

import pytest

from app.models import CentralEntry, FeedCursor, PoliceStation
from app.services import documents, feeds, registers
from tests.helpers.clock import user
from tests.unit.test_registers import missing_person, stolen_vehicle

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


def _publish(kind, data):
    station = PoliceStation.objects.get(code="HR-GGM-SEC29")
    entry = registers.record(user("officer.sector29"), station, kind, data)
    return registers.publish(entry, user("sho.sector29"))


def _public_key():
    raw = documents._private_key().public_key().public_bytes_raw()
    return base64.b64encode(raw).decode()


@pytest.fixture
def feed_from_this_app(app, monkeypatch):
    """The central side reads this same app's feed pages (one database; the integration tier
    runs two real instances on two ports and two databases, over HTTP)."""
    calls = []

    def fetch(feed, after):
        calls.append(after)
        return feeds.page(after, limit=2)

    monkeypatch.setattr(feeds, "_fetch", fetch)
    with app.app_context():
        key = _public_key()
    return {"state": "HR", "url": "http://state.invalid", "public_key": key}, calls


def test_the_feed_carries_public_fields_only_and_is_signed(catalogue_seeded, app):
    with app.app_context():
        _publish("stolen_vehicle", stolen_vehicle())
        registers.record(  # pending: not in the feed
            user("officer.sector29"),
            PoliceStation.objects.get(code="HR-GGM-SEC29"),
            "missing_person",
            missing_person(),
        )
    body = app.test_client().get("/api/v1/feed/registers?after=0").get_json()
    [item] = body["items"]
    assert item["fields"]["registration"]["value"]["en"] == "HR26DQ1234"
    assert "owner_name" not in item["fields"] and "owner_mobile" not in item["fields"]
    with app.app_context():
        key = feeds._public_key(_public_key())
        assert feeds.verify(body, key)["next"] == item["seq"]
        body["items"][0]["fields"]["colour"]["value"]["en"] = "Black"
        with pytest.raises(feeds.FeedError):
            feeds.verify(body, key)
    assert app.test_client().get("/api/v1/feed/registers?after=x").status_code == 400


@pytest.mark.db
def test_central_pulls_pages_idempotently_and_resumes(catalogue_seeded, app, feed_from_this_app):
    feed, calls = feed_from_this_app
    with app.app_context():
        first = [_publish("stolen_vehicle", stolen_vehicle(registration=f"HR26DQ000{n}",
                 chassis=f"CH{n}", engine=f"EN{n}")) for n in range(1, 4)]  # fmt: skip
        assert feeds.pull(feed) == 3 and calls == [0, first[1].feed_seq]  # pages of two
        assert feeds.pull(feed) == 0  # nothing new, nothing twice
        assert [e.vehicle_keys[0] for e in feeds.national_search("stolen_vehicle", q="")] != []
        found = feeds.national_search("stolen_vehicle", registration="hr26dq0002")
        assert [e.key for e in found] == [f"HR:{first[1].id}"]
        # A withdrawal travels as a tombstone.
        registers.withdraw(first[1].reload(), user("officer.sector29"), "Returned to the owner.")
        assert feeds.pull(feed) == 1
        assert feeds.national_search("stolen_vehicle", registration="hr26dq0002") == []
        assert FeedCursor.objects.get(state="HR").last_error is None


@pytest.mark.db
def test_a_feed_that_fails_half_way_resumes_from_its_last_good_page(
    catalogue_seeded, app, feed_from_this_app, monkeypatch
):
    feed, calls = feed_from_this_app
    good = feeds._fetch
    with app.app_context():
        for n in range(1, 5):
            _publish("stolen_vehicle", stolen_vehicle(registration=f"HR26DQ100{n}",
                     chassis=f"C{n}", engine=f"E{n}"))  # fmt: skip

        def fails_after_the_first_page(feed_, after):
            if after:
                raise feeds.FeedError("unreachable: ConnectionError")
            return good(feed_, after)

        monkeypatch.setattr(feeds, "_fetch", fails_after_the_first_page)
        assert feeds.pull(feed) == 2
        cursor = FeedCursor.objects.get(state="HR")
        assert cursor.last_error == "unreachable: ConnectionError" and cursor.after > 0
        monkeypatch.setattr(feeds, "_fetch", good)
        assert feeds.pull(feed) == 2  # the rest, from where it stopped
        assert CentralEntry.objects.count() == 4
        assert FeedCursor.objects.get(state="HR").last_error is None


@pytest.mark.db
def test_a_forged_or_foreign_page_is_refused_and_nothing_stored(
    catalogue_seeded, app, feed_from_this_app
):
    feed, _calls = feed_from_this_app
    with app.app_context():
        _publish("stolen_vehicle", stolen_vehicle())
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        stranger = Ed25519PrivateKey.from_private_bytes(b"\x02" * 32).public_key()
        forged = dict(feed, public_key=base64.b64encode(stranger.public_bytes_raw()).decode())
        assert feeds.pull(forged) == 0
        assert "signature" in FeedCursor.objects.get(state="HR").last_error
        as_delhi = dict(feed, state="DL")  # HR's items claimed by a DL feed
        assert feeds.pull(as_delhi) == 0
        assert "state" in FeedCursor.objects.get(state="DL").last_error
        assert CentralEntry.objects.count() == 0
