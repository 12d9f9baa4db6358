"""The one door that changes the status of an FIR, an appeal, a register entry or a senior
citizen's registration.

Each of them is a *machine*: a fixed definition in seed/workflows/<name>.yaml (states, the
transitions between them with the roles that may take them, and the clocks that run while a
state lasts), read and checked once per process. Administrators do not edit these: they are the
law's steps (BNSS for FIRs, the Right to Services acts for appeals), not a state's choices.
Service requests run the same way over their catalogue definitions (services.workflow).

Machine.step() is the only code that writes a machine's `status`: it finds the transition from
the current state, checks the actor's roles over the subject, claims the subject's version
(services.claims) and writes with a filter on status and version, so of two officers acting at
once one wins and the other is refused with a 409; then it writes the audit entry. Machine.sweep()
is the one clock: every state's declared clock, read by an indexed query on the state and its
time field.

Spec format (validate() names the path of every error):

    name: fir
    states:
      <code>:
        public: {en: ..., hi: ...}       # what the people concerned read
        final: true                      # optional: no transition leaves it
        clock: {at: <date field>, then: <action>, notice: <event>}      # take a step when due
                                                 # (and record an event after it, optional)
        clock: {at: <date field>, notice: <event>, once: <bool field>} # or tell once when due
    transitions:
      - action: <name>                   # also the audit entry's "<machine>.<action>"
        from: [<state>, ...]             # or one state
        to: <state>
        roles: [<role>, ...]             # as the machine's `roles_of` names them; "system" is
                                         # the sweep, "owner" the subject's own citizen
        remark: required                 # optional
"""

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from . import audit, catalogue, claims
from .errors import FieldErrors
from .seed_files import SEED_DIR, read

WORKFLOWS_DIR = os.path.join(SEED_DIR, "workflows")
SPEC_KEYS = frozenset({"name", "states", "transitions"})
STATE_KEYS = frozenset({"public", "final", "clock"})
CLOCK_KEYS = frozenset({"at", "then", "notice", "once"})
TRANSITION_KEYS = frozenset({"action", "from", "to", "roles", "remark"})
SYSTEM = "system"
SWEEP_BATCH = 200
STALE = _l("Someone else changed this first. Reload it and try again.")
NOT_NOW = _l("This step is not possible now.")
NOT_YOURS = _l("Your role may not take this step.")


def validate(spec, model_fields=(), roles=()):
    """Errors in `spec` as "path: message" strings (empty when it is sound).

    `model_fields` are the subject's date and flag fields a clock may name; `roles` the roles
    the machine's `roles_of` can grant (besides "system")."""
    errors = []
    if not isinstance(spec, dict):
        return ["(root): must be a mapping"]
    errors += [f"{key}: unknown key" for key in sorted(set(spec) - SPEC_KEYS)]
    states = spec.get("states")
    if not isinstance(states, dict) or not states:
        return errors + ["states: must name at least one state"]
    actions = set()
    transitions = spec.get("transitions") or []
    granted = set(roles) | {SYSTEM}
    for i, t in enumerate(transitions):
        path = f"transitions[{i}]"
        if not isinstance(t, dict):
            errors.append(f"{path}: must be a mapping")
            continue
        errors += [f"{path}.{key}: unknown key" for key in sorted(set(t) - TRANSITION_KEYS)]
        if not catalogue.IDENTIFIER.match(str(t.get("action", ""))):
            errors.append(f"{path}.action: must be a lower-case identifier")
        actions.add(t.get("action"))
        for source in catalogue.sources_of(t):
            if source not in states:
                errors.append(f"{path}.from: unknown state '{source}'")
            elif (states[source] or {}).get("final"):
                errors.append(f"{path}.from: '{source}' is final")
        if t.get("to") not in states:
            errors.append(f"{path}.to: unknown state '{t.get('to')}'")
        if not t.get("roles"):
            errors.append(f"{path}.roles: name at least one role")
        for role in t.get("roles") or []:
            if role not in granted:
                errors.append(f"{path}.roles: unknown role '{role}'")
        if t.get("remark", "required") != "required":
            errors.append(f"{path}.remark: only 'required' is allowed")
    for code, info in states.items():
        path = f"states.{code}"
        info = info or {}
        errors += [f"{path}.{key}: unknown key" for key in sorted(set(info) - STATE_KEYS)]
        public = info.get("public") or {}
        if not (public.get("en") and public.get("hi")):
            errors.append(f"{path}.public: give the wording in en and hi")
        leaves = [t for t in transitions if isinstance(t, dict) and code in catalogue.sources_of(t)]
        if not info.get("final") and not leaves:
            errors.append(f"{path}: a dead end (not final, and no transition leaves it)")
        clock = info.get("clock")
        if clock is not None:
            errors += _clock_errors(f"{path}.clock", clock, actions, model_fields)
    return errors


