"""The `flask demo-accounts` and `flask seed` commands."""

import json


def test_demo_accounts_prints_json(app):
    """demo-accounts prints a JSON list with email, password, roles and station."""
    result = app.test_cli_runner().invoke(args=["demo-accounts"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert any(r["roles"] == ["state_admin"] and r["state"] == "HR" for r in rows)
    assert any(r["station"] == "HR-GGM-SEC29" for r in rows)
    [client] = [r for r in rows if r["roles"] == ["api_client"]]  # development only
    assert client["api_key"].startswith("pk_") and client["services"] == ["c_form"]
    assert client["owner"] == "hotel@demo.police.example"


def test_seed_command_is_idempotent(app):
    """Running `flask seed` on a seeded database creates nothing."""
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "roles.yaml: 0 created" in result.output
    assert "demo_users.yaml: 0 created" in result.output
    assert "service_types/: 30 created" in result.output  # 15 services in each of 2 states
    again = app.test_cli_runner().invoke(args=["seed"])
    assert "service_types/: 0 created" in again.output
    assert "demo API keys: 0 created" in again.output
