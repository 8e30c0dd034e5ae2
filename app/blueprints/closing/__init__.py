from flask import Blueprint

bp = Blueprint("closing", __name__)

from app.blueprints.closing import routes, days  # noqa: E402,F401
