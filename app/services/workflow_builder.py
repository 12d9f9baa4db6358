"""A service's workflow edited in forms (the admin's "Workflow" page) instead of YAML.

Like the fields page, the page carries a draft of the workflow (JSON in a hidden input) from one
step to the next: add or change a state (its public text in English and Hindi, whether it is
final, pauses the clock, issues a document), remove one, add or change a step between states (who
may take it, whether a remark is required, whether whoever took the step before may take it),
remove one, choose the first state. apply() performs
one step and returns the draft with the errors of that step, each under the name of the form
field at fault. flags() says which states a request could never reach or could never leave, so
the page shows them before anything is published; services.catalogue checks the whole definition
again before it can be.
"""

import copy

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import authorities, catalogue, document_kinds
from .field_builder import DraftError, load_json

# Who may take a step, by the names an administrator knows them by.
ROLES = {
    "citizen": _l("the applicant (a citizen)"),
    "organisation": _l("the applicant (an organisation)"),
    **authorities.ROLE_TITLES,
}
# The ways a step may be taken besides a button: (value, words); "" is a button of the roles.
TAKEN_BY = {"fir": _l("by the FIR register, when the officer records the FIR")}
# Settings of a state or step that these forms do not show and must keep as they were.
STATE_FLAGS = ("final", "pauses_clock", "editable_by_applicant", "rejection")


def draft_of(definition):
    workflow = copy.deepcopy(definition.get("workflow") or {})
    workflow.setdefault("states", {})
    workflow.setdefault("transitions", [])
    return workflow


def parse(text):
    draft = load_json(text)
    if (
        not isinstance(draft, dict)
        or not isinstance(draft.get("states"), dict)
        or not all(isinstance(info, dict) for info in draft["states"].values())
        or not isinstance(draft.get("transitions"), list)
        or not all(isinstance(t, dict) for t in draft["transitions"])
    ):
        raise DraftError("draft")
    return draft


def documents():
    """The documents a final state may issue: {kind: title in English}."""
    return {kind: document_kinds.title(kind)["en"] for kind in sorted(document_kinds.SERVICE_KINDS)}


def text_of(bilingual, language):
    bilingual = bilingual or {}
    return bilingual.get(language) or bilingual.get("en") or ""


def reportable(step):
    """Whether an officer's report form may be asked at `step`: only staff take it, by a button."""
    roles = step.get("roles") or []
    return not step.get("via") and bool(roles) and set(roles) <= catalogue.STAFF_ROLES


def flags(draft):
    """{state: [what is wrong with it]}: unreachable from the first state, or stuck in it."""
    reachable = catalogue.reachable_states(draft)
    stuck = catalogue.dead_ends(draft)
    found = {}
    for name in draft["states"]:
        said = []
        if name not in reachable:
            said.append(_("no step leads to it from the first state"))
        if name in stuck:
            said.append(_("it is not final and no step leaves it"))
        if said:
            found[name] = said
    return found


def steps_using(draft, state, leaving_only=False):
    """The steps that leave from (or, unless `leaving_only`, lead to) `state`, by their English
    labels."""
    return [
        text_of(t.get("label"), "en") or t.get("action", "")
        for t in draft["transitions"]
        if state in catalogue.sources_of(t) or (not leaving_only and t.get("to") == state)
    ]


def state_form(draft, name):
    """The state inputs filled with state `name`, to change it (its name stays)."""
    info = draft["states"][name]
    values = {
        "editing_state": name,
        "st_name": name,
        "st_public_en": (info.get("public") or {}).get("en", ""),
        "st_public_hi": (info.get("public") or {}).get("hi", ""),
        "st_issues": info.get("issues", ""),
    }
    for flag in STATE_FLAGS:
        values[f"st_{flag}"] = "y" if info.get(flag) else ""
    return values


def step_form(draft, index):
    """The step inputs filled with step `index`, to change it."""
    step = draft["transitions"][index]
    values = {
        "editing_step": str(index),
        "tr_action": step.get("action", ""),
        "tr_label_en": (step.get("label") or {}).get("en", ""),
        "tr_label_hi": (step.get("label") or {}).get("hi", ""),
        "tr_to": step.get("to", ""),
        "tr_remark": "y" if step.get("remark") == "required" else "",
        "tr_not_self": "y" if step.get("self_approval") is False else "",
        "tr_via": step.get("via", ""),
    }
    for source in catalogue.sources_of(step):
        values[f"tr_from_{source}"] = "y"
    for role in step.get("roles") or []:
        values[f"tr_role_{role}"] = "y"
    return values


def apply(draft, action, form):
    """(draft after `action`, {form field: message}); `draft` itself is not changed."""
    draft = copy.deepcopy(draft)
    verb, _sep, where = (action or "").partition(":")
    if verb == "state":
        return _save_state(draft, form)
    if verb == "step":
        return _save_step(draft, form)
    if verb == "initial":
        first = str(form.get("initial", ""))
        if first not in draft["states"]:
            return draft, {"initial": _("First state: choose one of the states.")}
        draft["initial"] = first
        return draft, {}
    if verb == "remove_state" and where in draft["states"]:
        return _remove_state(draft, where)
    if verb == "remove_step" and where.isdigit() and int(where) < len(draft["transitions"]):
        draft["transitions"].pop(int(where))
    return draft, {}


