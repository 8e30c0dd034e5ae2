from flask import Blueprint

bp = Blueprint("cashier_sessions", __name__, url_prefix="/sessions")

from app.blueprints.cashier_sessions import routes  # noqa: E402,F401
