"""Building the ticket: lines by scan, code or grid; quantities; removals; discounts."""

from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.database import raw_cursor, sql_time
from app.models import Register, Staff, Ticket, TicketLine, new_uuid, utcnow
from app.money import format_euros
from app.services.cashier_session_setting import session_for_new_ticket
from app.services.errors import InvalidInput, RightMissing, StateForbids
from app.services.journal import record, refuse
from app.services.parsing import parse_id
from app.services.people import authorise
from app.services.quantities import check_quantity
from app.services.selling.catalog import find_product, find_scanned
from app.services.selling.context import AtWork, current_ticket, sale_on_screen
from app.services.selling.totals import apply_line_discount, line_gross, refresh_totals, set_totals
from app.states import Right, TicketKind, TicketStatus

MAX_LINES = 500


# The scan is the till's busiest path (bench/selling.py holds it to 3 × a bare indexed
# lookup): like Valider, it reads and writes with plain SQL in the session's transaction.
_OPEN_TICKET = (
    "SELECT id, uuid, kind, discount_cents, discount_percent_bp FROM ticket"
    f" WHERE day_id = ? AND seller_code = ? AND status = '{TicketStatus.OPEN}' ORDER BY id LIMIT 1"
)
_LAST_LINE = (
    "SELECT id, position, product_code, label, unit, quantity_milli, unit_price_cents, discount_cents,"
    " discount_percent_bp FROM ticket_line WHERE ticket_id = ? ORDER BY position DESC LIMIT 1"
)
# The ticket is training (mode école) if the box is in training mode when it is created, and
# stays so (app/services/training.py): read in the same statement, no extra round trip.
_NEW_TICKET = (
    "INSERT INTO ticket (uuid, register_code, day_id, kind, status, seller_code, seller_name, created_at,"
    f" discount_cents, total_cents, training, cashier_session_id) VALUES (?, ?, ?, '{TicketKind.SALE}',"
    f" '{TicketStatus.OPEN}', ?, ?, ?, 0, 0, COALESCE((SELECT training_since IS NOT NULL FROM box WHERE id = 1), 0), ?)"
)
_NEW_LINE = (
    "INSERT INTO ticket_line (ticket_id, position, product_code, barcode, label, category_code,"
    " quantity_milli, unit, unit_price_cents, discount_cents, vat_rate_bp, total_cents)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SUMS = (
    "SELECT (SELECT COALESCE(SUM(total_cents), 0) FROM ticket_line WHERE ticket_id = ?) AS subtotal,"
    " COALESCE(SUM(amount_cents), 0) AS paid, COALESCE(SUM(change_cents), 0) AS change"
    " FROM payment WHERE ticket_id = ?"
)


def add_product(
    session: Session,
    work: AtWork,
    *,
    scanned: str | None = None,
    product_code: str | None = None,
    quantity_milli: int | None = None,
) -> "Scanned":
    """Scan, code or grid → a line (or one more of the last line). Returns what the screen
    shows of it, as written (nothing is loaded again to draw it)."""
    cursor = raw_cursor(session)
    ticket = _open_ticket(cursor, work)
    found, quantity, price = _what_and_how_many(session, scanned, product_code, quantity_milli)
    if ticket is None:
        # Only for the first line of a ticket: the cashier's session, when the shop has them.
        ticket = _new_ticket(
            cursor, work, session_for_new_ticket(session, work.register_code, work.seller.staff_code)
        )
    elif ticket.kind != TicketKind.SALE:
        raise StateForbids(_l("Un retour est en cours : terminez-le ou annulez-le d'abord."))
    line, merged = _add_line(cursor, ticket, found, quantity, price)
    sums = cursor.execute(_SUMS, (ticket.id, ticket.id)).fetchone()
    set_totals(ticket, sums["subtotal"])
    cursor.execute(
        "UPDATE ticket SET discount_cents = ?, total_cents = ? WHERE id = ?",
        (ticket.discount_cents, ticket.total_cents, ticket.id),
    )
    session.commit()
    ticket.lines = [line]  # enough for the first line's full drawing
    return Scanned(work, ticket, line, merged, sums["paid"], sums["change"])


def _what_and_how_many(session: Session, scanned, product_code, quantity_milli):
    """The product scanned or touched, its quantity (a weight must be typed) and its price
    (a price barcode carries its own)."""
    found = find_scanned(session, scanned) if scanned is not None else find_product(session, product_code)
    product = found.product
    quantity = found.quantity_milli or quantity_milli
    if quantity is None:
        if product.unit == "kg":
            raise InvalidInput(
                _l("%(name)s se vend au poids : saisissez le poids en kg, puis touchez l'article."),
                name=product.name,
            )
        quantity = 1000
    check_quantity(quantity, product.unit)
    price = found.unit_price_cents if found.unit_price_cents is not None else product.price_cents
    return found, quantity, price


def _open_ticket(cursor, work: AtWork) -> SimpleNamespace | None:
    """The seller's open ticket (one at a time), as the scan needs it."""
    row = cursor.execute(_OPEN_TICKET, (work.day.id, work.seller.staff_code)).fetchone()
    if row is None:
        return None
    return SimpleNamespace(**row, original=None)


