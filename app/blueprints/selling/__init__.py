from flask import Blueprint

bp = Blueprint("selling", __name__, url_prefix="/vente")

from app.blueprints.selling import paying, routes  # noqa: E402,F401
