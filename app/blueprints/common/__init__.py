from flask import Blueprint

bp = Blueprint("common", __name__)

from app.blueprints.common import routes  # noqa: E402,F401
