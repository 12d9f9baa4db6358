"""Sign-in with a mobile number: Flask-Security's unified sign-in wired to the portal.

A citizen or organisation types their mobile (any way people write it) and either their password
or a code sent by SMS. What the portal adds to Flask-Security:

- codes go out through the portal's SMS outbox and gateway (PortalSmsSender), at most
  services.mobile_codes.SENDS_PER_WINDOW per number, sign-in and registration codes together;
- a code works once (SingleUseTotp claims its time-step per secret; passlib refuses older ones);
- staff never sign in this way (their sign-in is email, password and an authenticator), and
  Flask-Security's own phone set-up pages are closed: a mobile becomes a sign-in identity only
  through services.mobile_codes, which verifies it first;
- per-address rate limits and the per-account lock of app.security.limits cover these forms.
"""

import hashlib

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_security import (
    SmsSenderBaseClass,
    SmsSenderFactory,
    Totp,
    UnifiedSigninForm,
    uia_email_mapper,
    uia_phone_mapper,
)
from passlib.exc import TokenError

from app.i18n import current_language
from app.models import User
from app.models.accounts import ACCOUNT_STAFF, INDIA_PREFIX
from app.services import claims, mail, mobile_codes, sms_templates

IDENTITY_ATTRIBUTES = [
    {"email": {"mapper": uia_email_mapper, "case_insensitive": True}},
    {"us_phone_number": {"mapper": uia_phone_mapper}},
]
CLOSED_ENDPOINTS = frozenset({"security.us_setup", "security.us_setup_validate"})


class PortalSmsSender(SmsSenderBaseClass):
    """Flask-Security's SMS sender: through the outbox, within the number's allowance."""

    def send_sms(self, from_number, to_number, msg):
        mobile = (to_number or "").removeprefix(INDIA_PREFIX)
        if not mobile or not mobile_codes.may_send(mobile):
            return  # over the allowance: nothing is sent, and the page says what it always says
        mobile_codes.record_sign_in_send(mobile)
        text, dlt_template_id = sms_templates.render(
            "code_sign_in",
            current_language(),
            code=str(msg).strip(),  # SECURITY_MSG_USE_CODE is the bare code
            minutes=current_app.config["SECURITY_US_TOKEN_VALIDITY"] // 60,
        )
        mail.queue_sms(
            to=mobile, body_text=text, template="code_sign_in", dlt_template_id=dlt_template_id
        )


class SingleUseTotp(Totp):
    """Codes that work once: each (account, secret, time-step) is claimed on first use."""

    def verify_totp(self, token, totp_secret, user, window=0):
        slot = hashlib.sha256(totp_secret.encode()).hexdigest()[:16]
        counters = getattr(user, "totp_counters", None) or {}
        try:
            match = self._totp.verify(
                token, totp_secret, window=window, last_counter=counters.get(slot)
            )
        except TokenError:
            return False
        if user is not None and getattr(user, "id", None) is not None:
            if not claims.take(f"totp:{user.id}:{slot}:{match.counter}"):
                return False  # used a moment ago, perhaps by a concurrent request
            User.objects(id=user.id).update_one(**{f"set__totp_counters__{slot}": match.counter})
            user.totp_counters = {**counters, slot: match.counter}
        return True


class PortalSigninForm(UnifiedSigninForm):
    """Unified sign-in for citizens and organisations only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity.label.text = _l("Mobile number (or email)")
        self.identity.description = _l("10 digits; spaces, +91 or a leading 0 are fine.")
        self.passcode.label.text = _l("Code from the SMS, or your password")
        self.passcode.render_kw = {"autocomplete": "one-time-code"}

    def validate(self, **kwargs):
        if not super().validate(**kwargs):
            return False
        if getattr(self.user, "account_type", None) == ACCOUNT_STAFF:
            self.identity.errors.append(
                _l("Staff sign in with their email, password and authenticator code.")
            )
            return False
        return True


def close_phone_setup():
    from flask import request

    if request.endpoint in CLOSED_ENDPOINTS:
        abort(404)


def configure(app):
    """Settings Flask-Security reads at init (before Security(app))."""
    app.config.setdefault("SECURITY_USER_IDENTITY_ATTRIBUTES", IDENTITY_ATTRIBUTES)
    app.config.setdefault(
        "SECURITY_SMS_SERVICE_CONFIG", {"PHONE_NUMBER": app.config.get("SMS_SENDER_ID")}
    )
    SmsSenderFactory.senders["portal"] = PortalSmsSender


def init_signin_codes(app):
    app.before_request(close_phone_setup)
