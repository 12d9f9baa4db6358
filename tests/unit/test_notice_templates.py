"""Notice and email wording: checked on save (an unknown placeholder is refused by its name),
previewed with sample values, used for the next notice, and reset to the default."""

import re

import pytest

from app.models import NoticeTemplate, Notification, OutboxMessage, User
from app.services import notice_templates
from tests.unit.test_requests import submit


@pytest.mark.parametrize("language", notice_templates.LANGUAGES)
def test_every_default_wording_passes_its_own_checks(app, language):
    with app.test_request_context():
        for kind in notice_templates.KINDS:
            text = notice_templates.default_text(kind, language)
            subject = notice_templates.default_subject(kind, language)
            assert notice_templates.check(kind, text, subject) == {}, kind
            assert "%(" not in text and "%(" not in subject, kind


@pytest.mark.parametrize(
    ("text", "subject", "field", "fault"),
    [
        ("Request {number} {numbr}", "S", "text", "Unknown placeholder {numbr}"),
        ("Request {number} {due:>10}", "S", "text", "Unknown placeholder {due:>10}"),
        ("Request {number", "S", "text", "Braces must come in pairs"),
        ("Your request has news", "S", "text", "must contain {number}"),
        ("", "S", "text", "Enter the text"),
        ("Request {number}", "About {appeal}", "subject", "Unknown placeholder {appeal}"),
        ("Request {number}", "", "subject", "Enter the subject"),
        ("Request {number} " + "x" * 1000, "S", "text", "At most 1000 characters"),
    ],
)
def test_each_refusal_names_the_placeholder_or_field(app, text, subject, field, fault):
    with app.test_request_context():
        with pytest.raises(notice_templates.TemplateError) as refused:
            notice_templates.save("request_status", "email", "en", text, subject, None)
        assert fault in str(refused.value.errors[field])
        assert NoticeTemplate.objects.count() == 0  # nothing stored


def test_a_saved_wording_is_used_for_the_next_notice_and_reset_brings_the_default_back(
    catalogue_seeded,
):
    app = catalogue_seeded
    with app.test_request_context():
        notice_templates.save(
            "request_status", "in_app", "en", "{service} {number} is now: {status}", None, None
        )
        notice_templates.save(
            "request_status", "email", "en", "Dear applicant, {number}: {status}.",
            "Police portal: {number}", None,
        )  # fmt: skip
    number = submit(app, "tenant_verification").get_json()["number"]
    with app.test_request_context():
        citizen = User.objects.get(email="citizen@demo.police.example")
        notice = Notification.objects.get(recipient=citizen, number=number)
        assert notice.text == f"Tenant / paying guest verification {number} is now: " + (
            "Received at the police station"
        )
        mail = OutboxMessage.objects.get(channel="email", to=citizen.email)
        assert mail.subject == f"Police portal: {number}"
        assert mail.body_text.startswith(f"Dear applicant, {number}: Received at the police")
        notice_templates.reset("request_status", "in_app", "en", None)
        assert notice_templates.wording("request_status", "in_app", "en")[1].startswith(
            "Request {number} ({service})"
        )


