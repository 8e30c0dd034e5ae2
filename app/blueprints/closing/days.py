"""Closed days and their Z reports: the preview on screen (same text as the paper) and
Réimprimer, marked DUPLICATA n°k."""

from flask import abort, flash, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, signed_in_person
from app.blueprints.closing import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.closing import closed_day_report, closed_days, reprint_z
from app.services.lifecycle import register_state
from app.services.people import staff_list
from app.states import Right


@bp.get("/journees")
@needs(Right.CLOSE)
def days():
    return render_screen("closing/days.html", days=closed_days(db.session, signed_in_person()))


@bp.get("/journees/<uuid>")
@needs(Right.CLOSE)
def day(uuid):
    report = closed_day_report(db.session, uuid, signed_in_person())
    if report is None:
        abort(404)
    found, z_text, copies = report
    state = register_state(db.session)
    return render_screen(
        "closing/day.html",
        state,
        day=found,
        copies=copies,
        z_text=z_text,
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.post("/journees/<uuid>/reimprimer")
@by_code
def reprint(uuid):
    job = reprint_z(db.session, uuid, form_value("person"), form_value("password"))
    flash(_("Duplicata n° %(copy)s du ticket Z envoyé à l'imprimante.", copy=job.copy_number), "success")
    return go_to(url_for("closing.day", uuid=uuid))
