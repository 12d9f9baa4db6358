"""Gunicorn settings shared by `make run`, the test tiers and production (override by flags)."""

worker_class = "gthread"
threads = 4
# On SIGTERM a worker stops accepting and finishes what it holds, for up to this long: the
# longest request, a bulk upload of a thousand rows, takes about 40 s.
graceful_timeout = 45
logger_class = "app.gunicorn_logging.RedactingLogger"
