"""forms.clean: every field type coerced; bad input is an error naming the field."""

import os

import pytest

from app.constants import IST
from app.services import catalogue, forms, service_types
from app.services.field_types import verhoeff_complete
from tests.helpers.service_data import valid_data


def definition(code):
    return catalogue.load_file(os.path.join(service_types.SERVICE_TYPES_DIR, f"{code}.yaml"))


def fake_upload(mime):
    return "0" * 32


@pytest.fixture
def tenant(app):
    with app.test_request_context():
        yield definition("tenant_verification")


def errors_for(tenant, **changes):
    data = valid_data(tenant, fake_upload)
    data.update(changes)
    return forms.clean(tenant, data)[1]


OPERATORS = [{"$ne": ""}, {"$gt": 0}, ["a", "b"], {"$where": "1"}]


@pytest.mark.parametrize(
    "field",
    ["owner_name", "owner_mobile", "property_address", "property_pincode", "tenant_dob",
     "tenant_aadhaar", "tenant_occupation", "family_members", "tenant_photo"],
)  # fmt: skip
@pytest.mark.parametrize("bad", OPERATORS, ids=["ne", "gt", "list", "where"])
def test_operator_objects_are_field_errors(tenant, field, bad):
    assert field in errors_for(tenant, **{field: bad})


@pytest.mark.parametrize(
    "field, bad",
    [
        ("owner_name", "x" * 101), ("owner_name", "two\nlines"), ("owner_name", "nul\x00byte"),
        ("owner_mobile", "12345"), ("owner_mobile", "5123456789"), ("property_pincode", "012345"),
        ("property_pincode", "12345"), ("tenant_dob", "31-12-1990"), ("tenant_dob", "2999-01-01"),
        ("tenant_aadhaar", "123412341234"), ("tenant_aadhaar", "234567890123"),
        ("tenant_occupation", "hired_killer"), ("family_members", "many"), ("family_members", 21),
        ("family_members", True), ("family_members", float("nan")), ("tenant_photo", "../../etc/passwd"),
        ("property_address", "y" * 501),
    ],
)  # fmt: skip
def test_bad_values_are_errors_naming_the_field(tenant, field, bad):
    assert field in errors_for(tenant, **{field: bad})


def test_unknown_fields_are_errors(tenant):
    assert "is_admin" in errors_for(tenant, is_admin=True)


def test_missing_required_fields_are_named(tenant):
    data, errors = forms.clean(tenant, {})
    assert {"owner_name", "tenant_photo", "property_pincode"} <= set(errors)


def test_hindi_and_other_unicode_text_is_kept(tenant):
    data, errors = forms.clean(
        tenant,
        dict(valid_data(tenant, fake_upload), tenant_name="रोहित कुमार 👍", owner_name="Zoë Ünal"),
    )
    assert errors == {}
    assert data["tenant_name"] == "रोहित कुमार 👍"


def test_aadhaar_is_stored_masked_and_tokenised(tenant):
    number = verhoeff_complete("23456789012")
    data, errors = forms.clean(tenant, dict(valid_data(tenant, fake_upload), tenant_aadhaar=number))
    assert errors == {}
    assert data["tenant_aadhaar"]["masked"] == f"XXXX XXXX {number[-4:]}"
    assert number not in str(data)


def test_values_are_normalised(tenant):
    data, _ = forms.clean(
        tenant,
        dict(valid_data(tenant, fake_upload), owner_mobile="+91 98765 43210", family_members="3"),
    )
    assert data["owner_mobile"] == "9876543210" and data["family_members"] == 3


@pytest.mark.parametrize(
    "typed", ["98765-43210", "098765 43210", "+91-98765-43210", "(+91) 9876543210", "98765 43210"]
)
def test_a_mobile_is_accepted_as_people_type_it(tenant, typed):
    data, errors = forms.clean(tenant, dict(valid_data(tenant, fake_upload), owner_mobile=typed))
    assert errors == {} and data["owner_mobile"] == "9876543210"


def test_a_pin_code_may_have_a_space_and_a_landline_keeps_its_std_code(tenant):
    data, errors = forms.clean(
        tenant,
        dict(
            valid_data(tenant, fake_upload), property_pincode="122 009", owner_mobile="0124-2222929"
        ),
    )
    assert errors == {} and data["property_pincode"] == "122009"
    assert data["owner_mobile"] == "0124-2222929"
    _, bad = forms.clean(tenant, dict(valid_data(tenant, fake_upload), owner_mobile="12345"))
    assert set(bad) == {"owner_mobile"}


def test_senior_citizen_eligibility(app):
    with app.test_request_context():
        senior = definition("senior_citizen_registration")
        young = dict(valid_data(senior, fake_upload), dob="1990-01-01")
        assert "dob" in forms.clean(senior, young)[1]
        with_family = dict(valid_data(senior, fake_upload), living_arrangement="with_family")
        assert "living_arrangement" in forms.clean(senior, with_family)[1]
        assert forms.clean(senior, valid_data(senior, fake_upload))[1] == {}


