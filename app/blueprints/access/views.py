"""The refusal of a page that needs a right: a 401 (nobody signed in) or 403 (the people
signed in lack the right) that shows the sign-in form, never a blank."""

from flask import request
from flask_babel import gettext as _

from app.blueprints.screens import into_messages, render_partial, render_screen
from app.extensions import db
from app.filters import url_path
from app.labels import right_label
from app.redirects import local_path
from app.services.lifecycle import register_state
from app.services.people import staff_list


def _back_here() -> str:
    """Where to come back once signed in: the page asked for, or the screen it belongs to."""
    from app.blueprints.errors import _screen_url as screen_url

    if request.method == "GET" and not request.htmx:
        return local_path(request.full_path.rstrip("?")) or screen_url()
    if request.htmx and request.headers.get("HX-Current-URL"):
        return local_path(url_path(request.headers["HX-Current-URL"])) or screen_url()
    return screen_url()


def _form_context(message: str, target: str) -> tuple:
    state = register_state(db.session)
    return state, {
        "message": message,
        "next": target,
        "people": staff_list(db.session, state.box.imported_at),
    }


def sign_in_page(target: str, message: str | None = None, status: int = 200):
    state, context = _form_context(message or _("Choisissez-vous et tapez votre code."), target)
    return render_screen("access/page.html", state, status=status, **context)


def refusal(right: str | None, *, anyone: bool, undeclared: bool = False):
    if undeclared:
        message, status = _("Cette page n'est ouverte à personne."), 403
    elif anyone:
        message, status = (
            _(
                "Cette page demande le droit « %(right)s » : identifiez-vous avec une personne qui l'a.",
                right=right_label(right),
            ),
            403,
        )
    else:
        message, status = (
            _(
                "Cette page demande une personne identifiée qui a le droit "
                "« %(right)s » : choisissez-vous et tapez votre code.",
                right=right_label(right),
            ),
            401,
        )
    if not request.htmx:
        return sign_in_page(_back_here(), message, status)
    state, context = _form_context(message, _back_here())
    return into_messages(render_partial("access/_sign_in.html", status=status, **context))
