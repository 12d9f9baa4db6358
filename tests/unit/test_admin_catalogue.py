"""A state administrator edits and creates service definitions in the admin panel."""

import re

from app.models import ServiceType
from app.services import catalogue


def service_id(app, code, state="HR"):
    with app.app_context():
        return str(next(s for s in ServiceType.objects(code=code) if s.state.code == state).id)


def edit(client, auth, app, code, change):
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
