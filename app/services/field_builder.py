"""A service's form fields edited as a table (the admin's "Fields" page) instead of YAML.

The same page edits the report form an officer fills in at a step of the workflow (the
findings of a verification, the date of a visit): a list of fields of the same kinds.

The page carries a draft of the field list (JSON in a hidden input) from one step to the next:
add a field, remove one, move one up or down, make one required or optional. Nothing is stored
until the administrator publishes the draft with a reason; until then "discard" is reloading the
page. apply() performs one step on a draft and returns it with the errors of that step, each
under the name of the form field at fault; the draft's definition is always checked whole by
services.catalogue before it can be published, so this page cannot publish what YAML could not.
"""

import copy
import json

from flask_babel import gettext as _

from . import catalogue, field_types

MAX_DRAFT = 200_000  # characters of JSON: a definition's fields are a few kB
# Types whose further settings this page asks for: choices, accepted files.
ACCEPT_CHOICES = ("image/jpeg", "image/png", "application/pdf")
# The limits this page sets, by type (other settings, such as a pattern, stay as they were).
LIMITS = {
    "text": ("max_length",),
    "long_text": ("max_length",),
    "number": ("min", "max"),
    "file": ("max_kb",),
    "date": ("not_future",),
    "datetime": ("not_future",),
}


class DraftError(ValueError):
    """The posted draft is not a list of fields (tampered with, or cut off)."""


def draft_of(definition, step=None):
    """The citizen's form, or with `step` (an index into the workflow's steps) the report form
    the officer fills in when taking that step."""
    if step is None:
        return copy.deepcopy(definition.get("fields") or [])
    return copy.deepcopy(definition["workflow"]["transitions"][step].get("report") or [])


def to_json(draft):
    return json.dumps(draft, ensure_ascii=False)


def load_json(text):
    """The JSON a builder page carried in its hidden draft input, or DraftError."""
    if not isinstance(text, str) or len(text) > MAX_DRAFT:
        raise DraftError("draft")
    try:
        return json.loads(text)
    except ValueError as error:
        raise DraftError("draft") from error


def parse(text):
    draft = load_json(text)
    if not isinstance(draft, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in draft
    ):
        raise DraftError("draft")
    return draft


def types():
    """The field types an administrator may choose, by name."""
    return sorted(field_types.TYPES)


def form_for(draft, index):
    """The add-a-field inputs filled with field `index`, to change it (name and type stay)."""
    spec = draft[index]
    values = {
        "editing": str(index),
        "new_name": spec["name"],
        "new_type": spec.get("type", ""),
        "new_required": "y" if spec.get("required") else "",
    }
    for lang in ("en", "hi"):
        values[f"new_label_{lang}"] = (spec.get("label") or {}).get(lang, "")
        values[f"new_help_{lang}"] = (spec.get("help") or {}).get(lang, "")
    values["new_choices"] = "\n".join(
        f"{c.get('value')} | {c.get('en')} | {c.get('hi')}" for c in spec.get("choices") or []
    )
    for mime in spec.get("accept") or []:
        values[f"new_accept_{mime}"] = "y"
    for key in ("max_length", "min", "max", "max_kb"):
        if key in spec:
            values[f"new_{key}"] = str(spec[key])
    values["new_not_future"] = "y" if spec.get("not_future") else ""
    condition = spec.get("show_when")
    if condition:
        values["new_show_when"] = _condition_key(condition["field"], condition["equals"])
    return values


def _condition_key(field, equals):
    return f"{field}={str(equals).lower() if isinstance(equals, bool) else equals}"


def conditions(draft, position, language):
    """The answers a field at `position` may be asked on: [(key, words)] for each choice of an
    earlier select field and each answer of an earlier yes/no field."""
    offered = []
    for spec in draft[:position]:
        label = (spec.get("label") or {}).get(language) or spec["name"]
        if spec.get("type") == "select":
            for choice in spec.get("choices") or []:
                answer = choice.get(language) or choice.get("en") or choice.get("value")
                offered.append(
                    (
                        _condition_key(spec["name"], choice.get("value")),
                        _("“%(field)s” is “%(answer)s”", field=label, answer=answer),
                    )
                )
        elif spec.get("type") == "boolean":
            offered.append(
                (_condition_key(spec["name"], True), _("“%(field)s” is ticked", field=label))
            )
            offered.append(
                (
                    _condition_key(spec["name"], False),
                    _("“%(field)s” is not ticked", field=label),
                )
            )
    return offered


