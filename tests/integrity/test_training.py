"""Training mode (mode école, docs/integrity.md « Training mode »): a manager switches it on
and off with their code; while it is on, tickets are training tickets — their own numbers,
their own signed chain, FACTICE — MODE ÉCOLE on paper, no drawer — and they are in none of
the shop's figures: not the closing's expected cash, not the Z, not the export to head office.
They stay in the database, signed, and the verifier checks them like the real ones."""

import json
import sqlite3

from app.extensions import db
from app.money import format_euros
from app.services.integrity import verify_chains
from app.sync.export_body import build_batch
from tests.support.helpers import close_counted
from tests.support.till import refused, sell

SCHOOL = "FACTICE — MODE ÉCOLE"
BANNER = "MODE ÉCOLE — tickets factices"


def switch(kiosk, mode, person="RESP01", password="1234"):
    kiosk.open("/caisse/ecole")
    return kiosk.post("/caisse/ecole", mode=mode, person=person, password=password)


def manager_on(kiosk, till):
    kiosk.sign_in("/caisse/ecole")
    switch(kiosk, "on")
    assert kiosk.response.status_code == 200, kiosk.page.messages
    assert till.sql("SELECT training_since FROM box").scalar() is not None
    kiosk.open("/vente")


def manager_off(kiosk):
    switch(kiosk, "off")
    assert kiosk.response.status_code == 200, kiosk.page.messages
    kiosk.open("/vente")


def receipt_text(app, uuid):
    from app.devices.render import preview_text
    from app.models import PrintJob

    with app.app_context():
        try:
            job = db.session.query(PrintJob).filter_by(document_uuid=uuid, kind="receipt").one()
            return preview_text(job)
        finally:
            db.session.remove()


def verified(app):
    with app.app_context():
        try:
            return verify_chains(db.session)
        finally:
            db.session.remove()


def euros(cents):
    return f"{cents // 100},{cents % 100:02d}"


# --- The switch ---------------------------------------------------------------------------


def test_switching_needs_the_manage_right_and_the_managers_code(app, kiosk, till):
    # The page is a manager's: a seller is asked to sign in.
    kiosk.open("/caisse/ecole")
    assert kiosk.response.status_code in (401, 403) and "S'identifier" in kiosk.page.buttons
    kiosk.sign_in("/caisse/ecole")
    assert "Activer le mode école" in kiosk.page.buttons
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/caisse/ecole", htmx=True, mode="on", person="VEND01", password="1111"),
        403,
        "gérer",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/caisse/ecole", htmx=True, mode="on", person="RESP01", password="9999"),
        403,
        "Mot de passe incorrect",
    )
    assert [r.outcome for r in till.journal("training_on")] == ["refused", "refused"]

    page = kiosk.post("/caisse/ecole", mode="on", person="RESP01", password="1234")
    assert "Mode école activé" in " ".join(page.messages)
    assert BANNER in page.body and "Arrêter le mode école" in page.buttons
    assert [(r.outcome, r.actor_code) for r in till.journal("training_on")][-1] == ("ok", "RESP01")
    assert BANNER in kiosk.open("/vente").body  # every screen, the selling one too
    assert BANNER in kiosk.open("/").body

    kiosk.open("/caisse/ecole")
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/caisse/ecole", htmx=True, mode="on", person="RESP01", password="1234"),
        409,
        "déjà activé",
    )
    page = switch(kiosk, "off")
    assert "Mode école arrêté" in " ".join(page.messages) and BANNER not in page.body
    assert till.sql("SELECT training_since FROM box").scalar() is None
    assert [r.outcome for r in till.journal("training_off")] == ["ok"]
    assert BANNER not in kiosk.open("/vente").body


def test_the_switch_waits_until_no_ticket_is_in_progress(app, kiosk, till):
    """A ticket is training or real from start to end: switching under one is refused."""
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    kiosk.sign_in("/caisse/ecole")
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/caisse/ecole", htmx=True, mode="on", person="RESP01", password="1234"),
        409,
        "1 ticket(s) en cours",
    )
    assert till.sql("SELECT training_since FROM box").scalar() is None


# --- A training sale ----------------------------------------------------------------------


