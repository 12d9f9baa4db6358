"""Integration tier: a live stack (gunicorn + Celery worker + beat) on FerretDB and Redis.

scripts/test.sh starts it and sets LIVE_BASE_URL, MONGODB_URI and REDIS_URL; without them this
tier fails rather than skips.
"""

import os

import pymongo
import pytest
import redis

from live import Browser


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this tier through `make test`")
    return value


@pytest.fixture(scope="session")
def base_url():
    return _env("LIVE_BASE_URL").rstrip("/")


@pytest.fixture(scope="session")
def mongo():
    client = pymongo.MongoClient(_env("MONGODB_URI"), serverSelectionTimeoutMS=3000)
    yield client.get_default_database()
    client.close()


@pytest.fixture(scope="session")
def redis_client():
    return redis.Redis.from_url(_env("REDIS_URL"))


@pytest.fixture
def reset_rate_limits(redis_client):
    """Login counters are shared by all workers through Redis; clear them around a test."""

    def clear():
        for key in redis_client.scan_iter("LIMITS*"):
            redis_client.delete(key)

    clear()
    yield
    clear()


@pytest.fixture
def browser(base_url):
    return Browser(base_url)
