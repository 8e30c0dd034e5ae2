"""Mode école: a manager switches training mode on and off (app/services/training.py).
Reached from the register page and from the banner of the status strip, whatever the
register's state (a manager may switch it off after the closing)."""

from flask import flash, url_for
from flask_babel import gettext as _

from app.access import by_code, needs
from app.blueprints.register import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.lifecycle import register_state
from app.services.people import staff_list
from app.services.training import RIGHT, switch_training


@bp.get("/ecole")
@needs(RIGHT)  # the switch is the manager's: they sign in first, as for Personnes bloquées
def training():
    state = register_state(db.session)
    return render_screen(
        "register/training.html", state, people=staff_list(db.session, state.box.imported_at)
    )


@bp.post("/ecole")
@by_code
def switch_training_mode():
    on = form_value("mode") == "on"
    switch_training(db.session, form_value("person"), form_value("password"), on)
    flash(
        _("Mode école activé : les tickets sont factices jusqu'à son arrêt.")
        if on
        else _("Mode école arrêté : les tickets sont de nouveau réels."),
        "success",
    )
    return go_to(url_for("register.training"))
