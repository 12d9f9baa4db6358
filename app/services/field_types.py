"""Field types: one class per type a service form may use, registered by name.

Each knows how to coerce and check a submitted value (`coerce`), how people read a stored one
(`display`), its JSON Schema for the API (`schema`) and a valid sample for tests (`sample`).
Each also says how its form control looks (`widget`, `input_type`, `input_attrs`) and how the
review step shows and carries a value typed but not yet saved (`review`, `hidden`). The
catalogue's validation, services.forms, the API, the form templates (templates/
_service_fields.html and services/apply.html draw each widget kind once, never a type by name) and
the test data builder all ask TYPES: a new type is one class here.
Aadhaar numbers are never stored whole: only "XXXX XXXX 1234" and a keyed hash.
"""

import re
from datetime import date, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.constants import IST

from .keyed import keyed_digest

# --- the types --------------------------------------------------------------------------------


class FieldType:
    """A type of form field. Subclasses set `name` and override what differs."""

    name = ""
    json_type: dict = {"type": "string"}
    # The control the form draws: input, textarea, select, checkbox, checkboxes or file.
    widget = "input"
    input_type = "text"  # an <input>'s type attribute
    # Stored but never put back in the form (to_form gives OMIT): an empty input keeps it.
    kept_when_empty = False
    # The Open311 GeoReport v2 datatype of an attribute of this type (services.open311); None:
    # never asked through Open311 (a file, an Aadhaar number).
    open311: str | None = "string"

    def input_attrs(self, spec):
        """Further attributes of the <input> (inputmode, limits, patterns)."""
        return {}

    def review(self, value, spec, language):
        """A value as typed, shown on the "check your answers" step."""
        return value if value not in (None, "") else "—"

    def hidden(self, name, value):
        """[(name, value)] of the hidden inputs that carry a typed value through the review."""
        return [(name, "" if value is None else value)]

    def coerce(self, value, spec, today, now):
        raise NotImplementedError

    def display(self, value, spec, language):
        return str(value)

    def schema(self, spec):
        """JSON Schema of a value of this field (the portal's own keys are added by the API)."""
        return dict(self.json_type)

    def sample(self, spec, now, upload):
        """A valid value, for tests and examples; `upload(mime)` gives an upload's id."""
        raise NotImplementedError

    def from_form(self, form, name):
        """The raw value of this field in a posted HTML form (a MultiDict)."""
        return form.get(name, "")

    def to_form(self, value):
        """A stored value as the form's input shows it again; OMIT to leave the input empty."""
        return OMIT if self.kept_when_empty else value


OMIT = object()  # to_form(): the stored value is not put back in the form (an Aadhaar number)


TYPES: dict[str, FieldType] = {}


def register(cls):
    TYPES[cls.name] = cls()
    return cls


@register
class Text(FieldType):
    name = "text"

    def input_attrs(self, spec):
        return {"maxlength": spec.get("max_length") or DEFAULT_MAX[self.name]}

    def coerce(self, value, spec, today, now):
        return _text(value, spec, self.name)

    def schema(self, spec):
        return {"type": "string", "maxLength": int(spec.get("max_length", DEFAULT_MAX[self.name]))}

    def sample(self, spec, now, upload):
        return "Test value"


@register
class LongText(Text):
    name = "long_text"
    open311 = "text"
    widget = "textarea"

    def sample(self, spec, now, upload):
        return "A full description, with a line break.\nSecond line."


@register
class Number(FieldType):
    name = "number"
    open311 = "number"
    json_type = {"type": "number"}
    input_type = "number"

    def input_attrs(self, spec):
        attrs = {"inputmode": "decimal", "step": "any"}
        attrs.update({key: spec[key] for key in ("min", "max") if key in spec})
        return attrs

    def coerce(self, value, spec, today, now):
        return _number(value, spec)

    def schema(self, spec):
        schema = dict(self.json_type)
        for key, keyword in (("min", "minimum"), ("max", "maximum")):
            if key in spec:
                schema[keyword] = spec[key]
        return schema

    def sample(self, spec, now, upload):
        return max(spec.get("min", 1), 1)


