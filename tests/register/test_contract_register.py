"""The register's side of docs/openapi.yaml: every request it really sends, and every answer
the reference head office really gives it, validate against the contract."""

import pytest

from app.extensions import db
from app.models import ExportBatch
from app.services.lifecycle import open_register
from app.sync.client import HeadOfficeClient
from app.sync.exporting import export_days, send_pending_batches
from app.sync.importing import import_register
from tests.support.contract import validate_exchange
from tests.support.helpers import close_counted


def test_import_and_export_exchanges_follow_the_contract(app, ctx, headoffice):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        open_register(db.session, "RESP01", "1234", 15000)
        close_counted(db.session)
        open_register(db.session, "RESP01", "1234", 0)
        close_counted(db.session)
        export_days(db.session, client, "RESP01", "1234")
        # A replay of the acknowledged batch: head office answers 200, replayed.
        batch = db.session.scalars(db.select(ExportBatch)).one()
        batch.status = "pending"
        db.session.commit()
        send_pending_batches(db.session, client)

    paths = [(r.method, r.url.path, response.status_code) for r, response in headoffice.exchanges]
    assert paths == [
        ("GET", "/api/v1/registers", 200),
        ("GET", "/api/v1/registers/CAISSE01/snapshot", 200),
        ("PUT", f"/api/v1/registers/CAISSE01/exports/{batch.id}", 201),
        ("PUT", f"/api/v1/registers/CAISSE01/exports/{batch.id}", 200),
    ]
    # Exports travel gzip-compressed (contract 1.2.0); the contract is checked on the JSON.
    assert {r.headers.get("content-encoding") for r, _ in headoffice.exchanges if r.method == "PUT"} == {
        "gzip"
    }
    for request, response in headoffice.exchanges:
        validate_exchange(request, response)


def test_a_body_outside_the_contract_is_caught(app, ctx, headoffice):
    """The checker itself fails on a broken body, so the test above can fail."""
    from openapi_core.exceptions import OpenAPIError

    with HeadOfficeClient.from_config(app.config) as client:
        client.list_registers()
    request, response = headoffice.exchanges[0]
    response._content = b'{"shop": {"code": "X"}, "registers": "none"}'
    with pytest.raises(OpenAPIError):
        validate_exchange(request, response)
