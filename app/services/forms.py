"""Form data for a service: every value coerced to its declared type before it goes anywhere.

clean(definition, raw, today) returns (data, errors). `raw` may come from a JSON body or an HTML
form; a dict or list where a scalar belongs (e.g. {"$ne": ""}), an unknown field, an over-long or
control-character string are all errors naming the field. Aadhaar numbers are never stored whole:
only "XXXX XXXX 1234" and a keyed hash to match a known number later.
"""

import hashlib
import hmac
import re
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from app.constants import IST

from . import catalogue

DEFAULT_MAX = {"text": 200, "long_text": 2000}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MOBILE = re.compile(r"^[6-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,4}-?\d{6,8}$")
PINCODE = re.compile(r"^[1-9]\d{5}$")
VEHICLE = re.compile(r"^(?:[A-Z]{2}\d{1,2}[A-Z]{0,3}\d{4}|\d{2}BH\d{4}[A-Z]{1,2})$")
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
TRUE_WORDS = {"y", "yes", "on", "true", "1"}
FALSE_WORDS = {"", "n", "no", "off", "false", "0"}

# Verhoeff tables (the Aadhaar check digit).
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]  # fmt: skip
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]  # fmt: skip


class FieldError(ValueError):
    """One field's value is wrong; the message is shown to the applicant."""


def verhoeff_valid(digits):
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(char)]]
    return check == 0


def aadhaar_token(number):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"aadhaar:{number}".encode(), hashlib.sha256).hexdigest()


def _text(value, spec, kind):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(_l("Must be text."))
    value = value.replace("\r\n", "\n").strip()
    if CONTROL.search(value):
        raise FieldError(_l("Contains characters that are not allowed."))
    if kind == "text" and "\n" in value:
        raise FieldError(_l("Must be a single line."))
    limit = int(spec.get("max_length", DEFAULT_MAX[kind]))
    if len(value) > limit:
        raise FieldError(_l("At most %(count)d characters.", count=limit))
    pattern = spec.get("pattern")
    if pattern and value and not re.match(pattern, value):
        raise FieldError(_l("Not in the expected format."))
    return value


def _scalar_string(value):
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise FieldError(_l("Must be text."))
    return str(value).strip()


def _number(value, spec):
    if isinstance(value, bool):
        raise FieldError(_l("Must be a number."))
    if isinstance(value, str):
        try:
            value = float(value.strip()) if "." in value else int(value.strip())
        except ValueError as error:
            raise FieldError(_l("Must be a number.")) from error
    if (
        not isinstance(value, (int, float))
        or value != value
        or value in (float("inf"), float("-inf"))
    ):
        raise FieldError(_l("Must be a number."))
    if "min" in spec and value < spec["min"]:
        raise FieldError(_l("Must be at least %(value)s.", value=spec["min"]))
    if "max" in spec and value > spec["max"]:
        raise FieldError(_l("Must be at most %(value)s.", value=spec["max"]))
    return value


def _date(value, spec, today):
    text = _scalar_string(value)
    try:
        parsed = date.fromisoformat(text)
    except ValueError as error:
        raise FieldError(_l("Enter a date as YYYY-MM-DD.")) from error
    if parsed.year < 1900:
        raise FieldError(_l("Enter a real date."))
    if spec.get("not_future") and parsed > today:
        raise FieldError(_l("Cannot be in the future."))
    return parsed.isoformat()


def _datetime(value, spec, now):
    text = _scalar_string(value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise FieldError(_l("Enter a date and time as YYYY-MM-DDTHH:MM.")) from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=IST)  # forms are filled in Indian time
    parsed = parsed.astimezone(IST).replace(second=0, microsecond=0)
    if parsed.year < 1900:
        raise FieldError(_l("Enter a real date."))
    if spec.get("not_future") and parsed > now + timedelta(minutes=5):
        raise FieldError(_l("Cannot be in the future."))
    return parsed.isoformat()


def _choice(value, spec):
    value = _scalar_string(value)
    if value not in {choice["value"] for choice in spec["choices"]}:
        raise FieldError(_l("Not one of the choices."))
    return value


def _choices(value, spec):
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list):
        raise FieldError(_l("Must be a list of choices."))
    allowed = {choice["value"] for choice in spec["choices"]}
    chosen = []
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise FieldError(_l("Not one of the choices."))
        if item not in chosen:
            chosen.append(item)
    return chosen


