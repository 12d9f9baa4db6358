"""Accounts and request security: Flask-Security wiring, sessions, CSRF, headers, rate limits.

init_security(app) binds all of it; the account rules themselves live in services.accounts.
"""

from flask_security import MongoEngineUserDatastore, Security, user_registered

from app import db
from app.i18n import current_language
from app.models import Role, User
from app.services import accounts

from .api_keys import init_api_keys
from .audit import init_audit
from .csrf import init_csrf
from .forms import PortalRegisterForm
from .headers import init_headers
from .limits import init_limits
from .mailer import OutboxMailUtil
from .passwords import PortalPasswordUtil
from .reset import init_reset
from .sessions import init_sessions
from .signin_codes import PortalSigninForm, SingleUseTotp, configure, init_signin_codes
from .twofactor import init_twofactor


class PortalUserDatastore(MongoEngineUserDatastore):
    """Flask-Security's datastore with case-insensitive lookups in a form FerretDB accepts
    (and, for email, answers from an index)."""

    def find_user(self, case_insensitive=False, **kwargs):
        if case_insensitive:
            if any(value is None for value in kwargs.values()):
                return None
            if set(kwargs) == {"email"}:  # sign-in, registration, reset: by the indexed key
                return User.with_email(kwargs["email"]).first()
            kwargs = {key: db.iexact(value) for key, value in kwargs.items()}
        return super().find_user(case_insensitive=False, **kwargs)


datastore = PortalUserDatastore(None, User, Role)


def _on_registered(app, user, form_data=None, **_):
    accounts.complete_registration(user, form_data or {}, language=current_language())


def init_security(app):
    init_csrf(app)
    configure(app)
    Security(
        app,
        datastore,
        register_form=PortalRegisterForm,
        us_signin_form=PortalSigninForm,
        totp_cls=SingleUseTotp,
        mail_util_cls=OutboxMailUtil,
        password_util_cls=PortalPasswordUtil,
    )
    init_sessions(app)
    init_reset(app)  # before the limits wrap the view, so the limit counts every attempt
    limiter = init_limits(app)
    init_api_keys(app, limiter)
    init_headers(app)
    init_twofactor(app)
    init_signin_codes(app)
    init_audit(app)
    user_registered.connect(_on_registered, app)