def _clock_errors(path, clock, actions, model_fields):
    errors = [f"{path}.{key}: unknown key" for key in sorted(set(clock) - CLOCK_KEYS)]
    if clock.get("at") not in model_fields:
        errors.append(f"{path}.at: unknown field '{clock.get('at')}'")
    if not (clock.get("then") or clock.get("notice")):
        errors.append(f"{path}: say `then` (a step), `notice` (an event) or both")
    if clock.get("then") and clock["then"] not in actions:
        errors.append(f"{path}.then: unknown action '{clock['then']}'")
    if clock.get("notice") and not clock.get("then") and clock.get("once") not in model_fields:
        # Without a step the state does not change: a flag keeps the notice to one.
        errors.append(f"{path}.once: name the flag that marks the notice sent")
    return errors


class SpecError(ValueError):
    """A machine's seed file is wrong; the message names the file and every path at fault."""


@dataclass
class Machine:
    """One kind of subject with a status, and how to read its actors' roles.

    `roles_of(subject, actor)` is the set of roles `actor` holds over `subject` (postings over
    its station, "owner" for its citizen, and so on); `error` is the FieldErrors subclass the
    machine's module raises, so its views keep answering as before; `notice(subject, event, now)`
    records a clock's notice (services.events)."""

    name: str
    model: Any
    roles_of: Callable[[Any, Any], set]
    roles: tuple
    error: type = FieldErrors
    error_field: str = ""  # the key refusals are reported under (default: the machine's name)
    notice: Callable[..., Any] | None = None
    clock_fields: tuple = field(default_factory=tuple)
    migrate: Callable[[], int] | None = None  # brings older documents to the spec's fields

    @functools.cached_property
    def spec(self):
        source = f"workflows/{self.name}.yaml"
        spec = read(source)
        errors = validate(spec, self.clock_fields, self.roles)
        states = set(spec.get("states") or {})
        choices = set(self.model._fields["status"].choices or states)
        if states != choices:
            errors.append(f"states: must be the model's statuses {sorted(choices)}")
        if errors:
            raise SpecError(f"{source}: " + "; ".join(errors))
        return spec

    @property
    def _field(self):
        return self.error_field or self.name

    # --- reading ------------------------------------------------------------------------

    def state(self, code):
        return self.spec["states"][code] or {}

    def public_text(self, code, language):
        """The wording of state `code` in `language` (English where it has none)."""
        public = self.state(code).get("public") or {}
        return public.get(language) or public.get("en") or code

    def statuses(self, language):
        """{code: wording} of every state, in the spec's order."""
        return {code: self.public_text(code, language) for code in self.spec["states"]}

    def transition(self, status, action):
        for t in self.spec["transitions"]:
            if t["action"] == action and status in catalogue.sources_of(t):
                return t
        return None

    def may(self, subject, action, actor):
        """Whether `actor` may take `action` on `subject` now (for showing the button)."""
        t = self.transition(subject.status, action)
        return t is not None and bool(self._held(subject, actor) & set(t["roles"]))

    def _held(self, subject, actor):
        if actor is None:
            return {SYSTEM}
        return set(self.roles_of(subject, actor))

    # --- the door -----------------------------------------------------------------------

    def step(self, subject, action, actor=None, *, now=None, remark="", seen=None, updates=None):
        """Take `action` on `subject` as `actor` (None: the sweep); returns the subject, reloaded.

        `seen` is the version the actor's page showed (a later one is a 409); `updates` are the
        step's other writes, as mongoengine update keywords, or a function returning them that
        is called only once the version is claimed (so a refused step takes no register number).
        """
        now = now or datetime.now(UTC)
        t = self.transition(subject.status, action)
        if t is None:
            raise self.error({self._field: NOT_NOW}, status=409)
        if not self._held(subject, actor) & set(t["roles"]):
            raise self.error({self._field: NOT_YOURS}, status=403)
        if t.get("remark") == "required" and not str(remark or "").strip():
            raise self.error({"remark": _l("Give the reasons in writing.")})
        if seen is not None and seen != subject.version:
            raise self.error({self._field: STALE}, status=409)
        claim = f"{self.name}:{subject.pk}:v{subject.version}"
        if not claims.take(claim):
            raise self.error({self._field: STALE}, status=409)
        # Taken before the writes are computed, so a refused step takes no register number.
        writes = updates() if callable(updates) else dict(updates or {})
        if not write_status(subject, t["to"], **writes):
            raise self.error({self._field: STALE}, status=409)
        audit.record(
            f"{self.name}.{action}",
            actor=actor,
            target=subject,
            state=getattr(subject, "state", None),
            to=t["to"],
            version=subject.version,
        )
        return subject

    # --- the clock ----------------------------------------------------------------------

    def sweep(self, now):
        """Every state's clock that has run out: take its step or send its notice, once each.
        Returns {"<machine>.<state>": how many}."""
        done = {}
        for code, info in self.spec["states"].items():
            clock = (info or {}).get("clock")
            if clock:
                done[f"{self.name}.{code}"] = self._run_clock(code, clock, now)
        return done

    def _run_clock(self, code, clock, now):
        query = {"status": code, f"{clock['at']}__lte": now}
        if not clock.get("then"):
            query[clock["once"]] = False
        count = 0
        for subject in self.model.objects(**query).limit(SWEEP_BATCH):
            if clock.get("then"):
                try:
                    self.step(subject, clock["then"], None, now=now)
                except FieldErrors:  # moved on at this very moment (confirmed, decided)
                    continue
                if clock.get("notice") and self.notice is not None:
                    self.notice(subject, clock["notice"], now)
            else:
                # Once per value of the clock's field: a date that moves on (the next visit
                # due) may run out again, and is told again.
                due = getattr(subject, clock["at"])
                stamp = due.isoformat() if due is not None else ""
                if not claims.take(f"{self.name}:{subject.pk}:{code}:{clock['notice']}:{stamp}"):
                    continue
                subject.modify(**{f"set__{clock['once']}": True})
                if self.notice is not None:
                    self.notice(subject, clock["notice"], now)
            count += 1
        return count

    def backfill_versions(self):
        """Give subjects written before `version` existed their first one, and run the
        machine's `migrate` for older documents (both idempotent). Returns how many changed."""
        changed = self.model.objects(version=None).update(set__version=1)
        return changed + (self.migrate() if self.migrate is not None else 0)


