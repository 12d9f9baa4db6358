"""The Citizens Charter clock on the live stack: a one-minute service, two beat processes.

The state administrator publishes a service whose every limit is one minute (through the API, as
an administrator would); three requests are left untouched. The stack's beat sweeps every
SWEEP_INTERVAL_SECONDS (3 on the test stack, where a minute of a limit lasts SLA_MINUTE_SECONDS,
8); a second beat started here must wait on RedBeat's lock and schedule nothing. Each request must
climb designated → competent → appellate exactly once per tier, and each tier's officer and the
applicant hear of it once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.helpers.live_api import DEMO, token_headers
from tests.helpers.service_data import valid_data

from live import one_minute_service, wait_for

ROOT = Path(__file__).resolve().parents[2]


def _second_beat(tmp_path):
    log = open(tmp_path / "beat2.log", "w")  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(  # noqa: S603 — our own celery, fixed arguments
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "app.worker",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(tmp_path / "beat2-schedule"),
            "--pidfile=",
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def _uploader(base_url, headers):
    from tests.helpers.service_data import BY_MIME

    def upload(mime):
        response = requests.post(
            base_url + "/api/v1/uploads",
            headers=headers,
            files={"file": ("f", BY_MIME[mime], mime)},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    return upload


def test_an_untouched_request_climbs_the_chain_once_per_tier_with_two_beats(
    base_url, mongo, reset_rate_limits, tmp_path
):
    admin = token_headers(base_url, "admin.haryana")
    definition = one_minute_service()
    put = requests.put(
        base_url + "/api/v1/services/noise_check", headers=admin, json=definition, timeout=10
    )
    assert put.status_code in (200, 201), put.text

    beat, log = _second_beat(tmp_path)
    try:
        citizen = token_headers(base_url, "citizen")
        numbers = []
        for _ in range(3):
            data = valid_data(definition, _uploader(base_url, citizen))
            created = requests.post(
                base_url + "/api/v1/requests",
                headers=citizen,
                timeout=10,
                json={"service": "noise_check", "data": data},
            )
            assert created.status_code == 201, created.text
            numbers.append(created.json()["number"])
        started = time.monotonic()

        def climbed(level):
            rows = list(mongo.service_requests.find({"number": {"$in": numbers}}))
            return len(rows) == 3 and all(r.get("escalation_level") == level for r in rows)

        assert wait_for(lambda: climbed(1), timeout=150, interval=2), "not escalated to tier 1"
        first = time.monotonic() - started
        assert wait_for(lambda: climbed(2), timeout=150, interval=2), "not escalated to tier 2"
        # Let both beats sweep a few more times: nothing may happen twice.
        time.sleep(3 * int(os.environ.get("SWEEP_INTERVAL_SECONDS", "60")) + 2)
    finally:
        beat.send_signal(signal.SIGTERM)
        beat.wait(timeout=20)
        log.close()

    assert first < 150
    users = {u["email"]: u["_id"] for u in mongo.users.find({}, {"email": 1})}
    for number in numbers:
        request = mongo.service_requests.find_one({"number": number})
        assert [e["level"] for e in request["escalations"]] == [1, 2], number
        assert request.get("escalate_at") is None  # the top: nothing higher
        for who, count in (("acp.gurugram", 1), ("admin.haryana", 1), ("citizen", 2)):
            found = mongo.notifications.count_documents(
                {"number": number, "event": "escalated", "recipient": users[DEMO[who]["email"]]}
            )
            assert found == count, (number, who, found)
    # RedBeat's lock: the second beat waited for it all along and scheduled nothing.
    second = (tmp_path / "beat2.log").read_text()
    assert "beat: Starting..." in second and "Sending due task" not in second
