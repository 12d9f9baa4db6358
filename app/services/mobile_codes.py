"""One-time codes by SMS: the proof that a mobile number is the person's own.

A code is six random digits, kept only as an HMAC bound to its step's token, valid for
CODE_LIFETIME, good for one use and for MAX_ATTEMPTS guesses (each guess is claimed, so
concurrent guesses cannot share an attempt). A number receives at most SENDS_PER_WINDOW codes
in WINDOW, sign-in codes included (Flask-Security sends those; app.security.signin_codes
counts them here), so nobody can use the portal to flood a phone.

Registration by mobile (`start_registration` → `finish_registration`) and verifying the mobile
of an existing account (`start_verification` → `finish_verification`) are built on it; only a
verified mobile receives SMS about requests (User.sms_mobile).
"""

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from mongoengine.errors import OperationError

from app.models import PhoneCode, Role, State, User
from app.models.accounts import ACCOUNT_CITIZEN, ACCOUNT_STAFF, INDIA_PREFIX
from app.models.base import as_utc, is_duplicate_key

from . import audit, claims, mail, sms_templates
from .errors import FieldErrors
from .field_types import email_address, mobile_number
from .keyed import keyed_digest

CODE_LIFETIME = timedelta(minutes=10)
WINDOW = timedelta(minutes=15)
SENDS_PER_WINDOW = 3
MAX_ATTEMPTS = 5


class CodeError(ValueError):
    """The code step cannot go on; `field` names the input at fault."""

    def __init__(self, message, field="code", status=400):
        super().__init__(message)
        self.field = field
        self.status = status


def _hash(token, code):
    return keyed_digest(f"{token}:{code}")


def may_send(mobile, now=None):
    """True when `mobile` has had fewer than SENDS_PER_WINDOW codes in the last WINDOW."""
    now = now or datetime.now(UTC)
    recent = PhoneCode.objects(mobile=mobile, created_at__gte=now - WINDOW).count()
    return recent < SENDS_PER_WINDOW


def record_sign_in_send(mobile, now=None):
    """Count a sign-in code (sent by Flask-Security) against the number's allowance."""
    now = now or datetime.now(UTC)
    PhoneCode(
        token=secrets.token_urlsafe(24),
        purpose="sign_in",
        mobile=mobile,
        created_at=now,
        expires_at=now + WINDOW,
    ).save()


def _too_many():
    return CodeError(
        _l("Too many codes were sent to this number. Try again in 15 minutes."), "mobile", 429
    )


def _send(purpose, mobile, language, *, user=None, payload=None, reminder=False):
    """Save the step and SMS its code (or, with `reminder`, that the number has an account)."""
    now = datetime.now(UTC)
    if not may_send(mobile, now):
        raise _too_many()
    token = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode(
        token=token,
        purpose=purpose,
        mobile=mobile,
        user=user,
        payload=payload or {},
        code_hash=_hash(token, code),
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    ).save()
    if reminder:  # no code: the number has an account already
        body, dlt_template_id = sms_templates.render("account_exists", language)
    else:
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        body, dlt_template_id = sms_templates.render(
            f"code_{purpose}", language, code=code, minutes=minutes
        )
    mail.queue_sms(
        to=mobile,
        body_text=body,
        template=f"code_{purpose}",
        dlt_template_id=dlt_template_id,
    )
    return token


def pending(token, purpose):
    """The live step of `token`, or None (unknown, used or expired)."""
    record = PhoneCode.objects(token=str(token or "")[:64], purpose=purpose).first()
    if record is None or as_utc(record.expires_at) <= datetime.now(UTC):
        return None
    return record


def _consume(token, purpose, code):
    """The step, once its code is right; the code then works no more."""
    record = pending(token, purpose)
    if record is None:
        raise CodeError(_l("This code has expired. Ask for a new one."))
    attempt = next(
        (n for n in range(1, MAX_ATTEMPTS + 1) if claims.take(f"code:{record.token}:try:{n}")),
        None,
    )
    if attempt is None:
        raise CodeError(_l("Too many wrong codes. Ask for a new one."), status=429)
    typed = "".join(ch for ch in str(code or "") if ch.isdigit())
    if not hmac.compare_digest(_hash(record.token, typed), record.code_hash or ""):
        raise CodeError(_l("That code is not right. Check the SMS and try again."))
    if not claims.take(f"code:{record.token}:used"):
        raise CodeError(_l("This code has expired. Ask for a new one."))
    PhoneCode.objects(id=record.id).delete()
    return record


