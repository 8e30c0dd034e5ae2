"""The status strip (polled on every screen) and the language switch."""
from flask import current_app, redirect, request, session, url_for

from app.blueprints.common import bp
from app.blueprints.screens import render_screen


@bp.get("/status")
def status():
    return render_screen("_status.html")


@bp.post("/lang")
def language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    # Back to the screen the person was on, never to another site.
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("opening.index")
    return redirect(target, code=303)
