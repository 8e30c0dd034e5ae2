"""/healthz tells systemd and the kiosk whether the box can sell."""
from app import create_app

from helpers import register_config


def test_healthy_box(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["migrations"] == "current"
    assert body["revision"] == body["expected_revision"]


def test_unmigrated_database_is_unhealthy(tmp_path):
    app = create_app(register_config(tmp_path / "empty.sqlite"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["migrations"] == "behind"


def test_unknown_page_gets_no_debug_page(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert b"Traceback" not in response.data and b"Werkzeug" not in response.data
