"""Ouverture de la caisse — the landing page whenever no register is open."""
from flask import render_template

from app.blueprints.opening import bp
from app.extensions import db
from app.services.lifecycle import register_state


@bp.get("/")
def index():
    state = register_state(db.session)
    page = render_template("opening/page.html", state=state)
    db.session.rollback()
    return page
