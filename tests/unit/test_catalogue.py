"""Service definitions: every seed file is valid; bad ones are refused naming the field."""

import copy
import glob
import os

import pytest

from app.services import catalogue, service_types

FILES = sorted(glob.glob(os.path.join(service_types.SERVICE_TYPES_DIR, "*.yaml")))
CODES = {
    "complaint", "lost_article", "tenant_verification", "domestic_help_verification",
    "employee_verification", "character_certificate", "passport_verification",
    "senior_citizen_registration", "arms_licence", "security_agency_verification",
    "event_permission", "procession_permission", "foreigner_registration", "c_form", "grievance",
}  # fmt: skip


def test_there_is_one_file_for_each_of_the_fifteen_services():
    assert {os.path.basename(f)[:-5] for f in FILES} == CODES


@pytest.mark.parametrize("path", FILES, ids=lambda p: os.path.basename(p))
def test_every_seed_definition_is_valid_and_bilingual(path):
    definition = catalogue.load_file(path)
    assert catalogue.validate(definition) == []
    for spec in definition["fields"]:
        assert spec["label"]["hi"] and spec["label"]["en"]
    for state in definition["workflow"]["states"].values():
        assert state["public"]["hi"]


def tenant():
    return catalogue.load_file(
        os.path.join(service_types.SERVICE_TYPES_DIR, "tenant_verification.yaml")
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["fields"][0].update(type="money"), "fields[0] (owner_name).type: unknown type 'money'"),
        (lambda d: d["fields"][0]["label"].pop("hi"), "fields[0] (owner_name).label.hi: is missing"),
        (lambda d: d["workflow"]["transitions"][0].update(to="nowhere"), "workflow.transitions[0].to: unknown state 'nowhere'"),
        (lambda d: d["workflow"]["transitions"][0].update(roles=["superuser"]), "workflow.transitions[0].roles: unknown role 'superuser'"),
        (lambda d: d["sla"]["limit"].update(unit="fortnights"), "sla.limit.unit: must be one of"),
        (lambda d: d.update(routing={"by": "pincode", "field": "owner_name"}), "routing.field: must name a pincode field"),
        (lambda d: d["fields"].append(dict(d["fields"][0])), "(owner_name).name: is used twice"),
        (lambda d: d.update(surprise=1), "surprise: is not a known part"),
        (lambda d: d["workflow"]["states"].update(orphan={"public": {"en": "x", "hi": "x"}}), "workflow.states.orphan: cannot be reached"),
        (lambda d: _field(d, "tenant_photo").update(accept=["text/html"]), "'text/html' is not an accepted type"),
        (lambda d: d["workflow"]["states"]["submitted"].update(rejection=True), "workflow.states.submitted.rejection: only a final state"),
        (lambda d: d["workflow"]["states"]["verified"].update(pauses_clock=True), "workflow.states.verified.pauses_clock: a final state has no clock"),
        (lambda d: d["workflow"]["states"]["verified"].update(enrols="pensioner"), "workflow.states.verified.enrols: must be one of"),
        (lambda d: d["notifications"][0].update(to=["everyone"]), "notifications[0].to: must be one or more of"),
        (lambda d: d["notifications"][0].update(on="approved"), "notifications[0].on: unknown event 'approved'"),
        (lambda d: d.update(document_subject="tenant_photo"), "document_subject: must name a text field"),
    ],
)  # fmt: skip
def test_a_bad_definition_is_refused_naming_the_field(change, expected):
    definition = copy.deepcopy(tenant())
    change(definition)
    errors = catalogue.validate(definition)
    assert any(expected in error for error in errors), errors


def _field(d, name):
    return next(f for f in d["fields"] if f["name"] == name)


def _add_stuck_state(d):
    d["workflow"]["states"]["stuck"] = {"public": {"en": "Stuck", "hi": "अटका"}}
    d["workflow"]["transitions"].append(
        {
            "action": "park",
            "from": "submitted",
            "to": "stuck",
            "roles": ["sho"],
            "label": {"en": "Park", "hi": "रोकें"},
        }
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["workflow"]["states"]["verified"].update(issues="charcter_certifcate"), "workflow.states.verified.issues: unknown document 'charcter_certifcate'"),
        (lambda d: d["workflow"]["states"]["submitted"].update(issues="verification_certificate"), "workflow.states.submitted.issues: only a final state issues a document"),
        (lambda d: d["workflow"]["states"]["submitted"].update(colour="red"), "workflow.states.submitted.colour: is not a known part of a state"),
        (lambda d: d["workflow"]["transitions"][0].update(effect="register_fir"), "workflow.transitions[0].effect: is not a known part of a transition"),
        (lambda d: d["fields"][0].update(requird=True), "fields[0] (owner_name).requird: is not a known part of a field"),
        (_add_stuck_state, "workflow.states.stuck: is not final and no transition leaves it"),
        (lambda d: _field(d, "tenant_occupation_other")["show_when"].update(field="reference_2"), "fields[11] (tenant_occupation_other).show_when.field: must name a field earlier in the form"),
        (lambda d: _field(d, "tenant_occupation_other")["show_when"].update(field="owner_name"), "fields[11] (tenant_occupation_other).show_when.field: must name a select or yes/no field"),
        (lambda d: _field(d, "tenant_occupation_other")["show_when"].update(equals="pilot"), "fields[11] (tenant_occupation_other).show_when.equals: must be one of the choices of 'tenant_occupation'"),
        (lambda d: _field(d, "tenant_occupation_other")["show_when"].update(colour="red"), "fields[11] (tenant_occupation_other).show_when.colour: is not a known part of a condition"),
        (lambda d: _field(d, "owner_mobile").update(show_when={"field": "tenant_occupation", "equals": "other"}), "fields[1] (owner_mobile).show_when.field: must name a field earlier"),
        (lambda d: d["fields"].insert(0, d["fields"].pop(10)) or _field(d, "property_pincode").update(show_when={"field": "tenant_occupation", "equals": "other"}), "routing.field: the routing pincode field must be required, always"),
    ],
)  # fmt: skip
def test_each_mistake_gets_one_precise_error(change, expected):
    definition = copy.deepcopy(tenant())
    change(definition)
    errors = catalogue.validate(definition)
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_the_state_an_fir_is_registered_from_is_the_definitions_to_name():
    """Renaming the complaint's enquiry state keeps FIR registration working: the step is found
    by its `via: fir`, not by the state's name."""
    import json

    definition = catalogue.load_file(
        os.path.join(service_types.SERVICE_TYPES_DIR, "complaint.yaml")
    )
    renamed = json.loads(json.dumps(definition).replace('"under_enquiry"', '"enquiry_on"'))
    assert catalogue.validate(renamed) == []
    step = catalogue.fir_transition(renamed, "enquiry_on")
    assert step is not None and step["action"] == "register_fir"
    assert catalogue.fir_transition(renamed, "submitted") is None
    assert catalogue.fir_transition(tenant()) is None  # not every service becomes an FIR


