from flask import Blueprint

bp = Blueprint("opening", __name__)

from app.blueprints.opening import routes  # noqa: E402,F401
