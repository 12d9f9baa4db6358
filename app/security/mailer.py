"""Flask-Security's mail hook: account emails go to the outbox like every other message."""

from flask_security import MailUtil

from app.services import mail


class OutboxMailUtil(MailUtil):
    def send_mail(self, template, subject, recipient, sender, body, html, **kwargs):
        if isinstance(recipient, tuple):
            recipient = recipient[1]
        mail.queue_email(
            to=str(recipient),
            subject=str(subject),
            body_text=body,
            body_html=html,
            template=template,
        )