def test_check_names_the_source():
    definition = tenant()
    definition["fields"][0]["type"] = "money"
    with pytest.raises(catalogue.DefinitionError, match=r"^tenant_verification.yaml: fields\[0\]"):
        catalogue.check(definition, "tenant_verification.yaml")


def test_yaml_on_key_is_read_as_on():
    """YAML 1.1 reads `on:` as true; the loader puts it back."""
    assert tenant()["notifications"][0]["on"] == "submitted"


def test_catalogue_check_command(catalogue_seeded):
    result = catalogue_seeded.test_cli_runner().invoke(args=["catalogue", "check"])
    assert result.exit_code == 0, result.output
    assert "15 definition files valid" in result.output


def test_publishing_makes_a_new_version_live_at_once(catalogue_seeded, client, auth):
    """A state administrator changes a time limit with PUT; the API shows it immediately."""
    auth.login("admin.haryana")
    definition = client.get("/api/v1/services/tenant_verification?state=HR").get_json()[
        "definition"
    ]
    definition["sla"]["limit"]["value"] = 5
    response = client.put("/api/v1/services/tenant_verification", json=definition)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == 2
    shown = client.get("/api/v1/services/tenant_verification?state=HR").get_json()
    assert shown["time_limit"] == {"value": 5, "unit": "working_days"}
    delhi = client.get("/api/v1/services/tenant_verification?state=DL").get_json()
    assert delhi["time_limit"]["value"] == 7 and delhi["version"] == 1


def test_a_new_service_can_be_created_by_put(catalogue_seeded, client, auth):
    auth.login("admin.haryana")
    definition = client.get("/api/v1/services/tenant_verification?state=HR").get_json()[
        "definition"
    ]
    definition.update(code="pg_verification", number_prefix="PGV")
    response = client.put("/api/v1/services/pg_verification", json=definition)
    assert response.status_code == 201
    codes = [s["code"] for s in client.get("/api/v1/services?state=HR").get_json()]
    assert "pg_verification" in codes


def test_put_with_a_bad_definition_is_400_naming_the_field(catalogue_seeded, client, auth):
    auth.login("admin.haryana")
    definition = client.get("/api/v1/services/grievance?state=HR").get_json()["definition"]
    definition["fields"][0]["type"] = "money"
    response = client.put("/api/v1/services/grievance", json=definition)
    assert response.status_code == 400
    assert response.get_json()["errors"]["fields[0] (full_name).type"] == "unknown type 'money'"
    assert client.get("/api/v1/services/grievance?state=HR").get_json()["version"] == 1


@pytest.mark.parametrize(
    "who, status", [("sho.sector29", 403), ("auditor.haryana", 403), (None, 401)]
)
def test_only_state_administrators_may_put(catalogue_seeded, client, auth, who, status):
    if who:
        auth.login(who)
    definition = catalogue.load_file(FILES[0])
    assert (
        client.put(f"/api/v1/services/{definition['code']}", json=definition).status_code == status
    )


def test_document_facts_may_not_restate_a_file_or_aadhaar_and_conditions_are_bilingual():
    from pathlib import Path

    from app.services.catalogue import load_file, validate
    from app.services.service_types import SERVICE_TYPES_DIR

    definition = load_file(Path(SERVICE_TYPES_DIR, "event_permission.yaml"))
    assert validate(definition) == []
    bad = dict(
        definition,
        document_facts=["venue", "venue_consent", "nonsense"],
        document_conditions=[{"en": "Only English."}],
    )
    errors = validate(bad)
    assert "document_facts: 'venue_consent' is not a field a document may restate" in errors
    assert "document_facts: 'nonsense' is not a field a document may restate" in errors
    assert any(e.startswith("document_conditions[0]") for e in errors)
