"""Extensions are created here once and bound to the app in create_app."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx

from app.models.base import Base, UTCDateTime


def _render_item(type_, obj, autogen_context):
    # Migrations must not import the app: UTCDateTime is stored as a plain DATETIME.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=_render_item)
csrf = CSRFProtect()
babel = Babel()
htmx = Htmx()
