"""WSGI entry point: `gunicorn headoffice.wsgi:app`."""

from headoffice import create_app

app = create_app()
