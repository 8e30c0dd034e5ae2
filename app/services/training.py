"""Training mode (mode école, docs/integrity.md « Training mode »): a manager switches it on
and off; while it is on, every new ticket is a training ticket — marked FACTICE on paper,
numbered and signed in its own series, and in none of the shop's figures.

A ticket is training or not from its creation to the end (the flag is set when it is created
and never changes), so the switch waits until no ticket is in progress: a sale begun for real
cannot end up out of the day's cash, nor a training sale in it."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import Box, Ticket, utcnow
from app.services.errors import StateForbids
from app.services.journal import record, refuse
from app.services.people import authorise
from app.states import Right, TicketStatus

RIGHT = Right.MANAGE  # the manager's right, as for unlocking people: head office grants it already


def training_on(session: Session) -> bool:
    """Read once per new ticket (not per scan): one column of the box's one row."""
    row = raw_cursor(session).execute("SELECT training_since FROM box WHERE id = 1").fetchone()
    return bool(row and row["training_since"])


def switch_training(session: Session, person_code: str, password: str, on: bool) -> Box:
    """Activer / Arrêter le mode école: the manager's code and right; journaled either way."""
    action = "training_on" if on else "training_off"
    box = session.get(Box, 1)
    register_code = box.register_code if box else None
    staff = authorise(session, person_code, password, RIGHT, action, register_code=register_code)

    def no(message, **params):
        refuse(session, StateForbids(message, **params), action, actor=staff, register_code=register_code)

    if box is None or not box.register_code:
        no(_l("Importez d'abord une caisse : le mode école s'applique à ses ventes."))
    if bool(box.training_since) == on:
        no(_l("Le mode école est déjà activé.") if on else _l("Le mode école est déjà arrêté."))
    in_progress = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.status.in_((TicketStatus.OPEN, TicketStatus.SUSPENDED)))
    )
    if in_progress:
        no(
            _l(
                "%(count)s ticket(s) en cours : terminez-les, reprenez-les ou annulez-les avant de "
                "changer de mode (un ticket reste de l'école ou réel du début à la fin)."
            ),
            count=in_progress,
        )
    since = box.training_since
    box.training_since, box.training_by_code = (utcnow(), staff.code) if on else (None, None)
    record(
        session, action, actor=staff, register_code=register_code, since=since.isoformat() if since else None
    )
    session.commit()
    return box
