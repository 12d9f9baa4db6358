"""GET /healthz: MongoDB, Redis and live Celery workers; 503 when any part is down."""

from flask import Blueprint, current_app, jsonify

from app.services import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    healthy, body = health.report(current_app.extensions["celery"], current_app.config["REDIS_URL"])
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