def test_a_training_sale_is_signed_in_its_own_chain_with_its_own_number(app, kiosk, till):
    real = sell(kiosk, till, ["Baguette tradition"])
    manager_on(kiosk, till)
    school = sell(kiosk, till, ["Croissant"], payments=[("ESP", "5,00", None)])
    assert school.training and school.number is None and school.training_number == 1

    chains = till.sql(
        "SELECT chain, number, kind, subject_uuid FROM signed_record"
        " WHERE chain IN ('ticket', 'training') ORDER BY id"
    ).all()
    assert [tuple(r) for r in chains] == [
        ("ticket", 1, "sale", real.uuid),
        ("training", 1, "sale", school.uuid),
    ]
    text = receipt_text(app, school.uuid)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == SCHOOL and lines[-2] == SCHOOL  # top, and bottom above the cut
    assert "Ticket ÉCOLE n° 1" in text
    # Paid in cash, yet the drawer stays shut: it holds the day's real cash only.
    assert ("drawer", school.uuid) not in [(kind, uuid) for kind, uuid, _ in till.print_jobs()]
    assert SCHOOL not in receipt_text(app, real.uuid)

    manager_off(kiosk)
    after = sell(kiosk, till, ["Baguette tradition"])
    assert after.number == 2 and not after.training  # the real numbering went on as if nothing
    assert till.sql("SELECT last_value FROM sequence WHERE name = 'ticket'").scalar() == 2
    verification = verified(app)
    assert verification.sound, verification.problems
    assert verification.counts["ticket"] == 2 and verification.counts["training"] == 1


def test_an_edited_training_ticket_is_named_by_the_verifier(app, kiosk, till):
    manager_on(kiosk, till)
    school = sell(kiosk, till, ["Croissant"])
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:  # the auditor edits the file, triggers dropped
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute("UPDATE ticket_line SET quantity_milli = 5000 WHERE ticket_id = ?", (school.id,))
    assert [(p.chain, p.number, p.what) for p in verified(app).problems] == [("training", 1, "altered")]


def test_training_tickets_are_in_no_total_no_z_no_closing_and_no_export(app, kiosk, till):
    real = sell(kiosk, till, ["Baguette tradition"], payments=[("ESP", "10,00", None)])
    manager_on(kiosk, till)
    school = sell(kiosk, till, ["Croissant", "Croissant"], payments=[("ESP", "20,00", None)])
    by_card = sell(kiosk, till, ["Croissant"])
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))  # cancelled in training
    [open_one] = till.tickets(status="open")
    kiosk.post("/vente/cancel", ticket=open_one.uuid, person="RESP01", password="1234", reason="Exercice")
    [cancelled] = till.tickets(uuid=open_one.uuid)
    assert cancelled.status == "cancelled" and cancelled.training and cancelled.training_number == 3
    assert cancelled.number is None
    kinds = till.sql(
        "SELECT chain, number, kind FROM signed_record WHERE chain = 'training' ORDER BY number"
    ).all()
    assert [tuple(r) for r in kinds] == [
        ("training", 1, "sale"),
        ("training", 2, "sale"),
        ("training", 3, "cancel"),
    ]
    manager_off(kiosk)
    kiosk.post("/vente/disconnect")

    # The closing expects the float and the real sale's cash, nothing of the training.
    kiosk.open("/caisse")
    kiosk.post("/caisse/close", person="RESP01", password="1234")
    expected = 15000 + real.total_cents
    assert kiosk.response.request.path == "/fermeture"
    assert euros(expected) in kiosk.page.body, kiosk.page.body
    with app.app_context():
        from app.services.closing import summarise_day
        from app.services.lifecycle import register_state

        day = register_state(db.session).open_day
        summary = summarise_day(db.session, day, full=True)
        assert summary.cash.expected_cents == expected
        assert (summary.ticket_count, summary.cancelled_count, summary.net_cents) == (1, 0, real.total_cents)
        close_counted(db.session)
        db.session.remove()

    day = till.sql("SELECT id, ticket_count, sales_total_cents, grand_total_cents FROM register_day").one()
    assert (day.ticket_count, day.sales_total_cents, day.grand_total_cents) == (
        1,
        real.total_cents,
        real.total_cents,
    )
    expected_cash = till.sql("SELECT expected_cents FROM closing_line WHERE method_code = 'ESP'").scalar()
    assert expected_cash == expected
    z = json.loads(till.sql("SELECT payload FROM print_job WHERE kind = 'z_report'").scalar())
    sales = dict(next(s for s in z["sections"] if s["title"] == "Ventes")["rows"])
    assert sales["Nombre de tickets"] == "1" and sales["Ventes (1)"] == format_euros(real.total_cents)
    assert sales["Annulations (0)"] == format_euros(0)
    payments = dict(next(s for s in z["sections"] if s["title"] == "Paiements")["rows"])
    assert payments == {"Espèces (1)": format_euros(real.total_cents)}

    def batch():
        from app.models import Box, RegisterDay, Staff

        days = list(db.session.scalars(db.select(RegisterDay)))
        return build_batch(
            db.session,
            "b1",
            db.session.get(Box, 1),
            "CAISSE01",
            "BOUTIQUE01",
            days,
            db.session.get(Staff, "RESP01"),
            None,
        )

    exported = till._run(batch)
    assert [t["uuid"] for d in exported["days"] for t in d["tickets"]] == [real.uuid]
    assert school.uuid not in json.dumps(exported) and by_card.uuid not in json.dumps(exported)
    assert verified(app).sound


