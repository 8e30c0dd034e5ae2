"""Whether the shop works by cashier session (docs/cashier-sessions.md), and the few questions
the rest of the register asks about it (selling, closing the day): each one plain SQL on an
index, read only when a ticket is created or a day is closed — never on a scan that adds to
a ticket. A leaf: it imports neither selling nor closing, which both ask it."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.services.errors import StateForbids
from app.states import CashierSessionStatus

_ON = "SELECT s.cashier_sessions FROM shop s JOIN box b ON b.shop_code = s.code WHERE b.id = 1"
_OPEN_OF = (
    "SELECT id FROM cashier_session WHERE register_code = ? AND staff_code = ? AND status = ?"
    " ORDER BY id LIMIT 1"
)
# One query for a new ticket: the setting and the seller's open session together.
_FOR_TICKET = (
    "SELECT s.cashier_sessions AS sessions_on, ("
    + _OPEN_OF
    + ") AS session_id FROM shop s JOIN box b ON b.shop_code = s.code WHERE b.id = 1"
)
_STILL_OPEN = "SELECT staff_name FROM cashier_session WHERE day_id = ? AND status = ? ORDER BY number"


def sessions_on(session: Session) -> bool:
    """« Travail par session », as head office set it at the last import."""
    row = raw_cursor(session).execute(_ON).fetchone()
    return bool(row and row[0])


def open_session_id(session: Session, register_code: str, staff_code: str) -> int | None:
    row = (
        raw_cursor(session)
        .execute(_OPEN_OF, (register_code, staff_code, CashierSessionStatus.OPEN))
        .fetchone()
    )
    return row[0] if row else None


def needs_session(session: Session, register_code: str, staff_code: str) -> bool:
    """After Connecter: the opening window comes first when sessions are on and this
    cashier has none open on this register (the manual: « La fenêtre Ouverture de la
    session s'affiche après la connexion de l'opérateur »)."""
    return sessions_on(session) and open_session_id(session, register_code, staff_code) is None


def session_for_new_ticket(session: Session, register_code: str, staff_code: str) -> int | None:
    """The session a new ticket belongs to; None when the shop works without sessions.
    Without an open session nothing can be sold (« Nouvelle vente » is inactive)."""
    row = (
        raw_cursor(session)
        .execute(_FOR_TICKET, (register_code, staff_code, CashierSessionStatus.OPEN))
        .fetchone()
    )
    if row is None or not row["sessions_on"]:
        return None
    if row["session_id"] is None:
        raise StateForbids(_l("Ouvrez votre session de caisse avant de vendre."))
    return row["session_id"]


def refuse_closing_while_sessions_open(session: Session, day, no) -> None:
    """Fermer la caisse: every cashier's session of the day is closed first (by its cashier,
    or by a manager with « Fermeture des sessions de caisse d'autres opérateurs »)."""
    names = [row[0] for row in raw_cursor(session).execute(_STILL_OPEN, (day.id, CashierSessionStatus.OPEN))]
    if names:
        no(
            StateForbids(
                _l("Fermeture impossible : des sessions de caisse sont encore ouvertes (%(names)s)."),
                names=", ".join(names),
            )
        )
