"""Card transactions (issue 17, item 7; docs/card-transactions.md): the Liste des transactions
with date, cashier, amount, currency and status, its filters, Annuler (the open day only) and
Remboursement manuel, each with its right, each a numbered document signed in the card chain,
in the day's card total and in the export; and what bad input gets: a message, nothing changed."""

import re

import pytest

from app.extensions import db
from app.services.closing.summary import summarise_day
from app.services.integrity import verify_chains
from app.services.lifecycle import register_state
from tests.support.past import another_day
from tests.support.screens import Kiosk
from tests.support.till import refused, sell

MANAGER = {"person": "RESP01", "password": "1234"}


@pytest.fixture
def manager(app, kiosk):
    """A manager signed in on a tablet beside the kiosk's open till, on the list."""
    screen = Kiosk(app.test_client())
    screen.sign_in("/caisse/transactions")
    return screen


def listing(screen, query=""):
    """The list's rows as (status, amount, cashier, has Annuler) the way a person reads them."""
    page = screen.open("/caisse/transactions" + query)
    assert screen.response.status_code == 200, page.messages
    html = screen.response.get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        cells = [" ".join(c.split()) for c in cells]
        rows.append((cells[4], cells[2], cells[1], cells[3], "Annuler" in cells[5]))
    return rows


def payment_uuid(till, ticket):
    [payment] = [p for p in ticket.payments if p.method_code == "CB"]
    return payment.uuid


def cancel(screen, uuid, **fields):
    screen.open(f"/caisse/transactions/{uuid}/annuler")
    return screen.post(f"/caisse/transactions/{uuid}/annuler", htmx=True, **{**MANAGER, **fields})


def manual_refund(screen, **fields):
    screen.open("/caisse/transactions/remboursement")
    form = {"amount": "12,00", "method": "CB", "reason": "Caisse tombée en panne", **MANAGER, **fields}
    form.setdefault("document", screen.page.inputs["document"]["value"])
    return screen.post("/caisse/transactions/remboursement", htmx=True, **form)


def documents(till):
    return till.sql(
        "SELECT number, status, method_code, amount_cents, cancels_uuid, created_by_code"
        " FROM card_transaction ORDER BY number"
    ).all()


def card_expected(app):
    with app.app_context():
        state = register_state(db.session)
        row = summarise_day(db.session, state.open_day).method("CB")
        db.session.remove()
    return row.payments_cents, row.expected_cents


def test_card_payments_are_listed_with_date_cashier_amount_currency_and_status(kiosk, manager, till):
    card = sell(kiosk, till, ["Baguette tradition"])
    sell(kiosk, till, ["Croissant"], [("ESP", "5,00", None)])  # cash: not a card transaction
    rows = listing(manager)
    euros = f"{card.total_cents // 100},{card.total_cents % 100:02d}"
    assert [(status, amount, cashier, currency) for status, amount, cashier, currency, _ in rows] == [
        (f"Paiement · ticket {card.number}", f"{euros} €", "VEND01", "EUR")
    ]
    assert rows[0][4]  # Annuler, on the open day's payment
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", manager.page.body)


def test_a_return_refunded_on_the_card_is_a_remboursement(kiosk, manager, till):
    sold = sell(kiosk, till, ["Baguette tradition"])
    kiosk.open("/vente?panel=return")
    kiosk.post("/vente/return", number=str(sold.number))
    kiosk.post(f"/vente/return/lines/{sold.lines[0].id}", htmx=True, quantity="1", unit="unit")
    kiosk.post("/vente/refund", method="CB", person="RESP01", password="1234")
    statuses = [row[0].split(" · ")[0] for row in listing(manager)]
    assert sorted(statuses) == ["Paiement", "Remboursement"]


