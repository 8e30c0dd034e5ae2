from flask import Blueprint

bp = Blueprint("common", __name__)

from app.blueprints.common import routes, tablets  # noqa: E402,F401