def test_procession_must_be_applied_for_seven_days_ahead(app):
    from datetime import datetime, timedelta

    with app.test_request_context():
        procession = definition("procession_permission")
        soon = (datetime.now(IST) + timedelta(days=2)).replace(microsecond=0).isoformat()
        assert (
            "starts_at"
            in forms.clean(procession, dict(valid_data(procession, fake_upload), starts_at=soon))[1]
        )


def test_nepal_nationals_need_no_c_form(app):
    with app.test_request_context():
        c_form = definition("c_form")
        assert (
            "nationality"
            in forms.clean(c_form, dict(valid_data(c_form, fake_upload), nationality="NP"))[1]
        )


@pytest.mark.parametrize("path", sorted(os.listdir(service_types.SERVICE_TYPES_DIR)))
def test_generated_valid_data_passes_for_every_service(app, path):
    with app.test_request_context():
        service = definition(path[:-5])
        assert forms.clean(service, valid_data(service, fake_upload))[1] == {}


def test_an_eligibility_message_is_worded_in_the_language_it_is_asked_for():
    """The language is passed in: services.forms reads no request context."""
    from datetime import date

    definition = catalogue.load_file(
        os.path.join(service_types.SERVICE_TYPES_DIR, "arms_licence.yaml")
    )
    today = date(2026, 12, 1)
    too_young = {"dob": "2010-01-01"}
    assert forms.check_eligibility(definition, too_young, today, "hi")["dob"].startswith(
        "शस्त्र लाइसेंस"
    )
    assert forms.check_eligibility(definition, too_young, today, "en")["dob"].startswith(
        "An arms licence needs"
    )
    assert forms.check_eligibility(definition, too_young, today)["dob"].startswith("An arms")
    assert forms.check_eligibility(definition, {"dob": "1990-01-01"}, today, "hi") == {}


def _one_field(type_name):
    """A field of `type_name` with every key some type needs (choices, files)."""
    return {
        "name": "f",
        "type": type_name,
        "label": {"en": "F", "hi": "F"},
        "choices": [{"value": "a", "en": "A", "hi": "ए"}],
        "accept": ["application/pdf"],
        "max_kb": 100,
    }


@pytest.mark.parametrize("name", sorted(catalogue.FIELD_TYPES))
def test_every_field_type_in_the_registry_accepts_its_own_sample(app, name):
    """services.field_types is the one list of field types: the catalogue accepts exactly these,
    and each type's sample coerces, displays and has a JSON Schema."""
    from datetime import UTC, datetime

    from app.services.field_types import TYPES

    field_type = TYPES[name]
    spec = _one_field(name)
    now = datetime.now(UTC)
    with app.test_request_context():
        sample = field_type.sample(spec, now, lambda mime: "0" * 32)
        value = field_type.coerce(sample, spec, now.date(), now)
        assert isinstance(field_type.display(value, spec, "hi"), str)
    assert field_type.schema(spec)["type"] in ("string", "number", "boolean", "array")


@pytest.mark.parametrize("name", sorted(catalogue.FIELD_TYPES))
def test_the_review_step_carries_every_type_through_unchanged(app, name):
    """What a type puts in the review step's hidden inputs, read back as the form reads it,
    coerces to the same value; what the review shows is text, never a whole Aadhaar number."""
    from datetime import UTC, datetime

    from werkzeug.datastructures import MultiDict

    from app.services.field_types import TYPES

    field_type = TYPES[name]
    spec = _one_field(name)
    now = datetime.now(UTC)
    with app.test_request_context():
        typed = field_type.sample(spec, now, lambda mime: "0" * 32)
        carried = field_type.from_form(MultiDict(field_type.hidden("f", typed)), "f")
        assert field_type.coerce(carried, spec, now.date(), now) == field_type.coerce(
            typed, spec, now.date(), now
        )
        shown = str(field_type.review(typed, spec, "hi"))
        assert shown and (name != "aadhaar" or typed not in shown)
        assert field_type.widget in {
            "input",
            "textarea",
            "select",
            "checkbox",
            "checkboxes",
            "file",
        }


def test_a_conditional_field_is_required_only_when_shown_and_dropped_when_not(tenant):
    """tenant_occupation_other is asked only when the occupation is "other"."""
    data = valid_data(tenant, fake_upload)
    data.update(tenant_occupation="other", tenant_occupation_other="")
    assert "tenant_occupation_other" in forms.clean(tenant, data)[1]
    data.update(tenant_occupation_other="Boat builder")
    cleaned, errors = forms.clean(tenant, data)
    assert errors == {} and cleaned["tenant_occupation_other"] == "Boat builder"
    # Another occupation: not asked, and an answer left in the form (no script) is not kept.
    data.update(tenant_occupation="salaried")
    cleaned, errors = forms.clean(tenant, data)
    assert errors == {} and "tenant_occupation_other" not in cleaned
    data.pop("tenant_occupation_other")
    assert forms.clean(tenant, data)[1] == {}


def test_a_condition_on_a_yes_no_field():
    spec = {"name": "b", "show_when": {"field": "a", "equals": True}}
    assert forms.shown(spec, {"a": True}) and not forms.shown(spec, {"a": False})
    assert not forms.shown(spec, {})
    spec["show_when"]["equals"] = False
    assert forms.shown(spec, {"a": False}) and forms.shown(spec, {})
