"""/healthz: what systemd, the kiosk launcher and a technician ask before trusting the box."""

from flask import current_app, jsonify

from app.access import public
from app.blueprints.health import bp
from app.box.health import check_health, current_problem
from app.extensions import db


@bp.get("/healthz")
@public("ce que systemd, le kiosque et le technicien demandent")
def healthz():
    report = check_health(db.session, current_problem(current_app._get_current_object()))
    db.session.rollback()
    return jsonify(report), 200 if report["status"] == "ok" else 503