def _remove_state(draft, name):
    label = text_of(draft["states"][name].get("public"), "en") or name
    if draft.get("initial") == name:
        return draft, {
            "initial": _(
                "“%(state)s” is the first state: choose another first state before removing it.",
                state=label,
            )
        }
    using = steps_using(draft, name)
    if using:
        return draft, {
            "form": _(
                "“%(state)s” is used by the steps %(steps)s: change or remove them first.",
                state=label,
                steps=", ".join(f"“{s}”" for s in using),
            )
        }
    del draft["states"][name]
    return draft, {}


def _bilingual(form, prefix, what, errors):
    text = {lang: str(form.get(f"{prefix}_{lang}", "")).strip()[:200] for lang in ("en", "hi")}
    if not text["en"]:
        errors[f"{prefix}_en"] = _("%(what)s (English): enter it.", what=what)
    if not text["hi"]:
        errors[f"{prefix}_hi"] = _("%(what)s (Hindi): enter it.", what=what)
    return text


def _save_state(draft, form):
    errors = {}
    editing = str(form.get("editing_state", ""))
    existing = draft["states"].get(editing)
    name = editing if existing is not None else str(form.get("st_name", "")).strip()
    if existing is None:
        if not catalogue.IDENTIFIER.match(name):
            errors["st_name"] = _(
                "Name: lower-case letters, digits and _, starting with a letter (as under_enquiry)."
            )
        elif name in draft["states"]:
            errors["st_name"] = _("Name: the workflow has a state “%(name)s” already.", name=name)
    public = _bilingual(form, "st_public", _("What the citizen reads"), errors)
    info = dict(existing or {}, public=public)
    for flag in STATE_FLAGS:
        info.pop(flag, None)
        if form.get(f"st_{flag}"):
            info[flag] = True
    issues = str(form.get("st_issues", ""))
    info.pop("issues", None)
    if issues:
        if issues not in document_kinds.SERVICE_KINDS:
            errors["st_issues"] = _("Issues a document: choose one from the list.")
        info["issues"] = issues
    final = info.get("final", False)
    if not final:
        for flag, message in (
            ("issues", _("Issues a document: only a final state issues one.")),
            ("rejection", _("A refusal: only a final state can be one.")),
        ):
            if info.get(flag):
                errors.setdefault(f"st_{flag}", message)
        if info.get("enrols"):
            errors["st_final"] = _("Final: this state enrols the applicant, so it must be final.")
    else:
        if info.get("pauses_clock"):
            errors["st_pauses_clock"] = _("Pauses the clock: a final state has no clock to pause.")
        leaving = steps_using(draft, editing, leaving_only=True) if editing else []
        if leaving:
            errors["st_final"] = _(
                "Final: the steps %(steps)s leave this state; remove them first.",
                steps=", ".join(f"“{s}”" for s in leaving),
            )
    if not errors:
        draft["states"][name] = info
        if not draft.get("initial"):
            draft["initial"] = name
    return draft, errors


def _save_step(draft, form):
    errors = {}
    editing = str(form.get("editing_step", ""))
    index = int(editing) if editing.isdigit() and int(editing) < len(draft["transitions"]) else None
    action = str(form.get("tr_action", "")).strip()
    if not catalogue.IDENTIFIER.match(action):
        errors["tr_action"] = _(
            "Name: lower-case letters, digits and _, starting with a letter (as approve)."
        )
    label = _bilingual(form, "tr_label", _("Button text"), errors)
    sources = [s for s in draft["states"] if form.get(f"tr_from_{s}")]
    if not sources:
        errors["tr_from"] = _("From: tick at least one state.")
    final_sources = [s for s in sources if draft["states"][s].get("final")]
    if final_sources:
        errors["tr_from"] = _(
            "From: “%(state)s” is final; no step leaves a final state.",
            state=text_of(draft["states"][final_sources[0]].get("public"), "en"),
        )
    target = str(form.get("tr_to", ""))
    if target not in draft["states"]:
        errors["tr_to"] = _("To: choose a state.")
    roles = [r for r in ROLES if form.get(f"tr_role_{r}")]
    if not roles:
        errors["tr_roles"] = _("Who may take it: tick at least one.")
    for other_index, other in enumerate(draft["transitions"]):
        if other_index != index and other.get("action") == action:
            twice = set(catalogue.sources_of(other)) & set(sources)
            if twice:
                errors["tr_action"] = _(
                    "Name: a step “%(action)s” leaves “%(state)s” already.",
                    action=action,
                    state=sorted(twice)[0],
                )
    via = str(form.get("tr_via", ""))
    if via and via not in catalogue.TRANSITION_MODULES:
        errors["tr_via"] = _("Taken: choose one of the ways listed.")
    if errors:
        return draft, errors
    step = {
        "action": action,
        "from": sources[0] if len(sources) == 1 else sources,
        "to": target,
        "roles": roles,
        "label": label,
    }
    if form.get("tr_remark"):
        step["remark"] = "required"
    if form.get("tr_not_self"):
        step["self_approval"] = False
    if via:
        step["via"] = via
    if index is not None:  # keep what this form does not show (the officer's report form)
        kept = ("action", "from", "to", "roles", "label", "remark", "self_approval", "via")
        old = draft["transitions"][index]
        step.update((key, value) for key, value in old.items() if key not in kept)
    if index is None:
        draft["transitions"].append(step)
    else:
        draft["transitions"][index] = step
    return draft, {}


def definition_with(definition, draft):
    new = copy.deepcopy(definition)
    new["workflow"] = draft
    return new
