"""/api/v1 notifications of the signed-in user."""

from flask import jsonify
from flask_login import current_user

from app.models import Notification
from app.services import (
    notify,
)

from .core import _iso, api_doc, bp, login_required


@bp.get("/notifications")
@login_required
@api_doc(
    "The caller's notifications",
    tag="Notifications",
    auth="user",
    responses={200: "Notifications"},
    errors=(401,),
)
def notifications():
    """The caller's in-app notifications, newest first (cursor: ?before=<created_at ISO>)."""
    items = Notification.objects(recipient=current_user.id).order_by("-created_at").limit(50)
    return jsonify(
        {
            "unread": notify.unread_count(current_user),
            "items": [
                {
                    "number": n.number,
                    "event": n.event,
                    "text": n.text,
                    "created_at": _iso(n.created_at),
                    "read": n.read_at is not None,
                }
                for n in items
            ],
        }
    )


@bp.post("/notifications/read")
@login_required
@api_doc(
    "Mark every notification read",
    tag="Notifications",
    auth="user",
    responses={200: "Unread"},
    errors=(401,),
)
def notifications_read():
    from datetime import UTC, datetime

    Notification.objects(recipient=current_user.id, read_at=None).update(
        set__read_at=datetime.now(UTC)
    )
    return jsonify({"unread": 0})
