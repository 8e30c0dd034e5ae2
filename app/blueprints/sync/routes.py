"""Importer and Exporter with their progress window. With HTMX the work runs beside the
request and the window polls it; a plain form waits for the end and comes back."""

from flask import abort, current_app, flash, request, url_for

from app.access import by_code, public
from app.blueprints.screens import form_value, go_to, render_partial, render_screen
from app.blueprints.sync import bp
from app.extensions import db
from app.services.errors import DomainError
from app.states import SyncRunKind, SyncRunStatus
from app.sync.client import HeadOfficeClient
from app.sync.exporting import begin_export, export_days
from app.sync.importing import begin_import, import_register
from app.sync.runs import background_thread, get_run, settle_run, watch_run


@bp.post("/import")
@by_code
def import_():
    register_code, person = form_value("register"), form_value("person")
    run = begin_import(db.session, register_code, person, posted_token=form_value("screen_token") or None)
    return _start(run, _import, register_code, person, form_value("password"))


@bp.post("/export")
@by_code
def export():
    person = form_value("person")
    run = begin_export(db.session, person, posted_token=form_value("screen_token") or None)
    return _start(run, _export, person, form_value("password"))


@bp.get("/runs/<run_uuid>")
@public("l'avancement d'un import ou export, à l'écran qui l'a lancé (identifiant aléatoire)")
def run_progress(run_uuid):
    run = watch_run(db.session, run_uuid)
    if run is None:
        abort(404)
    if run.status == SyncRunStatus.DONE and request.htmx:
        flash(_done_message(run), "success")
        return go_to(url_for("opening.index"))
    if request.htmx:  # the window only: no status strip to draw again
        return render_partial("sync/_progress.html", run=run)
    return render_screen("sync/progress.html", run=run)


def _start(run, work, *args):
    run_uuid = run.uuid
    if request.htmx and current_app.config.get("SYNC_IN_BACKGROUND", True):
        # The work starts once the window is sent: started earlier, it would share the CPU
        # (and Python's lock) with drawing and sending it.
        response = render_partial("sync/_progress.html", run=run)
        response.call_on_close(background_thread(work, run_uuid, *args).start)
        return response
    try:
        work(run_uuid, *args)
    except DomainError as error:
        flash(str(error), "error")
        return go_to(url_for("opening.index"))
    finally:
        settle_run(db.session, run_uuid)
    flash(_done_message(get_run(db.session, run_uuid)), "success")
    return go_to(url_for("opening.index"))


def _import(run_uuid, register_code, person, password):
    with HeadOfficeClient.from_config(current_app.config) as client:
        import_register(
            db.session, client, register_code, person, password, run=get_run(db.session, run_uuid)
        )


def _export(run_uuid, person, password):
    with HeadOfficeClient.from_config(current_app.config) as client:
        export_days(db.session, client, person, password, run=get_run(db.session, run_uuid))


def _done_message(run) -> str:
    from flask_babel import gettext as _

    if run.kind == SyncRunKind.IMPORT:
        return _("Import terminé : caisse %(code)s.", code=run.register_code)
    return _("Export terminé : les journées sont au serveur principal.")
