"""Developer tools, registered only where MAIL_OUTBOX_VIEW is on: the mail outbox in a browser,
and the development payment gateway's page (services.payments)."""

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import auth_required

from app.models import OutboxMessage, ServiceRequest
from app.models.base import stored_id
from app.services import fees, payments

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


@bp.route("/pay/<number>", methods=["GET", "POST"])
@auth_required("session")
def pay(number):
    """The development payment gateway's page: the applicant "pays" their request's fee."""
    found = ServiceRequest.objects(number=number.upper()[:40]).first()
    if found is None or found.applicant is None or stored_id(found, "applicant") != current_user.id:
        abort(404)
    gateway = payments.gateway()
    if gateway is None or found.fee is None or not found.fee.outstanding:
        abort(404)
    if request.method == "POST":
        try:
            gateway.confirm(found)
        except fees.FeeError as error:
            flash(" ".join(str(m) for m in error.errors.values()), "error")
        else:
            flash(_("Payment received. Thank you."), "success")
        return redirect(url_for("tracking.detail", number=found.number))
    return render_template("dev/pay.html", request_=found)
