"""Form data for a service: every value coerced to its declared type before it goes anywhere.

clean(definition, raw, today) returns (data, errors). `raw` may come from a JSON body or an HTML
form; a dict or list where a scalar belongs (e.g. {"$ne": ""}), an unknown field, an over-long or
control-character string are all errors naming the field. Each value is coerced by its type in
services.field_types (where Aadhaar numbers become "XXXX XXXX 1234" and a keyed hash).
"""

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.constants import IST

from . import catalogue
from .field_types import TYPES, FieldError, aadhaar_token, verhoeff_valid

__all__ = [
    "FieldError",
    "aadhaar_token",
    "verhoeff_valid",
    "clean",
    "coerce",
    "display",
    "shown",
]


def coerce(spec, value, today, now):
    """The value of one field converted to its type (field_types.TYPES), or FieldError."""
    return TYPES[spec["type"]].coerce(value, spec, today, now)


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean(definition, raw, now=None, language="en"):
    """(data, errors) for the raw input of a service form; errors map field names to messages
    (a definition's own messages, such as eligibility rules, in `language`)."""
    now = (now or datetime.now(IST)).astimezone(IST)
    today = now.date()
    fields = catalogue.field_map(definition)
    if not isinstance(raw, dict):
        return {}, {"data": _l("Must be an object of field values.")}
    errors: dict = {}
    data: dict = {}
    for name in raw:
        if name not in fields:
            errors[str(name)[:60]] = _l("Unknown field.")
    for name, spec in fields.items():
        if not shown(spec, data):
            continue  # not asked: an answer left in the form (no script) is dropped, not kept
        value = raw.get(name)
        if spec["type"] == "boolean" and value is None:
            value = False
        if _empty(value):
            if spec.get("required"):
                errors[name] = _l("This field is required.")
            continue
        try:
            data[name] = coerce(spec, value, today, now)
        except FieldError as error:
            errors[name] = error.args[0]
    if not errors:
        errors.update(check_eligibility(definition, data, today, language))
    return data, errors


def always_required(spec):
    """Whether every request must answer the field: required and asked whatever the other
    answers (a field asked only on another answer is required only then), as a schema says it."""
    return bool(spec.get("required")) and "show_when" not in spec


def shown(spec, answers):
    """Whether a field is asked, given the answers before it: a field with `show_when` only when
    the field it names has the answer it names (catalogue._check_show_when)."""
    condition = spec.get("show_when")
    if condition is None:
        return True
    answer = answers.get(condition["field"])
    if isinstance(condition["equals"], bool):
        return bool(answer) is condition["equals"]
    return answer == condition["equals"]


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_eligibility(definition, data, today, language="en"):
    """Errors for the declarative eligibility rules that `data` breaks, worded in `language`."""
    errors = {}
    for rule in definition.get("eligibility", []):
        if rule_holds(rule, data, today) is False:
            errors[rule["field"]] = rule["message"].get(language) or rule["message"]["en"]
    return errors


def rule_holds(rule, data, today):
    """Whether `data` meets one declarative rule ({field, op, value}: eligibility, fee
    exemptions); None when the field was not answered."""
    name, op, expected = rule["field"], rule["op"], rule["value"]
    if name not in data:
        return None
    value = data[name]
    if op == "age_at_least":
        return _age(date.fromisoformat(value[:10]), today) >= expected
    if op == "days_ahead_at_least":
        return date.fromisoformat(value[:10]) >= today + timedelta(days=expected)
    if op == "in":
        return value in expected
    if op == "not_in":
        return value not in expected
    return _compare(op, value, expected)


def _compare(op, value, expected):
    try:
        return {
            "==": value == expected,
            "!=": value != expected,
            ">=": value >= expected,
            "<=": value <= expected,
            ">": value > expected,
            "<": value < expected,
        }[op]
    except TypeError:
        return False


def display(spec, value, language="en"):
    """A stored value as people read it (choice labels, yes/no, masked Aadhaar)."""
    if value is None or value == "":
        return ""
    return TYPES[spec["type"]].display(value, spec, language)
