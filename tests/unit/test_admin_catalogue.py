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
    """The same change made in the builder (fields table, time-limits form) and sent whole by
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
    with app.app_context():
        built = ServiceType.objects.get(id=sid).definition
        assert ServiceType.objects.get(id=sid).version == 3

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
    api, headers = token_client(app, "admin.haryana")
    put = api.put(
        "/api/v1/services/tenant_verification?reason=Same%20change%20by%20API",
        headers=headers,
        json=by_hand,
    )
    assert put.status_code in (200, 201), put.get_json()
    with app.app_context():
        live = ServiceType.objects.get(id=sid)
        assert live.version == 4
        via_api = ServiceTypeVersion.objects.get(state=live.state, code=live.code, version=4)
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
