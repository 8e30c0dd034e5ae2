"""A damaged database stops the till: every screen says so and what the technician does,
/healthz answers 503, nothing can sell. Only the language switch and static files pass."""
from flask import current_app, make_response, render_template, request

from app.blueprints.health import bp
from app.services.health import startup_problem

_ALLOWED = {"static", "health.healthz", "common.language"}


@bp.before_app_request
def refuse_on_damaged_database():
    if request.endpoint in _ALLOWED:
        return None
    problem = startup_problem(current_app._get_current_object())
    if not problem:
        return None
    response = make_response(render_template("health/damaged.html", detail=problem), 503)
    if request.htmx:
        response.headers["HX-Refresh"] = "true"  # a page drawn before: reload to this screen
    response.headers["Retry-After"] = "300"
    return response
