"""Who is selling, on which day: every selling action starts here, with one query."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import RegisterDay, SellerSession, Staff, Ticket, utcnow
from app.services.cashier_session_setting import session_for_new_ticket
from app.services.errors import StaleScreen, StateForbids
from app.services.training import training_on
from app.states import DayState, TicketKind, TicketStatus


@dataclass(frozen=True)
class Seller:
    """The seller's session as selling reads it (a SellerSession row has the same names)."""

    uuid: str
    staff_code: str
    staff_name: str


@dataclass(frozen=True)
class Day:
    """The open day as selling reads it (a RegisterDay row has the same names)."""

    id: int
    register_code: str
    state: str


@dataclass
class AtWork:
    seller: Seller | SellerSession
    day: Day | RegisterDay

    @property
    def register_code(self) -> str:
        return self.day.register_code

    def staff(self, session: Session) -> Staff | None:
        return session.get(Staff, self.seller.staff_code)


# Plain SQL: every selling request starts here (the scan is the till's busiest path, held
# by bench/selling.py), and what selling needs of the seller and the day is five columns.
_AT_WORK = (
    "SELECT s.uuid, s.staff_code, s.staff_name, s.disconnected_at, d.id AS day_id, d.register_code,"
    " d.state AS day_state"
    " FROM seller_session s JOIN register_day d ON d.id = s.day_id WHERE s.uuid = ?"
)


def at_work(session: Session, seller_uuid: str | None) -> AtWork:
    """The seller's session on the open day, or StaleScreen: the register was closed from
    another screen (the tablet), or the seller was disconnected meanwhile."""
    row = raw_cursor(session).execute(_AT_WORK, (seller_uuid or "",)).fetchone()
    if row is None:
        raise StaleScreen(_l("Connectez-vous pour vendre."))
    check_still_selling(row["day_state"], row["disconnected_at"])
    return AtWork(
        Seller(row["uuid"], row["staff_code"], row["staff_name"]),
        Day(row["day_id"], row["register_code"], row["day_state"]),
    )


def check_still_selling(day_state: str, disconnected_at) -> None:
    if day_state != DayState.OPEN:
        raise StaleScreen(_l("La caisse a été fermée depuis un autre écran : la vente est arrêtée."))
    if disconnected_at is not None:
        raise StaleScreen(_l("Vous avez été déconnecté : reconnectez-vous pour vendre."))


def current_ticket(session: Session, work: AtWork, *, create: bool = False) -> Ticket | None:
    """The ticket this seller is building (one at a time); created on the first line."""
    ticket = session.scalars(
        select(Ticket)
        .where(
            Ticket.day_id == work.day.id,
            Ticket.seller_code == work.seller.staff_code,
            Ticket.status == TicketStatus.OPEN,
        )
        .order_by(Ticket.id)
        .limit(1)
    ).first()
    if ticket is None and create:
        ticket = new_ticket(session, work)
    return ticket


def new_ticket(session: Session, work: AtWork) -> Ticket:
    ticket = Ticket(
        register_code=work.register_code,
        day_id=work.day.id,
        kind=TicketKind.SALE,
        status=TicketStatus.OPEN,
        seller_code=work.seller.staff_code,
        seller_name=work.seller.staff_name,
        created_at=utcnow(),
        discount_cents=0,
        total_cents=0,
        training=training_on(session),
        cashier_session_id=session_for_new_ticket(session, work.register_code, work.seller.staff_code),
    )
    session.add(ticket)
    session.flush()
    return ticket


def sale_on_screen(session: Session, work: AtWork) -> Ticket:
    """The seller's ticket with lines, for what only a sale takes (payments, a ticket discount)."""
    ticket = current_ticket(session, work)
    if ticket is None or not ticket.lines:
        raise StateForbids(_l("Le ticket est vide."))
    return ticket