def test_annuler_cancels_the_payment_in_the_days_card_total_signed_and_journaled(app, kiosk, manager, till):
    ticket = sell(kiosk, till, ["Baguette tradition", "Croissant"])
    assert card_expected(app) == (ticket.total_cents, ticket.total_cents)
    cancel(manager, payment_uuid(till, ticket))
    assert manager.response.headers["HX-Redirect"] == "/caisse/transactions"
    [document] = documents(till)
    assert document[1:] == ("payment_cancel", "CB", ticket.total_cents, payment_uuid(till, ticket), "RESP01")
    # The sale stays a sale; the card total the bank pays is back to nothing.
    assert card_expected(app) == (ticket.total_cents, 0)
    assert till.tickets(uuid=ticket.uuid)[0].status == "finished"
    rows = listing(manager)
    assert [(r[0], r[4]) for r in rows] == [
        (f"Annulation du paiement · n° {document.number}", False),
        (f"Paiement · ticket {ticket.number} annulé (n° {document.number})", False),
    ]
    assert till.journal("cancel_card_transaction", "ok")
    [signed] = till.sql("SELECT kind, subject_uuid FROM signed_record WHERE chain = 'card'").all()
    assert signed.kind == "payment_cancel"
    with app.app_context():
        report = verify_chains(db.session)
        db.session.remove()
    assert report.sound, report.problems
    assert till.sql(
        "SELECT count(*) FROM signed_record WHERE chain = 'event' AND kind = 'cancel_card_transaction'"
    )


def test_the_z_counts_the_cancelled_payment_out_of_the_card_total(app, kiosk, manager, till):
    from tests.support.helpers import close_counted

    kept = sell(kiosk, till, ["Croissant"])
    gone = sell(kiosk, till, ["Baguette tradition"])
    cancel(manager, payment_uuid(till, gone))
    kiosk.post("/vente/disconnect")
    with app.app_context():
        day = close_counted(db.session)
        db.session.remove()
    line = till.sql("SELECT payments_cents, expected_cents FROM closing_line WHERE method_code = 'CB'").one()
    assert tuple(line) == (kept.total_cents + gone.total_cents, kept.total_cents)
    z = till.sql("SELECT payload FROM print_job WHERE kind = 'z_report'").scalar()
    assert "Transactions carte" in z and "Paiements annulés (1)" in z
    assert "Carte Bancaire net" in z
    assert day is not None


def test_a_manual_refund_is_a_document_out_of_the_card_total_and_may_be_cancelled(app, kiosk, manager, till):
    ticket = sell(kiosk, till, ["Baguette tradition", "Croissant"])
    manual_refund(manager, amount="1,50")
    assert manager.response.headers["HX-Redirect"] == "/caisse/transactions"
    [refund] = documents(till)
    assert refund[1:] == ("refund", "CB", 150, None, "RESP01")
    assert card_expected(app) == (ticket.total_cents, ticket.total_cents - 150)
    refund_uuid = till.sql("SELECT uuid FROM card_transaction").scalar()
    cancel(manager, refund_uuid)
    assert [d.status for d in documents(till)] == ["refund", "refund_cancel"]
    assert [d.number for d in documents(till)] == [refund.number, refund.number + 1]  # gapless
    assert card_expected(app) == (ticket.total_cents, ticket.total_cents)
    assert till.journal("manual_card_refund", "ok")
    statuses = [r[0].split(" · ")[0] for r in listing(manager)]
    assert statuses == ["Annulation du remboursement", "Remboursement", "Paiement"]


def test_a_double_tap_on_the_manual_refund_writes_one_document(kiosk, manager, till):
    manual_refund(manager)
    uuid = till.sql("SELECT uuid FROM card_transaction").scalar()
    manager.post(
        "/caisse/transactions/remboursement",
        htmx=True,
        amount="12,00",
        method="CB",
        reason="Caisse tombée en panne",
        document=uuid,
        **MANAGER,
    )
    assert manager.response.status_code == 200
    assert len(documents(till)) == 1


@pytest.fixture
def paid(kiosk, till):
    return sell(kiosk, till, ["Baguette tradition"])


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"password": "0000"}, 403, "Mot de passe incorrect."),
        ({"person": "VEND02", "password": "2222"}, 403, "(annuler une transaction par carte)"),
        ({"person": "NOBODY"}, 403, "Choisissez une personne connue de cette caisse."),
    ],
)
def test_bad_cancellations(manager, till, paid, fields, status, message):
    uuid = payment_uuid(till, paid)
    manager.open(f"/caisse/transactions/{uuid}/annuler")
    refused(
        manager,
        till,
        lambda: manager.post(f"/caisse/transactions/{uuid}/annuler", htmx=True, **{**MANAGER, **fields}),
        status,
        message,
    )