@register
class Date(FieldType):
    name = "date"
    open311 = "datetime"
    json_type = {"type": "string", "format": "date"}
    input_type = "date"

    def coerce(self, value, spec, today, now):
        return _date(value, spec, today)

    def display(self, value, spec, language):
        return _readable_moment(self.name, value)

    def sample(self, spec, now, upload):
        if spec.get("not_future"):
            return "1950-01-15"
        return (now + timedelta(days=200)).date().isoformat()


@register
class DateTime(FieldType):
    name = "datetime"
    open311 = "datetime"
    json_type = {"type": "string", "format": "date-time"}
    input_type = "datetime-local"

    def coerce(self, value, spec, today, now):
        return _datetime(value, spec, now)

    def display(self, value, spec, language):
        return _readable_moment(self.name, value)

    def sample(self, spec, now, upload):
        local = now.astimezone(IST).replace(second=0, microsecond=0)
        moment = (
            local - timedelta(hours=2) if spec.get("not_future") else local + timedelta(days=10)
        )
        return moment.isoformat()


@register
class Select(FieldType):
    name = "select"
    open311 = "singlevaluelist"
    widget = "select"

    def review(self, value, spec, language):
        return self.display(value, spec, language) if value else "—"

    def coerce(self, value, spec, today, now):
        return _choice(value, spec)

    def display(self, value, spec, language):
        for choice in spec["choices"]:
            if choice["value"] == value:
                return choice.get(language) or choice["en"]
        return str(value)

    def schema(self, spec):
        return {"type": "string", "enum": [c["value"] for c in spec["choices"]]}

    def sample(self, spec, now, upload):
        return spec["choices"][0]["value"]


@register
class MultiSelect(FieldType):
    name = "multi_select"
    open311 = "multivaluelist"
    widget = "checkboxes"

    def review(self, value, spec, language):
        return self.display(value, spec, language) if value else "—"

    def hidden(self, name, value):
        return [(name, item) for item in value or []]

    def coerce(self, value, spec, today, now):
        return _choices(value, spec)

    def display(self, value, spec, language):
        labels = {c["value"]: c.get(language) or c["en"] for c in spec["choices"]}
        return ", ".join(labels.get(v, v) for v in value)

    def schema(self, spec):
        return {
            "type": "array",
            "items": {"type": "string", "enum": [c["value"] for c in spec["choices"]]},
        }

    def sample(self, spec, now, upload):
        return [spec["choices"][0]["value"]]

    def from_form(self, form, name):
        return form.getlist(name)


@register
class Boolean(FieldType):
    name = "boolean"
    open311 = "singlevaluelist"
    json_type = {"type": "boolean"}
    widget = "checkbox"

    def review(self, value, spec, language):
        return self.display(value, spec, language)

    def hidden(self, name, value):
        return [(name, "y")] if value else []  # an unticked box is not posted

    def coerce(self, value, spec, today, now):
        return _boolean(value)

    def display(self, value, spec, language):
        return str(_l("Yes") if value else _l("No"))

    def sample(self, spec, now, upload):
        return False

    def from_form(self, form, name):
        return bool(form.get(name))  # an unticked checkbox is not posted at all


@register
class Phone(FieldType):
    name = "phone"
    input_type = "tel"

    def input_attrs(self, spec):
        return {"inputmode": "tel"}

    def coerce(self, value, spec, today, now):
        return _phone(value)

    def sample(self, spec, now, upload):
        return "9876543210"


@register
class Email(FieldType):
    name = "email"
    json_type = {"type": "string", "format": "email"}
    input_type = "email"

    def coerce(self, value, spec, today, now):
        return _email(value)

    def sample(self, spec, now, upload):
        return "applicant@mail.co.in"


