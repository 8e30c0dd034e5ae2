"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask CLI (`flask --app wsgi …`)."""

from app import create_app
from app.memory import freeze_again_after_warm_up, freeze_startup_objects

app = create_app()
freeze_startup_objects()  # each gunicorn worker imports this module (no preload)
freeze_again_after_warm_up(app)
