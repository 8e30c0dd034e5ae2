"""Returns: a new document with negative lines pointing at the sold ones, never more than
was sold (counting earlier returns), refunded by one method, with the right. Refunded with
a store-credit method, the return issues a credit note (avoir) of that value."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import Payment, PaymentMethod, Ticket, TicketLine, utcnow
from app.money import format_euros
from app.services.cashier_session_setting import session_for_new_ticket
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record
from app.services.parsing import read_whole
from app.services.people import authorise
from app.services.quantities import check_quantity, format_quantity
from app.services.selling.context import AtWork, current_ticket
from app.services.selling.credit_notes import issue_code
from app.services.selling.finishing import finalise
from app.services.selling.payments import payable_methods
from app.services.selling.totals import div_round, line_gross, refresh_totals, split
from app.services.training import training_on
from app.states import Right, TicketKind, TicketStatus


def start_return(session: Session, work: AtWork, receipt_number: str) -> Ticket:
    number = read_whole((receipt_number or "").strip().lstrip("#"), max_digits=9)
    if number is None:
        raise InvalidInput(_l("Tapez ou scannez le numéro du ticket d'origine."))
    # A training return takes back a training sale, a real return a real one: neither can
    # refund, or use up the returnable quantities of, a ticket of the other kind.
    training = training_on(session)
    numbered = Ticket.training_number if training else Ticket.number
    original = session.scalars(
        select(Ticket).where(
            Ticket.register_code == work.register_code, numbered == number, Ticket.training.is_(training)
        )
    ).first()
    if original is None or original.status != TicketStatus.FINISHED or original.kind != TicketKind.SALE:
        raise InvalidInput(_l("Aucun ticket de vente n° %(number)s sur cette caisse."), number=number)
    current = current_ticket(session, work)
    if current is not None:
        if current.lines or current.payments:
            raise StateForbids(_l("Terminez ou mettez en attente le ticket en cours d'abord."))
        session.delete(current)
    ticket = Ticket(
        register_code=work.register_code,
        day_id=work.day.id,
        kind=TicketKind.RETURN,
        status=TicketStatus.OPEN,
        original_ticket_id=original.id,
        seller_code=work.seller.staff_code,
        seller_name=work.seller.staff_name,
        created_at=utcnow(),
        discount_cents=0,
        total_cents=0,
        training=training,
        cashier_session_id=session_for_new_ticket(session, work.register_code, work.seller.staff_code),
    )
    session.add(ticket)
    session.flush()
    record(
        session,
        "start_return",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        original_number=original.number,
    )
    session.commit()
    return ticket


def _effective_totals(original: Ticket) -> dict[int, int]:
    """What each sold line really cost once the ticket discount is shared over the lines."""
    lines = list(original.lines)
    shares = split(original.discount_cents or 0, [line.total_cents for line in lines])
    return {line.id: line.total_cents - share for line, share in zip(lines, shares)}


def _already_returned(
    session: Session, original: Ticket, *, exclude_ticket_id: int | None = None
) -> dict[int, int]:
    query = (
        select(TicketLine.original_line_id, func.sum(-TicketLine.quantity_milli))
        .join(Ticket, Ticket.id == TicketLine.ticket_id)
        .where(Ticket.original_ticket_id == original.id, Ticket.status == TicketStatus.FINISHED)
        .group_by(TicketLine.original_line_id)
    )
    return dict(session.execute(query).all())


def returnable_lines(session: Session, ticket: Ticket) -> list[dict]:
    """For the return screen: each sold line, what was sold, returned before, and on this return."""
    original = ticket.original
    returned = _already_returned(session, original)
    here = {line.original_line_id: -line.quantity_milli for line in ticket.lines}
    return [
        {
            "line": line,
            "sold": line.quantity_milli,
            "returned": returned.get(line.id, 0),
            "here": here.get(line.id, 0),
            "left": line.quantity_milli - returned.get(line.id, 0),
        }
        for line in original.lines
    ]


def return_line(session: Session, work: AtWork, original_line_id, quantity_milli: int) -> Ticket:
    """Set how much of a sold line comes back on this return (0 takes it off)."""
    ticket = current_ticket(session, work)
    if ticket is None or ticket.kind != TicketKind.RETURN:
        raise StateForbids(_l("Aucun retour en cours."))
    original = ticket.original
    sold = next((line for line in original.lines if str(line.id) == str(original_line_id)), None)
    if sold is None:
        raise InvalidInput(_l("Cette ligne n'est pas sur le ticket d'origine."))
    existing = next((line for line in ticket.lines if line.original_line_id == sold.id), None)
    if quantity_milli == 0:
        if existing is not None:
            ticket.lines.remove(existing)
        refresh_totals(session, ticket)
        session.commit()
        return ticket
    check_quantity(quantity_milli, sold.unit)
    left = sold.quantity_milli - _already_returned(session, original).get(sold.id, 0)
    if quantity_milli > left:
        raise InvalidInput(
            _l("%(label)s : %(sold)s vendu(s), %(left)s encore retournable(s)."),
            label=sold.label,
            sold=format_quantity(sold.quantity_milli, sold.unit),
            left=format_quantity(left, sold.unit),
        )
    effective = _effective_totals(original)[sold.id]
    total = -div_round(effective * quantity_milli, sold.quantity_milli)
    gross = -line_gross(quantity_milli, sold.unit_price_cents)
    line = existing or TicketLine(
        ticket_id=ticket.id,
        position=len(ticket.lines) + 1,
        product_code=sold.product_code,
        barcode=sold.barcode,
        label=sold.label,
        category_code=sold.category_code,
        unit=sold.unit,
        unit_price_cents=sold.unit_price_cents,
        vat_rate_bp=sold.vat_rate_bp,
        original_line_id=sold.id,
        discount_cents=0,
        total_cents=0,
        quantity_milli=0,
    )
    line.quantity_milli = -quantity_milli
    line.total_cents = total
    line.discount_cents = gross - total
    if existing is None:
        ticket.lines.append(line)
    refresh_totals(session, ticket)
    session.commit()
    return ticket


def refundable(method: PaymentMethod) -> bool:
    """Paper a customer brings (cheques, vouchers) is never handed out; a titre-service never
    comes back even if it gives change by mistake."""
    return not method.is_titre_service and (method.gives_change or not method.counted_as_items)


def refund_methods(session: Session) -> list[PaymentMethod]:
    return [m for m in payable_methods(session) if refundable(m)]


def refund(session: Session, work: AtWork, method_code: str, person: str, password: str) -> Ticket:
    """Rembourser: the whole return paid back by one method; the return is then final."""
    ticket = current_ticket(session, work)
    if ticket is None or ticket.kind != TicketKind.RETURN:
        raise StateForbids(_l("Aucun retour en cours."))
    if not ticket.lines:
        raise InvalidInput(_l("Choisissez au moins un article à retourner."))
    method = session.get(PaymentMethod, method_code or "")
    if method is None:
        raise InvalidInput(_l("Mode de paiement inconnu."))
    if method.is_titre_service:
        # The manual: the customer gets cash or card, never a new titre-service, and the one
        # used is not recharged (it stays used: head office keeps it in its list).
        raise InvalidInput(
            _l("On ne rembourse jamais en titre-service : remboursez en espèces ou sur la carte.")
        )
    if not refundable(method):
        raise InvalidInput(_l("On ne rembourse pas en %(method)s."), method=method.name)
    staff = authorise(session, person, password, Right.REFUND, "refund", register_code=work.register_code)
    # Another screen may have refunded the same articles meanwhile: count again, locked.
    returned = _already_returned(session, ticket.original)
    for line in ticket.lines:
        sold = next(s for s in ticket.original.lines if s.id == line.original_line_id)
        if -line.quantity_milli > sold.quantity_milli - returned.get(sold.id, 0):
            raise InvalidInput(_l("%(label)s a déjà été remboursé."), label=sold.label)
    code = expires_on = None
    if method.store_credit:
        code, expires_on = issue_code(session, ticket.training)
    ticket.payments.append(
        Payment(
            method_code=method.code,
            method_name=method.name,
            amount_cents=ticket.total_cents,
            reference=code,
            expires_on=expires_on,
            created_at=utcnow(),
        )
    )
    record(
        session,
        "refund_allowed",
        actor=staff,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        amount_cents=-ticket.total_cents,
        original_number=ticket.original.number,
        method_code=method.code,
        refunded=format_euros(-ticket.total_cents),
        credit_note=code,
    )
    session.flush()
    row = {
        "id": ticket.id,
        "uuid": ticket.uuid,
        "register_code": ticket.register_code,
        "kind": ticket.kind,
        "discount_cents": ticket.discount_cents,
        "total_cents": ticket.total_cents,
        "original_ticket_id": ticket.original_ticket_id,
        "training": ticket.training,
    }
    cursor = raw_cursor(session)
    return finalise(session, cursor, row, work.seller.staff_code, work.seller.staff_name)


def abandon_return(session: Session, work: AtWork) -> None:
    """A return opened by mistake, with nothing on it yet, simply goes away."""
    ticket = current_ticket(session, work)
    if ticket is None or ticket.kind != TicketKind.RETURN:
        return
    if ticket.lines:
        raise StateForbids(
            _l(
                "Des articles sont déjà sur ce retour : remettez leurs quantités à "
                "zéro, ou annulez le retour avec un motif."
            )
        )
    session.delete(ticket)
    session.commit()
