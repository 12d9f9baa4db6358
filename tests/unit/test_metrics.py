"""/metrics shows the request counts and latency histograms, the queue lengths and the overdue
requests by station, to the loopback or a bearer token only; /readyz says whether the instance
can serve."""

from datetime import timedelta

from tests.helpers.clock import MONDAY, submit_at


def _scrape(client, **kwargs):
    return client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}, **kwargs)


def test_metrics_show_requests_latency_queues_and_overdue_stations(catalogue_seeded, app, client):
    with app.test_request_context():
        late = submit_at("grievance", MONDAY - timedelta(days=60))
        assert late.due_at is not None
    client.get("/services?state=HR")
    body = _scrape(client).get_data(as_text=True)
    assert 'portal_http_requests_total{endpoint="services.index",method="GET",status="200"}' in body
    assert 'portal_http_request_duration_seconds_bucket{endpoint="services.index",le="0.1"}' in body
    assert "# TYPE portal_queue_length gauge" in body
    assert 'portal_requests_overdue{station="HR-GGM-SEC29"}' in body
    assert "9810000001" not in body and "/my/requests/" not in body  # no personal data, no paths


def test_metrics_are_not_public(app, client):
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 404
    app.config["METRICS_TOKEN"] = "s3cret-scraper"
    assert _scrape(client).status_code == 404  # with a token set, loopback is not enough
    allowed = client.get(
        "/metrics",
        headers={"Authorization": "Bearer s3cret-scraper"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert allowed.status_code == 200


def test_readyz_checks_the_database_redis_and_indexes(app, client):
    from app import db

    response = client.get("/readyz")
    body = response.get_json()
    assert body["mongo"] == "ok" and body["indexes"] == "ok"
    assert response.status_code == (200 if body["redis"] == "ok" else 503)
    with app.app_context():
        db.database()["service_requests"].drop_index("number_1")
    missing = client.get("/readyz")
    assert missing.status_code == 503 and missing.get_json()["indexes"] == "missing"
