"""Health of the parts the portal needs: MongoDB, Redis and at least one Celery worker."""

import redis

from app import db


def check_mongo():
    try:
        db.ping()
        return "ok"
    except Exception:  # noqa: BLE001 — any failure means "down"; the reason is logged by pymongo
        return "down"


def check_redis(url):
    if not url:
        return "down"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return "ok"
    except redis.RedisError:
        return "down"


def queue_length(url, queue="celery"):
    """Tasks waiting in Celery's default queue (a Redis list), or None when Redis is down: how
    far the workers are behind, for operators and the supervision page."""
    if not url:
        return None
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return int(client.llen(queue))
    except redis.RedisError:
        return None


def count_workers(celery_app, timeout=1.0):
    try:
        return len(celery_app.control.ping(timeout=timeout) or [])
    except Exception:  # noqa: BLE001 — broker unreachable: no worker can be counted
        return 0


def report(celery_app, redis_url):
    """(healthy, body) as GET /healthz returns it."""
    mongo = check_mongo()
    redis_state = check_redis(redis_url)
    workers = count_workers(celery_app) if redis_state == "ok" else 0
    healthy = mongo == "ok" and redis_state == "ok" and workers > 0
    body = {
        "status": "ok" if healthy else "degraded",
        "mongo": mongo,
        "redis": redis_state,
        "workers": workers,
        "queue": queue_length(redis_url) if redis_state == "ok" else None,
        "sweep_queue": queue_length(redis_url, "sweep") if redis_state == "ok" else None,
    }
    return healthy, body