def condition_words(draft, language):
    """{field name: its condition in words} for the fields asked only on another answer."""
    words = {}
    for position, spec in enumerate(draft):
        condition = spec.get("show_when")
        if isinstance(condition, dict):
            key = _condition_key(condition.get("field"), condition.get("equals"))
            words[spec["name"]] = dict(conditions(draft, position, language)).get(key, key)
    return words


def _condition(key, draft, position):
    """The show_when of a field at `position` from its key ("" for always), or ValueError."""
    if not key:
        return None
    for spec in draft[:position]:
        if spec.get("type") == "boolean" and key in (
            _condition_key(spec["name"], True),
            _condition_key(spec["name"], False),
        ):
            return {"field": spec["name"], "equals": key.endswith("=true")}
        for choice in spec.get("choices") or [] if spec.get("type") == "select" else []:
            if key == _condition_key(spec["name"], choice.get("value")):
                return {"field": spec["name"], "equals": choice.get("value")}
    raise ValueError(key)


def apply(draft, action, form):
    """(draft after `action`, {form field: message}); `draft` itself is not changed."""
    draft = copy.deepcopy(draft)
    verb, _sep, where = (action or "").partition(":")
    if verb == "add":
        editing = str(form.get("editing", ""))
        if editing.isdigit() and int(editing) < len(draft):
            return _change(draft, int(editing), form)
        spec, errors = _new_field(form, {f["name"] for f in draft}, draft, len(draft))
        if not errors:
            draft.append(spec)
        return draft, errors
    if not where.isdigit() or not 0 <= int(where) < len(draft):
        return draft, {}
    index = int(where)
    if verb in ("up", "down", "remove"):
        problem = _breaks_a_condition(draft, verb, index)
        if problem:
            return draft, {"form": problem}
    if verb == "up" and index > 0:
        draft[index - 1], draft[index] = draft[index], draft[index - 1]
    elif verb == "down" and index < len(draft) - 1:
        draft[index + 1], draft[index] = draft[index], draft[index + 1]
    elif verb == "remove":
        draft.pop(index)
    elif verb == "required":
        draft[index]["required"] = not draft[index].get("required", False)
    return draft, {}


def _depends_on(spec, other):
    condition = spec.get("show_when")
    return isinstance(condition, dict) and condition.get("field") == other.get("name")


def _label(spec):
    return (spec.get("label") or {}).get("en") or spec.get("name", "")


def _breaks_a_condition(draft, verb, index):
    """What is wrong with moving or removing field `index`, or None: a field asked only on
    another's answer must stay below that field, which may not be removed while it is used."""
    spec = draft[index]
    if verb == "up" and index > 0 and _depends_on(spec, draft[index - 1]):
        upper, lower = draft[index - 1], spec
    elif verb == "down" and index < len(draft) - 1 and _depends_on(draft[index + 1], spec):
        upper, lower = spec, draft[index + 1]
    elif verb == "remove":
        users = [_label(other) for other in draft if _depends_on(other, spec)]
        if not users:
            return None
        return _(
            "“%(field)s” decides whether %(users)s is asked: change or remove that first.",
            field=_label(spec),
            users=", ".join(f"“{u}”" for u in users),
        )
    else:
        return None
    return _(
        "“%(lower)s” is asked only on an answer to “%(upper)s”, so it stays below it.",
        lower=_label(lower),
        upper=_label(upper),
    )


def _change(draft, index, form):
    """Field `index` with the form's labels, help, required and choices; its name, type and
    every setting the form does not show (limits, conditions) stay as they were."""
    existing = draft[index]
    fixed = dict(form, new_name=existing["name"], new_type=existing.get("type", ""))
    spec, errors = _new_field(fixed, set(), draft, index)
    if errors:
        return draft, errors
    changed = dict(existing, label=spec["label"], required=spec["required"])
    limits = LIMITS.get(str(existing.get("type", "")), ())
    for key in ("help", "show_when", *limits):
        changed.pop(key, None)
    for key in ("help", "show_when", "choices", "accept", *limits):
        if key in spec:
            changed[key] = spec[key]
    draft[index] = changed
    return draft, {}


