"""Fees as data: what a service charges, who pays nothing, and the step that waits for payment.

A definition may carry

    fee:
      amount: 50                      # whole rupees
      pay_before: approve             # the action that needs the payment recorded first
      exempt:                         # any rule that holds makes it free (forms.rule_holds)
        - {field: dob, op: age_at_least, value: 60, who: {en: senior citizens, hi: ...}}
      note: {en: ..., hi: ...}        # how to pay (optional)

`assess` fixes what a request owes when it is submitted (a later change to the fee does not
reach it, like the rest of its definition). An officer with `requests.process` over the request
records a payment made at the station (receipt and mode); the online gateway (services.payments)
records one made online. `blocks` tells the workflow engine that the definition's `pay_before`
step must wait. A payment is recorded once (a claim), audited, and never edited.
"""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from app.models import ServiceRequest
from app.models.requests import PAYMENT_MODES, Fee

from . import access, audit, claims, forms
from .errors import FieldErrors

OFFICER_MODES = tuple(mode for mode in PAYMENT_MODES if mode != "online")
MODE_LABELS = {
    "cash": _l("Cash at the station"),
    "upi": _l("UPI at the station"),
    "challan": _l("Bank challan / treasury receipt"),
    "online": _l("Online payment"),
}


class FeeError(FieldErrors):
    """A payment cannot be recorded; `errors` names the fields at fault."""


def assess(definition, data, today):
    """The Fee a request with these answers owes, or None for a free service."""
    fee = definition.get("fee")
    if not fee:
        return None
    for rule in fee.get("exempt", []):
        if forms.rule_holds(rule, data, today):
            return Fee(amount=0, exempt_reason=dict(rule["who"]), pay_before=fee.get("pay_before"))
    return Fee(amount=fee["amount"], pay_before=fee.get("pay_before"))


def blocks(request, action):
    """True when `action` must wait for the request's fee to be paid."""
    fee = request.fee
    return fee is not None and fee.outstanding and fee.pay_before == action


def may_record(actor, request):
    return access.may(actor, "requests.process", request)


def record(request, actor, receipt, mode, now=None):
    """An officer records a payment made at the station; returns the updated request."""
    if not may_record(actor, request):
        raise FeeError(
            {"fee": _l("Only an officer of the request's station records payments.")}, 403
        )
    errors = {}
    receipt = " ".join(str(receipt or "").split())[:60]
    if not receipt:
        errors["receipt"] = _l("Enter the receipt or transaction number.")
    if mode not in OFFICER_MODES:
        errors["mode"] = _l("Choose how it was paid.")
    if errors:
        raise FeeError(errors)
    return _paid(request, receipt, mode, actor, now)


def record_online(request, reference, now=None):
    """The payment gateway confirmed a payment of this request's fee."""
    return _paid(request, str(reference)[:60], "online", None, now)


def _paid(request, receipt, mode, actor, now):
    fee = request.fee
    if fee is None or not fee.outstanding:
        raise FeeError({"fee": _l("Nothing is due on this request.")}, 409)
    if not claims.take(f"fee:{request.id}:paid"):  # two officers at once: one payment
        raise FeeError({"fee": _l("This payment was recorded a moment ago.")}, 409)
    now = now or datetime.now(UTC)
    ServiceRequest.objects(id=request.id).update_one(
        set__fee__paid_at=now,
        set__fee__receipt=receipt,
        set__fee__mode=mode,
        set__fee__recorded_by=actor,
    )
    audit.record(
        "fee_paid",
        actor=actor,
        target=request,
        state=request.state,
        amount=fee.amount,
        mode=mode,
    )
    request.reload()
    return request


def describe(definition, language):
    """A service's fee as the charter and the form state it: its amount and who is exempt."""
    fee = definition.get("fee")
    if not fee:
        return None
    return {
        "amount": fee["amount"],
        "exempt": [
            rule["who"].get(language) or rule["who"]["en"] for rule in fee.get("exempt", [])
        ],
    }