def write_status(subject, to=None, *, claim=None, in_place=True, **updates):
    """The one write of any document's `status`: machines' steps, requests' transitions
    (services.workflow) and the technical states of outbox messages and export jobs.

    Takes `claim` first when given (services.claims: atomic on every backend, where a filtered
    findAndModify is not on FerretDB 1.24), then writes `updates` with the status (and the
    version, for documents that have one) the caller read in the filter, moving the version on.
    Returns the document as written (`subject` itself, updated, when `in_place`; else a new
    instance, leaving `subject` as it was read), or None, writing nothing, when someone else
    moved it first.
    """
    if claim is not None and not claims.take(claim):
        return None
    query = {"status": subject.status}
    if "version" in subject._fields:
        query["version"] = subject.version
        updates["inc__version"] = 1
    if to is not None and to != subject.status:
        updates["set__status"] = to
    if in_place:
        return subject if subject.modify(query=query, **updates) else None
    return type(subject).objects(pk=subject.pk, **query).modify(new=True, **updates)


MACHINES: dict[str, Machine] = {}


def register(machine: Machine) -> Machine:
    """Make `machine` known to the sweep and the seed checks; returns it."""
    MACHINES[machine.name] = machine
    return machine


def prepare():
    """Check every registered machine's spec (SpecError names the file and the path) and give
    older subjects their first version; run by `flask seed`. Returns {machine: backfilled}."""
    return {name: machine.backfill_versions() for name, machine in MACHINES.items() if machine.spec}


def sweep(now=None):
    """Run every registered machine's clocks."""
    now = now or datetime.now(UTC)
    done = {}
    for machine in MACHINES.values():
        done.update(machine.sweep(now))
    return done
