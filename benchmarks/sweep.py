"""How long the minute's deadline sweep takes on a real database.

    MONGODB_URI=mongodb://127.0.0.1:27027/bench_sweep \
        .venv/bin/python benchmarks/sweep.py [OPEN] [DUE]

Writes OPEN open tenant-verification requests at one station (DUE of them past their deadline)
straight into a scratch database, then times: a sweep with nothing to do (the steady state,
every minute), the sweep that escalates the DUE requests, and the next, idle again. Prints
figures; asserts nothing. The database named in MONGODB_URI is dropped first and afterwards.
Tasks go to an in-memory broker and are not run: this times the sweep, not the notifications.
"""

import os
import sys
import time
from datetime import UTC, datetime, timedelta

from app import create_app


def main(open_count=5000, due_count=200):
    uri = os.environ.get("MONGODB_URI", "")
    if not uri.rstrip("/").rsplit("/", 1)[-1].startswith("bench"):
        sys.exit("set MONGODB_URI to a scratch database whose name starts with 'bench'")
    app = create_app(
        "development", {"MONGODB_URI": uri, "REDIS_URL": "", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    with app.app_context():
        from app import db
        from app.cli import ensure_indexes
        from app.models import PoliceStation, ServiceRequest, User
        from app.services import seed, service_types, sweep

        db.database().client.drop_database(db.database().name)
        ensure_indexes()
        seed.seed_all(include_demo_users=True)
        station = PoliceStation.objects.get(code="HR-GGM-SEC29")
        citizen = User.objects.get(email="citizen@demo.police.example")
        live = service_types.live(station.state, "tenant_verification")
        now = datetime.now(UTC)
        rows = []
        for index in range(open_count):
            overdue = index < due_count
            due = now - timedelta(hours=1) if overdue else now + timedelta(days=5)
            rows.append(
                ServiceRequest(
                    number=f"HR-TEN-2026-{index:06d}-X",
                    service="tenant_verification",
                    service_version=live.version,
                    state=station.state,
                    district=station.district,
                    station=station,
                    applicant=citizen,
                    status="submitted",
                    submitted_at=now - timedelta(days=10),
                    due_at=due,
                    escalate_at=due,
                    warn_at=None,
                ).to_mongo()
            )
        started = time.perf_counter()
        ServiceRequest._get_collection().insert_many(rows)
        print(f"wrote {open_count} open requests in {time.perf_counter() - started:.1f} s")

        for label in ("escalating", "idle, next minute"):
            started = time.perf_counter()
            done = sweep.run(now + timedelta(minutes=1))
            took = time.perf_counter() - started
            print(f"sweep {label}: {took * 1000:.0f} ms  {done}")
            now += timedelta(minutes=1)
        db.database().client.drop_database(db.database().name)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
