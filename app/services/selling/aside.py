"""Tickets set aside (*tickets en cours*), taken back, or cancelled. Any of them still open
or aside is what keeps the register from closing."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Ticket, utcnow
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record
from app.services.people import authorise
from app.services.selling.context import AtWork, current_ticket
from app.services.sequences import next_number
from app.services.signing import sign_ticket
from app.states import Right, TicketKind, TicketStatus
from app.sync.export_body import ticket_document


def suspend_ticket(session: Session, work: AtWork) -> Ticket:
    ticket = current_ticket(session, work)
    if ticket is None or not ticket.lines:
        raise StateForbids(_l("Le ticket est vide : rien à mettre en attente."))
    if ticket.payments:
        raise StateForbids(_l("Un ticket déjà en partie payé ne peut pas être mis en attente."))
    ticket.status = TicketStatus.SUSPENDED
    record(
        session,
        "suspend_ticket",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        total_cents=ticket.total_cents,
    )
    session.commit()
    return ticket


def tickets_aside(session: Session, day_id: int) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.day_id == day_id, Ticket.status == TicketStatus.SUSPENDED)
            .order_by(Ticket.created_at)
        )
    )


def resume_ticket(session: Session, work: AtWork, ticket_uuid: str) -> Ticket:
    """Take a ticket back; the one on screen, if it has lines, goes aside in its place."""
    ticket = session.scalars(select(Ticket).where(Ticket.uuid == (ticket_uuid or ""))).first()
    if ticket is None or ticket.day_id != work.day.id or ticket.status != TicketStatus.SUSPENDED:
        raise StateForbids(_l("Ce ticket n'est plus en attente (repris ou annulé depuis un autre écran)."))
    current = current_ticket(session, work)
    if current is not None:
        if current.payments:
            raise StateForbids(_l("Terminez d'abord le ticket en cours : il a déjà des paiements."))
        if current.lines:
            current.status = TicketStatus.SUSPENDED
        else:
            session.delete(current)
    ticket.status = TicketStatus.OPEN
    ticket.seller_code, ticket.seller_name = work.seller.staff_code, work.seller.staff_name
    record(
        session,
        "resume_ticket",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
    )
    session.commit()
    return ticket


def cancel_ticket(
    session: Session, work: AtWork, ticket_uuid: str, person: str, password: str, reason: str
) -> Ticket:
    """Cancel from the selling screen (the ticket on screen or one aside)."""
    return cancel_in_progress(session, work.day.id, ticket_uuid, person, password, reason)


def cancel_in_progress(
    session: Session, day_id: int, ticket_uuid: str, person: str, password: str, reason: str
) -> Ticket:
    """Cancel a ticket in progress: right, password and reason. It keeps its lines and takes a
    number, so the Z report and head office see it. The closing page uses it too."""
    ticket = session.scalars(select(Ticket).where(Ticket.uuid == (ticket_uuid or ""))).first()
    if (
        ticket is None
        or ticket.day_id != day_id
        or ticket.status not in (TicketStatus.OPEN, TicketStatus.SUSPENDED)
    ):
        raise StateForbids(_l("Ce ticket n'est plus en cours."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Donnez le motif de l'annulation."))
    staff = authorise(
        session, person, password, Right.CANCEL_TICKET, "cancel_ticket", register_code=ticket.register_code
    )
    if ticket.payments:
        raise StateForbids(_l("Retirez d'abord les paiements saisis sur ce ticket."))
    cancel_unpaid(session, ticket, staff, reason)
    session.commit()
    return ticket


def cancel_unpaid(session: Session, ticket: Ticket, staff, reason: str) -> None:
    """The cancellation itself, in the caller's transaction: by a person above, or by the
    scheduler's automatic closing (app/services/closing/automatic.py). A ticket with payments
    never comes here."""
    # A training ticket is cancelled in the training series and chain (app/services/training.py).
    if ticket.training:
        ticket.training_number = next_number(session, ticket.register_code, "training")
    else:
        ticket.number = next_number(session, ticket.register_code, "ticket")
    ticket.status = TicketStatus.CANCELLED
    ticket.finished_at = utcnow()
    ticket.cancel_reason = reason[:400]
    ticket.cancelled_by_code = staff.code
    session.flush()
    sign_ticket(session, ticket.register_code, ticket_document(ticket))
    record(
        session,
        "cancel_ticket",
        actor=staff,
        register_code=ticket.register_code,
        subject_uuid=ticket.uuid,
        reason=reason[:400],
        number=ticket.training_number if ticket.training else ticket.number,
        total_cents=ticket.total_cents,
        **({"training": True} if ticket.training else {}),
    )


def leave_till(session: Session, work) -> None:
    """Déconnecter: the ticket on screen goes aside so the next seller (or the closing) sees
    it; one with payments stays as it is, listed at the closing."""
    ticket = current_ticket(session, work)
    if ticket is None:
        return
    if not ticket.lines and not ticket.payments:
        session.delete(ticket)
    elif not ticket.payments and ticket.kind == TicketKind.SALE:
        ticket.status = TicketStatus.SUSPENDED
        record(
            session,
            "suspend_ticket",
            actor=work.seller.staff_code,
            register_code=work.register_code,
            subject_uuid=ticket.uuid,
            on_disconnect=True,
        )