def _new_field(form, taken, draft, position):
    errors = {}
    name = str(form.get("new_name", "")).strip()
    if not catalogue.IDENTIFIER.match(name):
        errors["new_name"] = _(
            "Name: lower-case letters, digits and _, starting with a letter (as occupation)."
        )
    elif name in taken:
        errors["new_name"] = _("Name: the form has a field “%(name)s” already.", name=name)
    kind = str(form.get("new_type", ""))
    if kind not in field_types.TYPES:
        errors["new_type"] = _("Type: choose one.")
    label = {lang: str(form.get(f"new_label_{lang}", "")).strip()[:200] for lang in ("en", "hi")}
    if not label["en"]:
        errors["new_label_en"] = _("Label (English): enter it.")
    if not label["hi"]:
        errors["new_label_hi"] = _("Label (Hindi): enter it.")
    spec = {"name": name, "type": kind, "required": bool(form.get("new_required")), "label": label}
    help_text = {lang: str(form.get(f"new_help_{lang}", "")).strip()[:300] for lang in ("en", "hi")}
    if help_text["en"] or help_text["hi"]:
        if not (help_text["en"] and help_text["hi"]):
            errors["new_help_hi" if help_text["en"] else "new_help_en"] = _(
                "Help: give it in both languages, or in neither."
            )
        spec["help"] = help_text
    try:
        condition = _condition(str(form.get("new_show_when", "")), draft, position)
    except ValueError:
        errors["new_show_when"] = _("Asked only when: choose one of the answers listed.")
    else:
        if condition:
            spec["show_when"] = condition
    errors.update(_limits(form, kind, spec))
    if kind in ("select", "multi_select"):
        choices, problem = _choices(str(form.get("new_choices", "")))
        if problem:
            errors["new_choices"] = problem
        spec["choices"] = choices
    if kind == "file":
        accept = [m for m in ACCEPT_CHOICES if form.get(f"new_accept_{m}")]
        if not accept:
            errors["new_accept"] = _("Accepted files: tick at least one kind.")
        spec["accept"] = accept
    return spec, errors


def _whole_number(form, name, low, high, what):
    """(int or None when blank, error or None) for one number input of the form."""
    raw = str(form.get(name, "")).strip()
    if not raw:
        return None, None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        return None, _("%(what)s: a whole number from %(low)d to %(high)d.", what=what, low=low,
                       high=high)  # fmt: skip
    return value, None


def _limits(form, kind, spec):
    """Set the limits of a field of `kind` on `spec` from the form; {form field: error}."""
    errors = {}
    if kind in ("text", "long_text"):
        longest, errors["new_max_length"] = _whole_number(
            form, "new_max_length", 1, 5000, _("Longest answer")
        )
        spec["max_length"] = longest or (100 if kind == "text" else 500)
    elif kind == "number":
        for key, what in (("min", _("Smallest number")), ("max", _("Largest number"))):
            value, errors[f"new_{key}"] = _whole_number(form, f"new_{key}", -(10**9), 10**9, what)
            if value is not None:
                spec[key] = value
        if errors.get("new_min") is None and spec.get("min", 0) > spec.get("max", 10**9):
            errors["new_max"] = _("Largest number: not smaller than the smallest.")
    elif kind == "file":
        largest, errors["new_max_kb"] = _whole_number(
            form, "new_max_kb", 10, 10240, _("Largest file (KB)")
        )
        spec["max_kb"] = largest or 4096
    elif kind in ("date", "datetime") and form.get("new_not_future"):
        spec["not_future"] = True
    return {name: message for name, message in errors.items() if message}


def _choices(text):
    """Lines "value | English | Hindi" → choices, or a message naming the line at fault."""
    choices = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts) or not catalogue.IDENTIFIER.match(parts[0]):
            return [], _(
                "Choices, line %(number)d: write value | English | Hindi, the value in "
                "lower-case letters, digits and _.",
                number=number,
            )
        choices.append({"value": parts[0], "en": parts[1], "hi": parts[2]})
    if len(choices) < 2:
        return [], _("Choices: give at least two, one per line.")
    return choices, None


def definition_with(definition, draft, step=None):
    new = copy.deepcopy(definition)
    if step is None:
        new["fields"] = draft
        return new
    transition = new["workflow"]["transitions"][step]
    transition.pop("report", None)
    if draft:  # a step without a report form has no `report` at all, as in YAML
        transition["report"] = draft
    return new
