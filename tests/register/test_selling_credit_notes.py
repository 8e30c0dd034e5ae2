"""Credit notes (avoirs, docs/selling.md): a return refunded with one, sales paid with it, never
change, never spent twice, and the balance head office sends back at the next import."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import CreditNote
from app.services.lifecycle import open_register
from app.services.selling.catalog import ean13_check_digit as check_digit
from app.sync.client import HeadOfficeClient
from app.sync.exporting import export_days
from app.sync.importing import import_register
from tests.support.helpers import DEMO_BOX_TOKEN, close_counted
from tests.support.screens import Kiosk
from tests.support.till import refused, sell


def refund_in_credit(kiosk, till, names) -> str:
    """Sell the articles by card, return them all, refund in Avoir: the credit note's code."""
    sold = sell(kiosk, till, names)
    kiosk.open("/vente?panel=return")
    kiosk.post("/vente/return", number=str(sold.number))
    for line in sold.lines:
        kiosk.post(
            f"/vente/return/lines/{line.id}",
            htmx=True,
            quantity=str(line.quantity_milli // 1000),
            unit="unit",
        )
    kiosk.post("/vente/refund", method="AV", person="RESP01", password="1234")
    refund = till.tickets(kind="return")[-1]
    [payment] = refund.payments
    return payment.reference


def pay_with_credit(kiosk, till, names, code, amount=None):
    for name in names:
        kiosk.post("/vente/scan", htmx=True, code=till.barcode(name))
    [ticket] = till.tickets(status="open")
    due = ticket.total_cents - sum(p.amount_cents for p in ticket.payments)
    typed = amount or f"{due // 100},{due % 100:02d}"
    return kiosk.post("/vente/pay", htmx=True, method="AV", amount=typed, reference=code)


def valider(kiosk, till):
    [ticket] = till.tickets(status="open")
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=ticket.uuid)
    return till.tickets(uuid=ticket.uuid)[0]


def paris_today():
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def test_a_refund_in_credit_prints_a_credit_note(kiosk, till):
    code = refund_in_credit(kiosk, till, ["Baguette tradition", "Baguette tradition"])
    assert len(code) == 13 and code.startswith("99") and check_digit(code[:12]) == code[12]
    [refund] = till.tickets(kind="return")
    [payment] = refund.payments
    last_day = paris_today() + timedelta(days=365)
    assert (payment.method_code, payment.amount_cents, payment.expires_on) == ("AV", -260, last_day)
    receipt = kiosk.page.body
    assert f"AVOIR n° {code}" in receipt
    assert f"Valable jusqu'au {last_day:%d/%m/%Y}" in receipt
    [details] = till.sql("SELECT details FROM journal_entry WHERE action = 'refund_allowed'").scalars()
    assert f'"credit_note": "{code}"' in details


def test_a_credit_note_pays_without_change_and_keeps_the_rest(kiosk, till):
    code = refund_in_credit(kiosk, till, ["Baguette tradition", "Baguette tradition"])  # 2,60 €
    pay_with_credit(kiosk, till, ["Croissant"], code, amount="5")  # 1,20 € due: no change
    first = valider(kiosk, till)
    assert [(p.method_code, p.amount_cents, p.change_cents, p.reference) for p in first.payments] == [
        ("AV", 120, None, code)
    ]
    assert "Reste sur l'avoir" in kiosk.page.body and "1,40 €" in kiosk.page.body

    pay_with_credit(kiosk, till, ["Pain au chocolat", "Pain au chocolat"], code)  # 2,70 due, 1,40 left
    [ticket] = till.tickets(status="open")
    assert [(p.method_code, p.amount_cents) for p in ticket.payments] == [("AV", 140)]
    assert ticket.total_cents - 140 == 130
    kiosk.post("/vente/pay", htmx=True, method="CB", amount="1,30")
    valider(kiosk, till)

    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/pay", htmx=True, method="AV", amount="1,20", reference=code),
        409,
        f"L'avoir n° {code} est déjà entièrement utilisé.",
    )


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Scannez ou tapez le numéro de l'avoir."),
        ("12345", "n'est pas un numéro d'avoir"),
        ("9912345678901", "n'est pas un numéro d'avoir"),  # wrong check digit: a typing slip
        ("9912345678909", "inconnu sur cette caisse"),
    ],
)
def test_bad_credit_note_codes_are_refused(kiosk, till, typed, message):
    assert check_digit("991234567890") == "9"
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/pay", htmx=True, method="AV", amount="1,20", reference=typed),
        422,
        message,
    )


