from flask import Blueprint

bp = Blueprint("integrity", __name__, url_prefix="/integrite")

from app.blueprints.integrity import routes  # noqa: E402,F401
