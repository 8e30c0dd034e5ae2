"""Who is locked out after too many wrong codes, and a manager unlocking them.

The lock-outs themselves are decided where codes are checked (app/services/people.py);
this is the manager's side: the list, and the unlock, which asks the manager's own code
(right `manage`) and is journaled like the lock-out was."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LoginFailure, Staff, utcnow
from app.services.errors import InvalidInput
from app.services.journal import record, refuse
from app.services.people import authorise, require_viewer
from app.states import Right

ACTION = "unlock"


@dataclass(frozen=True)
class LockedPerson:
    code: str
    name: str
    locked_until: datetime
    lockouts: int


def locked_people(session: Session, viewer, now=None) -> list[LockedPerson]:
    require_viewer(session, viewer, Right.MANAGE, "lockouts")
    now = now or utcnow()
    rows = session.execute(
        select(Staff.code, Staff.name, LoginFailure.locked_until, LoginFailure.lockouts)
        .join(LoginFailure, LoginFailure.staff_code == Staff.code)
        .where(LoginFailure.locked_until > now)
        .order_by(Staff.name)
    )
    return [LockedPerson(*row) for row in rows]


def unlock_person(
    session: Session, locked_code: str, manager_code: str, password: str, *, register_code=None
) -> LockedPerson:
    """The manager's code first (a wrong one counts towards the manager's own lock-out),
    then the person must still be locked; their counter starts again from zero."""
    manager = authorise(session, manager_code, password, Right.MANAGE, ACTION, register_code=register_code)
    person = next((p for p in locked_people(session, manager) if p.code == (locked_code or "").strip()), None)
    if person is None:
        refuse(
            session,
            InvalidInput(_l("Choisissez une personne bloquée.")),
            ACTION,
            actor=manager,
            register_code=register_code,
            staff_code=locked_code or None,
        )
    failure = session.get(LoginFailure, person.code)
    failure.failures, failure.lockouts, failure.locked_until = 0, 0, None
    record(
        session,
        ACTION,
        actor=manager,
        register_code=register_code,
        reason=f"{person.name} débloqué par un responsable",
        staff_code=person.code,
        lockouts=person.lockouts,
        locked_until=person.locked_until.isoformat(),
    )
    session.commit()
    return person
