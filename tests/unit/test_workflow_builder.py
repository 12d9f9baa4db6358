"""The workflow builder: each step on a draft, its errors naming the field or state at fault, the
faults flagged before publishing, and the diagram's geometry."""

import pathlib

import pytest

from app.services import catalogue, workflow_builder, workflow_diagram

SEED = pathlib.Path(__file__).parents[2] / "seed" / "service_types"


@pytest.fixture
def definition():
    return catalogue.load_file(SEED / "tenant_verification.yaml")


@pytest.fixture
def draft(definition):
    return workflow_builder.draft_of(definition)


def new_state(**changes):
    form = {"st_name": "field_visit", "st_public_en": "Field visit", "st_public_hi": "क्षेत्र दौरा"}
    return {**form, **changes}


def new_step(**changes):
    form = {
        "tr_action": "visit",
        "tr_label_en": "Go on a field visit",
        "tr_label_hi": "क्षेत्र दौरे पर जाएँ",
        "tr_from_under_verification": "y",
        "tr_to": "field_visit",
        "tr_role_station_officer": "y",
    }
    return {**form, **changes}


def test_a_state_and_a_step_to_it_are_added_and_the_whole_definition_stays_valid(
    app, definition, draft
):
    with app.test_request_context():
        added, errors = workflow_builder.apply(draft, "state", new_state())
        assert errors == {}
        # A state nothing leads to and nothing leaves is flagged before anything is published.
        assert set(workflow_builder.flags(added)["field_visit"]) == {
            "no step leads to it from the first state",
            "it is not final and no step leaves it",
        }
        added, errors = workflow_builder.apply(added, "step", new_step())
        assert errors == {}
        back = new_step(
            tr_action="visited",
            tr_label_en="Visit done",
            tr_label_hi="दौरा पूरा",
            tr_from_under_verification="",
            tr_from_field_visit="y",
            tr_to="under_verification",
            tr_remark="y",
        )
        added, errors = workflow_builder.apply(added, "step", back)
        assert errors == {} and workflow_builder.flags(added) == {}
        assert added["transitions"][-1] == {
            "action": "visited",
            "from": "field_visit",
            "to": "under_verification",
            "roles": ["station_officer"],
            "label": {"en": "Visit done", "hi": "दौरा पूरा"},
            "remark": "required",
        }
        assert catalogue.validate(workflow_builder.definition_with(definition, added)) == []
    assert "field_visit" not in draft["states"]  # apply() leaves its input alone


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (new_state(st_name="Field Visit"), "st_name", "Name: lower-case letters"),
        (new_state(st_name="submitted"), "st_name", "has a state “submitted” already"),
        (new_state(st_public_hi=""), "st_public_hi", "What the citizen reads (Hindi): enter it."),
        (new_state(st_issues="verification_certificate"), "st_issues", "only a final state"),
        (new_state(st_issues="passport"), "st_issues", "choose one from the list"),
        (new_state(st_final="y", st_pauses_clock="y"), "st_pauses_clock", "no clock to pause"),
        (new_state(st_rejection="y"), "st_rejection", "only a final state"),
    ],
)
def test_each_state_error_names_its_field(app, draft, form, field, message):
    with app.test_request_context():
        after, errors = workflow_builder.apply(draft, "state", form)
    assert field in errors and message in errors[field]
    assert after == draft  # nothing half-saved


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tr_action": "Visit"}, "tr_action", "Name: lower-case letters"),
        ({"tr_action": "accept", "tr_from_submitted": "y", "tr_from_under_verification": ""},
         "tr_action", "a step “accept” leaves “submitted” already"),
        ({"tr_label_en": ""}, "tr_label_en", "Button text (English): enter it."),
        ({"tr_from_under_verification": ""}, "tr_from", "tick at least one state"),
        ({"tr_from_verified": "y"}, "tr_from", "is final; no step leaves a final state"),
        ({"tr_to": "nowhere"}, "tr_to", "choose a state"),
        ({"tr_role_station_officer": ""}, "tr_roles", "tick at least one"),
    ],
)  # fmt: skip
def test_each_step_error_names_its_field(app, draft, changes, field, message):
    with app.test_request_context():
        draft, _ = workflow_builder.apply(draft, "state", new_state())
        after, errors = workflow_builder.apply(draft, "step", new_step(**changes))
    assert field in errors and message in errors[field]
    assert after == draft


