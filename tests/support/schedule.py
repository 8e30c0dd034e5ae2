"""Scheduled work in tests: the hours set at head office, the jobs called as the scheduler
calls them, and what they left in the box's database."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.models import ScheduledTask

PARIS = ZoneInfo("Europe/Paris")


def set_schedule(headoffice_app, **hours):
    """auto_close="22:00", planned_import="06:30" (or "off") on CAISSE01, as head office's CLI does."""
    from headoffice.admin import set_register_schedule
    from headoffice.extensions import db as ho_db

    with headoffice_app.app_context():
        set_register_schedule("BOUTIQUE01", "CAISSE01", **hours)
        ho_db.session.commit()
        ho_db.session.remove()


def paris(text: str) -> datetime:
    """A moment on the shop's clock, "2026-12-01 22:00:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def tasks(app) -> list[tuple]:
    with app.app_context():
        try:
            return [
                (t.kind, t.due_at.astimezone(PARIS).strftime("%d/%m %H:%M"), t.status, t.attempts)
                for t in db.session.scalars(select(ScheduledTask).order_by(ScheduledTask.id))
            ]
        finally:
            db.session.remove()


def rename_register_at_head_office(headoffice_app, name: str) -> None:
    """A change only a new import brings to the box."""
    from headoffice.extensions import db as ho_db

    with headoffice_app.app_context():
        ho_db.session.execute(
            ho_db.text("UPDATE register SET name = :name WHERE code = 'CAISSE01'"), {"name": name}
        )
        ho_db.session.commit()
        ho_db.session.remove()


def pulled_days(headoffice_app) -> list[dict]:
    """The days head office holds, as its pull API gives them to its own tools."""
    from tests.support.helpers import DEMO_HEADOFFICE_TOKEN

    api = headoffice_app.test_client()
    auth = {"Authorization": f"Bearer {DEMO_HEADOFFICE_TOKEN}"}
    listing = api.get("/api/v1/exports", headers=auth).get_json()["exports"]
    return [
        day
        for entry in listing
        for day in api.get(f"/api/v1/exports/{entry['batch_id']}", headers=auth).get_json()["batch"]["days"]
    ]
