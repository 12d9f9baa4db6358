"""The SMS gateway interface, and its two backends.

`gateway().send(to, text)` delivers one SMS or raises SmsError (the mail task then retries with
backoff). "outbox" (development, tests) delivers nowhere: the outbox, readable at /dev/outbox, is
the phone. "http" posts JSON {to, text, sender, dlt_template_id, dlt_entity_id} with a bearer
token to SMS_GATEWAY_URL, the shape most Indian DLT-registered gateways accept behind a small
adapter.
"""

import json
import urllib.error
import urllib.request

from flask import current_app


class SmsError(Exception):
    """The gateway refused the message or could not be reached."""


class OutboxGateway:
    def send(self, to, text, dlt_template_id=None):
        return None


class HttpGateway:
    def __init__(self, url, token, sender, entity_id=None, timeout=15):
        if not (url or "").startswith(("https://", "http://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) address")
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout
        self.entity_id = entity_id

    def send(self, to, text, dlt_template_id=None):
        payload = {"to": "+91" + to, "text": text, "sender": self.sender}
        if dlt_template_id:  # the DLT registration: the template and the sender entity
            payload.update(dlt_template_id=dlt_template_id, dlt_entity_id=self.entity_id)
        body = json.dumps(payload).encode()
        request = urllib.request.Request(  # noqa: S310 — scheme checked in __init__
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"gateway answered {response.status}")
                return response.read(200).decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(type(error).__name__) from error


def gateway():
    config = current_app.config
    if config.get("SMS_BACKEND") == "http":
        return HttpGateway(
            config["SMS_GATEWAY_URL"],
            config.get("SMS_GATEWAY_TOKEN"),
            config["SMS_SENDER_ID"],
            config.get("SMS_DLT_ENTITY_ID"),
        )
    return OutboxGateway()
