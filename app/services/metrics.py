"""The numbers operators watch, as Prometheus metrics (prometheus_client, the official library).

Counters and histograms are updated where things happen (the web tier's requests in
app/views/metrics.py, escalations and the sweep here, deliveries in services.mail). With
PROMETHEUS_MULTIPROC_DIR set (scripts/stack.sh sets it) every gunicorn and Celery process writes
its own file there and /metrics adds them up; without it (unit tests) a process counts alone.
Labels never carry personal data: endpoints, methods, statuses, channels, station codes.
"""

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "portal_http_requests_total", "Requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)  # fmt: skip
HTTP_LATENCY = Histogram(
    "portal_http_request_duration_seconds", "Time to answer a request, by endpoint.",
    ["endpoint"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)  # fmt: skip
ESCALATIONS = Counter("portal_escalations_total", "Requests escalated by the sweep.")
WARNINGS = Counter("portal_deadline_warnings_total", "Deadline warnings sent by the sweep.")
SWEEP_SECONDS = Histogram(
    "portal_sweep_duration_seconds", "Time one sweep of every clock took.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)  # fmt: skip
DELIVERY_FAILURES = Counter(
    "portal_delivery_failures_total", "Mails and SMS the gateway refused or could not reach.",
    ["channel"],
)  # fmt: skip
