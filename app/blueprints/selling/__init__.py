from flask import Blueprint

bp = Blueprint("selling", __name__, url_prefix="/vente")

from app.blueprints.selling import routes, paying  # noqa: E402,F401
