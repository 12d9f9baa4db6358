"""GET /healthz reports each part and answers 503 when any is down."""

from app.services import health


def fake(monkeypatch, mongo="ok", redis_state="ok", workers=1):
    monkeypatch.setattr(health, "check_mongo", lambda: mongo)
    monkeypatch.setattr(health, "check_redis", lambda url: redis_state)
    monkeypatch.setattr(health, "count_workers", lambda app, timeout=1.0: workers)
    monkeypatch.setattr(
        health, "queue_lengths", lambda url, queues=("celery",): {"celery": 7, "sweep": 0}
    )


def test_all_parts_up_is_200(client, monkeypatch):
    fake(monkeypatch, workers=2)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "mongo": "ok",
        "redis": "ok",
        "workers": 2,
        "queue": 7,
        "sweep_queue": 0,
    }


def test_no_worker_is_503(client, monkeypatch):
    fake(monkeypatch, workers=0)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["workers"] == 0


def test_redis_down_is_503_and_no_worker_is_counted(client, monkeypatch):
    fake(monkeypatch, redis_state="down", workers=3)
    body = client.get("/healthz").get_json()
    assert body["redis"] == "down" and body["workers"] == 0 and body["status"] != "ok"
    assert body["queue"] is None and body["sweep_queue"] is None


def test_mongo_down_is_503(client, monkeypatch):
    fake(monkeypatch, mongo="down")
    assert client.get("/healthz").status_code == 503


def test_real_mongo_probe_answers_ok(ctx):
    """Against the test database (mongomock or FerretDB) the real probe says ok."""
    assert health.check_mongo() == "ok"


def test_unreachable_redis_is_down():
    assert health.check_redis("redis://127.0.0.1:1/0") == "down"
    assert health.check_redis("") == "down"
