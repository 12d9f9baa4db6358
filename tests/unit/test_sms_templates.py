"""SMS wording the administrator controls: placeholders checked on save (an unknown one is named),
a DLT template id on every SMS, held in production without one, and never an officer's remark."""

import pytest

from app.models import OutboxMessage, ServiceRequest, SmsTemplate, User
from app.services import mail, sms_templates
from tests.unit.test_requests import submit, token_client


def _admin():
    return User.objects.get(email="admin.haryana@demo.police.example")


def test_a_wording_with_an_unknown_placeholder_cannot_be_saved_and_the_error_names_it(app):
    with app.test_request_context():
        text = "Request {number}: {status}. Officer said: {remark}"
        with pytest.raises(sms_templates.TemplateError) as refused:
            sms_templates.save("request_status", "en", text, "1107161234567890123", _admin())
        message = str(refused.value.errors["text"])
        assert "{remark}" in message and "{number}" in message  # what is wrong, what is offered
        assert SmsTemplate.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("Request {number.__class__} moved", "{number.__class__}"),
        ("Request {number!r} moved", "{number!r}"),
        ("Request {0} moved", "{0}"),
        ("Request {number moved", "Braces"),
        ("Your request moved to {status}.", "{number}"),  # the number it must carry
        ("Request {number} " + "x" * 320, "320"),
    ],
)
def test_every_refusal_says_what_is_wrong(app, text, fault):
    with app.test_request_context():
        errors = sms_templates.check("request_status", text)
        assert fault in str(errors["text"])


def test_a_code_sms_must_carry_its_code(app):
    with app.test_request_context():
        assert "{code}" in str(sms_templates.check("code_sign_in", "Sign in now")["text"])
        assert sms_templates.check("code_sign_in", "Code {code}, valid {minutes} min") == {}


def test_a_dlt_id_is_digits(app):
    with app.test_request_context(), pytest.raises(sms_templates.TemplateError) as refused:
        sms_templates.save("request_status", "en", "", "TEMPLATE-1", _admin())
    assert "dlt_template_id" in refused.value.errors


def test_saved_wording_and_dlt_id_go_out_with_the_sms_and_reset_brings_the_default_back(app):
    with app.test_request_context():
        admin = _admin()
        sms_templates.save(
            "request_status", "hi", "अनुरोध {number}: {status}. {link}", "1107161234567890123", admin
        )
        text, dlt = sms_templates.render(
            "request_status", "hi", number="N-1", status="प्राप्त", link="L", service="S"
        )
        assert (text, dlt) == ("अनुरोध N-1: प्राप्त. L", "1107161234567890123")
        sms_templates.reset("request_status", "hi", admin)
        text, dlt = sms_templates.render("request_status", "hi", number="N-1", status="x", link="L")
        assert text == sms_templates.default_text("request_status", "hi").format(
            number="N-1", service="-", status="x", link="L"
        )
        assert dlt is None


def test_an_sms_without_a_dlt_id_is_held_in_production_and_sent_elsewhere(app):
    with app.test_request_context():
        app.config["SMS_REQUIRE_DLT"] = True
        message = mail.queue_sms(to="9810000001", body_text="Code 1")  # delivered (eager Celery)
        mail.deliver(str(message.id))
        held = OutboxMessage.objects.get(id=message.id)
        assert held.status == "held" and held.last_error == "no DLT template id"
        with_id = mail.queue_sms(to="9810000001", body_text="Code 2", dlt_template_id="1107161")
        mail.deliver(str(with_id.id))
        assert OutboxMessage.objects.get(id=with_id.id).status == "sent"
        app.config["SMS_REQUIRE_DLT"] = False
        other = mail.queue_sms(to="9810000001", body_text="Code 3")
        mail.deliver(str(other.id))
        assert OutboxMessage.objects.get(id=other.id).status == "sent"
        assert sms_templates.held_count() == 1


def test_production_requires_dlt_ids_by_default():
    from config import Config, ProductionConfig

    assert ProductionConfig.SMS_REQUIRE_DLT is True and Config.SMS_REQUIRE_DLT is False


def test_an_officers_remark_reaches_the_portal_but_never_the_sms(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    officer, headers = token_client(app, "officer.sector29")
    for action, remark in (("accept", ""), ("ask_documents", "Bring the rent deed of 2019")):
        response = officer.post(
            f"/api/v1/requests/{number}/transitions",
            headers=headers,
            json={"action": action, "remark": remark},
        )
        assert response.status_code == 200, response.get_json()
    with app.test_request_context():
        citizen = User.objects.get(email="citizen@demo.police.example")
        sms = [m.body_text for m in OutboxMessage.objects(channel="sms", to=citizen.mobile)]
        assert len(sms) == 3 and all(number in text for text in sms)
        assert not any("rent deed" in text for text in sms)
        assert any("Documents needed from you" in text for text in sms)
        request = ServiceRequest.objects.get(number=number)
        assert request.history[-1].remark == "Bring the rent deed of 2019"


def test_the_administrator_edits_previews_and_is_told_of_missing_dlt_ids(app, client, auth):
    auth.login("admin.haryana")
    page = client.get("/admin/sms_templates/").get_data(as_text=True)
    assert "have no DLT template id" in page
    edit = "/admin/sms_templates/request_status/en"
    token = auth.csrf(edit)
    shown = client.post(
        edit,
        data={
            "text": "Request {number} is now {status}.",
            "action": "preview",
            "csrf_token": token,
        },
    )
    assert shown.status_code == 200
    assert "Request HR-TEN-2026-000123-K is now Verification in progress." in shown.get_data(
        as_text=True
    )
    refused = client.post(
        edit, data={"text": "Request {number} {remark}", "action": "save", "csrf_token": token}
    )
    assert refused.status_code == 400 and "{remark}" in refused.get_data(as_text=True)
    saved = client.post(
        edit,
        data={
            "text": "Request {number} is now {status}.",
            "dlt_template_id": "1107161234567890",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 302
    with app.test_request_context():
        row = SmsTemplate.objects.get(kind="request_status", language="en")
        assert row.dlt_template_id == "1107161234567890" and row.text.endswith("{status}.")


def test_an_officer_cannot_change_the_sms_wording(app, client, auth):
    auth.login("officer.sector29")
    assert client.get("/admin/sms_templates/").status_code in (403, 404)
    response = client.post(
        "/admin/sms_templates/request_status/en",
        data={"text": "x {number}", "action": "save", "csrf_token": auth.csrf("/dashboard")},
    )
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("language", sms_templates.LANGUAGES)
def test_every_default_wording_passes_its_own_checks(app, language):
    with app.test_request_context():
        for kind in sms_templates.KINDS:
            assert sms_templates.check(kind, sms_templates.default_text(kind, language)) == {}, kind
