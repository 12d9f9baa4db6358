"""Operators' view of the live stack: /metrics shows the queue length and a latency histogram;
a submission's log line in the web tier and the line of the task it queued in the worker carry
the same request id (JSON lines, LOG_FORMAT=json)."""

import json
import os
import uuid
from pathlib import Path

import requests

from tests.helpers.live_api import submit_grievance, token_headers

from live import wait_for


def _lines(path, request_id):
    found = []
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        if request_id in line:
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def test_metrics_show_queue_lengths_and_latency_histograms(base_url):
    requests.get(f"{base_url}/services", timeout=10)
    body = requests.get(f"{base_url}/metrics", timeout=10).text
    assert 'portal_queue_length{queue="celery"}' in body
    assert "portal_http_request_duration_seconds_bucket{" in body
    assert 'endpoint="services.index"' in body


def test_a_submission_and_its_task_log_the_same_request_id(base_url):
    log_dir = os.environ["LIVE_LOG_DIR"]
    request_id = f"itest-{uuid.uuid4().hex}"
    headers = {**token_headers(base_url, "citizen"), "X-Request-ID": request_id}
    number = submit_grievance(base_url, headers)
    web = lambda: [  # noqa: E731 — read again on each poll
        line for line in _lines(f"{log_dir}/web.log", request_id) if number in line["message"]
    ]
    task = lambda: [  # noqa: E731
        line
        for line in _lines(f"{log_dir}/worker.log", request_id)
        if "processed" in line["message"]
    ]
    assert wait_for(lambda: web() and task(), timeout=30), "no matching web and worker lines"
    assert web()[0]["request_id"] == request_id and task()[0]["request_id"] == request_id
    echoed = requests.get(f"{base_url}/healthz", headers={"X-Request-ID": request_id}, timeout=10)
    assert echoed.headers["X-Request-ID"] == request_id
