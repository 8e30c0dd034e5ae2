"""The state a screen reads in plain SQL (app/services/screen_state.py) is register_state's,
value for value, in every state the register goes through."""

import pytest

from app.extensions import db
from app.models import Box, Register, RegisterDay, Shop
from app.services.lifecycle import open_register, register_state
from app.services.screen_state import Shown, screen_state
from app.services.training import switch_training
from app.sync.alerts import raise_alert
from app.sync.client import HeadOfficeClient
from app.sync.importing import import_register
from tests.support.helpers import close_counted

PARTS = {"box": Box, "register": Register, "shop": Shop, "open_day": RegisterDay}


def assert_same_state(session):
    by_orm = register_state(session)
    shown = screen_state(session)
    assert shown.code == by_orm.code
    assert (shown.can_import, shown.can_open, shown.can_export) == (
        by_orm.can_import,
        by_orm.can_open,
        by_orm.can_export,
    )
    assert shown.integrity_alert is by_orm.integrity_alert
    assert shown.timezone == by_orm.timezone
    assert [day.id for day in shown.days_to_export] == [day.id for day in by_orm.days_to_export]
    assert [batch.id for batch in shown.pending_batches] == [batch.id for batch in by_orm.pending_batches]
    for part, model in PARTS.items():
        row, orm_row = getattr(shown, part), getattr(by_orm, part)
        assert (row is None) == (orm_row is None), part
        if row is None:
            continue
        for attribute in model.__mapper__.column_attrs:
            value, expected = getattr(row, attribute.key), getattr(orm_row, attribute.key)
            assert (value, type(value)) == (expected, type(expected)), (part, attribute.key)
    return shown


def test_a_box_that_never_imported_reads_as_register_state_says(app, ctx):
    shown = assert_same_state(db.session)
    assert shown.code == "A" and shown.register is None


def test_every_state_of_a_day_reads_the_same_as_through_the_orm(app, ctx):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    assert assert_same_state(db.session).code == "B"
    open_register(db.session, "RESP01", "1234", 15000)
    shown = assert_same_state(db.session)
    assert shown.code == "C" and shown.open_day.opened_at.tzinfo is not None
    switch_training(db.session, "RESP01", "1234", True)
    assert assert_same_state(db.session).box.training_since is not None
    switch_training(db.session, "RESP01", "1234", False)
    close_counted(db.session)
    shown = assert_same_state(db.session)
    assert shown.code == "D" and [day.number for day in shown.days_to_export] == [1]
    raise_alert(db.session, "CAISSE01", "chain_gap", "test", "batch-1")
    db.session.commit()
    assert assert_same_state(db.session).integrity_alert is True


def test_what_the_session_holds_unwritten_is_read_as_the_orm_reads_it(app, ctx):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    register_state(db.session).box.device_name = "Comptoir du fond"  # not flushed yet
    assert screen_state(db.session).box.device_name == "Comptoir du fond"
    db.session.rollback()
    assert screen_state(db.session).box.device_name != "Comptoir du fond"


def test_a_row_read_for_a_screen_cannot_be_written(app, ctx):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    box = screen_state(db.session).box
    assert isinstance(box, Shown)
    with pytest.raises(AttributeError, match="not written"):
        box.register_code = None
    assert register_state(db.session).box.register_code == "CAISSE01"
