"""How the portal grows with the number of requests stored, through gunicorn, on FerretDB on
PostgreSQL, beside a bare WSGI baseline on the same server.

    make bench            # starts its own PostgreSQL, FerretDB and Redis under var/bench
    BENCH_SIZES="10000 100000 1000000" make bench

For each size it writes requests through the app's own model (`ServiceRequest(...).to_mongo()`,
bulk-inserted), spread over Haryana's stations, mostly closed, OPEN_PER_STATION open at each
(reached within the first 10,000, so every size has the same open work and a growing history),
flushes the GIN indexes' pending lists and refreshes statistics, then measures:

- through HTTP, the portal under gunicorn (gunicorn.conf.py, 2 processes) and the baseline
  (benchmarks/baseline.py, the same gunicorn settings): the median latency, taking turns, of the
  public status (baseline: find_one by number), the officer's My queue, the admin Requests list,
  the API list and a transition (each on a different open request); an officer's search by a
  name word that one request in SHARED_NAME shares and by a mobile, and the public FIR listing;
- throughput over CONCURRENCY connections for SECONDS, taking turns: public status and
  submission (a grievance through the JSON API; baseline: insert_one of a request-shaped
  document), as requests per second and the portal's share of the baseline's;
- in-process: the minute's sweep idle (median of ROUNDS) and escalating ESCALATE requests (per
  escalation), and the worker time of one submission (processing its `submitted` event: the
  notifications, in-app and queued mail).

Prints figures; asserts nothing. The scratch database (its name must start with "bench") is
dropped first and afterwards.
"""

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from app import create_app

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 9
OPEN_PER_STATION = 150
BATCH = 2000
CONCURRENCY = 8
SECONDS = 4
ESCALATE = 100
SHARED_NAME = 5000  # requests share a name word once in this many
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "8751"))
BASE_PORT = APP_PORT + 1
OFFICER = ("officer.sector29@demo.police.example", "Officer#Demo2026")
CITIZEN = ("citizen@demo.police.example", "Citizen#Demo2026")


def _get(url, **kwargs):
    return requests.get(url, timeout=60, **kwargs)


def _post(url, **kwargs):
    return requests.post(url, timeout=60, **kwargs)


def _median_ms(fn, rounds=ROUNDS):
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _number(index):
    from app.services.numbering import check_character

    body = f"HR-TEN-2025-{index:07d}"
    return f"{body}-{check_character(body)}"


def _fill(target, now):
    from app.models import PoliceStation, ServiceRequest, User
    from app.services import due_hours, request_search, service_types

    collection = ServiceRequest._get_collection()
    have = collection.count_documents({"service": "tenant_verification"})
    stations = [s for s in PoliceStation.objects if s.code.startswith("HR-")]
    citizen = User.objects.get(email=CITIZEN[0])
    live = service_types.live(stations[0].state, "tenant_verification")
    definition = live.definition
    open_now = {
        s.id: ServiceRequest.objects(station=s, is_open=True, service="tenant_verification").count()
        for s in stations
    }
    rows = []
    for index in range(have, target):
        station = stations[index % len(stations)]
        is_open = open_now[station.id] < OPEN_PER_STATION
        open_now[station.id] += is_open
        submitted = now - timedelta(minutes=index % (60 * 24 * 365))
        # Open work falls due over the next ten days: the sweep has nothing to do at `now`.
        escalate = now + timedelta(minutes=1 + index % (60 * 24 * 10)) if is_open else None
        # A name shared by one request in SHARED_NAME, a mobile of its own: searches return a
        # set that grows with the history, as a common name does.
        name, mobile = f"Benchname{index % SHARED_NAME} Kumar", f"98{index:08d}"
        rows.append(
            ServiceRequest(
                number=_number(index),
                service="tenant_verification",
                service_version=live.version,
                state=station.state,
                district=station.district,
                station=station,
                applicant=citizen,
                applicant_name="Bench Applicant",
                status="submitted" if is_open else "verified",
                submitted_at=submitted,
                due_at=escalate or submitted + timedelta(days=15),
                **due_hours.fields("escalate", escalate),
                **due_hours.fields("warn", None),
                closed_at=None if is_open else submitted + timedelta(days=9),
                is_open=is_open,
                data={"tenant_name": name, "tenant_address": "House 1, Sector 29"},
                # What an officer searches by (services.request_search): name words, a mobile.
                search_keys=request_search.keys(definition, {"tenant_name": name}, None, mobile),
            ).to_mongo()
        )
        if len(rows) == BATCH:
            collection.insert_many(rows)
            rows = []
    if rows:
        collection.insert_many(rows)