def _holder_of(mobile):
    return User.objects(us_phone_number=INDIA_PREFIX + mobile).only("id").first()


def start_registration(*, full_name, mobile, email, state_code, language):
    """Check the answers and SMS a code (or, to a number that has an account, a reminder to
    sign in: the page says the same either way). Returns the step's token."""
    errors = {}
    full_name = " ".join(str(full_name or "").split())[:120]
    if not full_name:
        errors["full_name"] = _l("Enter your full name.")
    mobile = mobile_number(mobile)
    if not mobile:
        errors["mobile"] = _l("Enter a 10-digit Indian mobile number.")
    typed = str(email or "").strip()[:255]
    email = email_address(typed)
    if typed and not email:
        errors["email"] = _l("Enter an email address like name@example.com, or leave it empty.")
    elif email and User.with_email(email).first() is not None:
        errors["email"] = _l(
            "This email already has an account. Sign in with it, or leave the email empty."
        )
    state = State.objects(code=str(state_code or "")).only("code").first()
    if state is None:
        errors["home_state"] = _l("Choose your state.")
    if errors:
        raise FieldErrors(errors)
    payload = {"full_name": full_name, "email": email, "state": state.code, "language": language}
    if _holder_of(mobile) is not None:
        return _send("register", mobile, language, payload=payload, reminder=True)
    return _send("register", mobile, language, payload=payload)


def finish_registration(token, code):
    """The new citizen account, its mobile verified, and the email it was given ("" if none) to
    be confirmed by link; CodeError if the code is not right."""
    record = _consume(token, "register", code)
    data, mobile = record.payload, record.mobile
    if _holder_of(mobile) is not None:
        raise CodeError(_l("This mobile number already has an account. Sign in with it."))
    security = current_app.extensions["security"]
    now = datetime.now(UTC)
    # Created without the email: one given joins the account when the link mailed to it is
    # opened (services.email_links), so nobody can hold another person's address.
    user = security.datastore.create_user(
        full_name=data["full_name"],
        mobile=mobile,
        language=data.get("language") or "en",
        account_type=ACCOUNT_CITIZEN,
        state=State.objects(code=data["state"]).first(),
        roles=[Role.objects.get(name="citizen")],
        confirmed_at=now,  # holding the phone is the proof
    )
    try:
        mark_verified(user, mobile, now)
    except OperationError as error:
        if not is_duplicate_key(error):
            raise
        user.delete()
        raise CodeError(_l("This mobile number already has an account. Sign in with it.")) from None
    audit.record("register", actor=user, target=user, state=user.state, via="mobile")
    return user, data.get("email") or ""


def start_verification(user, mobile):
    """SMS a code to `mobile` for `user` (a citizen or an organisation). Returns the token."""
    if user.account_type == ACCOUNT_STAFF:
        raise CodeError(_l("Staff accounts sign in with email, password and authenticator."))
    mobile = mobile_number(mobile)
    if not mobile:
        raise CodeError(_l("Enter a 10-digit Indian mobile number."), "mobile")
    holder = _holder_of(mobile)
    if holder is not None and holder.id != user.id:
        raise CodeError(_l("This mobile number belongs to another account."), "mobile")
    return _send("verify", mobile, user.language or "en", user=user)


def finish_verification(user, token, code):
    """Mark the mobile of the step verified on `user` (and make it the account's mobile)."""
    record = pending(token, "verify")
    if record is None or record.user is None or record.user.id != user.id:
        raise CodeError(_l("This code has expired. Ask for a new one."))
    record = _consume(token, "verify", code)
    try:
        mark_verified(user, record.mobile, datetime.now(UTC))
    except OperationError as error:  # NotUniqueError is one too
        if not is_duplicate_key(error):
            raise
        raise CodeError(_l("This mobile number belongs to another account."), "mobile") from None
    audit.record("mobile_verified", actor=user, target=user, state=user.state)
    return user


def mark_verified(user, mobile, now=None):
    """The account's mobile is `mobile`, verified now, and may receive sign-in codes."""
    now = now or datetime.now(UTC)
    security = current_app.extensions["security"]
    user.mobile = mobile
    user.mobile_verified_at = now
    security.datastore.us_set(
        user, "sms", security.totp_factory.generate_totp_secret(), INDIA_PREFIX + mobile
    )
    user.save()


def purge_expired(now=None):
    """Delete steps past their expiry; how many went."""
    now = now or datetime.now(UTC)
    return PhoneCode.objects(expires_at__lte=now).delete()
