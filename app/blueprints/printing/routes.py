"""Imprimante: the print queue for a manager (Réessayer, Réimprimer) and Ouvrir le tiroir."""

from flask import abort, flash, session, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, signed_in_person
from app.blueprints.printing import bp
from app.blueprints.screens import back_path, form_value, go_to, render_screen
from app.extensions import db
from app.services import printing
from app.services.lifecycle import register_state
from app.services.people import staff_list
from app.states import Right


@bp.get("")
@needs(Right.REPRINT)
def page():
    state = register_state(db.session)
    return render_screen(
        "printing/page.html",
        state,
        jobs=printing.list_jobs(db.session, signed_in_person()),
        virtual=printing.virtual_prints(db.session, signed_in_person()),
        printer_kind=printing.printer_kind(),
        people=staff_list(db.session, state.box.imported_at),
        chosen_person=session.get("last_person", ""),
        back=_back(),
    )


@bp.get("/travaux/<uuid>")
@needs(Right.REPRINT)
def preview(uuid):
    preview = printing.print_preview(db.session, uuid, signed_in_person())
    if preview is None:
        abort(404)
    job, text = preview
    return render_screen("printing/preview.html", job=job, receipt_text=text, back=_back())


@bp.post("/reessayer")
@needs(Right.REPRINT)
def retry():
    printing.retry(db.session, form_value("job"), signed_in_person())
    flash(_("Le document est remis dans la file d'impression."), "success")
    return _printer_page()


@bp.post("/reimprimer")
@by_code
def reprint():
    job = printing.reprint(db.session, form_value("job"), form_value("person"), form_value("password"))
    flash(_("Duplicata %(number)s envoyé à l'imprimante.", number=job.copy_number), "success")
    return _printer_page()


@bp.post("/tiroir")
@by_code
def drawer():
    printing.open_drawer(db.session, form_value("person"), form_value("password"))
    flash(_("Ouverture du tiroir demandée."), "success")
    return _printer_page()


def _back():
    return back_path(url_for("opening.index"))


def _printer_page():
    """Back to the printer page, which still knows the screen the person came from."""
    return go_to(url_for("printing.page", retour=_back()))
