"""Head office's screens as a test signs in to them: the CSRF token of a page, signing in a
user created through the real service, the rows a refusal must leave unchanged."""

import re

from sqlalchemy import select

from headoffice.audit import CONSOLE
from headoffice.extensions import db
from headoffice.people import create_user

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(response) -> str:
    match = _TOKEN.search(response.get_data(as_text=True))
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def make_user(ho_app, login: str, role: str, password: str = PASSWORD) -> int:
    # A cheap hash: the tests sign in often; the default (scrypt) is tested by the CLI test.
    ho_app.config["HEADOFFICE_PASSWORD_METHOD"] = "pbkdf2:sha256:1000"
    with ho_app.app_context():
        user = create_user(db.session, CONSOLE, login, f"{login.title()} Du Siège", role, password)
        db.session.commit()
        return user.id


def sign_in(client, login: str, password: str = PASSWORD):
    token = csrf_of(client.get("/connexion"))
    return client.post("/connexion", data={"login": login, "password": password, "csrf_token": token})


def post(client, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
    """A form posted the way the page sends it: with the CSRF token of `page` (default: url)."""
    token = csrf_of(client.get(page or url))
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def rows(ho_app, model, *order) -> list[tuple]:
    """Every row of a table as plain tuples: what a refusal must not move."""
    with ho_app.app_context():
        columns = [column for column in model.__table__.columns]
        query = select(*columns).order_by(*(order or columns[:1]))
        return [tuple(row) for row in db.session.execute(query)]
