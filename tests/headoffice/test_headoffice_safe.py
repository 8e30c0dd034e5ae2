"""The shop's safe at head office (docs/safe.md): the setting and its limits (set-safe), the
snapshot's `safe` (absent while off, so the shop's snapshots keep their version), and the safe
movements of received days applied once to the shop's balance per method."""

from headoffice.models import SafeBalance

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"
RESP = {"code": "RESP01", "name": "Responsable1 De Caisse"}


def movement(number, kind, method, cents, at="2026-11-21T12:00:00Z"):
    return {
        "uuid": f"00000000-0000-4000-8000-{number:012d}",
        "number": number,
        "kind": kind,
        "method_code": method,
        "amount_cents": cents,
        "reason": "Fonds",
        "payer_kind": "customer",
        "payer": "Banque",
        "payer_code": None,
        "cash_movement_uuid": None,
        "at_closing": False,
        "created_at": at,
        "created_by": RESP,
    }


def _set_safe(ho_runner, *args):
    result = ho_runner.invoke(args=["set-safe", "BOUTIQUE01", *args])
    assert result.exit_code == 0, result.output
    return result


def test_off_there_is_no_safe_in_the_snapshot_and_its_version_stays(ho_api, ho_runner):
    before = ho_api.get(SNAPSHOT).json
    assert "safe" not in before
    _set_safe(ho_runner, "--on", "--limit", "1000", "--limit-days", "7")
    safe = ho_api.get(SNAPSHOT).json["safe"]
    assert safe == {"methods": [], "limit_cents": 100000, "limit_days": 7}
    _set_safe(ho_runner, "--off")
    assert ho_api.get(SNAPSHOT).json["version"] == before["version"]


def test_a_limit_head_office_cannot_keep_is_refused(ho_runner, ho_app):
    result = ho_runner.invoke(args=["set-safe", "BOUTIQUE01", "--on", "--limit", "0"])
    assert result.exit_code != 0 and "more than 0,00" in result.output


def test_received_movements_move_the_shop_s_safe_once(ho_api, ho_runner, ho_batch, ho_export_path, ho_app):
    _set_safe(ho_runner, "--on")
    batch = ho_batch("safe")
    batch["days"][0]["safe_movements"] = [
        movement(1, "in", "ESP", 20000, "2026-11-21T10:00:00Z"),
        movement(2, "in", "CHQ", 4500, "2026-11-21T11:00:00Z"),
        movement(3, "out", "ESP", 5000, "2026-11-21T12:00:00Z"),
    ]
    assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
    assert ho_api.put(ho_export_path(batch), json=batch).status_code == 200  # the same batch again
    safe = ho_api.get(SNAPSHOT).json["safe"]
    assert safe["methods"] == [
        {"method_code": "CHQ", "operation_count": 1, "deposits_cents": 4500, "withdrawals_cents": 0},
        {"method_code": "ESP", "operation_count": 2, "deposits_cents": 20000, "withdrawals_cents": 5000},
    ]
    assert safe["since"] == "2026-11-21T12:00:00Z"  # the last withdrawal: the time limit's clock
    second = ho_batch("safe2")
    second["days"][1]["safe_movements"] = [movement(4, "in", "ESP", 1000, "2026-11-22T09:00:00Z")]
    assert ho_api.put(ho_export_path(second), json=second).status_code == 201
    with ho_app.app_context():
        from sqlalchemy import select

        from headoffice.extensions import db

        esp = db.session.scalars(select(SafeBalance).where(SafeBalance.method_code == "ESP")).one()
        assert (esp.operation_count, esp.deposits_cents, esp.withdrawals_cents) == (3, 21000, 5000)


def test_a_safe_movement_head_office_cannot_book_refuses_the_batch(ho_api, ho_batch, ho_export_path, ho_app):
    for bad, field in (
        ({"amount_cents": 0}, "amount_cents"),
        ({"kind": "sideways"}, "kind"),
        ({"created_at": "hier"}, "created_at"),
        ({"uuid": "x"}, "uuid"),
    ):
        batch = ho_batch("bad")
        batch["days"][0]["safe_movements"] = [{**movement(1, "in", "ESP", 100), **bad}]
        # request_valid=None: some of these break the contract's schema, some only its meaning.
        response = ho_api.put(ho_export_path(batch), json=batch, request_valid=None)
        assert response.status_code == 400, (bad, response.json)
        assert field in response.json["message"]
    with ho_app.app_context():
        from sqlalchemy import select

        from headoffice.extensions import db

        assert db.session.scalars(select(SafeBalance)).all() == []
