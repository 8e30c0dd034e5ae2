from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/caisse")

from app.blueprints.register import cards, documents, lockouts, routes, safe, training  # noqa: E402,F401
