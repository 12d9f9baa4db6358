"""A citizen's account by mobile: registration with a code by SMS, verifying the mobile of an
existing account, and adding an email by the link mailed to it (services.mobile_codes,
services.email_links). Sign-in with a mobile and a code is Flask-Security's unified sign-in
(app.security.signin_codes; its page is templates/security/us_signin.html)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required, login_user

from app.i18n import current_language
from app.models import State
from app.models.accounts import ACCOUNT_STAFF
from app.models.jurisdictions import localized
from app.services import email_links, mobile_codes
from app.services.email_links import EmailLinkError
from app.services.errors import FieldErrors
from app.services.field_types import email_address
from app.services.mobile_codes import CodeError

bp = Blueprint("accounts", __name__)


def _posted(name, limit=255):
    return request.form.get(name, "", type=str)[:limit]


def _states():
    language = current_language()
    return [
        (s.code, localized(s, "name", language))
        for s in State.objects.only("code", "name_en", "name_hi")
    ]


@bp.route("/register/mobile", methods=["GET", "POST"])
def register_mobile():
    if current_user.is_authenticated:
        return redirect(url_for("portal.dashboard"))
    errors, status = {}, 200
    if request.method == "POST":
        try:
            token = mobile_codes.start_registration(
                full_name=_posted("full_name", 120),
                mobile=_posted("mobile", 20),
                email=_posted("email"),
                state_code=_posted("home_state", 10),
                language=current_language(),
            )
        except FieldErrors as error:
            errors, status = {k: str(v) for k, v in error.errors.items()}, error.http_status
        except CodeError as error:
            errors, status = {error.field: str(error)}, error.status
        else:
            return redirect(url_for("accounts.register_code", step=token))
    return render_template(
        "accounts/register_mobile.html", errors=errors, form=request.form, states=_states()
    ), status


@bp.route("/register/mobile/code", methods=["GET", "POST"])
def register_code():
    step = mobile_codes.pending(request.values.get("step", type=str), "register")
    if step is None:
        flash(_("That code has expired. Start again to get a new one."), "error")
        return redirect(url_for("accounts.register_mobile"))
    errors, status = {}, 200
    if request.method == "POST":
        try:
            user, email = mobile_codes.finish_registration(step.token, _posted("code", 20))
        except CodeError as error:
            errors, status = {"code": str(error)}, error.status
        else:
            login_user(user, authn_via=["sms"])
            if email:
                email_links.send(user, email)
                flash(_("Your account is ready. Open the link we mailed to add your email."))
            else:
                flash(_("Your account is ready, and your mobile number is verified."))
            return redirect(url_for("portal.dashboard"))
    return _code_page(step, errors, status, "accounts.register_code", "accounts.register_mobile")


def _code_page(step, errors, status, endpoint, start_endpoint):
    """The page that asks for the code sent to the step's mobile (shown masked)."""
    return render_template(
        "accounts/code.html",
        errors=errors,
        masked=f"XXXXXX{step.mobile[-4:]}",
        action=url_for(endpoint, step=step.token),
        again=url_for(start_endpoint),
    ), status


def _own_account():
    if current_user.account_type == ACCOUNT_STAFF:
        abort(404)


@bp.route("/account/mobile", methods=["GET", "POST"])
@auth_required("session")
def mobile():
    """The account's mobile: verified or not, and a code to verify it (or a new number)."""
    _own_account()
    errors, status = {}, 200
    if request.method == "POST" and request.form.get("action") == "email":
        email = email_address(_posted("email"))
        if not email:
            errors, status = {"email": _("Enter an email address like name@example.com.")}, 400
        else:
            email_links.send(current_user, email)
            flash(_("We mailed a link to %(email)s. Open it to add the address.", email=email))
            return redirect(url_for("accounts.mobile"))
    elif request.method == "POST":
        try:
            token = mobile_codes.start_verification(current_user, _posted("mobile", 20))
        except CodeError as error:
            errors, status = {error.field: str(error)}, error.status
        else:
            return redirect(url_for("accounts.mobile_code", step=token))
    return render_template("accounts/mobile.html", errors=errors, form=request.form), status


@bp.route("/account/mobile/code", methods=["GET", "POST"])
@auth_required("session")
def mobile_code():
    _own_account()
    step = mobile_codes.pending(request.values.get("step", type=str), "verify")
    if step is None or step.user is None or step.user.id != current_user.id:
        flash(_("That code has expired. Ask for a new one."), "error")
        return redirect(url_for("accounts.mobile"))
    errors, status = {}, 200
    if request.method == "POST":
        try:
            mobile_codes.finish_verification(current_user, step.token, _posted("code", 20))
        except CodeError as error:
            errors, status = {"code": str(error)}, error.status
        else:
            flash(_("Your mobile number is verified: SMS about your requests will reach it."))
            return redirect(url_for("portal.dashboard"))
    return _code_page(step, errors, status, "accounts.mobile_code", "accounts.mobile")


@bp.get("/account/email/confirm/<token>")
def confirm_email(token):
    try:
        email_links.confirm(token[:500])
    except EmailLinkError as error:
        flash(str(error), "error")
    else:
        flash(_("Your email address is added to your account."))
    return redirect(
        url_for("portal.dashboard" if current_user.is_authenticated else "portal.index")
    )