def test_a_training_return_takes_back_a_training_sale_only(app, kiosk, till):
    """Neither kind refunds, nor uses up the returnable quantities of, the other kind."""
    sell(kiosk, till, ["Baguette tradition"])
    sell(kiosk, till, ["Baguette tradition"])
    manager_on(kiosk, till)
    school = sell(kiosk, till, ["Croissant"])
    page = kiosk.post("/vente/return", number="2")  # real ticket 2: no training ticket 2
    assert any("Aucun ticket de vente n° 2" in m for m in page.messages), page.messages
    kiosk.post("/vente/return", number="1")
    [giving_back] = till.tickets(status="open")
    assert giving_back.training and giving_back.original.uuid == school.uuid
    line = school.lines[0]
    kiosk.post(f"/vente/return/lines/{line.id}", htmx=True, quantity="1")
    kiosk.post("/vente/refund", method="AV", person="RESP01", password="1234")
    [back] = till.tickets(uuid=giving_back.uuid)
    assert (back.status, back.training, back.training_number, back.number) == ("finished", True, 2, None)
    text = receipt_text(app, back.uuid)
    assert "RETOUR ÉCOLE n° 2" in text and "Retour du ticket n° 1" in text and SCHOOL in text
    # Its credit note is a training one: a real sale does not know it.
    code = back.payments[0].reference
    manager_off(kiosk)
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    page = kiosk.post("/vente/pay", htmx=True, method="AV", amount="1,00", reference=code)
    assert any("inconnu" in m for m in page.messages), page.messages
    assert till.sql("SELECT COUNT(*) FROM signed_record WHERE chain = 'ticket'").scalar() == 2
    assert verified(app).sound


def test_the_migration_goes_down_and_up_keeping_the_tickets_and_their_triggers(app, kiosk, till, db_path):
    """Plain ADD/DROP COLUMN: the ticket table is not copied, its triggers stay."""
    from flask_migrate import downgrade, upgrade

    from app import create_app
    from tests.support.helpers import register_config

    sold = sell(kiosk, till, ["Croissant"])
    other = create_app(register_config(db_path))
    with other.app_context():
        downgrade(revision="-1")  # the migration before this one
        upgrade()
        db.engine.dispose()
    connection = sqlite3.connect(db_path)
    assert connection.execute(
        "SELECT number, training FROM ticket WHERE uuid = ?", (sold.uuid,)
    ).fetchone() == (1, 0)
    triggers = {
        name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    connection.close()
    assert {"ticket_final_no_update", "ticket_final_no_delete"} <= triggers


def test_the_banner_and_the_page_read_in_english(app, kiosk, till):
    manager_on(kiosk, till)
    kiosk.post("/lang", lang="en", next="/vente")
    assert "TRAINING MODE" in kiosk.open("/vente").body
    page = kiosk.open("/caisse/ecole")
    assert "Stop training mode" in page.buttons and "Fictitious tickets" in page.body
