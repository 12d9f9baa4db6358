"""Flask-Security's mail hook: account emails go to the outbox like every other message, in the
words an administrator keeps for them (services.notice_templates), in the account's language.

Flask-Security renders its own templates first; for the mails listed in WORDED those are
replaced by the portal's wording (the link Flask-Security made is filled into it). Any other
mail (a two-factor rescue request, which goes to the help desk) is sent as Flask-Security wrote it.
"""

from flask_babel import get_locale
from flask_security import MailUtil

from app.services import mail, notice_templates

# Flask-Security's template → (kind of notice, the context entry holding the link it carries).
WORDED = {
    "welcome": ("account_welcome", "confirmation_link"),
    "welcome_existing": ("account_exists", "reset_link"),
    "confirmation_instructions": ("account_confirm", "confirmation_link"),
    "reset_instructions": ("password_reset", "reset_link"),
    "reset_notice": ("password_reset_notice", None),
    "change_notice": ("password_changed", None),
}


def _language(user):
    chosen = getattr(user, "language", None)
    if chosen in notice_templates.LANGUAGES:
        return chosen
    locale = get_locale()
    return locale.language if locale and locale.language in notice_templates.LANGUAGES else "en"


class OutboxMailUtil(MailUtil):
    def send_mail(self, template, subject, recipient, sender, body, html, **kwargs):
        if isinstance(recipient, tuple):
            recipient = recipient[1]
        name = str(template).rpartition("/")[2]  # Flask-Security passes "security/email/<name>"
        if name in WORDED:
            kind, link = WORDED[name]
            user = kwargs.get("user")
            subject, body = notice_templates.render(
                kind,
                "email",
                _language(user),
                email=str(recipient),
                link=kwargs.get(link, "") if link else "",
            )
            html = None  # the wording is plain text; a second, stale HTML copy would disagree
        mail.queue_email(
            to=str(recipient),
            subject=str(subject),
            body_text=body,
            body_html=html,
            template=template,
        )
