"""The selling screen. Until the selling issue lands: who is connected, and Déconnecter."""
from flask import session, url_for

from app.blueprints.screens import go_to, render_screen
from app.blueprints.selling import bp
from app.extensions import db
from app.services.lifecycle import OPEN, register_state
from app.services.sessions import active_seller, disconnect_seller


@bp.get("")
def page():
    state = register_state(db.session)
    seller = active_seller(db.session, session.get("seller"))
    if state.code != OPEN or seller is None:
        session.pop("seller", None)
        return go_to(url_for("register.page"))
    return render_screen("selling/page.html", state, seller=seller)


@bp.post("/disconnect")
def disconnect():
    seller_uuid = session.pop("seller", None)
    if seller_uuid:
        disconnect_seller(db.session, seller_uuid)
    return go_to(url_for("register.page"))
