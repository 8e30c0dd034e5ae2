"""The status strip (polled on every screen) and the language switch."""

from flask import current_app, redirect, request, session, url_for

from app.access import public
from app.blueprints.common import bp
from app.blueprints.screens import render_screen
from app.redirects import local_path


@bp.get("/status")
@public("la bande d'état : caisse, état, imprimante, sur l'écran d'accueil aussi")
def status():
    return render_screen("_status.html")


@bp.post("/lang")
@public("le choix de la langue")
def language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    # Back to the screen the person was on, never to another site.
    target = local_path(request.form.get("next")) or url_for("opening.index")
    return redirect(target, code=303)