def test_an_expired_credit_note_is_refused(app, kiosk, till):
    app.config["CREDIT_NOTE_VALIDITY_DAYS"] = -1  # issued already out of date
    code = refund_in_credit(kiosk, till, ["Croissant"])
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    yesterday = paris_today() - timedelta(days=1)
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/pay", htmx=True, method="AV", amount="1,20", reference=code),
        409,
        f"L'avoir n° {code} a expiré le {yesterday:%d/%m/%Y}.",
    )


def test_two_screens_cannot_spend_the_same_credit(app, kiosk, till):
    code = refund_in_credit(kiosk, till, ["Croissant"])
    pay_with_credit(kiosk, till, ["Croissant"], code)  # on the kiosk, not validated yet
    tablet = Kiosk(app.test_client())
    tablet.open("/caisse")
    tablet.post("/caisse/connect", person="VEND02", password="2222")
    tablet.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    refused(
        tablet,
        till,
        lambda: tablet.post("/vente/pay", htmx=True, method="AV", amount="1,20", reference=code),
        409,
        "déjà entièrement utilisé",
    )
    # The kiosk takes its payment back: the money is free again.
    [payment] = [t for t in till.tickets(status="open") if t.seller_code == "VEND01"][0].payments
    kiosk.post(f"/vente/payments/{payment.uuid}/remove", htmx=True)
    tablet.post("/vente/pay", htmx=True, method="AV", amount="1,20", reference=code)
    assert tablet.response.status_code == 200, tablet.page.messages


def test_head_office_keeps_the_balance_across_an_import(app, client, kiosk, till, headoffice_app):
    code = refund_in_credit(kiosk, till, ["Baguette tradition", "Baguette tradition"])  # 2,60 €
    pay_with_credit(kiosk, till, ["Baguette tradition"], code)  # 1,30 € spent
    valider(kiosk, till)
    kiosk.post("/vente/disconnect")
    with app.app_context():
        close_counted(db.session)
        with HeadOfficeClient.from_config(app.config) as ho:
            export_days(db.session, ho, "RESP01", "1234")
        db.session.remove()

    snapshot = (
        headoffice_app.test_client()
        .get("/api/v1/registers/CAISSE01/snapshot", headers={"Authorization": f"Bearer {DEMO_BOX_TOKEN}"})
        .get_json()
    )
    [note] = [n for n in snapshot["credit_notes"] if n["code"] == code]
    assert (note["balance_cents"], note["issued_cents"]) == (130, 260)

    with app.app_context():
        with HeadOfficeClient.from_config(app.config) as ho:
            import_register(db.session, ho, "CAISSE01", "VEND01", "1111")
        assert db.session.get(CreditNote, code).balance_cents == 130
        open_register(db.session, "RESP01", "1234", 15000)
        db.session.remove()
    kiosk.open("/caisse")
    kiosk.post("/caisse/connect", person="VEND01", password="1111")
    # What was spent before the export is counted once: by head office, not again here.
    pay_with_credit(kiosk, till, ["Baguette tradition", "Baguette tradition"], code, amount="9")
    [ticket] = till.tickets(status="open")
    assert [(p.method_code, p.amount_cents) for p in ticket.payments] == [("AV", 130)]


def test_credit_note_refusals_read_in_english(kiosk, till):
    kiosk.post("/lang", lang="en", next="/vente")
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/pay", htmx=True, method="AV", amount="1,20", reference="9912345678909"),
        422,
        "Credit note no. 9912345678909 is unknown on this register.",
    )
    page = kiosk.open("/vente?panel=pay")
    assert "Reference (credit note, voucher, cheque or authorisation no.)" in page.body