def test_the_administrator_previews_saves_and_resets_a_wording(app, client, auth):
    auth.login("admin.haryana")
    page = client.get("/admin/notice_templates/").get_data(as_text=True)
    assert "A request&#39;s new status" in page or "A request's new status" in page
    edit = "/admin/notice_templates/appeal_decided/email/hi"
    form = client.get(edit).get_data(as_text=True)
    assert 'name="subject"' in form and "{appeal}" in form
    token = auth.csrf(edit)
    shown = client.post(
        edit,
        data={
            "subject": "अपील {appeal}",
            "text": "आपकी अपील {appeal} {outcome} हुई। कारण: {reasons}",
            "action": "preview",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "आपकी अपील HR-APL-2026-000045-Q" in shown and "अपील HR-APL-2026-000045-Q" in shown
    refused = client.post(
        edit,
        data={"subject": "अपील {appeal}", "text": "{appeal} {remark}", "csrf_token": token},
    )
    assert refused.status_code == 400
    assert "Unknown placeholder {remark}" in refused.get_data(as_text=True)
    assert 'href="#msg-text"' in refused.get_data(as_text=True)
    saved = client.post(
        edit,
        data={
            "subject": "अपील का निर्णय: {appeal}",
            "text": "अपील {appeal}: {outcome}",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 302
    with app.test_request_context():
        row = NoticeTemplate.objects.get(kind="appeal_decided", channel="email", language="hi")
        assert row.subject == "अपील का निर्णय: {appeal}" and row.text == "अपील {appeal}: {outcome}"
    client.post(edit, data={"action": "reset", "csrf_token": token})
    with app.test_request_context():
        assert NoticeTemplate.objects.count() == 0
    auth.logout()
    auth.login("officer.sector29")
    assert client.get("/admin/notice_templates/").status_code in (403, 404)


def test_a_kind_is_edited_only_on_the_channels_it_goes_out_on(app, client, auth):
    auth.login("admin.haryana")
    assert client.get("/admin/notice_templates/add_email/email/en").status_code == 200
    assert client.get("/admin/notice_templates/add_email/in_app/en").status_code == 404
    assert client.get("/admin/notice_templates/register_match/email/hi").status_code == 404
    assert client.get("/admin/notice_templates/no_such_kind/email/en").status_code == 404
    with app.test_request_context():
        with pytest.raises(notice_templates.TemplateError):
            notice_templates.save("add_email", "in_app", "en", "{link}", None, None)


def test_the_lockout_email_uses_the_administrators_wording(app):
    from app.services import login_guard

    with app.test_request_context():
        notice_templates.save(
            "login_locked", "email", "en", "{count} failed logins: paused.", "Logins paused", None
        )
        login_guard._tell_owner("citizen@demo.police.example", 7)
        sent = OutboxMessage.objects.get(channel="email", subject="Logins paused")
        assert sent.body_text == "7 failed logins: paused."


def test_the_password_reset_email_is_in_the_administrators_words_and_the_users_language(
    app, client, auth
):
    """Flask-Security's own mails go out in the portal's wording (app.security.mailer): the
    saved Hindi text, for a user who chose Hindi, with the reset link filled in."""
    email = "citizen@demo.police.example"
    with app.test_request_context():
        User.objects(email=email).update_one(set__language="hi")
        notice_templates.save(
            "password_reset", "email", "hi", "नया पासवर्ड चुनें: {link}", "पासवर्ड: {email}", None
        )
    assert client.post("/reset", data={"email": email, "csrf_token": auth.csrf("/reset")})
    with app.app_context():
        sent = OutboxMessage.objects(to=email).order_by("-created_at").first()
    assert sent.template.endswith("reset_instructions") and sent.subject == f"पासवर्ड: {email}"
    assert re.fullmatch(r"नया पासवर्ड चुनें: https?://\S+/reset/\S+", sent.body_text)
    assert sent.body_html is None  # no second copy in Flask-Security's own words


def test_a_password_change_notice_uses_the_default_wording_until_one_is_saved(app):
    from flask_security.changeable import send_password_changed_notice

    with app.test_request_context():
        user = User.objects.get(email="citizen@demo.police.example")
        send_password_changed_notice(user)
        sent = OutboxMessage.objects(to=user.email).order_by("-created_at").first()
        assert sent.subject == "Your password was changed"
        assert sent.body_text.startswith(f"The password of your account {user.email} was changed.")


def test_the_daily_digest_is_in_the_administrators_words(catalogue_seeded):
    from datetime import UTC, datetime

    from app.services import digest

    app = catalogue_seeded
    submit(app, "tenant_verification")
    with app.test_request_context():
        notice_templates.save(
            "daily_digest", "email", "en", "{place}: {open} open\n{services}",
            "Summary {date}", None,
        )  # fmt: skip
        digest.send_daily(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
        sho = User.objects.get(email="sho.sector29@demo.police.example")
        sent = OutboxMessage.objects.get(to=sho.email, template="digest")
        assert sent.subject == "Summary 2 Dec 2026"
        assert sent.body_text.startswith("Sector 29 Police Station: 1 open\n- Tenant")
        in_app = Notification.objects.get(recipient=sho, event="digest")
        assert in_app.text.startswith("1 open, 0 due today, 0 overdue.\n- Tenant")


def test_only_a_requests_wording_says_the_request_link_is_added(app, client, auth):
    auth.login("admin.haryana")
    said = "An email ends with the link to the request"
    assert said in client.get("/admin/notice_templates/request_status/email/en").get_data(
        as_text=True
    )
    for kind in ("password_reset", "daily_digest", "add_email"):
        page = client.get(f"/admin/notice_templates/{kind}/email/en")
        assert page.status_code == 200 and said not in page.get_data(as_text=True), kind