def _new_ticket(cursor, work: AtWork, cashier_session_id: int | None) -> SimpleNamespace:
    """The first line creates the ticket (it gets its number only at Valider)."""
    ticket = SimpleNamespace(
        uuid=new_uuid(), kind=TicketKind.SALE, discount_cents=0, discount_percent_bp=None, original=None
    )
    cursor.execute(
        _NEW_TICKET,
        (
            ticket.uuid,
            work.register_code,
            work.day.id,
            work.seller.staff_code,
            work.seller.staff_name,
            sql_time(utcnow()),
            cashier_session_id,
        ),
    )
    ticket.id = cursor.lastrowid
    return ticket


def _add_line(cursor, ticket, found, quantity: int, price: int) -> tuple[SimpleNamespace, bool]:
    """One more of the last line when it is the same unit product at the same price without
    discount; otherwise a new line at the end. Returns the line and whether it was merged."""
    product = found.product
    last = cursor.execute(_LAST_LINE, (ticket.id,)).fetchone()
    if last is not None:
        last = SimpleNamespace(**last)  # the line is changed in place when it merges
    mergeable = (
        last is not None
        and last.product_code == product.code
        and product.unit == "unit"
        and last.unit_price_cents == price
        and not last.discount_cents
        and last.discount_percent_bp is None
        and found.quantity_milli is None
    )
    if mergeable:
        check_quantity(last.quantity_milli + quantity, product.unit)
        line = last
        line.quantity_milli += quantity
        apply_line_discount(line)
        cursor.execute(
            "UPDATE ticket_line SET quantity_milli = ?, discount_cents = ?, total_cents = ? WHERE id = ?",
            (line.quantity_milli, line.discount_cents, line.total_cents, line.id),
        )
        return line, True
    if last is not None and last.position >= MAX_LINES:
        raise InvalidInput(_l("Un ticket a au plus %(maximum)s lignes."), maximum=MAX_LINES)
    line = SimpleNamespace(
        position=(last.position + 1) if last else 1,
        label=product.name,
        unit=product.unit,
        quantity_milli=quantity,
        unit_price_cents=price,
        discount_cents=0,
        discount_percent_bp=None,
    )
    apply_line_discount(line)
    cursor.execute(
        _NEW_LINE,
        (
            ticket.id,
            line.position,
            product.code,
            found.barcode,
            product.name,
            product.category_code,
            quantity,
            product.unit,
            price,
            line.discount_cents,
            found.rate_bp,
            line.total_cents,
        ),
    )
    line.id = cursor.lastrowid
    return line, False


@dataclass
class Scanned:
    work: AtWork
    ticket: SimpleNamespace
    line: SimpleNamespace
    merged: bool  # the last line got one more
    paid_cents: int
    change_cents: int


def _own_line(session: Session, work, line_id) -> tuple[Ticket, TicketLine]:
    ticket = current_ticket(session, work)
    line_id = parse_id(line_id)
    line = session.get(TicketLine, line_id) if line_id else None
    if ticket is None or line is None or line.ticket_id != ticket.id:
        raise StateForbids(_l("Cette ligne n'est plus sur votre ticket en cours."))
    return ticket, line


def set_quantity(session: Session, work: AtWork, line_id, quantity_milli: int) -> tuple[Ticket, TicketLine]:
    ticket, line = _own_line(session, work, line_id)
    if ticket.kind != TicketKind.SALE:
        raise StateForbids(_l("Sur un retour, choisissez les quantités dans la liste du ticket d'origine."))
    check_quantity(quantity_milli, line.unit)
    before = line.quantity_milli
    line.quantity_milli = quantity_milli
    apply_line_discount(line)
    refresh_totals(session, ticket)
    if quantity_milli < before:
        # Lowering a quantity after the customer saw the total is how a till is robbed.
        record(
            session,
            "line_quantity_lowered",
            actor=work.seller.staff_code,
            register_code=work.register_code,
            subject_uuid=ticket.uuid,
            label=line.label,
            before_milli=before,
            after_milli=quantity_milli,
        )
    session.commit()
    return ticket, line


def step_quantity(session: Session, work: AtWork, line_id, step: int):
    """The − and + of a unit line: one less (at one, the line goes) or one more."""
    _ticket, line = _own_line(session, work, line_id)
    quantity = line.quantity_milli + 1000 * step
    if quantity <= 0:
        return remove_line(session, work, line_id)
    return set_quantity(session, work, line_id, quantity)


def remove_line(session: Session, work: AtWork, line_id) -> Ticket | None:
    """Before payment only; journaled. An emptied draft disappears (it never had a number)."""
    ticket, line = _own_line(session, work, line_id)
    if ticket.payments:
        raise StateForbids(_l("Des paiements sont déjà saisis : retirez-les avant de supprimer une ligne."))
    record(
        session,
        "remove_line",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        label=line.label,
        quantity_milli=line.quantity_milli,
        total_cents=line.total_cents,
    )
    ticket.lines.remove(line)
    if refresh_totals(session, ticket) == 0 and ticket.kind == TicketKind.SALE:
        session.delete(ticket)
        ticket = None
    session.commit()
    return ticket


