"""Fixtures of the box tests: a register that has imported CAISSE01, opened its day and has
a seller connected — the state in which tickets are sold."""

import pytest

from app.extensions import db
from app.services.lifecycle import open_register
from app.services.sessions import connect_seller
from app.sync.client import HeadOfficeClient
from app.sync.importing import import_register


@pytest.fixture(autouse=True)
def _backups_beside_the_database(request):
    """Never into the repository's instance/ folder."""
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        db_path = request.getfixturevalue("db_path")
        app.config["BACKUP_DIR"] = str(db_path.parent / "backups")


@pytest.fixture
def selling(app):
    """The open day's connected seller (VEND01), with the app context left closed."""
    with app.app_context():
        with HeadOfficeClient.from_config(app.config) as client:
            import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        open_register(db.session, "RESP01", "1234", 10000)
        seller = connect_seller(db.session, "VEND01", "1111")
        uuid = seller.uuid
        db.session.remove()
    return uuid