def test_a_state_in_use_or_first_cannot_be_removed_and_says_which_steps_use_it(app, draft):
    with app.test_request_context():
        after, errors = workflow_builder.apply(draft, "remove_state:awaiting_documents", {})
        assert after == draft
        assert "Ask for documents" in errors["form"] and "I have provided" in errors["form"]
        _, errors = workflow_builder.apply(draft, "remove_state:submitted", {})
        assert "first state" in errors["initial"]
        # Remove the steps that use it, then the state goes.
        for index in sorted(
            (i for i, t in enumerate(draft["transitions"]) if "documents" in t["action"]),
            reverse=True,
        ):
            draft, _ = workflow_builder.apply(draft, f"remove_step:{index}", {})
        draft, errors = workflow_builder.apply(draft, "remove_state:awaiting_documents", {})
        assert errors == {} and "awaiting_documents" not in draft["states"]


def test_a_state_with_steps_leaving_cannot_become_final(app, draft):
    with app.test_request_context():
        form = dict(workflow_builder.state_form(draft, "report_submitted"), st_final="y")
        _, errors = workflow_builder.apply(draft, "state", form)
    assert "Approve (verified)" in errors["st_final"]


def test_changing_a_step_keeps_what_the_form_does_not_show(app, draft):
    index = next(i for i, t in enumerate(draft["transitions"]) if t["action"] == "submit_report")
    with app.test_request_context():
        form = dict(workflow_builder.step_form(draft, index), tr_role_sho="y")
        after, errors = workflow_builder.apply(draft, "step", form)
    assert errors == {}
    step = after["transitions"][index]
    assert step["roles"] == ["station_officer", "sho"]
    assert step["report"] == draft["transitions"][index]["report"]  # the officer's report form
    assert step["remark"] == "required"


def test_a_step_may_be_barred_to_whoever_took_the_step_before(app, draft):
    index = next(i for i, t in enumerate(draft["transitions"]) if t["action"] == "approve")
    assert draft["transitions"][index]["self_approval"] is False
    with app.test_request_context():
        form = workflow_builder.step_form(draft, index)
        assert form["tr_not_self"] == "y"
        after, errors = workflow_builder.apply(draft, "step", dict(form, tr_not_self=""))
        assert errors == {} and "self_approval" not in after["transitions"][index]
        again, _ = workflow_builder.apply(after, "step", form)
        assert again["transitions"][index]["self_approval"] is False


def test_changing_a_state_keeps_its_name_and_hidden_settings(app, definition):
    definition["workflow"]["states"]["verified"]["enrols"] = "senior_citizen"
    draft = workflow_builder.draft_of(definition)
    with app.test_request_context():
        form = dict(workflow_builder.state_form(draft, "verified"), st_public_en="Cleared")
        after, errors = workflow_builder.apply(draft, "state", form)
        assert errors == {}
        assert after["states"]["verified"]["enrols"] == "senior_citizen"
        assert after["states"]["verified"]["public"]["en"] == "Cleared"
        # Enrolling needs a final state: unticking "final" is refused, naming it.
        _, errors = workflow_builder.apply(draft, "state", dict(form, st_final=""))
        assert "st_final" in errors


def test_the_first_state_is_chosen_from_the_states(app, draft):
    with app.test_request_context():
        after, errors = workflow_builder.apply(draft, "initial", {"initial": "under_verification"})
        assert errors == {} and after["initial"] == "under_verification"
        # The old first state is now unreachable: flagged.
        assert "submitted" in workflow_builder.flags(after)
        _, errors = workflow_builder.apply(draft, "initial", {"initial": "nowhere"})
        assert "initial" in errors


def test_a_tampered_draft_is_refused():
    for text in ("{", "[]", '{"states": [], "transitions": []}', '{"states": {"a": 1}}', None):
        with pytest.raises(workflow_builder.DraftError):
            workflow_builder.parse(text)