@contextmanager
def _gunicorn(port, target, env):
    process = subprocess.Popen(  # noqa: S603 — fixed arguments
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", target],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                requests.get(f"http://127.0.0.1:{port}/status/none", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _web_session(base):
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    session.post(
        base + "/login", data={"email": OFFICER[0], "password": OFFICER[1], "csrf_token": token}
    )
    return session


def _token(base, account):
    response = requests.post(
        base + "/login?include_auth_token",
        json={"email": account[0], "password": account[1]},
        timeout=10,
    )
    return {"Authentication-Token": response.json()["response"]["user"]["authentication_token"]}


def _throughput(fn):
    """Calls per second of `fn(session)` from CONCURRENCY threads for SECONDS."""
    counts = [0] * CONCURRENCY
    deadline = time.perf_counter() + SECONDS

    def client(slot):
        session = requests.Session()
        while time.perf_counter() < deadline:
            fn(session)
            counts[slot] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / SECONDS


def _turns(portal, baseline, rounds=3):
    """Median of each over `rounds`, alternating, so neither gets the quieter moments."""
    mine, theirs = [], []
    for _ in range(rounds):
        mine.append(portal())
        theirs.append(baseline())
    return statistics.median(mine), statistics.median(theirs)


def _ok(response, status=200):
    assert response.status_code == status, (response.url, response.status_code, response.text)
    return response


def _grievance():
    return {
        "service": "grievance",
        "station": "HR-GGM-SEC29",
        "data": {
            "full_name": "Bench Citizen",
            "mobile": "9876543210",
            "about": "delay",
            "description": "Benchmark grievance: my verification is taking long.",
        },
    }


def _sweep_figures(app, now):
    from app.models import ServiceRequest
    from app.services import due_hours, sweep

    with app.app_context():
        idle = _median_ms(lambda: sweep.run(now), rounds=5)
        due = now - timedelta(hours=1)
        ids = [
            r.id
            for r in ServiceRequest.objects(
                station=_sector29(), is_open=True, service="tenant_verification", escalation_level=0
            )
            .only("id")
            .limit(ESCALATE)
        ]
        values = {"due_at": due, **due_hours.fields("escalate", due)}
        ServiceRequest._get_collection().update_many({"_id": {"$in": ids}}, {"$set": values})
        due_hours.reach_back(values)
        started = time.perf_counter()
        done = sweep.run(now)
        busy = (time.perf_counter() - started) * 1000
        assert done["escalated"] == len(ids), done
        # They stay escalated, due at the next tier's deadline: later sizes pick others.
    return idle, (busy - idle) / max(len(ids), 1)


def _sector29():
    from app.models import PoliceStation

    return PoliceStation.objects.get(code="HR-GGM-SEC29")


def _worker_ms_per_submission(app):
    from app.models import RequestEvent
    from app.services import notify

    with app.app_context():
        keys = [
            e.key for e in RequestEvent.objects(event="submitted", done_at=None).only("key")[:30]
        ]
        if not keys:
            return float("nan")
        return _median_ms(lambda: notify.process_event(keys.pop()), rounds=len(keys))


def _close_grievances(app, now):
    """Bench submissions are processed at once, as a station would, so they do not swell the
    open work measured at the next size."""
    from app.models import RequestEvent, ServiceRequest

    with app.app_context():
        ServiceRequest.objects(service="grievance", is_open=True).update(
            set__is_open=False, set__closed_at=now, set__escalate_hour=None, set__warn_hour=None
        )
        RequestEvent.objects(done_at=None).update(set__done_at=now)


def main(sizes):
    uri = os.environ.get("MONGODB_URI", "")
    if not uri.rstrip("/").rsplit("/", 1)[-1].startswith("bench"):
        sys.exit("set MONGODB_URI to a scratch database whose name starts with 'bench'")
    app = create_app(
        "development", {"MONGODB_URI": uri, "REDIS_URL": "", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    with app.app_context():
        from app import db
        from app.cli import ensure_indexes
        from app.services import seed

        db.database().client.drop_database(db.database().name)
        ensure_indexes()
        seed.seed_all(include_demo_users=True)
    env = dict(
        os.environ,
        APP_CONFIG="development",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{APP_PORT}",
        PUBLIC_STATUS_RATE_LIMIT="1000000 per minute",
        LOGIN_RATE_LIMIT="1000000 per minute",
    )
    with (
        _gunicorn(APP_PORT, "app:create_app()", env) as portal,
        _gunicorn(BASE_PORT, "benchmarks.baseline:app", env) as base,
    ):
        officer_web = _web_session(portal)
        officer_api = _token(portal, OFFICER)
        citizen_api = _token(portal, CITIZEN)
        print(
            "requests | latency ms: status (raw) · queue · admin · API · transition | "
            "per second: status (raw) · submission (raw) | sweep ms: idle · per escalation | "
            "worker ms per submission | search ms: a shared name · a mobile · FIR listing",
            flush=True,
        )
        now = datetime.now(UTC)
        for size in sizes:
            with app.app_context():
                started = time.perf_counter()
                _fill(size, now)
                filled = time.perf_counter() - started
                if os.environ.get("FERRETDB_POSTGRESQL_URL"):
                    from app import gin_indexes

                    gin_indexes.analyze(os.environ["FERRETDB_POSTGRESQL_URL"], db.database().name)
                from app.models import ServiceRequest

                waiting = [
                    r.number
                    for r in ServiceRequest.objects(
                        station=_sector29(), status="submitted", service="tenant_verification"
                    )
                    .only("number")
                    .limit(ROUNDS)
                ]
            number = _number(size // 2)

            status, raw = _turns(
                lambda n=number: _median_ms(lambda: _ok(_get(f"{portal}/api/v1/status/{n}"))),
                lambda n=number: _median_ms(lambda: _ok(_get(f"{base}/status/{n}"))),
                rounds=1,
            )
            queue = _median_ms(lambda: _ok(officer_web.get(portal + "/admin/queue/")))
            admin = _median_ms(lambda: _ok(officer_web.get(portal + "/admin/requests/")))
            api = _median_ms(
                lambda: _ok(_get(portal + "/api/v1/requests?limit=20", headers=officer_api))
            )
            by_name = _median_ms(
                lambda: _ok(officer_web.get(portal + "/admin/requests/?search=Benchname77"))
            )
            by_mobile = _median_ms(
                lambda n=size // 3: _ok(
                    officer_web.get(f"{portal}/admin/requests/?search=98{n:08d}")
                )
            )
            fir_list = _median_ms(lambda: _ok(_get(portal + "/api/v1/firs?state=HR")))
            transition = _median_ms(
                lambda waiting=waiting: _ok(
                    _post(
                        f"{portal}/api/v1/requests/{waiting.pop()}/transitions",
                        json={"action": "accept"},
                        headers=officer_api,
                    )
                ),
                rounds=len(waiting),
            )
            status_rate, raw_status_rate = _turns(
                lambda n=number: _throughput(lambda s: _ok(s.get(f"{portal}/api/v1/status/{n}"))),
                lambda n=number: _throughput(lambda s: _ok(s.get(f"{base}/status/{n}"))),
            )
            submit_rate, raw_submit_rate = _turns(
                lambda: _throughput(
                    lambda s: _ok(
                        s.post(portal + "/api/v1/requests", json=_grievance(), headers=citizen_api),
                        201,
                    )
                ),
                lambda: _throughput(
                    lambda s: _ok(s.post(base + "/requests", json=_grievance()), 201)
                ),
            )
            worker = _worker_ms_per_submission(app)
            _close_grievances(app, now)
            idle, per_escalation = _sweep_figures(app, now)
            shares = (status_rate / raw_status_rate, submit_rate / raw_submit_rate)
            print(
                f"{size:>8} | {status:.1f} ({raw:.1f}) · {queue:.0f} · {admin:.0f} · {api:.0f} · "
                f"{transition:.0f} | {status_rate:.0f} ({raw_status_rate:.0f}) = "
                f"{shares[0]:.2f}× · "
                f"{submit_rate:.0f} ({raw_submit_rate:.0f}) = {shares[1]:.2f}× | "
                f"{idle:.1f} · {per_escalation:.1f} | {worker:.0f} | "
                f"{by_name:.0f} · {by_mobile:.0f} · {fir_list:.0f}   (filled in {filled:.0f} s)",
                flush=True,
            )
    with app.app_context():
        db.database().client.drop_database(db.database().name)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10000, 100000])