def test_cancelling_twice_is_refused(manager, till, paid):
    uuid = payment_uuid(till, paid)
    manager.open(f"/caisse/transactions/{uuid}/annuler")
    manager.post(f"/caisse/transactions/{uuid}/annuler", htmx=True, **MANAGER)
    [document] = documents(till)
    # The second tap of a double tap: the same form sent again.
    refused(
        manager,
        till,
        lambda: manager.post(f"/caisse/transactions/{uuid}/annuler", htmx=True, **MANAGER),
        409,
        f"Cette transaction a déjà été annulée (document n° {document.number}).",
    )
    cancellation = till.sql("SELECT uuid FROM card_transaction").scalar()
    refused(
        manager,
        till,
        lambda: manager.post(f"/caisse/transactions/{cancellation}/annuler", htmx=True, **MANAGER),
        409,
        "Une annulation ne peut pas être annulée.",
    )
    refused(
        manager,
        till,
        lambda: manager.post("/caisse/transactions/not-a-payment/annuler", htmx=True, **MANAGER),
        422,
        "Transaction inconnue.",
    )
    assert till.journal("cancel_card_transaction", "refused")


def test_another_days_payment_is_not_cancelled(app, kiosk, manager, till):
    """Yesterday's payment: its day is closed and its Z signed. The list shows no Annuler, and
    the cancellation itself is refused with a message that says why and what to do."""
    from tests.support.past import close

    old = sell(kiosk, till, ["Baguette tradition"])
    close(app, kiosk)
    another_day(app, kiosk, till, [["Croissant"]], closed=False)
    uuid = payment_uuid(till, old)
    rows = listing(manager, "?toutes=1")
    assert [(r[0].split(" · ")[0], r[4]) for r in rows] == [("Paiement", True), ("Paiement", False)]
    refused(
        manager,
        till,
        lambda: manager.post(f"/caisse/transactions/{uuid}/annuler", htmx=True, **MANAGER),
        409,
        "Seule une transaction de la journée en cours peut être annulée : celle-ci date de la journée n° 1",
    )
    manager.open(f"/caisse/transactions/{uuid}/annuler")
    assert manager.response.status_code == 409
    assert any("journée n° 1" in m for m in manager.page.messages), manager.page.messages


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"amount": "-5"}, 422, "Le montant ne peut pas être négatif."),
        ({"amount": "0"}, 422, "Le montant doit être entre 0,01 € et 10 000,00 €."),
        ({"amount": "10000,01"}, 422, "Le montant doit être entre 0,01 € et 10 000,00 €."),
        ({"amount": "10,005"}, 422, "n'est pas un montant"),
        ({"amount": "1e3"}, 422, "n'est pas un montant"),
        ({"amount": ""}, 422, "Saisissez un montant."),
        ({"method": "ESP"}, 422, "un remboursement manuel se fait sur la carte"),
        ({"method": "XX"}, 422, "un remboursement manuel se fait sur la carte"),
        ({"reason": "  "}, 422, "Donnez le motif du remboursement."),
        ({"password": "0000"}, 403, "Mot de passe incorrect."),
        ({"person": "VEND02", "password": "2222"}, 403, "(remboursement manuel par carte)"),
        ({"document": "x" * 5000}, 422, "Ce formulaire est incomplet : rouvrez-le."),
        ({"document": ""}, 422, "Ce formulaire est incomplet : rouvrez-le."),
    ],
)
def test_bad_manual_refunds(manager, till, fields, status, message):
    refused(manager, till, lambda: manual_refund(manager, **fields), status, message)


def test_nothing_is_written_on_a_closed_register(app, kiosk, manager, till, paid):
    from tests.support.past import close

    close(app, kiosk)
    before = till.dump()
    page = manager.open("/caisse/transactions/remboursement")
    assert manager.response.status_code == 409
    assert any("La caisse n'est pas ouverte." in m for m in page.messages), page.messages
    assert till.dump() == before
    rows = listing(manager, "?toutes=1")
    assert [r[4] for r in rows] == [False]  # no Annuler on a closed day


# --- the list's filters -------------------------------------------------------------------


@pytest.fixture
def three(kiosk, manager, till):
    """A card payment by VEND01, a manual refund of 1,50 by RESP01, a cancelled payment."""
    first = sell(kiosk, till, ["Baguette tradition"])
    manual_refund(manager, amount="1,50")
    second = sell(kiosk, till, ["Croissant"])
    cancel(manager, payment_uuid(till, second))
    return first, second


