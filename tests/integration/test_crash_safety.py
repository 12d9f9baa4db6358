"""Celery that loses nothing, tested by breaking it: kill -9 a worker mid-task, kill -9 Redis
with work queued, submit while the broker is down.

These tests run their own Redis (append-only, as scripts/servers.sh starts it), their own
database on the live FerretDB, and their own worker and beat processes, so that killing them
disturbs nothing else. FAULT_NOTIFY_PAUSE_SECONDS makes a notification task sleep between its
in-app write and its email/SMS, so the kill lands in the middle of a task.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pymongo
import pytest
import redis

from live import wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

SUBMIT = """
import json, sys
from pathlib import Path
from app import create_app
from app.models import User
from app.services import catalogue, requests, service_types
from tests.helpers.service_data import valid_data

app = create_app()
with app.app_context():
    citizen = User.objects.get(email="citizen@demo.police.example")
    definition = catalogue.load_file(Path(service_types.SERVICE_TYPES_DIR, "grievance.yaml"))
    numbers = []
    for _ in range(int(sys.argv[1])):
        data = valid_data(definition, None)
        numbers.append(requests.submit(citizen, "grievance", data, "HR-GGM-SEC29").number)
    print(json.dumps(numbers))
"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CrashStack:
    """A Redis, a database and the Celery processes of one test, each killable."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.redis_port = _free_port()
        base = os.environ["MONGODB_URI"].rsplit("/", 1)[0]
        self.db_name = f"police_portal_crash_{os.getpid()}"
        self.env = dict(
            os.environ,
            MONGODB_URI=f"{base}/{self.db_name}",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            APP_CONFIG="development",
            CELERY_VISIBILITY_TIMEOUT="5",
            EVENT_REQUEUE_AFTER_SECONDS="5",
            PYTHONPATH=str(ROOT),
        )
        self.processes = []
        self.redis = None

    def start_redis(self):
        (self.tmp / "redis").mkdir(exist_ok=True)
        self.redis = subprocess.Popen(  # noqa: S603, S607 — fixed arguments, Debian's server
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.tmp / "redis"),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis(port=self.redis_port)
        assert wait_for(lambda: _pings(client), timeout=10), "crash-test Redis did not start"

    def kill_redis(self):
        os.killpg(self.redis.pid, signal.SIGKILL)
        self.redis.wait(timeout=10)

    def celery(self, kind, name, **env):
        log = self.tmp / f"{name}.log"
        args = [str(BIN / "celery"), "-A", "app.worker", kind, "--loglevel=INFO"]
        if kind == "worker":
            args += ["--concurrency=1", f"--hostname={name}@%h"]
        else:
            args += ["--schedule", str(self.tmp / f"{name}-schedule"), "--pidfile="]
        process = subprocess.Popen(  # noqa: S603 — fixed arguments
            args,
            cwd=ROOT,
            env=dict(self.env, **env),
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        if kind == "worker":
            assert wait_for(lambda: "ready." in log.read_text(), timeout=60), log.read_text()
        return process

    def submit(self, count):
        result = subprocess.run(  # noqa: S603 — fixed arguments
            [sys.executable, "-c", SUBMIT, str(count)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def seed(self):
        result = subprocess.run(  # noqa: S603 — fixed arguments
            [str(BIN / "flask"), "--app", "app", "seed", "--no-demo-requests"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]

    def stop(self):
        for process in self.processes + ([self.redis] if self.redis else []):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _pings(client):
    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The module's database, seeded once (ten seconds a test otherwise): each test counts only
    the requests it submits."""
    stack = CrashStack(tmp_path_factory.mktemp("crash-seed"))
    stack.start_redis()
    stack.seed()
    stack.stop()
    yield stack.db_name
    client = pymongo.MongoClient(stack.env["MONGODB_URI"], serverSelectionTimeoutMS=3000)
    client.drop_database(stack.db_name)
    client.close()


@pytest.fixture
def stack(tmp_path, seeded):
    stack = CrashStack(tmp_path)
    assert stack.db_name == seeded
    stack.start_redis()
    client = pymongo.MongoClient(stack.env["MONGODB_URI"], serverSelectionTimeoutMS=3000)
    stack.db = client.get_default_database()
    yield stack
    stack.stop()
    client.close()


def _delivered_once(db, number):
    """The submission's in-app notification, email and SMS each exist exactly once."""
    citizen = db.users.find_one({"email": "citizen@demo.police.example"})
    in_app = db.notifications.count_documents({"number": number, "event": "submitted"})
    email = db.outbox.count_documents(
        {"channel": "email", "to": citizen["email"], "body_text": {"$regex": number}}
    )
    sms = db.outbox.count_documents(
        {"channel": "sms", "to": citizen["mobile"], "body_text": {"$regex": number}}
    )
    return in_app, email, sms


def test_a_worker_killed_mid_task_completes_it_after_restart_exactly_once(stack):
    first = stack.celery("worker", "crash-w1", FAULT_NOTIFY_PAUSE_SECONDS="60")
    [number] = stack.submit(1)
    # The task has written the in-app half and sleeps before the email and SMS: kill it there.
    assert wait_for(lambda: _delivered_once(stack.db, number)[0] == 1, timeout=60)
    assert _delivered_once(stack.db, number) == (1, 0, 0)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    stack.celery("worker", "crash-w2")  # no fault: the redelivered task runs through
    assert wait_for(lambda: _delivered_once(stack.db, number) == (1, 1, 1), timeout=90), (
        _delivered_once(stack.db, number)
    )
    time.sleep(7)  # past another visibility timeout: still exactly once
    assert _delivered_once(stack.db, number) == (1, 1, 1)
    request = stack.db.service_requests.find_one({"number": number})
    event = stack.db.request_events.find_one({"request": request["_id"], "event": "submitted"})
    assert event["done_at"] is not None


def test_redis_killed_with_work_queued_and_a_submission_while_it_is_down_lose_nothing(stack):
    queued = stack.submit(3)  # no worker yet: three tasks wait in Redis
    client = redis.Redis(port=stack.redis_port)
    assert client.llen("celery") == 3
    time.sleep(1.5)  # appendfsync everysec
    stack.kill_redis()

    during = stack.submit(1)  # the broker is down: the request is saved all the same
    [number] = during
    assert stack.db.service_requests.count_documents({"number": number}) == 1
    assert stack.db.request_events.count_documents({"event": "submitted", "done_at": None}) == 4

    stack.start_redis()
    assert redis.Redis(port=stack.redis_port).llen("celery") == 3  # the queue survived
    stack.celery("worker", "crash-w3")
    stack.celery("beat", "crash-beat")  # re-queues the event whose task never reached Redis
    for each in queued:
        assert wait_for(lambda n=each: _delivered_once(stack.db, n) == (1, 1, 1), timeout=60)
    assert wait_for(lambda: _delivered_once(stack.db, number) == (1, 1, 1), timeout=120), (
        _delivered_once(stack.db, number)
    )
    assert stack.db.request_events.count_documents({"done_at": None}) == 0
