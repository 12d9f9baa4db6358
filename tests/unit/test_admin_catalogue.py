"""A state administrator edits and creates service definitions in the admin panel."""

import re

import pytest

from app.models import ServiceType
from app.services import catalogue


def service_id(app, code, state="HR"):
    with app.app_context():
        return str(next(s for s in ServiceType.objects(code=code) if s.state.code == state).id)


def edit(client, auth, app, code, change, reason="Charter revised"):
    sid = service_id(app, code)
    path = f"/admin/catalogue/edit/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    text = re.search(
        r"<textarea[^>]*name=\"definition_yaml\"[^>]*>(.*?)</textarea>", page, re.S
    ).group(1)
    import html

    definition = catalogue.parse_yaml(html.unescape(text))
    change(definition)
    return client.post(
        path,
        data={
            "definition_yaml": catalogue.to_yaml(definition),
            "active": "y",
            "reason": reason,
            "csrf_token": auth.csrf(path),
        },
    )


def test_state_admin_changes_a_time_limit_and_it_is_live_at_once(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    response = edit(
        client, auth, app, "tenant_verification", lambda d: d["sla"]["limit"].update(value=5)
    )
    assert response.status_code == 302
    api = client.get("/api/v1/services/tenant_verification?state=HR").get_json()
    assert api["version"] == 2 and api["time_limit"]["value"] == 5
    assert "5 working days" in client.get("/services?state=HR").get_data(as_text=True)


def test_a_bad_definition_is_refused_naming_the_field(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    response = edit(client, auth, app, "grievance", lambda d: d["fields"][0].update(type="money"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "fields[0] (full_name).type: unknown type" in page
    with app.app_context():
        assert ServiceType.objects(code="grievance").first().version == 1


def test_broken_yaml_is_a_field_error(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    path = f"/admin/catalogue/edit/?id={service_id(app, 'grievance')}"
    response = client.post(
        path, data={"definition_yaml": "code: [unclosed", "csrf_token": auth.csrf(path)}
    )
    assert "not valid YAML" in response.get_data(as_text=True)


def test_a_new_service_is_created_in_the_admins_state(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    page = client.get("/admin/catalogue/new/").get_data(as_text=True)
    assert "new_service" in page
    with app.app_context():
        definition = dict(ServiceType.objects(code="grievance").first().definition)
    definition.update(code="noise_complaint", number_prefix="NOI")
    response = client.post(
        "/admin/catalogue/new/",
        data={
            "definition_yaml": catalogue.to_yaml(definition),
            "active": "y",
            "reason": "Noise complaints online from this month",
            "csrf_token": auth.csrf("/admin/catalogue/new/"),
        },
    )
    assert response.status_code == 302
    codes = [s["code"] for s in client.get("/api/v1/services?state=HR").get_json()]
    assert "noise_complaint" in codes
    assert "noise_complaint" not in [
        s["code"] for s in client.get("/api/v1/services?state=DL").get_json()
    ]


def test_other_states_services_are_404_and_others_may_not_edit(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.delhi")
    assert (
        client.get(f"/admin/catalogue/edit/?id={service_id(app, 'grievance', 'HR')}").status_code
        == 404
    )
    auth.logout()
    auth.login("sho.sector29")
    assert client.get("/admin/catalogue/").status_code == 403


def test_a_publish_without_a_reason_is_refused(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    response = edit(
        client, auth, app, "grievance", lambda d: d["sla"]["limit"].update(value=5), reason=""
    )
    assert response.status_code == 200 and "Say what changed and why" in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert ServiceType.objects(code="grievance").first().version == 1


def _add_occupation(definition):
    definition["sla"]["limit"].update(value=5)
    definition["fields"].append(
        {
            "name": "occupation",
            "type": "text",
            "required": True,
            "max_length": 80,
            "label": {"en": "Occupation", "hi": "व्यवसाय"},
        }
    )


def test_the_history_says_each_change_in_words_and_a_rollback_restores_the_old_version(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    assert edit(client, auth, app, "tenant_verification", _add_occupation).status_code == 302
    page = client.get(f"/admin/catalogue/versions/?id={sid}").get_data(as_text=True)
    assert "Time limit: 7 → 5 working days" in page
    assert "Field “Occupation” added (required)" in page
    assert "Charter revised" in page

    path = f"/admin/catalogue/versions/?id={sid}"
    refused = client.post(
        "/admin/catalogue/versions/rollback",
        data={"id": sid, "version": 1, "reason": " ", "csrf_token": auth.csrf(path)},
    )
    assert refused.status_code == 302
    with app.app_context():
        assert ServiceType.objects.get(id=sid).version == 2
    done = client.post(
        "/admin/catalogue/versions/rollback",
        data={
            "id": sid,
            "version": 1,
            "reason": "Five days is too short",
            "csrf_token": auth.csrf(path),
        },
    )
    assert done.status_code == 302
    with app.app_context():
        from app.models import ServiceTypeVersion

        live = ServiceType.objects.get(id=sid)
        first = ServiceTypeVersion.objects.get(state=live.state, code=live.code, version=1)
        third = ServiceTypeVersion.objects.get(state=live.state, code=live.code, version=3)
        assert live.version == 3 and live.definition == first.definition
        assert third.reason.endswith("Five days is too short")
    api = client.get("/api/v1/services/tenant_verification?state=HR").get_json()
    assert api["time_limit"]["value"] == 7
    compared = client.get(f"/admin/catalogue/versions/?id={sid}&from=2&to=3").get_data(as_text=True)
    assert "Time limit: 5 → 7 working days" in compared and "Field “Occupation” removed" in compared


def test_the_history_reads_in_hindi(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    assert edit(client, auth, app, "tenant_verification", _add_occupation).status_code == 302
    client.post("/language", data={"language": "hi", "csrf_token": auth.csrf("/dashboard")})
    sid = service_id(app, "tenant_verification")
    page = client.get(f"/admin/catalogue/versions/?id={sid}").get_data(as_text=True)
    assert "“व्यवसाय”" in page and "5 कार्य दिवस" in page


def test_other_states_and_officers_cannot_see_or_roll_back_versions(catalogue_seeded, client, auth):
    app = catalogue_seeded
    sid = service_id(app, "grievance", "HR")
    auth.login("admin.delhi")
    assert client.get(f"/admin/catalogue/versions/?id={sid}").status_code == 404
    auth.logout()
    auth.login("sho.sector29")
    response = client.post(
        "/admin/catalogue/versions/rollback",
        data={"id": sid, "version": 1, "reason": "x", "csrf_token": auth.csrf("/dashboard")},
    )
    assert response.status_code == 403


def _limits_form(auth, path, **changes):
    form = {
        "limit_value": "7",
        "limit_unit": "working_days",
        "warn_at": "80",
        "tier0_role": "sho",
        "tier1_role": "district_supervisor",
        "tier1_value": "7",
        "tier1_unit": "working_days",
        "tier2_role": "state_admin",
        "tier2_value": "7",
        "tier2_unit": "working_days",
        "csrf_token": auth.csrf(path),
    }
    form.update(changes)
    return form


def test_the_time_limit_is_changed_in_a_form_previewed_in_words_and_published(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    path = f"/admin/catalogue/limits/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    assert 'id="limit_value"' in page and 'value="7"' in page
    preview = client.post(path, data=_limits_form(auth, path, limit_value="5", action="preview"))
    assert preview.status_code == 200
    assert "Time limit: 7 → 5 working days" in preview.get_data(as_text=True)
    with app.app_context():
        assert ServiceType.objects.get(id=sid).version == 1  # a preview publishes nothing
    unexplained = client.post(
        path, data=_limits_form(auth, path, limit_value="5", action="publish")
    )
    assert unexplained.status_code == 400 and "Say what changed" in unexplained.get_data(
        as_text=True
    )
    published = client.post(
        path,
        data=_limits_form(
            auth, path, limit_value="5", action="publish", reason="State notification 12/2026"
        ),
    )
    assert published.status_code == 302
    assert "5 working days" in client.get("/services?state=HR").get_data(as_text=True)
    history = client.get(f"/admin/catalogue/versions/?id={sid}").get_data(as_text=True)
    assert "Time limit: 7 → 5 working days" in history and "State notification 12/2026" in history


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("limit_value", "0", "Time limit: enter a whole number"),
        ("limit_value", "seven", "Time limit: enter a whole number"),
        ("limit_unit", "fortnights", "Time limit: choose a unit"),
        ("warn_at", "100", "Warning: enter a share from 1 to 99"),
        ("tier1_role", "home_guard", "Tier 2: choose who decides"),
        ("tier2_value", "", "Tier 3: enter a whole number"),
        ("tier1_unit", "minutes", "Tier 2: choose a unit"),  # minutes only for minute services
    ],
)
def test_each_refusal_names_its_field_and_nothing_is_published(
    catalogue_seeded, client, auth, field, value, message
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    path = f"/admin/catalogue/limits/?id={sid}"
    response = client.post(
        path, data=_limits_form(auth, path, action="publish", reason="x", **{field: value})
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert f'id="{field}-error"' in page and f'href="#{field}"' in page
    with app.app_context():
        assert ServiceType.objects.get(id=sid).version == 1


def test_only_the_services_administrators_may_change_time_limits(catalogue_seeded, client, auth):
    app = catalogue_seeded
    sid = service_id(app, "tenant_verification")
    auth.login("admin.delhi")
    assert client.get(f"/admin/catalogue/limits/?id={sid}").status_code == 404
    auth.logout()
    auth.login("sho.sector29")
    assert client.get(f"/admin/catalogue/limits/?id={sid}").status_code == 403


def _draft(page):
    import html

    return html.unescape(re.search(r'name="draft" value="([^"]*)"', page).group(1))


def test_a_required_field_with_a_hindi_label_is_added_previewed_and_published(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    path = f"/admin/catalogue/fields/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    assert "Owner&#39;s full name" in page or "Owner's full name" in page
    new = {
        "new_label_en": "Occupation",
        "new_label_hi": "",
        "new_name": "occupation",
        "new_type": "text",
        "new_required": "y",
    }
    refused = client.post(
        path,
        data={"draft": _draft(page), "action": "add", **new, "csrf_token": auth.csrf(path)},
    )
    assert refused.status_code == 400 and "Label (Hindi): enter it." in refused.get_data(
        as_text=True
    )
    added = client.post(
        path,
        data={
            "draft": _draft(page),
            "action": "add",
            **dict(new, new_label_hi="व्यवसाय"),
            "csrf_token": auth.csrf(path),
        },
    ).get_data(as_text=True)
    assert "Field “Occupation” added (required)" in added
    assert 'for="occupation"' in added  # the citizen's form as it will look
    with app.app_context():
        assert ServiceType.objects.get(id=sid).version == 1  # a draft publishes nothing
    hindi = client.post(
        path,
        data={"draft": _draft(added), "action": "preview:hi", "csrf_token": auth.csrf(path)},
    ).get_data(as_text=True)
    assert "व्यवसाय" in hindi and "(हिन्दी)" in hindi
    published = client.post(
        path,
        data={
            "draft": _draft(added),
            "action": "publish",
            "reason": "Occupation asked by the 2026 order",
            "csrf_token": auth.csrf(path),
        },
    )
    assert published.status_code == 302
    api = client.get("/api/v1/services/tenant_verification?state=HR").get_json()
    assert api["version"] == 2
    assert "occupation" in api["schema"]["required"]


def test_fields_move_and_go_in_the_draft_and_a_tampered_draft_is_refused(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "grievance")
    path = f"/admin/catalogue/fields/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    import json

    names = [f["name"] for f in json.loads(_draft(page))]
    moved = client.post(
        path, data={"draft": _draft(page), "action": "down:0", "csrf_token": auth.csrf(path)}
    ).get_data(as_text=True)
    assert [f["name"] for f in json.loads(_draft(moved))][:2] == [names[1], names[0]]
    assert "Fields reordered" in moved
    removed = client.post(
        path, data={"draft": _draft(moved), "action": "remove:0", "csrf_token": auth.csrf(path)}
    ).get_data(as_text=True)
    assert names[1] not in [f["name"] for f in json.loads(_draft(removed))]
    tampered = client.post(
        path, data={"draft": "{not json", "action": "up:1", "csrf_token": auth.csrf(path)}
    )
    assert tampered.status_code == 400
    with app.app_context():
        assert ServiceType.objects.get(id=sid).version == 1


def test_the_builder_and_the_api_store_the_same_definition_for_the_same_change(
    catalogue_seeded, client, auth
):
    """The same change made in the builder (fields table, time-limits form, workflow) and sent by
    PUT /api/v1/services/<code> is stored identically, and survives the YAML export."""
    import copy

    from app.models import ServiceTypeVersion
    from tests.unit.test_requests import token_client

    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    with app.app_context():
        original = copy.deepcopy(ServiceType.objects.get(id=sid).definition)
    fields = f"/admin/catalogue/fields/?id={sid}"
    page = client.get(fields).get_data(as_text=True)
    added = client.post(
        fields,
        data={
            "draft": _draft(page),
            "action": "add",
            "new_label_en": "Occupation",
            "new_label_hi": "व्यवसाय",
            "new_name": "occupation",
            "new_type": "text",
            "new_required": "y",
            "csrf_token": auth.csrf(fields),
        },
    ).get_data(as_text=True)
    client.post(
        fields,
        data={
            "draft": _draft(added),
            "action": "publish",
            "reason": "r",
            "csrf_token": auth.csrf(fields),
        },
    )
    limits = f"/admin/catalogue/limits/?id={sid}"
    client.post(
        limits, data=_limits_form(auth, limits, limit_value="5", action="publish", reason="r")
    )
    from app.services import workflow_builder

    workflow = f"/admin/catalogue/workflow/?id={sid}"
    page = client.get(workflow).get_data(as_text=True)
    draft = workflow_builder.parse(_draft(page))
    accept = next(i for i, t in enumerate(draft["transitions"]) if t["action"] == "accept")
    changed = client.post(
        workflow,
        data={
            **workflow_builder.step_form(draft, accept),
            "tr_remark": "y",
            "draft": _draft(page),
            "action": "step",
            "csrf_token": auth.csrf(workflow),
        },
    ).get_data(as_text=True)
    client.post(
        workflow,
        data={
            "draft": _draft(changed),
            "action": "publish",
            "reason": "r",
            "csrf_token": auth.csrf(workflow),
        },
    )
    with app.app_context():
        built = ServiceType.objects.get(id=sid).definition
        assert ServiceType.objects.get(id=sid).version == 4

    by_hand = copy.deepcopy(original)
    by_hand["fields"].append(
        {
            "name": "occupation",
            "type": "text",
            "required": True,
            "label": {"en": "Occupation", "hi": "व्यवसाय"},
            "max_length": 100,
        }
    )
    by_hand["sla"]["limit"]["value"] = 5
    next(t for t in by_hand["workflow"]["transitions"] if t["action"] == "accept")["remark"] = (
        "required"
    )
    api, headers = token_client(app, "admin.haryana")
    put = api.put(
        "/api/v1/services/tenant_verification?reason=Same%20change%20by%20API",
        headers=headers,
        json=by_hand,
    )
    assert put.status_code in (200, 201), put.get_json()
    with app.app_context():
        live = ServiceType.objects.get(id=sid)
        assert live.version == 5
        via_api = ServiceTypeVersion.objects.get(state=live.state, code=live.code, version=5)
        assert via_api.definition == built
        assert via_api.reason == "Same change by API"  # the API's publish keeps its why too
        assert catalogue.parse_yaml(catalogue.to_yaml(built)) == built


def test_a_fields_labels_are_changed_in_place_and_its_name_and_type_stay(
    catalogue_seeded, client, auth
):
    import json

    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    path = f"/admin/catalogue/fields/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    opened = client.post(
        path, data={"draft": _draft(page), "action": "edit:0", "csrf_token": auth.csrf(path)}
    ).get_data(as_text=True)
    assert "Change the field “owner_name”" in opened and 'value="owner_name" readonly' in opened
    saved = client.post(
        path,
        data={
            "draft": _draft(opened),
            "action": "add",
            "editing": "0",
            "new_name": "renamed",  # ignored: the name stays
            "new_type": "number",  # ignored: the type stays
            "new_label_en": "Owner's full name",
            "new_label_hi": "मकान मालिक का पूरा नाम",
            "new_required": "y",
            "csrf_token": auth.csrf(path),
        },
    ).get_data(as_text=True)
    first = json.loads(_draft(saved))[0]
    assert (first["name"], first["type"], first["max_length"]) == ("owner_name", "text", 100)
    assert first["label"]["hi"] == "मकान मालिक का पूरा नाम"
    assert "Label of field “owner_name” (Hindi): मालिक का पूरा नाम → मकान मालिक का पूरा नाम" in saved


def test_the_workflow_is_changed_in_forms_drawn_flagged_and_published(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    path = f"/admin/catalogue/workflow/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    assert '<svg class="workflow-svg"' in page and "Received at the police station" in page

    def post(draft_page, **data):
        data = {"draft": _draft(draft_page), "csrf_token": auth.csrf(path), **data}
        return client.post(path, data=data)

    state = {"st_name": "field_visit", "st_public_en": "Field visit", "st_public_hi": ""}
    refused = post(page, action="state", **state)
    assert refused.status_code == 400
    assert 'href="#wf-st_public_hi"' in refused.get_data(as_text=True)
    added = post(page, action="state", **dict(state, st_public_hi="क्षेत्र दौरा"))
    added = added.get_data(as_text=True)
    # Flagged before publishing, in words and in the drawing.
    assert "no step leads to it from the first state" in added
    assert 'stroke-dasharray="6 4"' in added
    assert "State “Field visit” added" in added
    refused = post(added, action="publish", reason="Field visits")
    assert refused.status_code == 400 and "nothing was published" in refused.get_data(as_text=True)
    step = {
        "tr_action": "visit",
        "tr_label_en": "Go on a field visit",
        "tr_label_hi": "क्षेत्र दौरे पर जाएँ",
        "tr_from_under_verification": "y",
        "tr_to": "field_visit",
        "tr_role_station_officer": "y",
    }
    there = post(added, action="step", **step).get_data(as_text=True)
    back = dict(
        step,
        tr_action="visited",
        tr_label_en="Visit done",
        tr_label_hi="दौरा पूरा",
        tr_from_under_verification="",
        tr_from_field_visit="y",
        tr_to="under_verification",
    )
    ready = post(there, action="step", **back).get_data(as_text=True)
    assert "no step leads to it" not in ready and "Step “Visit done” added" in ready
    with app.app_context():
        assert ServiceType.objects.get(id=sid).version == 1  # a draft publishes nothing
    assert post(ready, action="publish", reason="Field visits ordered").status_code == 302
    with app.app_context():
        live = ServiceType.objects.get(id=sid)
        assert live.version == 2 and "field_visit" in live.definition["workflow"]["states"]
    tampered = client.post(
        path, data={"draft": "[]", "action": "state", "csrf_token": auth.csrf(path)}
    )
    assert tampered.status_code == 400 and "“draft” field" in tampered.get_data(as_text=True)


def test_only_the_services_administrators_may_change_the_workflow(catalogue_seeded, client, auth):
    app = catalogue_seeded
    sid = service_id(app, "tenant_verification")
    auth.login("sho.sector29")
    assert client.get(f"/admin/catalogue/workflow/?id={sid}").status_code == 403
    auth.logout()
    auth.login("admin.delhi")
    assert client.get(f"/admin/catalogue/workflow/?id={sid}").status_code == 404


def test_a_field_asked_only_on_another_answer_is_added_in_the_builder(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    path = f"/admin/catalogue/fields/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    # The seed's own conditional field is listed with its condition in words.
    assert "asked only when “Occupation” is “Other”" in page
    new = {
        "new_label_en": "Name of the college",
        "new_label_hi": "कॉलेज का नाम",
        "new_name": "college",
        "new_type": "text",
        "new_required": "y",
        "new_show_when": "tenant_occupation=student",
    }

    def post(draft_page, **data):
        data = {"draft": _draft(draft_page), "csrf_token": auth.csrf(path), **data}
        return client.post(path, data=data)

    refused = post(page, action="add", **dict(new, new_show_when="owner_name=x"))
    assert refused.status_code == 400
    assert "Asked only when: choose one" in refused.get_data(as_text=True)
    added = post(page, action="add", **new).get_data(as_text=True)
    assert "Field “Name of the college” is now asked" not in added  # a new field: "added"
    assert "Field “Name of the college” added (required)" in added
    assert "Only if “Occupation” is “Student”." in added  # the preview says when
    assert 'data-show-when="tenant_occupation" data-show-equals="student"' in added
    assert post(added, action="publish", reason="Students' colleges").status_code == 302
    api = client.get("/api/v1/services/tenant_verification?state=HR").get_json()
    assert api["schema"]["properties"]["college"]["x-show-when"] == {
        "field": "tenant_occupation",
        "equals": "student",
    }
    assert "college" not in api["schema"]["required"]  # required only when asked
    # Changed back to "always asked": said in words.
    page = client.get(path).get_data(as_text=True)
    index = [f["name"] for f in __import__("json").loads(_draft(page))].index("college")
    form = post(page, action=f"edit:{index}").get_data(as_text=True)
    assert 'value="tenant_occupation=student" selected' in form
    changed = post(page, action="add", editing=str(index), **dict(new, new_show_when="")).get_data(
        as_text=True
    )
    assert "Field “Name of the college” is now always asked" in changed


def test_a_new_service_is_copied_from_another_checked_and_withdrawn_until_offered(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    path = "/admin/catalogue/copy/"
    page = client.get(path + "?source=event_permission").get_data(as_text=True)
    assert 'value="event_permission" selected' in page
    form = {
        "source": "event_permission",
        "code": "event_permission",
        "name_en": "Loudspeaker permission",
        "name_hi": "",
        "number_prefix": "EVP",
        "csrf_token": auth.csrf(path),
    }
    with app.app_context():
        taken = ServiceType.objects(code="event_permission").first().definition["number_prefix"]
    refused = client.post(path, data=dict(form, number_prefix=taken))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Code: “event_permission” is the code of" in text
    assert "Name (Hindi): enter it." in text
    assert f"“{taken}” is used by" in text
    assert 'href="#cp-code"' in text and 'href="#cp-name_hi"' in text
    made = client.post(
        path,
        data=dict(
            form, code="loudspeaker_permission", name_hi="लाउडस्पीकर अनुमति", number_prefix="lsp"
        ),
    )
    assert made.status_code == 302 and "/admin/catalogue/fields/" in made.headers["Location"]
    with app.app_context():
        copy = ServiceType.objects(code="loudspeaker_permission").first()
        assert copy.version == 1 and not copy.active  # not offered until changed and offered
        assert copy.definition["number_prefix"] == "LSP"
        assert (
            copy.definition["fields"]
            == ServiceType.objects(code="event_permission", state=copy.state)
            .first()
            .definition["fields"]
        )
    # Not offered: the public catalogue does not have it; publishing a change keeps it so.
    assert client.get("/api/v1/services/loudspeaker_permission?state=HR").status_code == 404
    auth.logout()
    auth.login("sho.sector29")
    assert client.get(path).status_code == 403


def test_a_definition_downloads_as_yaml_that_reads_back_the_same(catalogue_seeded, client, auth):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    response = client.get(f"/admin/catalogue/export/?id={sid}")
    assert response.status_code == 200
    assert 'filename="tenant_verification-v1.yaml"' in response.headers["Content-Disposition"]
    with app.app_context():
        live = ServiceType.objects.get(id=sid).definition
    assert catalogue.parse_yaml(response.get_data(as_text=True)) == live
    auth.logout()
    auth.login("admin.delhi")
    assert client.get(f"/admin/catalogue/export/?id={sid}").status_code == 404


def test_a_steps_report_form_is_changed_in_the_builder_and_the_diff_names_the_step(
    catalogue_seeded, client, auth
):
    import json

    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "tenant_verification")
    with app.app_context():
        steps = ServiceType.objects.get(id=sid).definition["workflow"]["transitions"]
    report_at = next(i for i, t in enumerate(steps) if t["action"] == "submit_report")
    withdraw_at = next(i for i, t in enumerate(steps) if t["action"] == "withdraw")
    workflow = client.get(f"/admin/catalogue/workflow/?id={sid}").get_data(as_text=True)
    path = f"/admin/catalogue/fields/?id={sid}&amp;step={report_at}"
    assert path in workflow and "Change the report form" in workflow
    path = path.replace("&amp;", "&")
    page = client.get(path).get_data(as_text=True)
    assert "Report form at the step “Submit verification report”" in page
    assert [f["name"] for f in json.loads(_draft(page))][0] == "visited_on"
    added = client.post(
        path,
        data={
            "draft": _draft(page),
            "step": str(report_at),
            "action": "add",
            "new_name": "neighbour_spoken_to",
            "new_type": "text",
            "new_label_en": "Neighbour spoken to",
            "new_label_hi": "जिस पड़ोसी से बात की",
            "new_required": "y",
            "csrf_token": auth.csrf(path),
        },
    ).get_data(as_text=True)
    assert (
        "Report form at step “Submit verification report”: Field “Neighbour spoken to” added "
        "(required)" in added
    )
    assert "The officer must fill it in" in added
    published = client.post(
        path,
        data={
            "draft": _draft(added),
            "step": str(report_at),
            "action": "publish",
            "reason": "SP's order: name the neighbour",
            "csrf_token": auth.csrf(path),
        },
    )
    assert published.status_code == 302
    with app.app_context():
        live = ServiceType.objects.get(id=sid).definition
        assert live["workflow"]["transitions"][report_at]["report"][-1]["name"] == (
            "neighbour_spoken_to"
        )
        assert live["fields"] == catalogue_fields_before(app, sid)
    # A step the applicant takes asks no report; a step that does not exist is not found.
    for step in (withdraw_at, 99, "x"):
        assert client.get(f"/admin/catalogue/fields/?id={sid}&step={step}").status_code == 404


def catalogue_fields_before(app, sid):
    """The citizen's form of the version before the live one (a report change leaves it)."""
    from app.models import ServiceTypeVersion

    with app.app_context():
        service = ServiceType.objects.get(id=sid)
        return ServiceTypeVersion.objects.get(
            state=service.state, code=service.code, version=service.version - 1
        ).definition["fields"]


def test_a_step_is_set_to_be_taken_by_the_fir_register_in_the_builder(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("admin.haryana")
    sid = service_id(app, "grievance")
    path = f"/admin/catalogue/workflow/?id={sid}"
    page = client.get(path).get_data(as_text=True)
    assert 'name="tr_via"' in page
    opened = client.post(
        path, data={"draft": _draft(page), "action": "edit_step:0", "csrf_token": auth.csrf(path)}
    ).get_data(as_text=True)
    import json

    from app.services import workflow_builder

    assert 'name="tr_via"' in opened and "Change the step" in opened
    data = workflow_builder.step_form(json.loads(_draft(opened)), 0)  # what the form shows
    data.pop("tr_via")
    refused = client.post(
        path,
        data={**data, "draft": _draft(opened), "editing_step": "0", "action": "step",
              "tr_via": "telepathy", "csrf_token": auth.csrf(path)},
    )  # fmt: skip
    assert refused.status_code == 400 and 'href="#wf-tr_via"' in refused.get_data(as_text=True)
    saved = client.post(
        path,
        data={**data, "draft": _draft(opened), "editing_step": "0", "action": "step",
              "tr_via": "fir", "csrf_token": auth.csrf(path)},
    )  # fmt: skip
    text = saved.get_data(as_text=True)
    assert saved.status_code == 200, text[-3000:]
    assert json.loads(_draft(text))["transitions"][0]["via"] == "fir"
    assert "taken by the FIR register, not by a button" in text


def test_every_builder_page_of_every_seeded_service_opens(catalogue_seeded, client, auth):
    """A step leaving several states (`from: [a, b]`, as the complaint's) once made the diff,
    and so every builder page of those services, fail with a 500."""
    app = catalogue_seeded
    auth.login("admin.haryana")
    with app.app_context():
        ids = {s.code: str(s.id) for s in ServiceType.objects if s.state.code == "HR"}
    assert "complaint" in ids and len(ids) >= 15
    for code, sid in sorted(ids.items()):
        for page in ("fields", "workflow", "limits", "versions"):
            response = client.get(f"/admin/catalogue/{page}/?id={sid}")
            assert response.status_code == 200, (code, page)
