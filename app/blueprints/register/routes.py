"""The open register (manual 000 §2.3): who may connect, and Fermer la caisse."""
from flask import flash, session, url_for
from flask_babel import gettext as _

from app.blueprints.register import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.lifecycle import OPEN, close_day, register_state
from app.services.people import staff_list
from app.services.sessions import check_screen_fresh, connect_seller


@bp.get("")
def page():
    state = register_state(db.session)
    if state.code != OPEN:
        return go_to(url_for("opening.index"))
    people = staff_list(db.session, state.box.imported_at)
    return render_screen("register/page.html", state, people=people,
                         chosen_person=session.get("last_person", ""))


@bp.post("/connect")
def connect():
    check_screen_fresh(db.session, form_value("screen_token") or None)
    seller = connect_seller(db.session, form_value("person"), form_value("password"))
    session.permanent = True
    session["seller"] = seller.uuid
    session["last_person"] = seller.staff_code
    return go_to(url_for("selling.page"))


@bp.post("/close")
def close():
    """The plain closing; the closing issue puts the counting page in front of it."""
    check_screen_fresh(db.session, form_value("screen_token") or None)
    close_day(db.session, form_value("person"), form_value("password"),
              force=form_value("force") == "1")
    session.pop("seller", None)
    flash(_("La caisse est fermée."), "success")
    return go_to(url_for("opening.index"))
