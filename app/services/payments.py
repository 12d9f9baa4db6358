"""The online payment gateway interface, and its development backend.

No real gateway (PayGov India, a state treasury's e-GRAS, a bank's PG) is built here. A gateway
is an object with

    checkout_url(request) -> str    where the applicant pays the request's outstanding fee
    confirm(request, reference)     called by the gateway's return or callback view once the
                                    gateway's own signature on the result has been checked;
                                    records the payment (services.fees.record_online)

PAYMENT_BACKEND selects it: "none" (production's default: fees are paid at the station and
recorded by an officer) or "development" (a page under /dev/pay that pretends to be the gateway,
served only where the development tools are, i.e. with MAIL_OUTBOX_VIEW on).
"""

import secrets

from flask import current_app, url_for

from . import fees


class DevelopmentGateway:
    name = "development"

    def checkout_url(self, request):
        return url_for("dev.pay", number=request.number)

    def confirm(self, request, reference=None):
        return fees.record_online(request, reference or f"DEV-{secrets.token_hex(4).upper()}")


def gateway():
    """The configured gateway, or None when fees are paid only at the station."""
    config = current_app.config
    if config.get("PAYMENT_BACKEND") == "development" and config.get("MAIL_OUTBOX_VIEW"):
        return DevelopmentGateway()
    return None
