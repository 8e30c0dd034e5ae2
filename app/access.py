"""Who may reach which page: every view declares it, one hook enforces it (docs/access.md).

A page that shows money or people needs a signed-in person with the right for it. A person
is signed in either as the seller connected on this screen (Connecter) or for viewing
(« S'identifier » on a refused page: person + code), which lasts while they use it — it ends
after SIGN_IN_IDLE_MINUTES without a request, after SIGN_IN_MAX_MINUTES whatever happens,
at « Sortir » or Déconnecter, and is journaled. Actions whose form carries a person and
their code keep checking that code in their service, as before.

A view without a declaration is refused: a new route cannot be reachable by accident
(tests/register/test_access.py walks the URL map and checks every endpoint is declared).
"""

import time
from dataclasses import dataclass

from flask import current_app, g, request, session

VIEWER_KEY = "viewer"

PUBLIC, CODE, SELLER, RIGHT = "public", "code", "seller", "right"
# Requests a screen makes by itself (the status strip every 10 s, a progress window): they
# are not someone using the screen, so they never keep a sign-in alive.
_POLLS = {"common.status", "sync.run_progress", "static"}


@dataclass(frozen=True)
class Access:
    kind: str
    right: str | None = None
    why: str = ""


def _declare(access: Access):
    def mark(view):
        view.access = access
        return view

    return mark


def public(why: str):
    """Anyone may reach it (the sign-in pages themselves, the language, health…)."""
    return _declare(Access(PUBLIC, why=why))


def by_code(view):
    """An action whose form carries a person and their code: its service checks the right."""
    return _declare(Access(CODE))(view)


def seller(view):
    """The selling screen: the seller connected on this screen (its service checks who)."""
    return _declare(Access(SELLER))(view)


def needs(right: str):
    """A page for a signed-in person who has `right`."""
    return _declare(Access(RIGHT, right=right))


def access_of(endpoint: str | None) -> Access | None:
    if endpoint == "static":
        return Access(PUBLIC, why="feuilles de style, scripts")
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, "access", None)


# --- the sign-in for viewing, kept in the session -------------------------------------


def _now() -> int:
    return int(time.time())


def sign_in_viewer(staff, journal_as: str | None = None) -> None:
    """`staff` typed their code on this screen. `journal_as`: why, when the action that took
    the code (Fermer la caisse) did not journal a sign-in itself."""
    now = _now()
    session[VIEWER_KEY] = {"code": staff.code, "name": staff.name, "since": now, "seen": now}
    if journal_as:
        _journal("sign_in", staff.code, journal_as)


def viewer() -> dict | None:
    """The person signed in for viewing, if their sign-in is still alive."""
    signed = session.get(VIEWER_KEY)
    if not isinstance(signed, dict):
        return None
    config, now = current_app.config, _now()
    if (
        now - signed.get("seen", 0) > config["SIGN_IN_IDLE_MINUTES"] * 60
        or now - signed.get("since", 0) > config["SIGN_IN_MAX_MINUTES"] * 60
    ):
        return None
    return signed


def sign_out_viewer(reason: str) -> None:
    """Sortir, Déconnecter, or an expired sign-in: forget it and journal why."""
    signed = session.pop(VIEWER_KEY, None)
    if isinstance(signed, dict):
        _journal("sign_out", signed.get("code"), reason)


def _journal(action: str, code, reason: str) -> None:
    from app.extensions import db
    from app.services.journal import record

    try:
        record(db.session, action, actor=code, reason=reason)
        db.session.commit()
    except Exception:  # noqa: BLE001 — the session changes whether or not this is written
        db.session.rollback()


def _keep_viewer_alive() -> None:
    if VIEWER_KEY not in session:
        return
    signed = viewer()
    if signed is None:
        sign_out_viewer("identification expirée")
    elif request.endpoint not in _POLLS:
        signed["seen"] = _now()
        session.modified = True


@dataclass(frozen=True)
class SignedIn:
    """The person a page was let in for: code, name and rights, read in one query. Services
    take it where they took a Staff (require_viewer checks `has_right` again, the journal
    reads `code` and `name`)."""

    code: str
    name: str
    rights: frozenset

    def has_right(self, right: str) -> bool:
        return right in self.rights


# Every page of the back office reads who is signed in before anything else: one plain query
# for the viewer and the seller connected on this screen with their rights, rather than the
# seller's session, then each Staff and its rights through the ORM (a millisecond a page).
_SIGNED_IN = (
    'SELECT s.code, s.name, r."right" AS "right", s.code = ? AS viewing FROM staff s'
    " LEFT JOIN staff_right r ON r.staff_code = s.code"
    " WHERE s.code = ? OR s.code = (SELECT staff_code FROM seller_session"
    " WHERE uuid = ? AND disconnected_at IS NULL)"
)


def signed_in_people(viewer_code: str | None, seller_uuid: str | None) -> list[SignedIn]:
    """The viewer first, then the seller connected on this screen (each at most once)."""
    from app.database import raw_cursor
    from app.extensions import db

    people: dict[str, tuple] = {}
    rows = raw_cursor(db.session).execute(_SIGNED_IN, (viewer_code, viewer_code, seller_uuid or ""))
    for row in rows:
        name, rights, viewing = people.setdefault(row["code"], (row["name"], set(), row["viewing"]))
        if row["right"] is not None:
            rights.add(row["right"])
    ordered = sorted(people.items(), key=lambda item: not item[1][2])
    return [SignedIn(code, name, frozenset(rights)) for code, (name, rights, _) in ordered]


def person_with(right: str):
    """The signed-in person (viewer, then the connected seller) who has `right`, as SignedIn;
    `None` and whether anyone was signed in at all."""
    signed = viewer()
    viewer_code, seller_uuid = (signed["code"] if signed else None), session.get("seller")
    if viewer_code is None and not seller_uuid:
        return None, False
    people = signed_in_people(viewer_code, seller_uuid)
    for person in people:
        if person.has_right(right):
            return person, True
    return None, bool(people)


def signed_in_person():
    """The person the gate let in for this page (services check their right again)."""
    return g.get("signed_in")


def gate():
    _keep_viewer_alive()
    if request.endpoint is None:
        return None  # no such route: the 404 / 405 answers
    access = access_of(request.endpoint)
    if access is None:
        current_app.logger.error("route %s declares no access: refused", request.endpoint)
        return _refuse(None, anyone=False, undeclared=True)
    if access.kind in (PUBLIC, CODE):
        return None
    if access.kind == SELLER:
        # Only the cookie is looked at here: the selling blueprint reads who sells once per
        # request (resolve_seller) and hands it to its services.
        return None if session.get("seller") else _to_connecter()
    staff, anyone = person_with(access.right)
    if staff is None:
        return _refuse(access.right, anyone=anyone)
    g.signed_in = staff
    return None


def _to_connecter():
    from flask import flash, url_for
    from flask_babel import gettext as _

    from app.blueprints.screens import go_to

    flash(_("Connectez-vous pour vendre : choisissez-vous et tapez votre code."), "warning")
    return go_to(url_for("register.page"))


def _refuse(right, *, anyone: bool, undeclared: bool = False):
    from app.blueprints.access.views import refusal

    return refusal(right, anyone=anyone, undeclared=undeclared)


def init_access(app) -> None:
    # After the origin binding (which may clear the session) and the damaged-database guard.
    app.before_request(gate)
