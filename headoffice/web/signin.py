"""Who is signed in to head office's screens, and until when.

The session (Flask's signed cookie) holds the user's id, when they signed in and when they
last did something. It ends after HEADOFFICE_SESSION_IDLE_MINUTES without a request, after
HEADOFFICE_SESSION_HOURS in all, and as soon as the account is disabled or its password or
role changes (people.signed_in_user)."""

from datetime import datetime, timedelta
from functools import wraps

from flask import abort, current_app, g, request, session
from flask_babel import gettext as _

from headoffice.extensions import db
from headoffice.people import User, signed_in_user
from headoffice.roles import Can, allows
from headoffice.timeutil import utcnow

KEYS = ("uid", "since", "seen")


def start_session(user: User) -> None:
    session.clear()  # a new session id for the signed-in person (no fixation)
    now = utcnow().isoformat()
    session.update(uid=user.id, since=now, seen=now)
    session.permanent = True


def end_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def session_user() -> tuple[User | None, bool]:
    """(the signed-in user or None, whether a session existed and ran out)."""
    if "uid" not in session:
        return None, False
    try:
        since = datetime.fromisoformat(session["since"])
        seen = datetime.fromisoformat(session["seen"])
        user_id = int(session["uid"])
    except (KeyError, TypeError, ValueError):
        end_session()
        return None, True
    now = utcnow()
    idle = timedelta(minutes=current_app.config["HEADOFFICE_SESSION_IDLE_MINUTES"])
    longest = timedelta(hours=current_app.config["HEADOFFICE_SESSION_HOURS"])
    user = None
    if now - seen <= idle and now - since <= longest:
        user = signed_in_user(db.session, user_id, since)
    if user is None:
        end_session()
        return None, True
    session["seen"] = now.isoformat()
    return user, False


def needs(what: Can):
    """The route's right; a role without it gets 403 and a sentence, and nothing is done."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not allows(g.user.role, what):
                abort(403, _("Votre rôle ne permet pas cette action ; demandez à un administrateur."))
            return view(*args, **kwargs)

        wrapper.needs = what
        return wrapper

    return decorator


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"
