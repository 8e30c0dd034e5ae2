from flask import Blueprint

bp = Blueprint("health", __name__)

from app.blueprints.health import guard, routes  # noqa: E402,F401
