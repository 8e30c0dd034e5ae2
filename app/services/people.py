"""Who is doing this: password checks (offline, against imported hashes), lock-outs, rights."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.labels import right_label
from app.models import LoginFailure, Staff, utcnow
from app.services.errors import AuthenticationFailed, RightMissing
from app.services.journal import record, refuse
from app.services.passwords import check_code

# Built once: every password check reads the person with their failures.
_STAFF_AND_FAILURES = (
    select(Staff, LoginFailure)
    .outerjoin(LoginFailure, LoginFailure.staff_code == Staff.code)
    .where(Staff.code == bindparam("code"))
)


def authenticate(
    session: Session,
    staff_code: str,
    password: str,
    action: str,
    *,
    staff: Staff | None = None,
    register_code=None,
) -> Staff:
    """Check a password; a wrong one counts towards the lock-out and is journaled.
    `staff` may be given when the person comes from elsewhere (head office's list)."""
    staff_code = (staff_code or "").strip()
    failure = None
    if staff is None and staff_code:
        row = session.execute(_STAFF_AND_FAILURES, {"code": staff_code}).first()
        staff, failure = row if row else (None, None)
    elif staff is not None:
        failure = session.get(LoginFailure, staff.code)
    if staff is None:
        refuse(
            session,
            AuthenticationFailed(_l("Choisissez une personne connue de cette caisse.")),
            action,
            actor=staff_code or None,
            register_code=register_code,
        )

    now = utcnow()
    if failure and failure.locked_until and failure.locked_until > now:
        refuse(
            session,
            AuthenticationFailed(
                _l(
                    "%(name)s est bloqué après trop de mots de passe faux. Réessayez dans "
                    "%(minutes)s min, ou demandez à un responsable de le débloquer."
                ),
                name=staff.name,
                minutes=_duration(failure.locked_until - now),
            ),
            action,
            actor=staff,
            register_code=register_code,
        )

    if not check_code(staff.code, staff.password_hash, password):
        session.rollback()
        failure = session.get(LoginFailure, staff.code) or LoginFailure(staff_code=staff.code)
        failure.failures = (failure.failures or 0) + 1
        locked = failure.failures >= current_app.config["LOGIN_MAX_FAILURES"]
        if locked:
            failure.lockouts = (failure.lockouts or 0) + 1
            lock = lock_duration(failure.lockouts)
            failure.locked_until = now + lock
            failure.failures = 0
        session.add(failure)
        record(
            session,
            action,
            outcome="refused",
            actor=staff,
            register_code=register_code,
            reason="Mot de passe incorrect" + (" (personne bloquée)" if locked else ""),
            wrong_password=True,
        )  # a failed sign-in in the event journal, whatever the action
        if locked:
            record(
                session,
                "lockout",
                actor=staff,
                register_code=register_code,
                reason=f"{current_app.config['LOGIN_MAX_FAILURES']} mots de passe faux de "
                f"suite : bloqué {_duration(lock)} min",
                during=action,
                lockouts=failure.lockouts,
                minutes=lock // timedelta(minutes=1),
                locked_until=failure.locked_until.isoformat(),
            )
        session.commit()
        if locked:
            raise AuthenticationFailed(
                _l("Mot de passe incorrect. %(name)s est bloqué pendant %(minutes)s min."),
                name=staff.name,
                minutes=_duration(lock),
            )
        raise AuthenticationFailed(_l("Mot de passe incorrect."))

    if failure and (failure.failures or failure.lockouts or failure.locked_until):
        failure.failures = 0  # a right code: the next lock-out starts short again
        failure.lockouts = 0
        failure.locked_until = None
    return staff


def lock_duration(lockouts: int) -> timedelta:
    """LOGIN_LOCK_MINUTES for the first lock-out, twice as long for each one after it, at most
    LOGIN_LOCK_MAX_MINUTES: with 4-digit codes, 5 tries per lock-out, about 45 guesses the
    first day and 5 a day after it instead of 1,440 a day (docs/technician.md)."""
    config = current_app.config
    minutes = config["LOGIN_LOCK_MINUTES"] * 2 ** min(max(lockouts, 1) - 1, 30)
    return timedelta(minutes=min(minutes, config["LOGIN_LOCK_MAX_MINUTES"]))


def _duration(delta: timedelta) -> str:
    """Minutes rounded up, written "5" or "2 h 05" (the messages add "min")."""
    minutes = max(1, -(-int(delta.total_seconds()) // 60))
    return str(minutes) if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d}"


def require_right(session: Session, staff: Staff, right: str, action: str, *, register_code=None) -> None:
    if not staff.has_right(right):
        refuse(
            session,
            RightMissing(
                _l("%(name)s n'a pas le droit de faire cela (%(right)s)."),
                name=staff.name,
                right=right_label(right),
            ),
            action,
            actor=staff,
            register_code=register_code,
            right=right,
        )


def require_viewer(session: Session, viewer: Staff | None, right: str, action: str) -> None:
    """A page's reading service: the person signed in on the screen needs the right too."""
    if viewer is None:
        refuse(
            session, AuthenticationFailed(_l("Identifiez-vous pour voir cette page.")), action, right=right
        )
    require_right(session, viewer, right, action)


def authorise(
    session: Session, person_code: str, password: str, right: str, action: str, *, register_code=None
) -> Staff:
    """The usual gate of an action: the right person, the right password, the right."""
    staff = authenticate(session, person_code, password, action, register_code=register_code)
    require_right(session, staff, right, action, register_code=register_code)
    return staff


_staff_lists: dict = {}


def staff_list(session: Session, imported_at=None) -> tuple[dict, ...]:
    """Who can be chosen in a person list: codes and names only (no hashes, no rights).

    Staff change only at an import, so the list is kept per process under the import's time
    (read with the register state anyway): every gunicorn worker sees a new import at once."""
    key = (str(session.get_bind().url), imported_at) if imported_at else None
    if key in _staff_lists:
        return _staff_lists[key]
    people = tuple(
        {"code": code, "name": name}
        for code, name in session.execute(select(Staff.code, Staff.name).order_by(Staff.name))
    )
    if key:
        if len(_staff_lists) > 16:
            _staff_lists.clear()
        _staff_lists[key] = people
    return people
