"""`make run` keeps the system up and stops all of it.

scripts/run.sh on servers of the test stack (its own database, Redis database and port, logs in
a temporary directory): a Celery worker killed with SIGKILL is restarted with a line saying so
and the stack reports healthy again; SIGTERM to run.sh, started in the background, ends every
process it started.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from live import wait_for

ROOT = Path(__file__).resolve().parents[2]
PORT = 5078


def _pids(pattern):
    found = subprocess.run(  # noqa: S603 — fixed arguments
        [shutil.which("pgrep"), "-f", pattern], capture_output=True, text=True, check=False
    )
    return {int(pid) for pid in found.stdout.split()}


def _main_pids(pattern):
    """The matching processes whose parent does not match: Celery's main process, not the
    pool children it forked (same command line)."""
    pids = _pids(pattern)

    def parent(pid):
        try:
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            return None

    return {pid for pid in pids if parent(pid) not in pids}


def _workers():
    try:
        body = requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=5).json()
    except (requests.RequestException, ValueError):
        return 0
    return body.get("workers", 0)


@pytest.fixture
def run_sh(tmp_path):
    uri = os.environ.get("MONGODB_URI")
    redis_url = os.environ.get("REDIS_URL")
    if not uri or not redis_url:
        pytest.fail("MONGODB_URI and REDIS_URL are not set: run this tier through `make test`")
    env = dict(
        os.environ,
        PORT=str(PORT),
        MONGODB_URI=uri.rsplit("/", 1)[0] + "/police_portal_run_check",
        REDIS_URL=redis_url.rsplit("/", 1)[0] + "/3",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{PORT}",
        LOG_DIR=str(tmp_path / "log"),
    )
    stderr = tmp_path / "run.stderr"
    process = subprocess.Popen(  # noqa: S603 — our own script, fixed arguments
        [shutil.which("bash"), "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr.open("w"),
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # in the background, as `make run &` would be
    )
    try:
        yield process, stderr
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for pattern in (f"127.0.0.1:{PORT}", f"-{PORT}@"):
            for pid in _pids(pattern):
                os.kill(pid, signal.SIGKILL)


def test_a_killed_worker_is_restarted_and_sigterm_stops_everything(run_sh):
    process, stderr = run_sh
    assert wait_for(lambda: _workers() >= 2, timeout=120), stderr.read_text()
    (worker,) = _main_pids(f"worker-{PORT}@")  # the supervisor's child
    os.kill(worker, signal.SIGKILL)
    assert wait_for(lambda: "worker exited" in stderr.read_text(), timeout=30)
    assert wait_for(lambda: _main_pids(f"worker-{PORT}@") - {worker}, timeout=60)
    assert wait_for(lambda: _workers() >= 2, timeout=60), stderr.read_text()
    assert process.poll() is None  # the stack stayed up

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=90)
    time.sleep(1)
    assert not _pids(f"127.0.0.1:{PORT}") and not _pids(f"-{PORT}@"), "left running"
