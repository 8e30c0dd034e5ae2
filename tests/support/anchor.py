"""What the head-office anchor tests share: a day sold and closed on the box, Exporter and
Importer on the screen, and looks at both databases (each in its own app context)."""

from pathlib import Path

from app.box import backup as backups
from app.extensions import db
from tests.support.helpers import DEMO_BOX_TOKEN, close_counted
from tests.support.screens import Kiosk
from tests.support.till import open_till, sell

BOX_AUTH = {"Authorization": f"Bearer {DEMO_BOX_TOKEN}"}


def in_app(app, work):
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def sell_a_day(app, client, till, names):
    """Import, open, one sale per product name on the kiosk, close: the tickets."""
    kiosk = open_till(app, client)
    tickets = [sell(kiosk, till, [name]) for name in names]
    kiosk.post("/vente/disconnect")
    in_app(app, lambda: close_counted(db.session))
    return tickets


def export(client):
    kiosk = Kiosk(client)
    kiosk.open("/")
    return kiosk.post("/sync/export", person="RESP01", password="1234")


def import_register(client):
    kiosk = Kiosk(client)
    kiosk.open("/")
    return kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")


def backup(app, runner) -> str:
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    return backups.list_backups(Path(app.config["BACKUP_DIR"]))[0].name


def restore(app, runner, name) -> None:
    with app.app_context():
        db.engine.dispose()  # the box's services are stopped for a restore
    result = runner.invoke(args=["backup", "restore", name, "--yes"])
    assert result.exit_code == 0, result.output


def ho_sql(headoffice_app, statement, **params):
    from headoffice.extensions import db as ho_db

    with headoffice_app.app_context():
        try:
            return ho_db.session.execute(ho_db.text(statement), params).all()
        finally:
            ho_db.session.remove()


def ho_register(headoffice_app, code="CAISSE01") -> dict:
    listing = headoffice_app.test_client().get("/api/v1/registers", headers=BOX_AUTH).get_json()
    return next(r for r in listing["registers"] if r["code"] == code)


def ho_records(headoffice_app):
    return [
        tuple(row)
        for row in ho_sql(
            headoffice_app, "SELECT chain, number, signature FROM chain_record ORDER BY chain, number"
        )
    ]


def ho_batches(headoffice_app) -> int:
    return ho_sql(headoffice_app, "SELECT count(*) FROM received_batch")[0][0]
