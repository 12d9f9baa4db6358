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


def queue_lengths(url, queues=("celery",)):
    """{queue: tasks waiting} for Celery's queues (Redis lists), read through one connection,
    or None when Redis is down: how far the workers are behind, for operators and the
    supervision page."""
    if not url:
        return None
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        with client.pipeline(transaction=False) as pipe:
            for queue in queues:
                pipe.llen(queue)
            return {queue: int(n) for queue, n in zip(queues, pipe.execute(), strict=True)}
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
    queues = queue_lengths(redis_url, ("celery", "sweep")) if redis_state == "ok" else None
    healthy = mongo == "ok" and redis_state == "ok" and workers > 0
    body = {
        "status": "ok" if healthy else "degraded",
        "mongo": mongo,
        "redis": redis_state,
        "workers": workers,
        "queue": queues["celery"] if queues else None,
        "sweep_queue": queues["sweep"] if queues else None,
    }
    return healthy, body