@register
class Pincode(FieldType):
    name = "pincode"

    def input_attrs(self, spec):
        return {"inputmode": "numeric", "maxlength": 6, "pattern": "[1-9][0-9]{5}"}

    def coerce(self, value, spec, today, now):
        return _pincode(value)

    def sample(self, spec, now, upload):
        return "122009"


@register
class Aadhaar(FieldType):
    name = "aadhaar"
    open311 = None
    kept_when_empty = True

    def input_attrs(self, spec):
        return {"inputmode": "numeric", "autocomplete": "off", "maxlength": 14}

    def review(self, value, spec, language):
        return f"XXXX XXXX {str(value)[-4:]}" if value else "—"  # typed, never shown whole

    def coerce(self, value, spec, today, now):
        return _aadhaar(value)

    def display(self, value, spec, language):
        return value.get("masked", "") if isinstance(value, dict) else ""

    def sample(self, spec, now, upload):
        return verhoeff_complete("23456789012")


@register
class VehicleRegistration(FieldType):
    name = "vehicle_registration"

    def coerce(self, value, spec, today, now):
        return _vehicle(value)

    def sample(self, spec, now, upload):
        return "HR26DQ1234"


@register
class File(FieldType):
    name = "file"
    open311 = None
    widget = "file"

    def review(self, value, spec, language):
        return str(_l("Attached")) if value else "—"

    def hidden(self, name, value):
        return [(f"{name}__upload", value or "")]

    def coerce(self, value, spec, today, now):
        return _upload(value)

    def schema(self, spec):
        return {
            "type": "string",
            "description": "id returned by POST /api/v1/uploads",
            "x-accept": spec["accept"],
            "x-max-kb": spec["max_kb"],
        }

    def sample(self, spec, now, upload):
        return upload(spec["accept"][0])

    def from_form(self, form, name):
        return form.get(f"{name}__upload", "")  # an earlier upload's id; a new file is separate


# --- converters -------------------------------------------------------------------------------

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


def verhoeff_complete(eleven):
    """`eleven` digits with the check digit that makes them a valid Aadhaar number."""
    return next(eleven + str(d) for d in range(10) if verhoeff_valid(eleven + str(d)))


def aadhaar_token(number):
    return keyed_digest(f"aadhaar:{number}")


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


def email_address(value):
    """An email address as typed, normalised (email-validator, as the form's email fields are
    checked), or "" when it is not one."""
    try:
        return _email(value)
    except FieldError:
        return ""


def mobile_number(value):
    """An Indian mobile as people type it (spaces, dashes, brackets, +91 or a leading 0) → its
    ten digits, or "" when it is not one."""
    text = re.sub(r"[\s()-]", "", str(value or ""))
    if text.startswith("+91"):
        text = text[3:]
    elif len(text) == 11 and text.startswith("0"):
        text = text[1:]
    return text if MOBILE.match(text) else ""


def _phone(value):
    """A mobile typed any way people do (spaces, dashes, +91, a leading 0) is kept as its ten
    digits; a landline keeps its STD code."""
    typed = _scalar_string(value)
    mobile = mobile_number(typed)
    if mobile:
        return mobile
    text = re.sub(r"[\s()]", "", typed)
    if text.startswith("+91"):
        text = text[3:]
    if LANDLINE.match(text):
        return text
    raise FieldError(_l("Enter a 10-digit mobile number or a landline with its STD code."))


def _email(value):
    text = _scalar_string(value)
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise FieldError(_l("Enter a valid email address.")) from error


def _pincode(value):
    text = re.sub(r"\s", "", _scalar_string(value))  # "122 009" as on some letters
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


def _readable_moment(kind, value):
    """ISO as stored → "10-12-2026" or "10-12-2026 18:00 IST", the way Indian forms write it."""
    try:
        if kind == "date":
            return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        return datetime.fromisoformat(str(value)).astimezone(IST).strftime("%d-%m-%Y %H:%M IST")
    except ValueError:
        return str(value)
