"""Gunicorn settings shared by `make run`, the test tiers and production (override by flags)."""

worker_class = "gthread"
threads = 4
# On SIGTERM a worker stops accepting and finishes what it holds, for up to this long: the
# longest request, a bulk upload of a thousand rows, takes about 40 s.
graceful_timeout = 45
logger_class = "app.gunicorn_logging.RedactingLogger"


def child_exit(server, worker):
    """A worker that exits leaves its metrics file behind; prometheus-client's multiprocess mode
    is told so its live gauges stop counting it (its counters stay, as they should)."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
