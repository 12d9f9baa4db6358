"""/metrics for Prometheus and /readyz for orchestrators.

/metrics is not public: it answers a bearer token equal to METRICS_TOKEN, or, without one
configured, only the loopback address (a scraper on the same host or behind the proxy). It
shows the processes' counters and histograms (services.metrics) and, measured at the scrape,
the Celery queues' lengths and the open requests past their time limit by station.

/readyz says whether this instance can serve: the database and Redis answer and the indexes the
hot queries need are in place (`flask seed` / `flask ensure-indexes` made them). /healthz stays
the liveness check with the workers' count.
"""

import hmac
import os
import time
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from app import db
from app.models import PoliceStation, ServiceRequest
from app.services import health, metrics

bp = Blueprint("metrics", __name__)
LOOPBACK = ("127.0.0.1", "::1")
READY_INDEXES = {"service_requests": "number_1", "users": "email_key_1"}


class ScrapeTimeCollector:
    """What is measured when Prometheus asks: queue lengths and overdue requests by station."""

    def __init__(self, redis_url):
        self.redis_url = redis_url

    def collect(self):
        queues = GaugeMetricFamily(
            "portal_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        for name, waiting in (
            health.queue_lengths(self.redis_url, ("celery", "sweep")) or {}
        ).items():
            queues.add_metric([name], waiting)
        yield queues
        overdue = GaugeMetricFamily(
            "portal_requests_overdue",
            "Open requests past their time limit, by police station.",
            labels=["station"],
        )
        for station, count in overdue_by_station(datetime.now(UTC)).items():
            overdue.add_metric([station], count)
        yield overdue


def overdue_by_station(now):
    """{station code: open requests past due}; one grouped read of the open, overdue ones."""
    rows = ServiceRequest.objects(is_open=True, due_at__lt=now, paused_at=None).aggregate(
        [{"$group": {"_id": "$station", "n": {"$sum": 1}}}]
    )
    counts = {row["_id"]: row["n"] for row in rows}
    codes = {s.id: s.code for s in PoliceStation.objects(id__in=list(counts)).only("code")}
    return {codes.get(key, str(key)): n for key, n in counts.items()}


def _allowed():
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), token.encode())
    return request.remote_addr in LOOPBACK


@bp.get("/metrics")
def scrape():
    if not _allowed():
        abort(404)  # as if it were not there
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    extra = CollectorRegistry()
    extra.register(ScrapeTimeCollector(current_app.config["REDIS_URL"]))
    body = generate_latest(registry) + generate_latest(extra)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


@bp.get("/readyz")
def readyz():
    checks = {
        "mongo": health.check_mongo(),
        "redis": health.check_redis(current_app.config["REDIS_URL"]),
        "indexes": "missing",
    }
    if checks["mongo"] == "ok":
        database = db.database()
        present = all(
            name in database[collection].index_information()
            for collection, name in READY_INDEXES.items()
        )
        checks["indexes"] = "ok" if present else "missing"
    ready = all(value == "ok" for value in checks.values())
    response = jsonify({"status": "ready" if ready else "not ready", **checks})
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def init_metrics(app):
    app.register_blueprint(bp)

    @app.before_request
    def _start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        started = getattr(g, "metrics_started", None)
        endpoint = request.endpoint or "unmatched"  # never the raw path: no numbers in labels
        if started is not None and endpoint != "metrics.scrape":
            metrics.HTTP_LATENCY.labels(endpoint=endpoint).observe(time.perf_counter() - started)
            metrics.HTTP_REQUESTS.labels(
                endpoint=endpoint, method=request.method, status=str(response.status_code)
            ).inc()
        return response
