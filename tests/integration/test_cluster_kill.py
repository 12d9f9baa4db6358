"""The cluster loses nothing when machines die: `scripts/cluster.sh` (nginx, two nodes, each with
gunicorn, Celery workers and a beat) on the live FerretDB and Redis, and three rounds of a burst
of submissions and transitions through nginx while one web instance, one worker and the
scheduling beat are killed with SIGKILL (the supervisor restarts them, as systemd would).

After each round: every acknowledged submission exists exactly once, every request escalated
exactly once per tier (the noise_check service's limits are one "minute" of 8 s), nobody was
notified of anything twice, and exactly one beat scheduled at any time. The figures are printed.
"""

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymongo
import pytest
import requests

from tests.helpers.live_api import DEMO, token_headers
from tests.helpers.service_data import BY_MIME, valid_data

from live import one_minute_service, wait_for

ROOT = Path(__file__).resolve().parents[2]
BURST = 24  # submissions per round
THREADS = 4
RETRIES = 6  # a client's attempts at one call through a 502 or a dropped connection


def _free_ports(count):
    """`count` consecutive free ports (nginx's and the two nodes')."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            held = []
            for port in range(first, first + count):
                sock = socket.socket()
                held.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise RuntimeError("no free ports")


class Cluster:
    def __init__(self, tmp):
        self.dir = tmp / "cluster"
        self.port = _free_ports(3)
        self.url = f"http://127.0.0.1:{self.port}"
        base = os.environ["MONGODB_URI"].rsplit("/", 1)[0]
        self.db_name = f"police_portal_cluster_{os.getpid()}"
        redis_base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
        self.env = dict(
            os.environ,
            MONGODB_URI=f"{base}/{self.db_name}",
            REDIS_URL=f"{redis_base}/3",  # its own broker, schedule and lock
            CLUSTER_PORT=str(self.port),
            CLUSTER_DIR=str(self.dir),
            UPLOAD_DIR=str(tmp / "uploads"),
            PUBLIC_BASE_URL=self.url,
            WEB_WORKERS="1",
            WORKER_CONCURRENCY="2",
            BEAT_LOCK_SECONDS="10",
            CELERY_VISIBILITY_TIMEOUT="10",
            EVENT_REQUEUE_AFTER_SECONDS="5",
            UPLOAD_DAILY_FILES="2000",
            UPLOAD_DAILY_BYTES=str(500 * 1024 * 1024),
        )
        self.process = None
        self.log = None

    def start(self):
        self.log = open(self.dir.parent / "cluster.log", "w")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 — our own script
            [str(ROOT / "scripts" / "cluster.sh")],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        ready = wait_for(lambda: (self.dir / "ready").exists() or self.process.poll() is not None,
                         timeout=180, interval=0.5)  # fmt: skip
        if not (self.dir / "ready").exists():
            self.stop()
            tail = (self.dir.parent / "cluster.log").read_text()[-3000:]
            pytest.fail(f"the cluster did not start ({ready}):\n{tail}")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.log:
            self.log.close()

    def pid(self, node, name):
        return int((self.dir / node / f"{name}.pid").read_text())

    def kill(self, node, name):
        """SIGKILL the process and its children: the machine it ran on is gone."""
        pid = self.pid(node, name)
        for victim in [pid, *_children(pid)]:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return pid

    def beat_log(self, node):
        return (self.dir / node / "beat.log").read_text(errors="replace")


def _children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


SENT = re.compile(
    r"^\[?.*?(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+.*Sending due task deadlines-sweep", re.M
)


def _sweeps_sent(log, after):
    """Times (text) at which this beat log queued the deadline sweep, from offset `after`."""
    return SENT.findall(log[after:])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    client = pymongo.MongoClient(cluster.env["MONGODB_URI"], serverSelectionTimeoutMS=5000)
    client.drop_database(cluster.db_name)
    cluster.start()
    try:
        admin = token_headers(cluster.url, "admin.haryana")
        put = requests.put(
            cluster.url + "/api/v1/services/noise_check",
            headers=admin,
            json=one_minute_service(),
            timeout=20,
        )
        assert put.status_code in (200, 201), put.text
        cluster.mongo = client[cluster.db_name]
        yield cluster
    finally:
        cluster.stop()
        client.drop_database(cluster.db_name)
        client.close()


class Client:
    """A careful API client: a call that fails in transit (502, connection dropped) is tried
    again; a submission keeps its Idempotency-Key across tries."""

    def __init__(self, url, headers):
        self.url, self.headers = url, headers
        self.retries = 0
        self.lock = threading.Lock()

    def call(self, method, path, **kwargs):
        for attempt in range(RETRIES):
            try:
                response = requests.request(
                    method, self.url + path, headers=kwargs.pop("headers", self.headers),
                    timeout=30, **kwargs,
                )  # fmt: skip
            except requests.RequestException:  # dropped, cut off mid-body, timed out
                response = None
            if response is not None and response.status_code not in (502, 503, 504):
                return response
            with self.lock:
                self.retries += 1
            time.sleep(0.5 * (attempt + 1))
        return response

    def upload(self, mime):
        sent = self.call("POST", "/api/v1/uploads", files={"file": ("f", BY_MIME[mime], mime)})
        assert sent is not None and sent.status_code == 201, sent and sent.text
        return sent.json()["id"]

    def submit(self, definition):
        body = {"service": "noise_check", "data": valid_data(definition, self.upload)}
        headers = dict(self.headers, **{"Idempotency-Key": uuid.uuid4().hex})
        response = self.call("POST", "/api/v1/requests", json=body, headers=headers)
        if response is not None and response.status_code in (200, 201):
            return response.json()["number"]
        return None


def _round(cluster, round_no, report):
    mongo = cluster.mongo
    definition = one_minute_service()
    citizen = Client(cluster.url, token_headers(cluster.url, "citizen"))
    officer = Client(cluster.url, token_headers(cluster.url, "officer.sector29"))
    web_node, worker_node = ("node1", "node2") if round_no % 2 else ("node2", "node1")
    offsets = {node: len(cluster.beat_log(node)) for node in ("node1", "node2")}
    holder = wait_for(
        lambda: next((n for n in offsets if _sweeps_sent(cluster.beat_log(n), offsets[n])), None),
        timeout=20,
    )
    assert holder, "no beat is scheduling the sweep"
    standby = "node2" if holder == "node1" else "node1"
    assert not _sweeps_sent(cluster.beat_log(standby), offsets[standby]), "two beats schedule"

    acknowledged, transitions, killed = [], Counter(), {}
    started = time.monotonic()

    def one(index):
        if index == BURST // 3:
            killed["web"] = cluster.kill(web_node, "web")
        if index == BURST // 2:
            killed["worker"] = cluster.kill(worker_node, "worker")
            killed["beat"] = cluster.kill(holder, "beat")
            killed["beat_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        number = citizen.submit(definition)
        if number is None:
            return
        acknowledged.append(number)
        if index % 4 == 0:  # the citizen withdraws it at once
            done = citizen.call("POST", f"/api/v1/requests/{number}/transitions",
                                json={"action": "withdraw"})  # fmt: skip
            transitions[
                "withdraw" if done is not None and done.status_code == 200 else "unanswered"
            ] += 1
        elif index % 4 == 1:  # the station officer accepts it for verification
            done = officer.call("POST", f"/api/v1/requests/{number}/transitions",
                                json={"action": "accept"})  # fmt: skip
            transitions[
                "accept" if done is not None and done.status_code == 200 else "unanswered"
            ] += 1

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(one, range(BURST)))
    burst_seconds = time.monotonic() - started
    assert set(killed) == {"web", "worker", "beat", "beat_at"}

    # Exactly once: each acknowledged number is one stored request; nothing else was stored.
    found = list(mongo.service_requests.find({"number": {"$in": acknowledged}}))
    numbers = Counter(r["number"] for r in found)
    duplicates = sum(count - 1 for count in numbers.values())
    assert len(set(acknowledged)) == len(acknowledged) == len(numbers), "a number twice"
    assert duplicates == 0
    assert len(acknowledged) >= BURST - 2, f"only {len(acknowledged)} of {BURST} acknowledged"

    withdrawn = {r["number"] for r in found if r["status"] == "withdrawn"}
    climbing = [n for n in acknowledged if n not in withdrawn]

    def climbed():
        rows = mongo.service_requests.find({"number": {"$in": climbing}}, {"escalation_level": 1})
        return all(r.get("escalation_level") == 2 for r in rows)

    assert wait_for(climbed, timeout=150, interval=2), "not every request reached tier 2"
    time.sleep(8)  # a few more sweeps: nothing may happen twice

    escalations = applied = 0
    for request in mongo.service_requests.find({"number": {"$in": acknowledged}}):
        levels = [e["level"] for e in request.get("escalations", [])]
        assert len(levels) == len(set(levels)) and levels == sorted(levels), request["number"]
        if request["number"] not in withdrawn:
            assert levels == [1, 2], (request["number"], levels)
        actions = Counter(h.get("action") for h in request.get("history", []))
        # At most once, and once for every step the client saw acknowledged; a step whose
        # answer was lost with its web instance ("unanswered") was applied once or not at all.
        assert actions["withdraw"] <= 1 and actions["accept"] <= 1, (request["number"], actions)
        applied += actions["withdraw"] + actions["accept"]
        escalations += len(levels)

    # Notified once: no recipient has the same text about the same request twice, and there is
    # one outbox message per notification key.
    ids = {r["_id"] for r in found}
    in_app = Counter(
        (n["number"], str(n["recipient"]), n["text"])
        for n in mongo.notifications.find({"number": {"$in": acknowledged}})
    )
    twice_in_app = sum(count - 1 for count in in_app.values())
    outbox = Counter(
        m["key"]
        for m in mongo.outbox.find({"key": {"$regex": "^[0-9a-f]{24}:"}}, {"key": 1})
        if m["key"].split(":", 1)[0] in {str(i) for i in ids}
    )
    twice_mailed = sum(count - 1 for count in outbox.values())
    users = {u["email"]: u["_id"] for u in mongo.users.find({}, {"email": 1})}
    for number in climbing:
        for who, count in (("acp.gurugram", 1), ("admin.haryana", 1), ("citizen", 2)):
            got = mongo.notifications.count_documents(
                {"number": number, "event": "escalated", "recipient": users[DEMO[who]["email"]]}
            )
            assert got == count, (number, who, got)
    # Name what came twice, so a failure says which notice (and so which path) repeated.
    assert twice_in_app == 0 and twice_mailed == 0, (
        [key for key, count in in_app.items() if count > 1][:5],
        [key for key, count in outbox.items() if count > 1][:5],
    )
    assert transitions["withdraw"] + transitions["accept"] <= applied

    # One beat at a time: before the kill only the holder queued sweeps; after it exactly one
    # other beat did: the standby, or the holder's restarted process, whichever took the lock.
    kill_at = killed["beat_at"]
    standby_sends = _sweeps_sent(cluster.beat_log(standby), offsets[standby])
    assert all(at >= kill_at for at in standby_sends), "the standby scheduled before the kill"
    holder_log = cluster.beat_log(holder)[offsets[holder] :]
    before_kill, _, restarted = holder_log.partition("beat: Starting...")
    assert all(at <= kill_at for at in SENT.findall(before_kill))
    restarted_sends = SENT.findall(restarted)
    assert bool(standby_sends) != bool(restarted_sends), "not exactly one beat took over"
    first_after = min(standby_sends or restarted_sends)
    takeover = time.mktime(time.strptime(first_after, "%Y-%m-%d %H:%M:%S")) - time.mktime(
        time.strptime(kill_at, "%Y-%m-%d %H:%M:%S")
    )
    figures = {
        "round": round_no,
        "sent": BURST,
        "acknowledged": len(acknowledged),
        "found": len(numbers),
        "duplicates": duplicates,
        "transitions": dict(transitions),
        "transitions_applied": applied,
        "escalations": escalations,
        "notified_twice": twice_in_app + twice_mailed,
        "client_retries": citizen.retries + officer.retries,
        "killed": {"web": web_node, "worker": worker_node, "beat": holder},
        "beat_takeover_seconds": takeover,
        "burst_seconds": round(burst_seconds, 1),
    }
    report("cluster kill round " + json.dumps(figures))
    return figures


@pytest.mark.parametrize("round_no", [1, 2, 3])
def test_a_burst_survives_killed_web_worker_and_beat(cluster, round_no, capsys):
    def report(line):
        with capsys.disabled():  # the figures belong in the tier's output, pass or fail
            print("\n" + line, flush=True)

    _round(cluster, round_no, report)
