"""services.engine: the fixed workflows (FIR, appeal, register entry, senior citizen) are
checked, each broken spec gets one precise error naming its path, and a step is the one door
(roles, version, claim, compare-and-set, audit)."""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from app.models import AuditEvent, Fir, PoliceStation
from app.services import engine, firs, sweep
from app.services.firs import FirError
from app.services.seed_files import read
from tests.helpers.clock import user

NOW = datetime.now(UTC).replace(microsecond=0)
FIR_FIELDS = ("confirm_by", "enquiry_due", "enquiry_notified")
FIR_ROLES = ("station_officer", "sho", "owner", "receiving_sho")


def test_every_shipped_workflow_is_sound_and_matches_its_model(app):
    shipped = {"fir", "appeal", "register_entry", "senior_citizen"}
    assert set(sweep.MACHINES) and set(engine.MACHINES) == shipped
    assert engine.prepare() == dict.fromkeys(shipped, 0)
    for machine in engine.MACHINES.values():
        assert set(machine.spec["states"]) == set(machine.model._fields["status"].choices)


def _fir_spec():
    return copy.deepcopy(read("workflows/fir.yaml"))


def _broken(change):
    spec = _fir_spec()
    change(spec)
    return engine.validate(spec, FIR_FIELDS, FIR_ROLES)


def _transition(spec, action):
    return next(t for t in spec["transitions"] if t["action"] == action)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda s: s.update(owner="x"), "owner: unknown key"),
        (
            lambda s: _transition(s, "lapse").update(to="lapse"),
            "transitions[4].to: unknown state 'lapse'",
        ),
        (
            lambda s: _transition(s, "transfer").update({"from": "registred"}),
            "transitions[8].from: unknown state 'registred'",
        ),
        (
            lambda s: _transition(s, "transfer").update(roles=["commissioner"]),
            "transitions[8].roles: unknown role 'commissioner'",
        ),
        (
            lambda s: _transition(s, "lapse").update({"from": "decided"}),
            "transitions[4].from: 'decided' is final",
        ),
        (
            lambda s: s["states"]["lapsed"].pop("final"),
            "states.lapsed: a dead end (not final, and no transition leaves it)",
        ),
        (
            lambda s: s["states"]["pending_confirmation"]["clock"].update(then="expire"),
            "states.pending_confirmation.clock.then: unknown action 'expire'",
        ),
        (
            lambda s: s["states"]["preliminary_enquiry"]["clock"].pop("once"),
            "states.preliminary_enquiry.clock.once: name the flag that marks the notice sent",
        ),
        (
            lambda s: s["states"]["registered"]["public"].pop("hi"),
            "states.registered.public: give the wording in en and hi",
        ),
        (
            lambda s: s["states"]["in_court"].update(colour="red"),
            "states.in_court.colour: unknown key",
        ),
        (
            lambda s: _transition(s, "close_enquiry").update(remark="optional"),
            "transitions[7].remark: only 'required' is allowed",
        ),
    ],
)
def test_a_broken_spec_gets_one_error_naming_its_path(change, error):
    assert _broken(change) == [error]


def test_the_shipped_fir_spec_has_no_error():
    assert engine.validate(_fir_spec(), FIR_FIELDS, FIR_ROLES) == []


def _desk_fir():
    station = PoliceStation.objects.get(code="HR-GGM-SEC29")
    return firs.register(
        user("officer.sector29"),
        station,
        {
            "informant_name": "Engine Test",
            "informant_address": "House 7, Sector 29, Gurugram",
            "category": "theft",
            "sections": ["BNS 303(2)"],
            "occurred_from": (NOW - timedelta(days=1)).isoformat(),
            "place": "Sector 29 market, Gurugram",
            "brief": "A phone was taken.",
        },
    )


def test_a_step_checks_the_state_the_role_and_the_version(catalogue_seeded, ctx):
    fir = _desk_fir()
    assert fir.status == "registered" and fir.version == 2  # draft → registered
    with pytest.raises(FirError) as refused:  # not a step from "registered"
        firs.MACHINE.step(fir, "confirm", user("officer.sector29"))
    assert refused.value.http_status == 409
    with pytest.raises(FirError) as refused:  # an officer of another station holds no role here
        firs.MACHINE.step(fir, "investigation", user("officer.nitkotwali"))
    assert refused.value.http_status == 403
    stale = Fir.objects.get(id=fir.id)
    firs.MACHINE.step(fir, "investigation", user("officer.sector29"))
    with pytest.raises(FirError) as refused:  # written over the version it was read at: refused
        firs.MACHINE.step(stale, "final_report", user("sho.sector29"))
    assert refused.value.http_status == 409
    fir.reload()
    assert (fir.status, fir.version) == ("under_investigation", 3)
    steps = [e.action for e in AuditEvent.objects(object_id=str(fir.id)).order_by("at")]
    assert steps == ["fir.register", "fir.take_on_record", "fir.investigation"]
