"""One place maps refusals and HTTP errors to what the screen shows. An HTMX request gets
the message in the page's message area (the form keeps what was typed); a plain form is sent
back to its screen with the message; the APIs get JSON. Never a debug page."""

from flask import flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.blueprints.screens import go_to, into_messages
from app.extensions import db
from app.redirects import local_path
from app.services.errors import DomainError, StaleScreen


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


# The screen of each blueprint: where a refused form or a stale screen goes back to. A
# blueprint not named here (opening, sync, common, access) belongs to the opening screen.
SCREEN_OF_BLUEPRINT = {
    "register": "register.page",
    "selling": "selling.page",
    "closing": "closing.page",
    "printing": "printing.page",
    "reports": "reports.index",
    "cashier_sessions": "cashier_sessions.index",
}
# Where one blueprint has several screens: the endpoints of the others.
SCREEN_OF_ENDPOINT = {
    "register.lockouts": "register.lockouts",
    "register.unlock": "register.lockouts",
    "register.movements": "register.movements",
    "register.add_movement": "register.movements",
    "register.documents": "register.documents",
    "register.new_document": "register.documents",
    "register.preview_document": "register.new_document",
    "register.add_document": "register.new_document",
    "register.document": "register.documents",
    "register.card_transactions": "register.card_transactions",
    "register.cancel_card_form": "register.card_transactions",
    "register.cancel_card": "register.card_transactions",
    "register.manual_refund_page": "register.manual_refund_page",
    "register.manual_refund": "register.manual_refund_page",
    "closing.days": "closing.days",
    "closing.day": "closing.days",
    "closing.reprint": "closing.days",
    "reports.print_point_of_sale_": "reports.point_of_sale",
    "reports.print_periodic": "reports.periodic",
    "cashier_sessions.opening": "register.page",
    "cashier_sessions.open_": "cashier_sessions.opening",
    "cashier_sessions.own_session": "register.page",
    "cashier_sessions.own_takings": "register.page",
    "cashier_sessions.close": "register.page",
}


def _screen_url() -> str:
    """The screen a form was posted from."""
    if request.endpoint == "access.sign_in":  # a refused sign-in: the page it was for
        return local_path(request.form.get("next")) or url_for("opening.index")
    screen = SCREEN_OF_ENDPOINT.get(request.endpoint) or SCREEN_OF_BLUEPRINT.get(
        request.blueprint, "opening.index"
    )
    if screen == "printing.page":  # still knowing the screen it was opened from
        return url_for(screen, retour=request.form.get("retour") or None)
    return url_for(screen)


def _message_response(message: str, status: int):
    db.session.rollback()
    if _wants_json():
        return jsonify(error=status, message=message), status
    if request.htmx:
        return into_messages(make_response(render_template("_error.html", message=message), status))
    if request.method == "POST":
        flash(message, "error")
        return redirect(_screen_url(), code=303)
    return make_response(render_template("error.html", message=message), status)


def register_error_handlers(app) -> None:
    @app.errorhandler(StaleScreen)
    def stale(error):
        db.session.rollback()
        flash(str(error), "error")
        return go_to(_screen_url())

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return _message_response(str(error), error.status)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        from flask_babel import gettext as _

        return _message_response(_("La page a expiré : rechargez-la et recommencez."), 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.name, message=error.description), error.code
        template = "_error.html" if request.htmx else "error.html"
        return render_template(template, message=error.description), error.code
