"""Configuration layering and the production guard."""

import pytest

from app import create_app
from config import DEFAULT_SECRET_KEY


def test_production_refuses_the_default_secret(monkeypatch):
    """ProductionConfig will not start with the published SECRET_KEY."""
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": DEFAULT_SECRET_KEY})


def test_production_refuses_missing_service_addresses(monkeypatch):
    """Without MONGODB_URI and REDIS_URL in the environment, production refuses to start."""
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(RuntimeError, match="MONGODB_URI"):
        create_app(
            "production",
            {
                "SECRET_KEY": "x" * 40,
                "SECURITY_PASSWORD_SALT": "y" * 40,
                "SECURITY_TOTP_SECRETS": {"1": "z" * 40},
            },
        )


# What an operator sets: not the published defaults.
REAL_SECRETS = {
    "SECRET_KEY": "x" * 40,
    "SECURITY_PASSWORD_SALT": "y" * 40,
    "SECURITY_TOTP_SECRETS": {"1": "z" * 40},
    "DOCUMENT_SIGNING_KEY": "A" * 43 + "=",
}


def test_production_starts_with_real_secrets(monkeypatch):
    """With secrets and addresses set, production builds an app with secure cookies."""
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app(
        "production", dict(REAL_SECRETS, PUBLIC_BASE_URL="https://police.example.gov.in")
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_HOSTS"] == ["police.example.gov.in"]
    assert app.config["REQUIRE_TWO_FACTOR_ROLES"] == ["state_admin"]


def test_two_apps_do_not_share_an_admin(app):
    """Building a second app works: nothing is bound at import time."""
    other = create_app(
        "testing",
        {"MONGODB_URI": app.config["MONGODB_URI"], "MONGODB_CLIENT": app.config["MONGODB_CLIENT"]},
    )
    assert other.extensions["admin"][0] is not app.extensions["admin"][0]


@pytest.mark.parametrize(
    "override, named",
    [
        ({"FAULT_NOTIFY_PAUSE_SECONDS": 5.0}, "FAULT_NOTIFY_PAUSE_SECONDS"),
        ({"SLA_MINUTE_SECONDS": 15}, "SLA_MINUTE_SECONDS"),
        ({"SMS_BACKEND": "http", "SMS_GATEWAY_URL": None}, "SMS_GATEWAY_URL"),
        ({"DOCUMENT_SIGNING_KEY": None}, "DOCUMENT_SIGNING_KEY"),
    ],
)
def test_production_refuses_test_faults_and_a_gateway_without_an_address(
    monkeypatch, override, named
):
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    secrets = {
        "SECRET_KEY": "x" * 40,
        "SECURITY_PASSWORD_SALT": "y" * 40,
        "SECURITY_TOTP_SECRETS": {"1": "z" * 40},
        "DOCUMENT_SIGNING_KEY": "A" * 43 + "=",
    }
    with pytest.raises(RuntimeError, match=named):
        create_app("production", dict(secrets, **override))


def test_every_beat_entry_names_a_registered_task(app):
    """A task module left out of tasks/__init__ would make beat send work nobody runs."""
    from app.tasks import BEAT_SCHEDULE

    registered = set(app.extensions["celery"].tasks)
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} - registered == set()
    assert {"central.pull", "open-data.publish", "exports.tidy"} <= registered


def test_production_refuses_to_start_without_its_public_address(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        create_app("production", dict(REAL_SECRETS, PUBLIC_BASE_URL="http://127.0.0.1:5000"))
