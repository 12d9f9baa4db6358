"""Developer tools, registered only where MAIL_OUTBOX_VIEW is on: the mail outbox in a browser."""

import re

from flask import Blueprint, abort, render_template

from app.models import OutboxMessage

bp = Blueprint("dev", __name__, url_prefix="/dev")

LINK_RE = re.compile(r"https?://[^\s<>\"']+")


@bp.app_template_filter("extract_links")
def extract_links(text):
    """The http(s) links in a message body, so a developer can follow them with one click."""
    return list(dict.fromkeys(LINK_RE.findall(text or "")))


@bp.get("/outbox")
def outbox():
    messages = OutboxMessage.objects.order_by("-created_at").limit(100)
    return render_template("dev/outbox.html", messages=messages)


@bp.get("/outbox/<message_id>")
def outbox_message(message_id):
    if len(message_id) != 24 or any(c not in "0123456789abcdef" for c in message_id):
        abort(404)
    message = OutboxMessage.objects(id=message_id).first() or abort(404)
    return render_template("dev/outbox_message.html", message=message)
