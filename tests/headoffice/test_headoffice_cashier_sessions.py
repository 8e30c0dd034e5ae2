"""Cashier sessions at head office (contract 1.5.0): the shop's « Travail par session » and
the cashiers' rights go out in the snapshot (absent while off, so the version of a shop
without sessions does not move), and a batch's sessions are checked and kept as sent."""

import pytest

from headoffice.admin import AdminError, grant_rights, set_cashier_sessions
from headoffice.extensions import db
from headoffice.models import ReceivedBatch

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def _switch(ho_app, on, rights=()):
    with ho_app.app_context():
        set_cashier_sessions("BOUTIQUE01", on)
        for code in rights:
            grant_rights("BOUTIQUE01", code, ["open_session_offline"])
        db.session.commit()


def test_the_setting_is_in_the_snapshot_only_when_on(ho_api, ho_app):
    before = ho_api.get(SNAPSHOT)
    assert "cashier_sessions" not in before.json["shop"]
    _switch(ho_app, True, rights=["VEND02"])
    after = ho_api.get(SNAPSHOT)
    assert after.json["shop"]["cashier_sessions"] is True
    assert "open_session_offline" in {p["code"]: p["rights"] for p in after.json["staff"]}["VEND02"]
    assert after.json["version"] != before.json["version"]
    _switch(ho_app, False)
    assert "cashier_sessions" not in ho_api.get(SNAPSHOT).json["shop"]


def test_the_cli_switches_sessions_and_grants_rights(ho_app):
    runner = ho_app.test_cli_runner()
    result = runner.invoke(args=["set-cashier-sessions", "BOUTIQUE01", "on"])
    assert result.exit_code == 0 and "cashier sessions on" in result.output
    result = runner.invoke(args=["grant-rights", "BOUTIQUE01", "VEND01", "--rights", "close_other_sessions"])
    assert result.exit_code == 0 and "close_other_sessions" in result.output
    result = runner.invoke(args=["grant-rights", "BOUTIQUE01", "VEND01", "--rights", "fly"])
    assert result.exit_code != 0 and "unknown right" in result.output


def test_granting_to_nobody_is_refused(ho_app):
    with ho_app.app_context(), pytest.raises(AdminError, match="No staff"):
        grant_rights("BOUTIQUE01", "NOBODY", ["sell"])


def _session(**change):
    return {
        "uuid": "7d0f3c1e-1111-4a2b-9c3d-2e4f5a6b7c8d",
        "number": 1,
        "cashier": {"code": "VEND01", "name": "Vendeur1"},
        "status": "closed",
        "currency": "EUR",
        "opened_at": "2026-11-20T08:00:00Z",
        "initial_cents": 0,
        "deposit_cents": 5000,
        "closed_at": "2026-11-20T12:00:00Z",
        "closed_by": {"code": "RESP01", "name": "Responsable1"},
        "lines": [
            {
                "method_code": "ESP",
                "method_name": "Espèces",
                "initial_cents": 5000,
                "payments_cents": 230,
                "final_cents": 5230,
                "real_cents": 5230,
                "withdrawal_cents": 5000,
                "remaining_cents": 230,
            }
        ],
        **change,
    }


def test_a_day_with_sessions_is_kept_as_sent(ho_api, ho_batch, ho_export_path, ho_app):
    batch = ho_batch()
    batch["days"][0]["cashier_sessions"] = [_session()]
    response = ho_api.put(ho_export_path(batch), json=batch)
    assert response.status_code == 201
    with ho_app.app_context():
        stored = db.session.get(ReceivedBatch, batch["batch_id"])
        assert '"cashier_sessions"' in stored.body and '"deposit_cents":5000' in stored.body


@pytest.mark.parametrize(
    "sessions, words",
    [
        ({"a": 1}, "cashier_sessions must be a list"),
        ([_session(uuid="nope")], "uuid"),
        ([_session(number=0)], "number"),
        ([{"uuid": "7d0f3c1e-1111-4a2b-9c3d-2e4f5a6b7c8d"}], "cashier_sessions[0]"),
    ],
)
def test_malformed_sessions_are_400_and_store_nothing(
    sessions, words, ho_api, ho_batch, ho_export_path, ho_count
):
    batch = ho_batch()
    batch["days"][0]["cashier_sessions"] = sessions
    response = ho_api.put(ho_export_path(batch), json=batch, request_valid=False)
    assert response.status_code == 400
    assert words in response.json["message"]
    assert ho_count(ReceivedBatch) == 0
