"""Closed days and their Z reports: the preview on screen (same text as the paper) and
Réimprimer, marked DUPLICATA n."""
from flask import abort, flash, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.blueprints.closing import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.devices.render import render_text
from app.extensions import db
from app.models import PrintJob, RegisterDay
from app.services.closing import latest_z, reprint_z
from app.services.lifecycle import register_state
from app.services.people import staff_list


@bp.get("/journees")
def days():
    closed = list(db.session.scalars(select(RegisterDay).where(RegisterDay.state == "closed")
                                     .order_by(RegisterDay.id.desc()).limit(60)))
    return render_screen("closing/days.html", days=closed)


@bp.get("/journees/<uuid>")
def day(uuid):
    found = db.session.scalars(select(RegisterDay).where(RegisterDay.uuid == uuid)).first()
    if found is None or found.state != "closed":
        abort(404)
    z = latest_z(db.session, found)
    copies = db.session.scalar(select(db.func.count()).select_from(PrintJob).where(
        PrintJob.kind == "z_report", PrintJob.document_uuid == found.uuid)) or 0
    state = register_state(db.session)
    return render_screen("closing/day.html", state, day=found, copies=copies,
                         z_text=render_text("z_report", z[0]) if z else "",
                         people=staff_list(db.session, state.box.imported_at))


@bp.post("/journees/<uuid>/reimprimer")
def reprint(uuid):
    job = reprint_z(db.session, uuid, form_value("person"), form_value("password"))
    flash(_("Duplicata n° %(copy)s du ticket Z envoyé à l'imprimante.", copy=job.copy_number), "success")
    return go_to(url_for("closing.day", uuid=uuid))