def _allow_discount(
    session: Session, work, percent_bp: int, person: str | None, password: str | None, subject_uuid: str
) -> str | None:
    """Within the register's limit the seller's own right suffices; beyond it, or without
    the right, a person with the right types their password. Returns who allowed it."""
    register = session.get(Register, work.register_code)
    limit_bp = (register.max_discount_percent if register else 0) * 100
    seller = session.get(Staff, work.seller.staff_code)
    if person:
        allower = authorise(
            session, person, password, Right.DISCOUNT, "discount", register_code=work.register_code
        )
        if percent_bp > limit_bp and not allower.has_right(Right.MANAGE):
            refuse(
                session,
                RightMissing(
                    _l("Remise au-delà de %(limit)s %% : il faut le mot de passe d'un responsable."),
                    limit=limit_bp // 100,
                ),
                "discount",
                actor=allower,
                register_code=work.register_code,
                subject_uuid=subject_uuid,
                percent_bp=percent_bp,
            )
        return allower.code
    if seller is None or not seller.has_right(Right.DISCOUNT):
        refuse(
            session,
            RightMissing(
                _l("Vous n'avez pas le droit de faire une remise : il faut le mot de passe d'un responsable.")
            ),
            "discount",
            actor=work.seller.staff_code,
            register_code=work.register_code,
            subject_uuid=subject_uuid,
            percent_bp=percent_bp,
        )
    if percent_bp > limit_bp:
        refuse(
            session,
            RightMissing(
                _l("Remise au-delà de %(limit)s %% : il faut le mot de passe d'un responsable."),
                limit=limit_bp // 100,
            ),
            "discount",
            actor=work.seller.staff_code,
            register_code=work.register_code,
            subject_uuid=subject_uuid,
            percent_bp=percent_bp,
        )
    return None


def _percent_of(amount_cents: int, gross_cents: int) -> int:
    return 10000 if gross_cents <= 0 else -(-amount_cents * 10000 // gross_cents)


def _set_discount(
    session: Session, work, ticket, target, base_cents, too_much, percent_bp, amount_cents, person, password
) -> str | None:
    """A line's or the ticket's discount, as a percentage or an amount, checked against the
    right; returns who allowed it beyond the seller's own right."""
    if amount_cents is not None and amount_cents > base_cents:
        raise InvalidInput(too_much, base=format_euros(base_cents))
    effective = percent_bp if percent_bp is not None else _percent_of(amount_cents or 0, base_cents)
    allowed_by = (
        _allow_discount(session, work, effective, person, password, ticket.uuid) if effective else None
    )
    target.discount_percent_bp = percent_bp if percent_bp else None
    target.discount_cents = 0 if percent_bp is not None else (amount_cents or 0)
    target.discount_allowed_by_code = allowed_by
    return allowed_by


def discount_line(
    session: Session,
    work: AtWork,
    line_id,
    *,
    percent_bp: int | None = None,
    amount_cents: int | None = None,
    person=None,
    password=None,
) -> tuple[Ticket, TicketLine]:
    ticket, line = _own_line(session, work, line_id)
    if ticket.kind != TicketKind.SALE:
        raise StateForbids(_l("Pas de remise sur un retour."))
    gross = line_gross(line.quantity_milli, line.unit_price_cents)
    allowed_by = _set_discount(
        session,
        work,
        ticket,
        line,
        gross,
        _l("La remise dépasse le montant de la ligne (%(base)s)."),
        percent_bp,
        amount_cents,
        person,
        password,
    )
    apply_line_discount(line)
    refresh_totals(session, ticket)
    record(
        session,
        "discount",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        label=line.label,
        percent_bp=percent_bp,
        amount_cents=line.discount_cents,
        allowed_by=allowed_by,
    )
    session.commit()
    return ticket, line


def discount_ticket(
    session: Session,
    work: AtWork,
    *,
    percent_bp: int | None = None,
    amount_cents: int | None = None,
    person=None,
    password=None,
) -> Ticket:
    ticket = sale_on_screen(session, work)
    if ticket.kind != TicketKind.SALE:
        raise StateForbids(_l("Pas de remise sur un retour."))
    subtotal = sum(line.total_cents for line in ticket.lines)
    allowed_by = _set_discount(
        session,
        work,
        ticket,
        ticket,
        subtotal,
        _l("La remise dépasse le total du ticket (%(base)s)."),
        percent_bp,
        amount_cents,
        person,
        password,
    )
    refresh_totals(session, ticket)
    if ticket.total_cents < sum(p.amount_cents for p in ticket.payments):
        raise InvalidInput(_l("Les paiements déjà saisis dépassent le nouveau total : retirez-en d'abord."))
    record(
        session,
        "discount",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        percent_bp=percent_bp,
        amount_cents=ticket.discount_cents,
        allowed_by=allowed_by,
    )
    session.commit()
    return ticket
