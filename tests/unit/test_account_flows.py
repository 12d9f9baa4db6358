"""Account flows end to end: password reset, change password, TOTP enrolment and sign-in."""

import re
import time

from passlib.totp import TOTP

from app.models import OutboxMessage, User

from conftest import DEMO


def latest_mail(app, email):
    with app.app_context():
        return OutboxMessage.objects(to=email).order_by("-created_at").first()


def test_forgotten_password_is_reset_through_the_emailed_link(client, auth, app):
    account = DEMO["citizen"]
    response = client.post(
        "/reset", data={"email": account["email"], "csrf_token": auth.csrf("/reset")}
    )
    assert response.status_code in (200, 302)
    link = re.search(
        r"https?://\S+(/reset/\S+)", latest_mail(app, account["email"]).body_text
    ).group(1)
    response = client.post(
        link,
        data={
            "password": "N3w#Password!",
            "password_confirm": "N3w#Password!",
            "csrf_token": auth.csrf(link),
        },
    )
    assert response.status_code == 302
    fresh = app.test_client()
    from conftest import Auth

    assert Auth(fresh).login("citizen", password="N3w#Password!").status_code == 302
    assert Auth(app.test_client()).login("citizen").status_code == 200  # the old password fails


def test_forgot_password_answers_alike_for_unknown_email(client, auth, app):
    known = client.post(
        "/reset", data={"email": DEMO["citizen"]["email"], "csrf_token": auth.csrf("/reset")}
    )
    unknown = client.post(
        "/reset", data={"email": "nobody@mail.co.in", "csrf_token": auth.csrf("/reset")}
    )
    assert known.status_code == unknown.status_code
    with app.app_context():
        assert OutboxMessage.objects(to="nobody@mail.co.in").count() == 0


def test_change_password(client, auth, app):
    auth.login("citizen")
    path = "/change"
    response = client.post(
        path,
        data={
            "password": DEMO["citizen"]["password"],
            "new_password": "An0ther#Passw0rd",
            "new_password_confirm": "An0ther#Passw0rd",
            "csrf_token": auth.csrf(path),
        },
    )
    assert response.status_code == 302
    from conftest import Auth

    assert Auth(app.test_client()).login("citizen", password="An0ther#Passw0rd").status_code == 302


def enrol_in_totp(client, auth):
    page = client.post(
        "/tf-setup", data={"setup": "authenticator", "csrf_token": auth.csrf("/tf-setup")}
    )
    body = page.get_data(as_text=True)
    key = re.search(r"<div>([A-Z2-7]{4}(?:-[A-Z2-7]{4})+)</div>", body).group(1).replace("-", "")
    action = re.search(r'action="(/tf-setup/[^"]+)"', body).group(1)
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', body[body.index(action) :]
    ).group(1)
    code = TOTP(key=key, format="base32").generate().token
    response = client.post(action, data={"code": code, "csrf_token": token})
    return key, response


def test_state_admin_enrols_in_totp_then_reaches_the_admin(client, auth, app):
    """Under the production rule the admin is closed until TOTP is set up; then it opens."""
    app.config["REQUIRE_TWO_FACTOR_ROLES"] = ["state_admin"]
    auth.login("admin.haryana")
    assert client.get("/admin/").status_code == 302
    key, response = enrol_in_totp(client, auth)
    assert response.status_code == 302
    with app.app_context():
        user = User.objects.get(email=DEMO["admin.haryana"]["email"])
        assert user.tf_primary_method == "authenticator"
    assert client.get("/admin/").status_code == 200

    # The next login asks for the code, and only a right code lets them in.
    from conftest import Auth

    other = app.test_client()
    login = Auth(other).login("admin.haryana")
    assert "/tf-validate" in login.headers.get("Location", "") or login.status_code == 200
    token = Auth(other).csrf("/tf-validate")
    wrong = other.post("/tf-validate", data={"code": "000000", "csrf_token": token})
    assert other.get("/admin/").status_code == 302, wrong.status_code
    # A code works once: the one enrolment used is refused, the next time-step's is taken.
    used = TOTP(key=key, format="base32").generate().token
    assert other.post("/tf-validate", data={"code": used, "csrf_token": token}).status_code == 200
    code = TOTP(key=key, format="base32").generate(time.time() + 30).token
    assert other.post("/tf-validate", data={"code": code, "csrf_token": token}).status_code == 302
    assert other.get("/admin/").status_code == 200
