"""Valider: the ticket becomes a final document in one transaction — number without gaps,
VAT totals, journal, receipt job, drawer kick. After this nothing changes it (the database
triggers of migration 0002 refuse it too)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.models import PaymentMethod, Ticket, TicketTax, utcnow
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record
from app.services.money import format_euros
from app.services.selling.context import at_work
from app.services.selling.payments import due_cents
from app.services.selling.receipt import queue_drawer_kick, queue_receipt, receipt_payload
from app.services.selling.totals import vat_totals
from app.services.sequences import next_number


def finish_ticket(session, seller_uuid, ticket_uuid: str) -> Ticket:
    work = at_work(session, seller_uuid)
    ticket = session.scalars(select(Ticket).where(Ticket.uuid == (ticket_uuid or ""))).first()
    if ticket is None or ticket.day_id != work.day.id:
        raise StateForbids(_l("Ce ticket n'existe plus."))
    if ticket.status == "finished":
        raise StateForbids(_l("Ce ticket est déjà validé (n° %(number)s)."), number=ticket.number)
    if ticket.status != "open" or ticket.seller_code != work.seller.staff_code:
        raise StateForbids(_l("Ce ticket n'est plus votre ticket en cours."))
    if not ticket.lines:
        raise InvalidInput(_l("Le ticket est vide."))
    due = due_cents(ticket)
    if due > 0:
        raise InvalidInput(_l("Il reste %(due)s à payer."), due=format_euros(due))
    if due < 0:
        raise InvalidInput(_l("Il reste %(due)s à rembourser."), due=format_euros(-due))
    return close_ticket(session, work, ticket)


def close_ticket(session, work, ticket: Ticket) -> Ticket:
    """The common end of a sale and a refund."""
    for tax in vat_totals(ticket.lines, ticket.discount_cents or 0):
        ticket.taxes.append(TicketTax(**tax))
    session.flush()  # the taxes go in while the ticket is still open (see the triggers)
    ticket.number = next_number(session, ticket.register_code, "ticket")
    ticket.finished_at = utcnow()
    ticket.status = "finished"
    ticket.seller_code, ticket.seller_name = work.seller.staff_code, work.seller.staff_name
    record(session, "finish_ticket" if ticket.kind == "sale" else "refund",
           actor=work.seller.staff_code, register_code=ticket.register_code,
           subject_uuid=ticket.uuid, number=ticket.number, total_cents=ticket.total_cents)
    queue_receipt(session, ticket, receipt_payload(session, ticket))
    methods = [session.get(PaymentMethod, code) for code in {p.method_code for p in ticket.payments}]
    if any(method is not None and method.counted_in_drawer for method in methods):
        queue_drawer_kick(session, ticket)
    session.commit()
    return ticket
