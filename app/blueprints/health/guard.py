"""A damaged, missing or out-of-date database stops the till: every screen says so and what
the technician does, /healthz answers 503, nothing can sell. Only the language switch and
static files pass."""

from flask import current_app, jsonify, make_response, render_template, request
from sqlalchemy.exc import DatabaseError

from app.blueprints.health import bp
from app.box.health import check_health, current_problem, problem_from_error
from app.extensions import db

_ALLOWED = {"static", "health.healthz", "common.language"}


@bp.before_app_request
def refuse_on_damaged_database():
    if request.endpoint in _ALLOWED:
        return None
    problem = current_problem(current_app._get_current_object())
    return _refusal(problem) if problem else None


@bp.app_errorhandler(DatabaseError)
def damage_seen_while_serving(error):
    """SQLite says "database disk image is malformed" to a request: this screen at once, and
    for every request of this process after it, instead of a 500 page."""
    db.session.rollback()
    problem = problem_from_error(current_app._get_current_object(), error)
    if problem is None:
        raise error  # not the file's fault: the usual 500
    if request.endpoint == "health.healthz":
        return jsonify(check_health(db.session, problem)), 503
    return _refusal(problem)


def _refusal(problem):
    response = make_response(
        render_template("health/damaged.html", problem=problem, detail=problem.detail), 503
    )
    if request.htmx:
        response.headers["HX-Refresh"] = "true"  # a page drawn before: reload to this screen
    response.headers["Retry-After"] = "300"
    return response
