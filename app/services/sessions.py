"""Sellers connected to the open register (Connecter / Déconnecter, docs/flows.md)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import from_sql_time, raw_cursor, sql_time
from app.models import RegisterDay, SellerSession, new_uuid, utcnow
from app.services.errors import StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import check_state_fresh, register_state
from app.services.people import authorise
from app.states import DayState, RegisterStateCode, Right

_OPEN_SESSION = (
    "SELECT id, uuid, staff_name, connected_at FROM seller_session"
    " WHERE day_id = ? AND staff_code = ? AND disconnected_at IS NULL ORDER BY id LIMIT 1"
)
_NEW_SESSION = (
    "INSERT INTO seller_session (uuid, day_id, staff_code, staff_name, connected_at) VALUES (?, ?, ?, ?, ?)"
)


def connect_seller(
    session: Session, person_code: str, password: str, *, posted_token: str | None = None
) -> SellerSession:
    """Connecter. Returns the seller's session as written, a record outside the ORM session
    (plain SQL: Connecter is typed many times a day, and bench/screens.py holds it to 3 × a
    bare route)."""
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    register_code = state.box.register_code
    if state.code != RegisterStateCode.OPEN:
        refuse(
            session,
            StateForbids(_l("La caisse n'est pas ouverte.")),
            "connect",
            actor=person_code,
            register_code=register_code,
        )
    staff = authorise(session, person_code, password, Right.SELL, "connect", register_code=register_code)
    # Reconnecting (after a session expired, or from the tablet) reuses the open session.
    cursor = raw_cursor(session)
    row = cursor.execute(_OPEN_SESSION, (state.open_day.id, staff.code)).fetchone()
    if row is None:
        seller = SellerSession(
            uuid=new_uuid(),
            day_id=state.open_day.id,
            staff_code=staff.code,
            staff_name=staff.name,
            connected_at=utcnow(),
        )
        cursor.execute(
            _NEW_SESSION,
            (seller.uuid, seller.day_id, seller.staff_code, seller.staff_name, sql_time(seller.connected_at)),
        )
        seller.id = cursor.lastrowid
    else:
        seller = SellerSession(
            id=row["id"],
            uuid=row["uuid"],
            day_id=state.open_day.id,
            staff_code=staff.code,
            staff_name=row["staff_name"],
            connected_at=from_sql_time(row["connected_at"]),
        )
    record(session, "connect", actor=staff, register_code=register_code, subject_uuid=seller.uuid)
    session.commit()
    return seller


def disconnect_seller(session: Session, seller_uuid: str) -> None:
    seller = session.scalars(select(SellerSession).where(SellerSession.uuid == seller_uuid)).first()
    if seller is None or seller.disconnected_at is not None:
        session.rollback()
        return  # already out (closed meanwhile, or a second tap): nothing to do
    day = session.get(RegisterDay, seller.day_id)
    if day is not None and day.state == DayState.OPEN:
        from app.services.selling.aside import leave_till  # selling builds on sessions
        from app.services.selling.context import AtWork

        leave_till(session, AtWork(seller, day))
    seller.disconnected_at = utcnow()
    record(session, "disconnect", actor=seller.staff_code, subject_uuid=seller.uuid)
    session.commit()


def active_seller(session: Session, seller_uuid: str | None) -> SellerSession | None:
    if not seller_uuid:
        return None
    seller = session.scalars(select(SellerSession).where(SellerSession.uuid == seller_uuid)).first()
    if seller is None or seller.disconnected_at is not None:
        return None
    return seller
