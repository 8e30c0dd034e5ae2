"""The safe across closing, export and import (docs/safe.md): what the safe's methods leave
in the drawer goes to the safe at closing; each box sends its movements with its days; head
office applies them and holds the authoritative balance; after the next import the box shows
head office's balance without counting its own movements twice."""

import httpx
import pytest

from app.extensions import db
from app.models import SafeMovement
from app.services.closing import suggested_float
from app.services.closing.safe import read_safe, shop_with_safe
from app.services.closing.safe_movements import SafeOperation, new_safe_movement, record_safe_movement
from app.services.errors import HeadOfficeProblem
from app.services.lifecycle import open_register, register_state
from app.sync.client import HeadOfficeClient
from app.sync.exporting import ExportPending, export_days
from app.sync.importing import import_register
from app.sync.snapshot import validate_snapshot
from tests.support.helpers import close_counted, dump_database
from tests.support.safe import headoffice_safe, safe_at_headoffice


@pytest.fixture
def client_for(app):
    return lambda: HeadOfficeClient.from_config(app.config)


@pytest.fixture
def open_safe(app, ctx, headoffice_app, client_for):
    """The shop keeps a safe at head office (300 € of cash in it); CAISSE01 imported and
    opened with 150 €."""
    safe_at_headoffice(headoffice_app, balances={"ESP": 30000})
    with client_for() as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    open_register(db.session, "RESP01", "1234", 15000)


def deposit(cents, kind="in", method="ESP", payer_kind="customer", payer="Banque"):
    return record_safe_movement(
        db.session,
        "RESP01",
        "1234",
        SafeOperation(kind, cents, method, payer_kind, payer, "Fonds"),
        movement_uuid=new_safe_movement(),
    ).movement


def balances() -> dict:
    safe = read_safe(db.session, shop_with_safe(db.session))
    db.session.rollback()
    return {m.code: m.total_cents for m in safe.methods}


def close(**request):
    return close_counted(db.session, **request)


def test_closing_sends_what_the_safe_s_methods_leave_in_the_drawer(app, open_safe):
    """150 € of float and 40 € paid by cheque (an RC of a cheque stands for the sale): the
    closing withdraws 50 € of cash; the 100 € left and the 40 € of cheques go to the safe; the
    next float suggested is nothing, the drawer having been emptied."""
    from app.services.closing.cash import record_cash_movement

    record_cash_movement(db.session, "RESP01", "1234", "in", 4000, "Chèque reçu", method_code="CHQ")
    day = close(withdrawal_cents=5000)
    rows = db.session.scalars(db.select(SafeMovement).order_by(SafeMovement.number)).all()
    assert [(m.method_code, m.kind, m.amount_cents, m.at_closing) for m in rows] == [
        ("ESP", "in", 10000, True),
        ("CHQ", "in", 4000, True),
    ]
    assert balances() == {"ESP": 40000, "CHQ": 4000, "TS": 0}
    assert day.withdrawal_cents == 15000  # the typed 50 € and the 100 € sent to the safe
    assert suggested_float(db.session, "CAISSE01") == 0
    from app.models import CashMovement

    closing_dcs = db.session.scalars(
        db.select(CashMovement).where(CashMovement.closing_withdrawal.is_(True)).order_by(CashMovement.number)
    ).all()
    assert [(m.method_code, m.amount_cents) for m in closing_dcs] == [
        ("ESP", 5000),
        ("ESP", 10000),
        ("CHQ", 4000),
    ]
    assert {m.cash_movement_uuid for m in rows} == {m.uuid for m in closing_dcs[1:]}
    from app.services.integrity import verify_chains

    assert verify_chains(db.session).sound


