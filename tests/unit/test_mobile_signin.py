"""Accounts by mobile: registration with a code by SMS, sign-in with a mobile and a code (or the
password) through Flask-Security's unified sign-in, codes that work once, expire and are
rate-limited, and SMS about requests only to a verified mobile."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from mongoengine.errors import OperationError

from app.models import OutboxMessage, PhoneCode, User
from app.models.base import is_duplicate_key
from app.services import mobile_codes, notify

from conftest import DEMO, Auth

NEW_MOBILE = "9876543210"


def _last_code(app, mobile):
    with app.app_context():
        message = OutboxMessage.objects(channel="sms", to=mobile).order_by("-created_at").first()
    assert message is not None, f"no SMS to {mobile}"
    return re.search(r"\b(\d{6})\b", message.body_text).group(1), message


def _register(client, mobile="+91 98765-43210", **extra):
    token = Auth(client).csrf("/register/mobile")
    data = {"full_name": "Meena Devi", "mobile": mobile, "home_state": "HR", "csrf_token": token}
    return client.post("/register/mobile", data={**data, **extra})


def test_a_citizen_registers_with_a_mobile_and_the_code_sent_to_it(app, client):
    started = _register(client)
    assert started.status_code == 302 and "/register/mobile/code?step=" in started.location
    code, sms = _last_code(app, NEW_MOBILE)
    assert sms.template == "code_register"
    page = client.get(started.location).get_data(as_text=True)
    assert "XXXXXX3210" in page and NEW_MOBILE not in page

    token = Auth(client).csrf(started.location)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(started.location, data={"code": wrong, "csrf_token": token})
    assert refused.status_code == 400 and "not right" in refused.get_data(as_text=True)

    done = client.post(
        started.location, data={"code": f" {code[:3]} {code[3:]} ", "csrf_token": token}
    )
    assert done.status_code == 302 and done.location.endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200  # signed in
    with app.app_context():
        user = User.objects.get(us_phone_number="+919876543210")
        assert user.email is None and user.full_name == "Meena Devi"
        assert user.sms_mobile == NEW_MOBILE and user.has_role("citizen")
        assert user.confirmed_at is not None and user.state.code == "HR"
    # The step is gone: the same code cannot make a second account.
    again = client.post(started.location, data={"code": code, "csrf_token": token})
    assert again.status_code == 302 and "/register/mobile" in again.location


def test_the_registration_form_names_each_field_at_fault(client):
    response = _register(
        client, mobile="12345", full_name="", home_state="XX", email="not-an-email"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for anchor in ("#full_name", "#mobile", "#home_state", "#email"):
        assert f'href="{anchor}"' in page


def test_a_number_that_has_an_account_gets_a_reminder_not_a_code(app, client):
    started = _register(client, mobile=DEMO["citizen"].get("mobile", "9810000001"))
    assert started.status_code == 302  # the page says the same as for a new number
    with app.app_context():
        sms = OutboxMessage.objects(channel="sms", to="9810000001").order_by("-created_at").first()
    assert "already has an account" in sms.body_text and not re.search(r"\d{6}", sms.body_text)


def test_codes_to_one_number_are_limited_and_a_code_takes_five_guesses_at_most(app, client):
    for _ in range(mobile_codes.SENDS_PER_WINDOW):
        assert _register(client).status_code == 302
    over = _register(client)
    assert over.status_code == 429 and "Too many codes" in over.get_data(as_text=True)

    with app.test_request_context():
        PhoneCode.objects.delete()
        token = mobile_codes.start_registration(
            full_name="A B", mobile=NEW_MOBILE, email="", state_code="HR", language="en"
        )
        code, _ = _last_code(app, NEW_MOBILE)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(mobile_codes.MAX_ATTEMPTS):
            try:
                mobile_codes.finish_registration(token, wrong)
            except mobile_codes.CodeError as error:
                assert error.status == 400
        try:
            mobile_codes.finish_registration(token, code)
        except mobile_codes.CodeError as error:
            assert error.status == 429  # locked: even the right code is refused now
        else:
            raise AssertionError("a sixth guess was taken")


def test_an_expired_code_is_refused(app):
    with app.test_request_context():
        token = mobile_codes.start_registration(
            full_name="A B", mobile=NEW_MOBILE, email="", state_code="HR", language="en"
        )
        code, _ = _last_code(app, NEW_MOBILE)
        PhoneCode.objects(token=token).update_one(
            set__expires_at=datetime.now(UTC) - timedelta(seconds=1)
        )
        try:
            mobile_codes.finish_registration(token, code)
        except mobile_codes.CodeError as error:
            assert "expired" in str(error)
        else:
            raise AssertionError("an expired code was taken")
        assert User.objects(us_phone_number="+91" + NEW_MOBILE).count() == 0


def _send_sign_in_code(client, identity):
    token = Auth(client).csrf("/signin/mobile")
    return client.post(
        "/signin/mobile/send-code",
        data={
            "identity": identity,
            "chosen_method": "sms",
            "submit_send_code": "send",
            "csrf_token": token,
        },
    )


def _sign_in(client, identity, passcode):
    token = Auth(client).csrf("/signin/mobile")
    return client.post(
        "/signin/mobile",
        data={"identity": identity, "passcode": passcode, "submit": "signin", "csrf_token": token},
    )


def test_a_citizen_signs_in_with_the_mobile_and_a_code_that_works_once(app, client):
    assert _send_sign_in_code(client, "+91 98100 00001").status_code == 200
    code, sms = _last_code(app, "9810000001")
    assert sms.template == "code_sign_in" and "sign in" in sms.body_text
    signed_in = _sign_in(client, "098100-00001", code)
    assert signed_in.status_code == 302
    assert client.get("/dashboard").status_code == 200
    Auth(client).logout()
    assert client.get("/dashboard").status_code == 302
    replay = _sign_in(client, "9810000001", code)
    assert replay.status_code == 200 and client.get("/dashboard").status_code == 302


def test_the_password_works_with_the_mobile_too_and_staff_are_refused(app, client):
    assert _sign_in(client, "9810000001", DEMO["citizen"]["password"]).status_code == 302
    Auth(client).logout()
    officer = DEMO["officer.sector29"]
    refused = _sign_in(client, officer["email"], officer["password"])
    # Refused like a wrong password (which accounts are staff is not told to strangers).
    assert refused.status_code == 200 and "Authentication failed" in refused.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert client.get("/us-setup").status_code == 404  # phones are verified our way only


def test_sms_about_requests_go_only_to_a_verified_mobile(app):
    with app.app_context():
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
        assert citizen.sms_mobile == "9810000001"
        sms = ("text", None)  # (wording, DLT id): services.sms_templates.render()
        assert notify._send("sms", "t:verified", citizen, None, "x", "text", "s", sms) == 1
        citizen.us_phone_number = None
        citizen.save()
        assert citizen.sms_mobile is None
        assert notify._send("sms", "t:unverified", citizen, None, "x", "text", "s", sms) == 0


def test_an_account_verifies_its_mobile_with_a_code(app, client, auth):
    with app.app_context():
        User.objects(email=DEMO["citizen"]["email"]).update_one(unset__us_phone_number=True)
    auth.login("citizen")
    page = client.get("/account/mobile").get_data(as_text=True)
    assert "not verified" in page
    token = auth.csrf("/account/mobile")
    sent = client.post("/account/mobile", data={"mobile": "98100 00001", "csrf_token": token})
    assert sent.status_code == 302
    code, sms = _last_code(app, "9810000001")
    assert sms.template == "code_verify"
    token = auth.csrf(sent.location)
    assert client.post(sent.location, data={"code": code, "csrf_token": token}).status_code == 302
    with app.app_context():
        assert User.objects.get(email=DEMO["citizen"]["email"]).sms_mobile == "9810000001"


def test_staff_have_no_mobile_sign_in_page(client, auth):
    auth.login("officer.sector29")
    assert client.get("/account/mobile").status_code == 404


def test_an_email_given_at_registration_joins_only_when_its_link_is_opened(app, client):
    started = _register(client, email="meena@example.in")
    code, _ = _last_code(app, NEW_MOBILE)
    token = Auth(client).csrf(started.location)
    assert (
        client.post(started.location, data={"code": code, "csrf_token": token}).status_code == 302
    )
    with app.app_context():
        user = User.objects.get(us_phone_number="+91" + NEW_MOBILE)
        assert user.email is None
        mail = OutboxMessage.objects(to="meena@example.in").first()
    link = re.search(r"https?://\S+", mail.body_text).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.get("/" + path)
    with app.app_context():
        assert User.objects.get(us_phone_number="+91" + NEW_MOBILE).email == "meena@example.in"
        assert mobile_codes.User.with_email("").first() is None


@pytest.mark.db
def test_many_accounts_without_an_email_and_one_account_per_mobile(app):
    """The optional email and the verified mobile are unique only where present."""
    with app.test_request_context():
        made = []
        for mobile in ("9876500001", "9876500002"):
            token = mobile_codes.start_registration(
                full_name="No Email", mobile=mobile, email="", state_code="HR", language="hi"
            )
            made.append(mobile_codes.finish_registration(token, _last_code(app, mobile)[0])[0])
        assert [u.email for u in made] == [None, None] and made[0].language == "hi"
        other = User.objects.get(id=made[1].id)
        other.us_phone_number = made[0].us_phone_number
        with pytest.raises(OperationError) as refused:
            other.save()
        assert is_duplicate_key(refused.value)
