"""The event journal (JET, docs/integrity.md « JET codes »): the journal's actions that the
table in app/integrity/events.py lists are signed events with their NF525 code, written in
the same transaction as the journal line; finishing a ticket is not one. The verifier names
an edited event, and the web workers journal the application's start and stop."""

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

from app.integrity.events import EVENTS
from tests.support.screens import Kiosk
from tests.support.signed_days import close, edit, problems, records
from tests.support.till import open_till, sell

ROOT = Path(__file__).resolve().parents[2]


def events(till):
    return [(kind, f["code"], f["outcome"], f["actor"]) for _n, kind, _s, f in records(till, "event")]


def test_a_day_journals_its_events_and_not_its_sales(app, client, till):
    kiosk = open_till(app, client)
    assert events(till) == [
        ("import", 101, "ok", "VEND01"),
        ("open", 60, "ok", "RESP01"),
        ("connect", 11, "ok", "VEND01"),
    ]
    sell(kiosk, till, ["Baguette tradition"])
    sell(kiosk, till, ["Croissant"])
    assert len(events(till)) == 3  # tickets have their own chain
    manager = Kiosk(app.test_client())
    manager.open("/caisse")
    manager.post("/caisse/close", person="RESP01", password="0000")
    close(app, kiosk)
    assert events(till)[3:] == [
        ("close", 12, "refused", "RESP01"),
        ("disconnect", 40, "ok", "VEND01"),
        ("close", 50, "ok", "RESP01"),
    ]
    journal_ids = (
        till.sql(
            "SELECT id FROM journal_entry WHERE action IN ('import', 'open', 'connect', 'close',"
            " 'disconnect') ORDER BY id"
        )
        .scalars()
        .all()
    )
    assert [f["journal_id"] for *_, f in records(till, "event")] == journal_ids
    assert problems(app) == []


def test_a_discount_is_an_event_only_beyond_the_sellers_right(kiosk, till):
    till.sql("UPDATE register SET max_discount_percent = 20")
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    [ticket] = till.tickets(status="open")
    line = ticket.lines[0]
    kiosk.post(f"/vente/lines/{line.id}/discount", htmx=True, percent="10")
    kiosk.post(f"/vente/lines/{line.id}/discount", htmx=True, percent="50", person="RESP01", password="1234")
    discounts = [f for _n, kind, _s, f in records(till, "event") if kind == "discount"]
    assert [(f["code"], json.loads(f["details"])["allowed_by"]) for f in discounts] == [(72, "RESP01")]


def test_a_lock_out_is_an_event_and_each_wrong_password_too(app, kiosk, till):
    manager = Kiosk(app.test_client())
    for _ in range(5):
        manager.open("/caisse")
        manager.post("/caisse/close", person="VEND02", password="0000")
    codes = [code for kind, code, outcome, actor in events(till) if actor == "VEND02"]
    assert codes == [12, 12, 12, 12, 12, 13]


def test_an_event_without_a_register_joins_the_boxs_register(app, kiosk, till):
    manager = Kiosk(app.test_client())
    manager.sign_in("/journees")
    [register] = till.sql("SELECT register_code FROM signed_record WHERE kind = 'sign_in'").scalars().all()
    assert register == "CAISSE01"
    assert till.sql("SELECT register_code FROM journal_entry WHERE action = 'sign_in'").scalar() is None


def test_an_edited_event_is_named(app, kiosk, till):
    edit(app, "UPDATE journal_entry SET actor_code = 'RESP02' WHERE action = 'open'")
    [(chain, number, what, detail)] = problems(app)
    assert (chain, number, what) == ("event", 2, "altered") and "actor" in detail
    edit(app, "DELETE FROM journal_entry WHERE action = 'connect'")
    assert ("event", 3, "altered", "the signed document is no longer there") in problems(app)


def test_an_edited_signed_event_is_named(app, kiosk, till):
    edit(
        app,
        "UPDATE signed_record SET payload = replace(payload, '\"code\":60', '\"code\":61')"
        " WHERE chain = 'event' AND kind = 'open'",
    )
    assert [(c, n, w) for c, n, w, _d in problems(app)] == [("event", 2, "altered")]


def _gunicorn_config():
    spec = importlib.util.spec_from_file_location(
        "comptoir_gunicorn_conf", ROOT / "kiosk" / "gunicorn.conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_web_worker_journals_the_applications_start_and_stop(app, till):
    config = _gunicorn_config()
    worker = SimpleNamespace(wsgi=app)
    config.post_worker_init(worker)
    config.worker_exit(None, worker)
    assert [(kind, code) for kind, code, _o, _a in events(till)] == [("app_start", 10), ("app_stop", 40)]


def test_every_event_code_is_documented():
    manual = (ROOT / "docs" / "integrity.md").read_text(encoding="utf-8")
    french = (ROOT / "docs" / "controle-fiscal.md").read_text(encoding="utf-8")
    for (action, _outcome), event in EVENTS.items():
        assert f"| {event.code} | `{action}`" in manual, action
        assert f"| {event.code} |" in french and event.label in french, event.label
