"""Gunicorn settings shared by `make run`, the test tiers and production (override by flags)."""

worker_class = "gthread"
threads = 4
graceful_timeout = 5
logger_class = "app.gunicorn_logging.RedactingLogger"
