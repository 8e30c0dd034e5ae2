"""One place maps refusals and HTTP errors to what the screen shows. An HTMX request gets
the message in the page's message area (the form keeps what was typed); a plain form is sent
back to its screen with the message; the APIs get JSON. Never a debug page."""
from flask import flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.services.errors import DomainError, StaleScreen


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _screen_url() -> str:
    """The screen a form was posted from."""
    if request.path == url_for("access.sign_in"):  # a refused sign-in: the page it was for
        from app.redirects import local_path
        return local_path(request.form.get("next")) or url_for("opening.index")
    if request.path.startswith("/caisse/blocages"):
        return url_for("register.lockouts")
    if request.path.startswith("/caisse/mouvements"):
        return url_for("register.movements")
    if request.path.startswith("/fermeture"):
        return url_for("closing.page")
    if request.path.startswith("/journees"):
        return url_for("closing.days")
    if request.path.startswith("/caisse"):
        return url_for("register.page")
    if request.path.startswith("/vente"):
        return url_for("selling.page")
    if request.path.startswith("/imprimante"):  # still knowing the screen it was opened from
        return url_for("printing.page", retour=request.form.get("retour") or None)
    return url_for("opening.index")


def _message_response(message: str, status: int):
    db.session.rollback()
    if _wants_json():
        return jsonify(error=status, message=message), status
    if request.htmx:
        response = make_response(render_template("_error.html", message=message), status)
        # Whatever the form targeted, the message goes to the message area.
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        response.headers["Vary"] = "HX-Request"
        return response
    if request.method == "POST":
        flash(message, "error")
        return redirect(_screen_url(), code=303)
    return make_response(render_template("error.html", message=message), status)


def register_error_handlers(app) -> None:
    @app.errorhandler(StaleScreen)
    def stale(error):
        db.session.rollback()
        flash(str(error), "error")
        if request.htmx:
            response = make_response("", 200)
            response.headers["HX-Redirect"] = _screen_url()
            return response
        return redirect(_screen_url(), code=303)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return _message_response(str(error), error.status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        from flask_babel import gettext as _
        return _message_response(
            _("La page a expiré : rechargez-la et recommencez."), 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.name, message=error.description), error.code
        template = "_error.html" if request.htmx else "error.html"
        return render_template(template, message=error.description), error.code
