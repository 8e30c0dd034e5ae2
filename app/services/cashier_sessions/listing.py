"""Sessions de caisse d'opérateurs: the register's sessions, newest first — number, start,
end, cashier, status — narrowed by a text typed in the filter (the number, or part of the
cashier's name)."""

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from app.models import CashierSession
from app.services.lifecycle import register_state
from app.services.people import require_viewer
from app.states import Right

LIST_LIMIT = 200  # a page a person reads; the filter finds older ones


def list_sessions(session: Session, viewer, text: str = "") -> list[CashierSession]:
    require_viewer(session, viewer, Right.CLOSE_OTHER_SESSIONS, "view_cashier_sessions")
    register_code = register_state(session).box.register_code
    query = select(CashierSession).where(CashierSession.register_code == register_code)
    words = " ".join((text or "").split())[:60]
    if words:
        like = f"%{words.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(cast(CashierSession.number, String).like(like), CashierSession.staff_name.ilike(like))
        )
    return list(session.scalars(query.order_by(CashierSession.number.desc()).limit(LIST_LIMIT)))
