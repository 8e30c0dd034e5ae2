"""Head office's own users: creating them, signing them in, their role, their password.

Passwords are hashed with Werkzeug (scrypt by default), as the registers' staff codes are;
a wrong login costs the same time as a wrong password, so the sign-in form does not tell
which logins exist. A new password, a new role or a disabled account moves
`sessions_valid_from`: every session opened before is refused at its next request."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from headoffice.audit import Actor, record_change
from headoffice.models import HeadofficeUser
from headoffice.refusals import NotFound, Refused
from headoffice.roles import Can, Role, require
from headoffice.timeutil import utcnow

LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD_LENGTH = 10
MAX_FAILED_SIGNINS = 5
LOCK_MINUTES = 5
_DUMMY_HASH: dict[str, str] = {}


@dataclass(frozen=True)
class User:
    id: int
    login: str
    name: str
    role: str
    active: bool

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.login, self.role)


def _user(row: HeadofficeUser) -> User:
    return User(row.id, row.login, row.name, row.role, row.active)


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["HEADOFFICE_PASSWORD_METHOD"])


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Refused(_("Le mot de passe doit compter au moins %(n)d caractères.", n=MIN_PASSWORD_LENGTH))


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise Refused(_("Rôle inconnu : %(role)s.", role=role)) from None


def create_user(session: Session, actor: Actor, login: str, name: str, role: str, password: str) -> User:
    require(actor, Can.ADMINISTER)
    login = (login or "").strip()
    if not LOGIN_PATTERN.match(login):
        raise Refused(_("L'identifiant : 1 à 64 lettres, chiffres, « . », « _ », « @ » ou « - »."))
    if not (name or "").strip():
        raise Refused(_("Le nom ne doit pas être vide."))
    role = _check_role(role)
    _check_password(password)
    taken = session.scalar(select(HeadofficeUser.id).where(func.lower(HeadofficeUser.login) == login.lower()))
    if taken is not None:
        raise Refused(_("L'identifiant %(login)s existe déjà.", login=login))
    now = utcnow()
    row = HeadofficeUser(
        login=login,
        name=name.strip(),
        role=role.value,
        password_hash=_hash(password),
        active=True,
        created_at=now,
        sessions_valid_from=now,
        failed_signins=0,
    )
    session.add(row)
    session.flush()
    record_change(
        session,
        actor,
        "user_created",
        f"user:{login}",
        after={"login": login, "name": row.name, "role": role},
    )
    return _user(row)


def authenticate(session: Session, login: str, password: str) -> User:
    """The user whose login and password these are, active; Refused otherwise (one message).

    MAX_FAILED_SIGNINS wrong passwords in a row lock the account for LOCK_MINUTES, even
    against the right one: a password is not guessed one try at a time over the network."""
    row = session.scalar(
        select(HeadofficeUser).where(func.lower(HeadofficeUser.login) == (login or "").strip().lower())
    )
    if row is None:
        method = current_app.config["HEADOFFICE_PASSWORD_METHOD"]
        check_password_hash(_DUMMY_HASH.setdefault(method, _hash("not a password")), password or "")
        raise Refused(_("Identifiant ou mot de passe incorrect."), 401)
    now = utcnow()
    if row.locked_until is not None and row.locked_until > now:
        raise Refused(_("Trop d'essais : ce compte est bloqué quelques minutes."), 429)
    if check_password_hash(row.password_hash, password or "") and row.active:
        if row.failed_signins:
            row.failed_signins, row.locked_until = 0, None
            session.commit()
        return _user(row)
    row.failed_signins += 1
    if row.failed_signins >= MAX_FAILED_SIGNINS:
        row.failed_signins, row.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
    session.commit()
    raise Refused(_("Identifiant ou mot de passe incorrect."), 401)


def signed_in_user(session: Session, user_id: int, signed_in_at: datetime) -> User | None:
    """The session's user if it is still good: the account active, nothing changed since."""
    row = session.get(HeadofficeUser, user_id)
    if row is None or not row.active or signed_in_at < row.sessions_valid_from:
        return None
    return _user(row)


def list_users(session: Session) -> list[User]:
    return [_user(row) for row in session.scalars(select(HeadofficeUser).order_by(HeadofficeUser.login))]


def _row(session: Session, user_id: int) -> HeadofficeUser:
    row = session.get(HeadofficeUser, user_id)
    if row is None:
        raise NotFound(_("Utilisateur inconnu."))
    return row


def change_user(session: Session, actor: Actor, user_id: int, *, role: str, active: bool) -> None:
    require(actor, Can.ADMINISTER)
    row = _row(session, user_id)
    role = _check_role(role)
    if row.id == actor.user_id and (role != Role.ADMINISTRATOR or not active):
        # Whoever could undo it is the one locking themself out: another administrator must.
        raise Refused(_("Vous ne pouvez pas retirer vos propres droits d'administrateur."))
    before = {"role": row.role, "active": row.active}
    after = {"role": role.value, "active": active}
    if before == after:
        return
    row.role, row.active = role.value, active
    row.sessions_valid_from = utcnow()
    record_change(session, actor, "user_changed", f"user:{row.login}", before=before, after=after)


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    require(actor, Can.ADMINISTER)
    row = _row(session, user_id)
    _check_password(password)
    row.password_hash = _hash(password)
    row.sessions_valid_from = utcnow()
    row.failed_signins, row.locked_until = 0, None  # an administrator's new password opens it
    record_change(session, actor, "user_password_set", f"user:{row.login}", after={"password": "changed"})