def test_the_list_filters_on_status_cashier_amount_and_dates(manager, three, till):
    def statuses(query):
        return [r[0].split(" · ")[0] for r in listing(manager, query)]

    assert statuses("?statut=refund") == ["Remboursement"]
    assert statuses("?statut=payment_cancel") == ["Annulation du paiement"]
    assert statuses("?caissier=RESP01") == ["Annulation du paiement", "Remboursement"]
    assert statuses("?caissier=VEND01") == ["Paiement", "Paiement"]
    assert statuses("?montant=1,50") == ["Remboursement"]
    today = manager.page.inputs["du"]["value"] if "du" in manager.page.inputs else None
    assert today  # the list opens on today
    assert len(statuses("")) == 4
    assert statuses("?du=01/01/2020&au=31/12/2020") == []
    assert len(statuses("?toutes=1")) == 4


@pytest.mark.parametrize(
    "query, message",
    [
        ("?montant=abc", "n'est pas un montant"),
        ("?montant=1,001", "n'est pas un montant"),
        ("?du=31/02/2026", "n'est pas une date"),
        ("?au=demain", "n'est pas une date"),
        ("?du=02/01/2026&au=01/01/2026", "La date de début est après la date de fin."),
        ("?statut=melted", "Statut inconnu."),
        ("?page=-1&toutes=1", None),
    ],
)
def test_the_list_refuses_filters_it_cannot_read(manager, three, till, query, message):
    before = till.dump()
    page = manager.open("/caisse/transactions" + query)
    if message is None:  # a page number it cannot read is the first page
        assert manager.response.status_code == 200
    else:
        assert manager.response.status_code == 422
        assert any(message in m for m in page.messages), page.messages
    assert till.dump() == before


def test_the_list_pages_through_older_transactions(manager, three, monkeypatch):
    monkeypatch.setattr("app.services.cards.listing.PAGE", 3)
    assert len(listing(manager)) == 3 and "Transactions plus anciennes" in manager.page.body
    older = re.search(
        r'href="(/caisse/transactions\?[^"]*page=1[^"]*)"', manager.response.get_data(as_text=True)
    )
    assert (
        len(listing(manager, older.group(1).replace("&amp;", "&").removeprefix("/caisse/transactions"))) == 1
    )


def test_the_list_needs_a_person_and_is_on_the_register_menu(app, kiosk, till):
    nobody = Kiosk(app.test_client())
    nobody.open("/caisse/transactions")
    assert nobody.response.status_code in (401, 403)
    assert "S'identifier" in nobody.page.buttons
    assert 'href="/caisse/transactions"' in kiosk.client.get("/caisse").get_data(as_text=True)


# --- signed, exported, accepted -----------------------------------------------------------


def test_a_changed_or_removed_card_document_is_named_by_the_verifier(app, kiosk, manager, till):
    from tests.support.auditor import edit_database

    manual_refund(manager, amount="3,00")
    manual_refund(manager, amount="4,00")
    edit_database(app, "UPDATE card_transaction SET amount_cents = 30 WHERE number = 1")
    edit_database(app, "DELETE FROM card_transaction WHERE number = 2")
    with app.app_context():
        report = verify_chains(db.session)
        db.session.remove()
    assert [(p.chain, p.number, p.what) for p in report.problems] == [
        ("card", 1, "altered"),
        ("card", 2, "altered"),
    ]
    assert "amount_cents" in report.problems[0].detail
    assert "no longer there" in report.problems[1].detail


def test_a_card_document_whose_record_is_deleted_is_named_missing(app, kiosk, manager, till):
    from tests.support.signed_days import edit, problems

    manual_refund(manager, amount="3,00")
    manual_refund(manager, amount="4,00")
    edit(app, "DELETE FROM signed_record WHERE chain = 'card' AND number = 2")
    assert ("card", None, "missing", "card transaction n°2 has no signed record") in problems(app)


