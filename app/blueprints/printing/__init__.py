from flask import Blueprint

bp = Blueprint("printing", __name__, url_prefix="/imprimante")

from app.blueprints.printing import routes  # noqa: E402,F401
