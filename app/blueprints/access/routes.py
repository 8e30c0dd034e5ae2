"""S'identifier (to see a page that needs a right) and Sortir."""

from flask import request, url_for

from app.access import access_of, public, sign_in_viewer, sign_out_viewer
from app.blueprints.access import bp
from app.blueprints.access.views import sign_in_page
from app.blueprints.screens import form_value, go_to
from app.extensions import db
from app.redirects import local_path
from app.services.signin import sign_in_to_view


def _right_for(path: str) -> str | None:
    """The right the page behind `path` needs: read from the route, never from the form."""
    from flask import current_app

    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path.split("?")[0], method="GET")
    except Exception:  # noqa: BLE001 — no such page: signing in needs no particular right
        return None
    access = access_of(endpoint)
    return access.right if access else None


@bp.get("/entrer")
@public("le formulaire d'identification")
def sign_in_form():
    return sign_in_page(local_path(request.args.get("next")) or url_for("opening.index"))


@bp.post("/entrer")
@public("l'identification elle-même : le code est vérifié par le service")
def sign_in():
    target = local_path(form_value("next")) or url_for("opening.index")
    staff = sign_in_to_view(db.session, form_value("person"), form_value("password"), _right_for(target))
    sign_in_viewer(staff)
    return go_to(target)


@bp.post("/sortir")
@public("Sortir : oublie la personne identifiée sur cet écran")
def sign_out():
    sign_out_viewer("Sortir")
    return go_to(url_for("opening.index"))
