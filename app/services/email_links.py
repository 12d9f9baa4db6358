"""An email added to an account joins it only when the link mailed to it is opened.

So an address typed at registration by mobile (or later) cannot be held by someone who does not
read it: until the link is opened the account has no email, and the address stays free for its
owner. The link is signed (itsdangerous, with SECRET_KEY), names the account and the address,
and lives for LINK_MAX_AGE.
"""

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.models import User

from . import audit, mail, notice_templates

LINK_MAX_AGE = 2 * 24 * 3600
SALT = "add-email"


class EmailLinkError(ValueError):
    """The link is broken, expired, or its address was taken meanwhile."""


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def send(user, email):
    """Mail `email` a link that adds it to `user`."""
    token = _serializer().dumps({"u": str(user.fs_uniquifier), "e": email})
    link = url_for("accounts.confirm_email", token=token, _external=True)
    subject, body = notice_templates.render("add_email", "email", user.language, link=link)
    mail.queue_email(to=email, subject=subject, body_text=body, template="add_email")


def confirm(token):
    """The account the link's address was added to; EmailLinkError if it cannot be."""
    try:
        data = _serializer().loads(str(token or ""), max_age=LINK_MAX_AGE)
    except BadSignature:
        raise EmailLinkError(_l("This link is broken or has expired.")) from None
    user = User.objects(fs_uniquifier=str(data.get("u"))).first()
    email = str(data.get("e") or "")
    if user is None or not email:
        raise EmailLinkError(_l("This link is broken or has expired."))
    if user.email and user.email.lower() == email.lower():
        return user
    if User.with_email(email).first() is not None:
        raise EmailLinkError(_l("This email address already belongs to an account."))
    user.email = email
    user.save()
    audit.record("email_added", actor=user, target=user, state=user.state)
    return user