def test_the_diagram_puts_each_state_in_rows_and_routes_the_steps_back_beside_the_boxes(draft):
    diagram = workflow_diagram.layout(draft, "hi", workflow_builder.flags(draft))
    by_name = {n.name: n for n in diagram.nodes}
    assert by_name["submitted"].initial and by_name["verified"].final
    assert by_name["submitted"].y < by_name["under_verification"].y < by_name["verified"].y
    assert by_name["submitted"].label == "पुलिस थाने में प्राप्त"
    # Every step is drawn, once per state it leaves; the two going back run in lanes beside
    # every box (the path's second point is on its lane).
    assert len(diagram.edges) == len(draft["transitions"])
    back = [e for e in diagram.edges if " V" in e.path]
    assert {e.label for e in back} == {"मैंने दस्तावेज़ दे दिए हैं", "आगे की जाँच हेतु लौटाएँ"}
    for edge in back:
        lane = float(edge.path.split(" H")[1].split(" ")[0])
        for node in diagram.nodes:
            assert not node.x <= lane <= node.x + workflow_diagram.BOX_WIDTH
    for node in diagram.nodes:  # inside the drawing
        assert 0 <= node.x and node.x + workflow_diagram.BOX_WIDTH <= diagram.width
        assert node.y + workflow_diagram.BOX_HEIGHT <= diagram.height


@pytest.mark.parametrize("language", ["en", "hi"])
def test_no_two_step_labels_of_a_seeded_workflow_run_into_each_other(language):
    """Labels of forward steps crossing one gap stand at different heights or apart."""
    for path in sorted(SEED.glob("*.yaml")):
        workflow = workflow_builder.draft_of(catalogue.load_file(path))
        diagram = workflow_diagram.layout(workflow, language)
        labels = [
            (e.label_x, e.label_y, workflow_diagram._half_width(e.label))
            for e in diagram.edges
            if " L" in e.path
        ]
        for i, (x, y, half) in enumerate(labels):
            for ox, oy, other in labels[i + 1 :]:
                assert abs(y - oy) >= 13 or abs(x - ox) >= half + other, (path.name, x, ox)


def test_the_diagram_puts_unreachable_states_last_with_their_faults(app, draft):
    with app.test_request_context():
        draft, _ = workflow_builder.apply(draft, "state", new_state())
        faults = workflow_builder.flags(draft)
    diagram = workflow_diagram.layout(draft, "en", faults)
    lost = next(n for n in diagram.nodes if n.name == "field_visit")
    assert lost.faults and lost.y == max(n.y for n in diagram.nodes)


def test_the_ways_a_step_is_taken_are_the_ones_the_catalogue_accepts():
    assert set(workflow_builder.TAKEN_BY) == set(catalogue.TRANSITION_MODULES)


def test_a_report_form_is_offered_only_at_steps_staff_take_by_a_button(draft):
    by_action = {t["action"]: t for t in draft["transitions"]}
    assert workflow_builder.reportable(by_action["submit_report"])
    assert not workflow_builder.reportable(by_action["withdraw"])  # the applicant's
    assert not workflow_builder.reportable(dict(by_action["approve"], via="fir"))


def test_changing_a_step_keeps_its_report_form_and_sets_how_it_is_taken(app, draft):
    index = next(i for i, t in enumerate(draft["transitions"]) if t["action"] == "submit_report")
    report = draft["transitions"][index]["report"]
    with app.test_request_context():
        form = dict(workflow_builder.step_form(draft, index), tr_via="fir")
        changed, errors = workflow_builder.apply(draft, "step", form)
        assert errors == {}
        assert changed["transitions"][index]["report"] == report
        assert changed["transitions"][index]["via"] == "fir"
        back, errors = workflow_builder.apply(changed, "step", dict(form, tr_via=""))
        assert errors == {} and "via" not in back["transitions"][index]
        _same, errors = workflow_builder.apply(draft, "step", dict(form, tr_via="post"))
        assert set(errors) == {"tr_via"}