def _boolean(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise FieldError(_l("Must be yes or no."))


def _phone(value):
    text = re.sub(r"[\s()]", "", _scalar_string(value))
    if text.startswith("+91"):
        text = text[3:]
    if MOBILE.match(text) or LANDLINE.match(text):
        return text
    raise FieldError(_l("Enter a 10-digit mobile number or a landline with its STD code."))


def _email(value):
    text = _scalar_string(value)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise FieldError(_l("Enter a valid email address.")) from error


def _pincode(value):
    text = _scalar_string(value)
    if not PINCODE.match(text):
        raise FieldError(_l("Enter a six-digit PIN code."))
    return text


def _aadhaar(value):
    digits = re.sub(r"[\s-]", "", _scalar_string(value))
    if not re.fullmatch(r"[2-9]\d{11}", digits) or not verhoeff_valid(digits):
        raise FieldError(_l("Enter a valid 12-digit Aadhaar number."))
    return {"masked": f"XXXX XXXX {digits[-4:]}", "token": aadhaar_token(digits)}


def _vehicle(value):
    text = re.sub(r"[\s-]", "", _scalar_string(value)).upper()
    if not VEHICLE.match(text):
        raise FieldError(_l("Enter a registration number such as HR26DQ1234."))
    return text


def _upload(value):
    text = _scalar_string(value)
    if not UPLOAD_ID.match(text):
        raise FieldError(_l("Upload the file first."))
    return text


def coerce(spec, value, today, now):
    """The value of one field converted to its type, or FieldError."""
    kind = spec["type"]
    if kind in ("text", "long_text"):
        return _text(value, spec, kind)
    converters = {
        "number": lambda: _number(value, spec),
        "date": lambda: _date(value, spec, today),
        "datetime": lambda: _datetime(value, spec, now),
        "select": lambda: _choice(value, spec),
        "multi_select": lambda: _choices(value, spec),
        "boolean": lambda: _boolean(value),
        "phone": lambda: _phone(value),
        "email": lambda: _email(value),
        "pincode": lambda: _pincode(value),
        "aadhaar": lambda: _aadhaar(value),
        "vehicle_registration": lambda: _vehicle(value),
        "file": lambda: _upload(value),
    }
    return converters[kind]()


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean(definition, raw, now=None):
    """(data, errors) for the raw input of a service form; errors map field names to messages."""
    now = (now or datetime.now(IST)).astimezone(IST)
    today = now.date()
    fields = catalogue.field_map(definition)
    if not isinstance(raw, dict):
        return {}, {"data": _l("Must be an object of field values.")}
    errors, data = {}, {}
    for name in raw:
        if name not in fields:
            errors[str(name)[:60]] = _l("Unknown field.")
    for name, spec in fields.items():
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
        errors.update(check_eligibility(definition, data, today))
    return data, errors


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _in_readers_language(message):
    """A definition's bilingual message, worded when shown, in the language of whoever reads
    it (as `_l` strings are): the service does not ask which request it serves."""

    def word():
        locale = get_locale()
        return message.get(locale.language if locale else "en") or message["en"]

    return LazyString(word)


def check_eligibility(definition, data, today):
    """Errors for the declarative eligibility rules that `data` breaks."""
    errors = {}
    for rule in definition.get("eligibility", []):
        name, op, expected = rule["field"], rule["op"], rule["value"]
        if name not in data:
            continue
        value = data[name]
        if op == "age_at_least":
            ok = _age(date.fromisoformat(value[:10]), today) >= expected
        elif op == "days_ahead_at_least":
            ok = date.fromisoformat(value[:10]) >= today + timedelta(days=expected)
        elif op == "in":
            ok = value in expected
        elif op == "not_in":
            ok = value not in expected
        else:
            ok = _compare(op, value, expected)
        if not ok:
            errors[name] = _in_readers_language(rule["message"])
    return errors


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
    kind = spec["type"]
    if value is None or value == "":
        return ""
    if kind == "aadhaar":
        return value.get("masked", "") if isinstance(value, dict) else ""
    if kind == "select":
        for choice in spec["choices"]:
            if choice["value"] == value:
                return choice.get(language) or choice["en"]
    if kind == "multi_select":
        labels = {c["value"]: c.get(language) or c["en"] for c in spec["choices"]}
        return ", ".join(labels.get(v, v) for v in value)
    if kind == "boolean":
        return str(_l("Yes") if value else _l("No"))
    if kind in ("date", "datetime"):
        return _readable_moment(kind, value)
    return str(value)


def _readable_moment(kind, value):
    """ISO as stored → "10-12-2026" or "10-12-2026 18:00 IST", the way Indian forms write it."""
    try:
        if kind == "date":
            return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        return datetime.fromisoformat(str(value)).astimezone(IST).strftime("%d-%m-%Y %H:%M IST")
    except ValueError:
        return str(value)