def test_what_the_closing_sends_to_the_safe_leaves_its_closing_line_and_the_next_opening(app, open_safe):
    """The closing lines say what the drawer keeps, and the next opening counts from them: what
    went to the safe is withdrawn there too, so the opening finds an empty drawer instead of
    asking for 100 € of cash and 40 € of cheques the safe now holds."""
    from app.models import ClosingLine
    from app.services.closing.cash import record_cash_movement
    from app.services.opening import carried_balances

    record_cash_movement(db.session, "RESP01", "1234", "in", 4000, "Chèque reçu", method_code="CHQ")
    day = close(withdrawal_cents=5000)
    lines = db.session.scalars(db.select(ClosingLine).where(ClosingLine.day_id == day.id)).all()
    kept = {line.method_code: (line.withdrawal_cents, line.remaining_cents) for line in lines}
    assert kept["ESP"] == (15000, 0) and kept["CHQ"] == (4000, 0)
    assert carried_balances(db.session, "CAISSE01")["ESP"] == 0
    assert carried_balances(db.session, "CAISSE01")["CHQ"] == 0


def test_without_the_safe_a_closing_leaves_the_drawer_as_it_was(app, ctx, client_for):
    with client_for() as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    open_register(db.session, "RESP01", "1234", 15000)
    close()
    assert db.session.scalars(db.select(SafeMovement)).all() == []
    assert suggested_float(db.session, "CAISSE01") == 15000


def test_head_office_applies_the_movements_and_the_box_does_not_count_them_twice(
    app, open_safe, headoffice_app, client_for
):
    deposit(2000)
    deposit(5000, kind="out")
    close(withdrawal_cents=15000)  # the drawer emptied by hand: nothing left for the safe
    before = balances()
    assert before == {"ESP": 27000, "CHQ": 0, "TS": 0}
    with client_for() as client:
        export_days(db.session, client, "RESP01", "1234")
    assert headoffice_safe(headoffice_app)["ESP"] == (3, 32000, 5000)
    with client_for() as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    assert balances() == before  # head office's balance now holds the movements, counted once
    safe = read_safe(db.session, shop_with_safe(db.session))
    assert safe.initial_cents == 27000 and safe.method("ESP").operation_count == 3
    db.session.rollback()


def test_a_batch_sent_again_moves_head_office_s_safe_once(
    app, open_safe, headoffice, headoffice_app, client_for
):
    """Head office stored the batch but its answer was lost: the batch sent again is
    acknowledged as received, and the safe's movements are applied once."""
    deposit(2000)
    close(withdrawal_cents=15000)
    real = headoffice.real

    def stores_then_times_out(request):
        real.handle_request(request).read()
        raise httpx.ReadTimeout("answer lost", request=request)

    headoffice.override = stores_then_times_out
    with pytest.raises(ExportPending), client_for() as client:
        export_days(db.session, client, "RESP01", "1234")
    headoffice.override = None
    with client_for() as client:
        export_days(db.session, client, "RESP01", "1234")
    assert register_state(db.session).code == "A"
    assert headoffice_safe(headoffice_app)["ESP"] == (2, 32000, 0)


@pytest.mark.parametrize(
    "safe, problem",
    [
        ({"methods": "x"}, "methods"),
        (
            {
                "methods": [
                    {"method_code": "ESP", "operation_count": 1, "deposits_cents": -1, "withdrawals_cents": 0}
                ]
            },
            "ESP",
        ),
        ({"methods": [], "limit_cents": "1000"}, "limit_cents"),
        ({"methods": [], "limit_days": 0}, "limit_days"),
        ({"methods": [], "since": "hier"}, "since"),
    ],
)
def test_a_snapshot_with_a_safe_the_box_cannot_read_is_refused_whole(app, ctx, headoffice_app, safe, problem):
    from headoffice.models import Register, Shop
    from headoffice.snapshot import snapshot_content

    with headoffice_app.app_context():
        shop = headoffice_app.extensions["sqlalchemy"].session.scalars(db.select(Shop)).first()
        register = headoffice_app.extensions["sqlalchemy"].session.scalars(db.select(Register)).first()
        snapshot = {"version": "x", **snapshot_content(shop, register)}
    snapshot["safe"] = safe
    before = dump_database()
    with pytest.raises(HeadOfficeProblem, match=problem):
        validate_snapshot(snapshot, "CAISSE01")
    assert dump_database() == before


