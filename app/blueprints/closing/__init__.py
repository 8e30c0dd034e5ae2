from flask import Blueprint

bp = Blueprint("closing", __name__)

from app.blueprints.closing import days, routes  # noqa: E402,F401
