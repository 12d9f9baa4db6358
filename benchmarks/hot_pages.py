"""How the hot pages grow with the number of requests stored, on FerretDB on PostgreSQL.

    make bench            # starts its own PostgreSQL, FerretDB and Redis under var/bench
    # or, against servers of your own:
    MONGODB_URI=mongodb://127.0.0.1:27057/bench_hot \\
    FERRETDB_POSTGRESQL_URL=postgres://postgres@127.0.0.1:54357/ferretdb \\
        .venv/bin/python benchmarks/hot_pages.py 10000 100000

For each size: writes requests through the app's own model (`ServiceRequest(...).to_mongo()`,
bulk-inserted), spread over the seeded stations, mostly closed, OPEN_PER_STATION open at each,
then times, in-process through the whole Flask stack (WSGI, no network): the public status
lookup, an officer's My queue, the admin Requests list (first page; open work, its default) and
the API list (20; open work, the default for staff), each
the median of ROUNDS, beside a raw baseline (pymongo's find_one by number on the same server).
Prints figures; asserts nothing. The scratch database (its name must start with "bench") is
dropped first and afterwards.

Not yet measured here (issue 12): submission and transition throughput, the sweep, gunicorn.
"""

import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from app import create_app

ROUNDS = 9
OPEN_PER_STATION = 300
BATCH = 2000


def _timed(fn, rounds=ROUNDS):
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
    from app.services import service_types

    collection = ServiceRequest._get_collection()
    have = collection.estimated_document_count()
    stations = [s for s in PoliceStation.objects if s.code.startswith("HR-")]
    citizen = User.objects.get(email="citizen@demo.police.example")
    live = service_types.live(stations[0].state, "tenant_verification")
    open_left = {s.id: OPEN_PER_STATION for s in stations}
    rows = []
    for index in range(have, target):
        station = stations[index % len(stations)]
        is_open = open_left[station.id] > 0 and index % 7 == 0
        if is_open:
            open_left[station.id] -= 1
        submitted = now - timedelta(minutes=index % (60 * 24 * 365))
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
                due_at=submitted + timedelta(days=15),
                closed_at=None if is_open else submitted + timedelta(days=9),
                is_open=is_open,
                data={"tenant_name": "Bench Tenant", "tenant_address": "House 1, Sector 29"},
            ).to_mongo()
        )
        if len(rows) == BATCH:
            collection.insert_many(rows)
            rows = []
    if rows:
        collection.insert_many(rows)


def main(sizes):
    uri = os.environ.get("MONGODB_URI", "")
    if not uri.rstrip("/").rsplit("/", 1)[-1].startswith("bench"):
        sys.exit("set MONGODB_URI to a scratch database whose name starts with 'bench'")
    app = create_app(
        "development",
        {"MONGODB_URI": uri, "REDIS_URL": "", "RATELIMIT_STORAGE_URI": "memory://"},
    )
    client = app.test_client()
    with app.app_context():
        from app import db
        from app.cli import ensure_indexes
        from app.models import ServiceRequest
        from app.services import seed

        db.database().client.drop_database(db.database().name)
        ensure_indexes()
        seed.seed_all(include_demo_users=True)
        raw = ServiceRequest._get_collection()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        data={
            "email": "officer.sector29@demo.police.example",
            "password": "Officer#Demo2026",
            "csrf_token": token,
        },
    )
    print(f"{'requests':>9} | {'status':>8} {'raw':>6} | {'queue':>8} | {'admin':>8} | {'api':>8}")
    now = datetime.now(UTC)
    for size in sizes:
        with app.app_context():
            started = time.perf_counter()
            _fill(size, now)
            filled = time.perf_counter() - started
            if os.environ.get("FERRETDB_POSTGRESQL_URL"):
                from app import gin_indexes

                gin_indexes.analyze(os.environ["FERRETDB_POSTGRESQL_URL"], db.database().name)
            number = _number(size // 2)
            baseline = _timed(lambda n=number: raw.find_one({"number": n}))

        def get(path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        status = _timed(lambda n=number: get(f"/api/v1/status/{n}"))
        queue = _timed(lambda: get("/admin/queue/"))
        admin = _timed(lambda: get("/admin/requests/"))
        api = _timed(lambda: get("/api/v1/requests?limit=20"))
        print(
            f"{size:>9} | {status:>6.1f}ms {baseline:>4.1f}ms | {queue:>6.1f}ms | "
            f"{admin:>6.1f}ms | {api:>6.1f}ms   (filled in {filled:.0f} s)",
            flush=True,
        )
    with app.app_context():
        db.database().client.drop_database(db.database().name)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10000, 100000])
