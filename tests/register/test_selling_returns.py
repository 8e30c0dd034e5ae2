"""Returns and refunds (docs/selling.md): a new document with negative lines pointing at the sold
ones, never more than was sold, refunded by one method with the right."""

import pytest

from tests.support.till import refused, sell


def start_return(kiosk, number):
    kiosk.open("/vente?panel=return")
    kiosk.post("/vente/return", number=str(number))
    return kiosk.page


def test_a_return_refunds_what_was_sold_and_points_at_it(kiosk, till):
    sold = sell(kiosk, till, ["Baguette tradition", "Baguette tradition", "Croissant"])
    page = start_return(kiosk, sold.number)
    assert "Retour du ticket n° 1" in page.body
    baguettes = sold.lines[0]
    kiosk.post(f"/vente/return/lines/{baguettes.id}", htmx=True, quantity="1", unit="unit")
    kiosk.post("/vente/refund", method="ESP", person="RESP01", password="1234")
    assert "Rendu" not in kiosk.page.body and "RETOUR" in kiosk.page.body
    refund = till.tickets(kind="return")[0]
    assert (refund.status, refund.number, refund.total_cents) == ("finished", 2, -130)
    assert refund.original.uuid == sold.uuid
    assert [(line.quantity_milli, line.total_cents, line.original_line_id) for line in refund.lines] == [
        (-1000, -130, baguettes.id)
    ]
    assert [(p.method_code, p.amount_cents) for p in refund.payments] == [("ESP", -130)]
    assert sum(t.total_cents for t in refund.taxes) == -130
    assert till.journal("refund_allowed", "ok") and till.journal("refund", "ok")


def test_never_more_than_was_sold_nor_twice(kiosk, till):
    sold = sell(kiosk, till, ["Baguette tradition", "Baguette tradition"])
    line = sold.lines[0]
    start_return(kiosk, sold.number)
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/return/lines/{line.id}", htmx=True, quantity="3", unit="unit"),
        422,
        "2 vendu(s), 2 encore retournable(s)",
    )
    kiosk.post(f"/vente/return/lines/{line.id}", htmx=True, quantity="2", unit="unit")
    kiosk.post("/vente/refund", method="ESP", person="RESP01", password="1234")
    start_return(kiosk, sold.number)
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/return/lines/{line.id}", htmx=True, quantity="1", unit="unit"),
        422,
        "0 encore retournable(s)",
    )


def test_the_refund_needs_the_right(kiosk, till):
    sold = sell(kiosk, till, ["Baguette tradition"])
    start_return(kiosk, sold.number)
    kiosk.post(f"/vente/return/lines/{sold.lines[0].id}", htmx=True, quantity="1", unit="unit")
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/refund", htmx=True, method="ESP", person="VEND01", password="1111"),
        403,
        "n'a pas le droit de faire cela (rembourser)",
    )
    assert till.journal("refund", "refused")


def test_a_ticket_discount_is_shared_over_the_returned_lines(kiosk, till):
    for name in ("Baguette tradition", "Croissant"):
        kiosk.post("/vente/scan", htmx=True, code=till.barcode(name))
    kiosk.post("/vente/discount", htmx=True, amount="0,25")  # 250 → 225, about 10 %
    [ticket] = till.tickets(status="open")
    kiosk.post("/vente/pay", htmx=True, method="CB", amount="2,25")
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=ticket.uuid)
    start_return(kiosk, 1)
    for line in ticket.lines:
        kiosk.post(f"/vente/return/lines/{line.id}", htmx=True, quantity="1", unit="unit")
    kiosk.post("/vente/refund", method="CB", person="RESP01", password="1234")
    refund = till.tickets(kind="return")[0]
    assert refund.total_cents == -225  # exactly what was paid, not the prices before discount


@pytest.mark.parametrize(
    "number, message",
    [
        ("99", "Aucun ticket de vente n° 99 sur cette caisse."),
        ("abc", "Tapez ou scannez le numéro du ticket d'origine."),
    ],
)
def test_an_unknown_receipt_number(kiosk, till, number, message):
    sell(kiosk, till, ["Baguette tradition"])
    kiosk.open("/vente?panel=return")
    refused(kiosk, till, lambda: kiosk.post("/vente/return", htmx=True, number=number), 422, message)


def test_a_return_opened_by_mistake_is_abandoned(kiosk, till):
    sold = sell(kiosk, till, ["Baguette tradition"])
    start_return(kiosk, sold.number)
    kiosk.post("/vente/return/abandon")
    assert [t.kind for t in till.tickets()] == ["sale"]