def test_the_days_card_documents_go_to_head_office_within_the_contract(
    app, kiosk, manager, till, headoffice, headoffice_app
):
    from app.sync.client import HeadOfficeClient
    from app.sync.exporting import export_days
    from tests.support.contract import validate_exchange
    from tests.support.helpers import DEMO_HEADOFFICE_TOKEN
    from tests.support.past import close

    ticket = sell(kiosk, till, ["Baguette tradition", "Croissant"])
    cancel(manager, payment_uuid(till, ticket))
    manual_refund(manager, amount="2,00")
    close(app, kiosk)
    with app.app_context():
        with HeadOfficeClient.from_config(app.config) as client:
            export_days(db.session, client, "RESP01", "1234")
        db.session.remove()
    sent = [(r, answer) for r, answer in headoffice.exchanges if r.method == "PUT"]
    assert [answer.status_code for _, answer in sent] == [201]
    for request, answer in headoffice.exchanges:
        validate_exchange(request, answer)
    auth = {"Authorization": f"Bearer {DEMO_HEADOFFICE_TOKEN}"}
    pulled = headoffice_app.test_client()
    [listed] = pulled.get("/api/v1/exports", headers=auth).get_json()["exports"]
    batch = pulled.get(f"/api/v1/exports/{listed['batch_id']}", headers=auth).get_json()["batch"]
    [day] = batch["days"]
    assert [(d["status"], d["amount_cents"], d["cancels_uuid"]) for d in day["card_transactions"]] == [
        ("payment_cancel", ticket.total_cents, payment_uuid(till, ticket)),
        ("refund", 200, None),
    ]
    [card_line] = [line for line in day["closing_lines"] if line["method_code"] == "CB"]
    assert (card_line["payments_cents"], card_line["expected_cents"]) == (ticket.total_cents, -200)
    assert len(batch["integrity"]["chains"]["card"]["records"]) == 2


# A day as contract 1.4.0 exported it. A day with none of 1.5.0's documents keeps exactly
# these keys: head office compares a day sent again with the text it holds (a 409 otherwise).
DAY_KEYS_1_4 = set(
    "uuid number opened_at opened_by opening_float_cents closed_at closed_by forced ticket_count"
    " sales_total_cents withdrawal_cents grand_total_cents tickets cash_movements cash_counts"
    " closing_lines opening_lines".split()
)


def exported_days(till) -> list[dict]:
    """The closed days as the export carries them, built as Exporter builds them."""
    from app.models import Box, RegisterDay, Staff
    from app.sync.export_body import build_batch

    def build():
        days = db.session.scalars(
            db.select(RegisterDay).where(RegisterDay.closed_at.is_not(None)).order_by(RegisterDay.number)
        )
        box, person = db.session.get(Box, 1), db.session.get(Staff, "RESP01")
        return build_batch(db.session, "b", box, "CAISSE01", "BOUTIQUE01", list(days), person, None)["days"]

    return till._run(build)


def test_card_transactions_are_exported_only_on_a_day_that_has_some(app, kiosk, manager, till):
    from tests.support.past import close

    sell(kiosk, till, ["Baguette tradition"])  # paid by card: a payment, not a document
    close(app, kiosk)
    another_day(app, kiosk, till, [["Croissant"]], closed=False)
    manual_refund(manager, amount="2,00")
    close(app, kiosk)
    plain, with_documents = exported_days(till)
    assert "card_transactions" not in plain and set(plain) == DAY_KEYS_1_4
    assert [d["status"] for d in with_documents["card_transactions"]] == ["refund"]
    assert exported_days(till) == [plain, with_documents]  # a day sent again is the same text


def test_the_database_itself_refuses_a_second_cancellation_of_one_transaction(
    app, kiosk, manager, till, paid
):
    """What makes two tablets write one cancellation, whatever a service forgot to check."""
    import sqlalchemy

    cancel(manager, payment_uuid(till, paid))
    with app.app_context():
        with pytest.raises(sqlalchemy.exc.IntegrityError):
            db.session.execute(
                db.text(
                    "INSERT INTO card_transaction (uuid, register_code, day_id, number, status, method_code,"
                    " method_name, amount_cents, cancels_uuid, reason, created_at, created_by_code,"
                    " created_by_name) SELECT 'other', register_code, day_id, number + 1, status,"
                    " method_code, method_name, amount_cents, cancels_uuid, reason, created_at,"
                    " created_by_code, created_by_name FROM card_transaction"
                )
            )
        db.session.rollback()
        db.session.remove()
    assert len(documents(till)) == 1
