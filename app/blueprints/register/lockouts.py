"""Personnes bloquées: a manager sees who is locked out after wrong codes and unlocks them
with their own code. Reached from the register page; works whatever the register's state
(a locked manager may be the one who must open it)."""

from flask import flash, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, signed_in_person
from app.blueprints.register import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.lifecycle import register_state
from app.services.lockouts import locked_people, unlock_person
from app.services.people import staff_list
from app.states import Right


@bp.get("/blocages")
@needs(Right.MANAGE)  # names of people: a manager signs in first
def lockouts():
    state = register_state(db.session)
    return render_screen(
        "register/lockouts.html",
        state,
        locked=locked_people(db.session, signed_in_person()),
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.post("/blocages")
@by_code
def unlock():
    state = register_state(db.session)
    person = unlock_person(
        db.session,
        form_value("locked"),
        form_value("person"),
        form_value("password"),
        register_code=state.register.code if state.register else None,
    )
    flash(_("%(name)s est débloqué.", name=person.name), "success")
    return go_to(url_for("register.lockouts"))
