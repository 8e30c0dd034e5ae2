"""One place maps domain errors and HTTP errors to what the screen shows: a full page for a
direct visit, the error partial for an HTMX request. No debug page, ever."""
from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from app.services.errors import DomainError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def register_error_handlers(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if _wants_json():
            return jsonify(error=error.__class__.__name__, message=str(error)), error.status
        template = "_error.html" if request.htmx else "error.html"
        response = app.make_response((render_template(template, message=str(error)), error.status))
        if request.htmx:
            # Errors replace the message area, whatever the form targeted.
            response.headers["HX-Retarget"] = "#messages"
            response.headers["HX-Reswap"] = "innerHTML"
        response.headers["Vary"] = "HX-Request"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.name, message=error.description), error.code
        template = "_error.html" if request.htmx else "error.html"
        return render_template(template, message=error.description), error.code