def test_the_time_limit_reminds_to_take_the_safe_to_the_bank(app, ctx, headoffice_app, client_for):
    """Head office's safe has held money for 10 days without a withdrawal, the time limit is 7
    days: the reminder shows; a withdrawal (to the bank) resets its clock."""
    from datetime import timedelta

    from app.models import utcnow

    safe_at_headoffice(
        headoffice_app, limit_days=7, balances={"ESP": 30000}, since=utcnow() - timedelta(days=10)
    )
    with client_for() as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    open_register(db.session, "RESP01", "1234", 15000)
    safe = read_safe(db.session, shop_with_safe(db.session))
    db.session.rollback()
    assert safe.warnings == [
        "Le coffre-fort n'a pas été vidé depuis 10 jours (limite : 7 jours) :"
        " effectuez un retrait du coffre-fort à la banque."
    ]
    deposit(10000, kind="out")
    safe = read_safe(db.session, shop_with_safe(db.session))
    db.session.rollback()
    assert safe.warnings == []


def test_a_safe_movement_changed_or_removed_behind_the_box_s_back_is_named(app, open_safe):
    from app.services.integrity import verify_chains

    first, second = deposit(1000), deposit(2000)
    db.session.execute(
        db.text("UPDATE safe_movement SET amount_cents = 100000 WHERE uuid = :u"), {"u": first.uuid}
    )
    db.session.execute(db.text("DELETE FROM safe_movement WHERE uuid = :u"), {"u": second.uuid})
    db.session.commit()
    problems = verify_chains(db.session).problems
    assert [(p.chain, p.number, p.what) for p in problems] == [("safe", 1, "altered"), ("safe", 2, "altered")]
    assert "amount_cents" in problems[0].detail


def test_the_snapshot_s_safe_and_a_day_s_safe_movements_follow_the_contract(
    app, ctx, headoffice, headoffice_app, client_for
):
    from tests.support.contract import validate_exchange

    safe_at_headoffice(headoffice_app, limit_cents=100000, limit_days=7, balances={"ESP": 30000})
    with client_for() as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        open_register(db.session, "RESP01", "1234", 15000)
        deposit(2000, payer_kind="employee", payer="VEND01")
        close()
        export_days(db.session, client, "RESP01", "1234")
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    sent = [r for r, _ in headoffice.exchanges if r.method == "PUT"]
    assert len(sent) == 1
    snapshots = [response.json() for r, response in headoffice.exchanges if r.url.path.endswith("/snapshot")]
    assert snapshots[0]["safe"]["methods"] == [
        {"method_code": "ESP", "operation_count": 1, "deposits_cents": 30000, "withdrawals_cents": 0}
    ]
    assert snapshots[1]["safe"]["methods"][-1]["operation_count"] == 3  # the deposit and the closing's
    for request, response in headoffice.exchanges:
        validate_exchange(request, response)


def test_an_automatic_closing_leaves_the_drawer_to_the_people(app, client, headoffice_app, clock, till):
    """« Clôture automatique de la journée »: nobody counted, nobody carried the drawer to the
    safe — the safe does not move."""
    from app.sync.jobs import auto_close_job
    from tests.support.schedule import paris, set_schedule
    from tests.support.till import open_till

    safe_at_headoffice(headoffice_app, balances={"ESP": 30000})
    set_schedule(headoffice_app, auto_close="22:00")
    clock.at(paris("2026-12-01 09:00"))
    open_till(app, client)
    clock.at(paris("2026-12-01 22:00:30"))
    assert auto_close_job(app) == "closed"
    assert till.sql("SELECT count(*) FROM safe_movement").scalar() == 0
    assert till.sql("SELECT count(*) FROM cash_movement WHERE closing_withdrawal").scalar() == 0
