"""The fields editor's limits: checked naming the input at fault, set, and changed in place."""

import pathlib

import pytest

from app.services import catalogue, field_builder

SEED = pathlib.Path(__file__).parents[2] / "seed" / "service_types"


@pytest.fixture
def definition():
    return catalogue.load_file(SEED / "tenant_verification.yaml")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"new_type": "text", "new_max_length": "0"}, "new_max_length", "from 1 to 5000"),
        ({"new_type": "text", "new_max_length": "many"}, "new_max_length", "Longest answer"),
        ({"new_type": "number", "new_min": "10", "new_max": "5"}, "new_max", "not smaller"),
        ({"new_type": "file", "new_accept_image/png": "y", "new_max_kb": "99999"}, "new_max_kb",
         "Largest file (KB)"),
    ],
)  # fmt: skip
def test_a_fields_limits_are_checked_naming_the_input(app, definition, changes, field, message):
    form = {"new_name": "extra", "new_label_en": "Extra", "new_label_hi": "अतिरिक्त", **changes}
    with app.test_request_context():
        draft = field_builder.draft_of(definition)
        after, errors = field_builder.apply(draft, "add", form)
    assert field in errors and message in errors[field] and after == draft


def test_a_fields_limits_are_set_and_changed_in_place(app, definition):
    with app.test_request_context():
        draft = field_builder.draft_of(definition)
        form = {"new_name": "guests", "new_type": "number", "new_label_en": "Guests",
                "new_label_hi": "मेहमान", "new_min": "1", "new_max": "20"}  # fmt: skip
        draft, errors = field_builder.apply(draft, "add", form)
        assert errors == {} and draft[-1]["min"] == 1 and draft[-1]["max"] == 20
        index = len(draft) - 1
        form = dict(field_builder.form_for(draft, index), new_max="")
        assert form["new_min"] == "1"
        draft, errors = field_builder.apply(draft, "add", form)
        assert errors == {} and draft[-1]["min"] == 1 and "max" not in draft[-1]
        assert catalogue.validate(field_builder.definition_with(definition, draft)) == []


def test_a_field_asked_on_anothers_answer_stays_below_it_and_keeps_it(app, definition):
    """The seed asks "occupation, in words" only when the occupation is "Other": the builder
    refuses to move it above the occupation, the occupation below it, or to remove the
    occupation, naming both; nothing changes."""
    with app.test_request_context():
        draft = field_builder.draft_of(definition)
        names = [f["name"] for f in draft]
        asked = names.index("tenant_occupation_other")
        decider = names.index("tenant_occupation")
        assert asked == decider + 1  # the seed keeps them together
        for action in (f"up:{asked}", f"down:{decider}", f"remove:{decider}"):
            after, errors = field_builder.apply(draft, action, {})
            assert after == draft, action
            assert "“Tenant's occupation" in errors["form"], action
        after, errors = field_builder.apply(draft, f"remove:{asked}", {})
        assert errors == {} and "tenant_occupation_other" not in [f["name"] for f in after]
