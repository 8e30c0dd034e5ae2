from flask import Blueprint

bp = Blueprint("sync", __name__, url_prefix="/sync")

from app.blueprints.sync import routes  # noqa: E402,F401
