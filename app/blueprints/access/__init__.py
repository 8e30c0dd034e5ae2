from flask import Blueprint

bp = Blueprint("access", __name__)

from app.blueprints.access import routes  # noqa: E402,F401
