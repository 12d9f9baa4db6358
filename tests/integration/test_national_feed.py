"""Two instances on two ports and two databases: the live stack is a state portal; this test
starts a central (NCRB) portal on its own database, which pulls the state's signed register feed.
A stolen vehicle recorded and published in the state's admin is then found through the central
national search. Two more "states" test the edges: one that is down, and one whose feed fails
half way (the pull resumes from its last good page once it recovers).
"""

import base64
import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pymongo
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.helpers.live_api import DEMO

from live import Browser, wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RUN = f"{os.getpid() % 10000:04d}"  # numbers of this run's vehicle, so a re-run finds one entry
VEHICLE = {
    "registration": f"HR55AX{RUN}",
    "chassis": f"MBLHA10AMFHJ1{RUN}",
    "engine": f"HA10EFFHJ5{RUN}",
    "make_model": "Hero Splendor Plus",
    "colour": "Black",
    "stolen_on": "2026-11-20",
    "stolen_from": "Outside the Sector 29 metro station",
    "fir_number": "0077/2026",
    "owner_name": "Deepak Yadav",
    "owner_mobile": "9812000077",
}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HalfFailingFeed:
    """State "XX": page one is good, page two answers 500 until `recover()`."""

    def __init__(self):
        self.key = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
        self.failing = True
        self.asked = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 — http.server's name
                after = int(parse_qs(urlparse(self.path).query).get("after", ["0"])[0])
                feed.asked.append(after)
                if after >= 2 and feed.failing:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = feed.page(after)
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def public_key(self):
        return base64.b64encode(self.key.public_key().public_bytes_raw()).decode()

    def item(self, seq):
        return {
            "id": f"xx{seq}",
            "seq": seq,
            "state": "XX",
            "kind": "stolen_vehicle",
            "station": "XX-ONE",
            "published_at": "2026-11-25T10:00:00Z",
            "fields": {"registration": {"label": {"en": "Registration number", "hi": "पंजीकरण संख्या"},
                                        "value": {"en": f"XX01AA000{seq}", "hi": f"XX01AA000{seq}"}}},
            "search_text": "",
            "vehicle_keys": [f"XX01AA000{seq}"],
            "withdrawn": False,
        }  # fmt: skip

    def page(self, after):
        items = [self.item(s) for s in (1, 2)] if after < 2 else [self.item(3)]
        body = {"items": items, "next": items[-1]["seq"], "more": after < 2}
        signed = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return {**body, "signature": base64.b64encode(self.key.sign(signed.encode())).decode()}

    def recover(self):
        self.failing = False

    def close(self):
        self.server.shutdown()


@pytest.fixture
def central(base_url, tmp_path):
    """A central instance: gunicorn on its own port and its own database."""
    port = _free_port()
    half = HalfFailingFeed()
    state_key = requests.get(f"{base_url}/verify/public-key.pem", timeout=10).text
    base = os.environ["MONGODB_URI"].rsplit("/", 1)[0]
    db_name = f"police_portal_central_{os.getpid()}"
    feeds = [
        {"state": "HR", "url": base_url, "public_key": state_key},
        {"state": "DL", "url": f"http://127.0.0.1:{_free_port()}", "public_key": half.public_key()},
        {"state": "XX", "url": half.url, "public_key": half.public_key()},
    ]
    env = dict(
        os.environ,
        MONGODB_URI=f"{base}/{db_name}",
        REDIS_URL=os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/5",
        APP_CONFIG="development",
        DEPLOYMENT_LEVEL="central",
        CENTRAL_FEEDS=json.dumps(feeds),
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(  # noqa: S603 — our own CLI
        [str(BIN / "flask"), "--app", "app", "seed", "--no-demo-requests"],
        env=env, cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    log = open(tmp_path / "central-web.log", "wb")  # noqa: SIM115 — closed below
    web = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(url + "/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    assert wait_for(up, timeout=60), (tmp_path / "central-web.log").read_text()[-2000:]

    def pull():
        done = subprocess.run(  # noqa: S603
            [str(BIN / "flask"), "--app", "app", "central-pull"],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        # "HR: 3 stored" per state → {"HR": 3}
        rows = (line.split(": ") for line in done.stdout.strip().splitlines())
        return {state: int(text.split()[0]) for state, text in rows}

    database = pymongo.MongoClient(env["MONGODB_URI"]).get_default_database()
    yield {"url": url, "pull": pull, "half": half, "db": database}
    web.terminate()
    web.wait(timeout=30)
    log.close()
    half.close()
    database.client.drop_database(db_name)


def _publish_stolen_vehicle(base_url):
    officer = Browser(base_url)
    account = DEMO["officer.sector29"]
    assert officer.login(account["email"], account["password"]).status_code == 302
    path = "/admin/registers_admin/new?kind=stolen_vehicle"
    made = officer.post_form(path, dict(VEHICLE, station="HR-GGM-SEC29"))
    assert made.status_code == 302, made.text[-500:]
    detail = made.headers["Location"].replace(base_url, "")
    sho = Browser(base_url)
    account = DEMO["sho.sector29"]
    assert sho.login(account["email"], account["password"]).status_code == 302
    assert sho.post_form(f"{detail}/publish", {}, detail).status_code == 302


def test_a_vehicle_stolen_in_one_state_is_found_through_the_central_search(
    base_url, central, reset_rate_limits
):
    _publish_stolen_vehicle(base_url)
    # Public on the state portal, without the owner's details.
    state_api = requests.get(
        f"{base_url}/api/v1/registers/stolen_vehicle?registration=hr55ax{RUN}", timeout=10
    ).json()
    assert [i["fields"]["make_model"] for i in state_api["items"]] == ["Hero Splendor Plus"]

    first = central["pull"]()
    assert first["HR"] >= 1 and first["DL"] == 0 and first["XX"] == 2
    cursors = {c["_id"]: c for c in central["db"].feed_cursors.find()}
    assert "unreachable" in cursors["DL"]["last_error"]
    assert cursors["XX"]["last_error"] == "HTTP 500" and cursors["XX"]["after"] == 2
    assert cursors["HR"].get("last_error") is None

    page = requests.get(
        central["url"] + "/national-search",
        params={"kind": "stolen_vehicle", "chassis": f"mblha10amfhj1{RUN}"},
        timeout=10,
    ).text
    assert "Hero Splendor Plus" in page and "HR-GGM-SEC29" in page and "Deepak Yadav" not in page
    found = requests.get(
        central["url"] + "/api/v1/national/registers/stolen_vehicle",
        params={"registration": f"HR55AX{RUN}"},
        timeout=10,
    ).json()
    assert [i["state"] for i in found["items"]] == ["HR"]

    # The half-failing state recovers: the next pull starts from its last good page.
    central["half"].asked.clear()
    central["half"].recover()
    again = central["pull"]()
    assert again["XX"] == 1 and central["half"].asked[0] == 2
    assert again["HR"] == 0  # nothing new, nothing twice
    assert central["db"].central_entries.count_documents({"state": "XX"}) == 3
    # A state portal has no national search.
    assert requests.get(base_url + "/national-search", timeout=10).status_code == 404
