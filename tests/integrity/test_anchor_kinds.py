"""Every kind of ticket the box signs passes head office's check of the batch as the box
exports it (docs/integrity.md): a discounted sale paid in cash with change and by card, a
return sharing the discount, a cancellation. A false refusal would block a shop's exports."""

from app.extensions import db
from tests.support.anchor import export, ho_records, ho_register, in_app
from tests.support.helpers import close_counted
from tests.support.till import sell


def test_sales_returns_discounts_and_cancellations_are_accepted(app, client, kiosk, till, headoffice_app):
    for name in ("Baguette tradition", "Croissant"):
        kiosk.post("/vente/scan", htmx=True, code=till.barcode(name))
    [ticket] = till.tickets(status="open")
    kiosk.post(f"/vente/lines/{ticket.lines[0].id}/discount", htmx=True, percent="10")
    kiosk.post("/vente/discount", htmx=True, amount="0,10")
    [ticket] = till.tickets(status="open")
    kiosk.post("/vente/pay", htmx=True, method="CB", amount="1,00")
    due = ticket.total_cents - 100
    kiosk.post("/vente/pay", htmx=True, method="ESP", amount="5,00")
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=ticket.uuid)
    sold = till.tickets(uuid=ticket.uuid)[0]
    assert sold.status == "finished" and due > 0
    kiosk.post("/vente/return", number=str(sold.number))
    kiosk.post(f"/vente/return/lines/{sold.lines[1].id}", htmx=True, quantity="1", unit="unit")
    kiosk.post("/vente/refund", method="ESP", person="RESP01", password="1234")
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    [open_ticket] = till.tickets(status="open")
    kiosk.open("/vente?panel=cancel")
    kiosk.post(
        "/vente/cancel",
        htmx=True,
        ticket=open_ticket.uuid,
        person="RESP01",
        password="1234",
        reason="Client parti",
    )
    sell(kiosk, till, ["Baguette tradition"])
    kinds = [
        r.kind
        for r in till.sql("SELECT kind FROM signed_record WHERE chain = 'ticket' ORDER BY number").all()
    ]
    assert kinds == ["sale", "return", "cancel", "sale"]
    kiosk.post("/vente/disconnect")
    in_app(app, lambda: close_counted(db.session))

    page = export(client)

    assert any("Export terminé" in m for m in page.messages), page.messages
    assert [n for chain, n, _ in ho_records(headoffice_app) if chain == "ticket"] == [1, 2, 3, 4]
    assert ho_register(headoffice_app)["integrity"] == {"state": "ok"}
