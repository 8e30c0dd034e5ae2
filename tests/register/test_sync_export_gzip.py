"""Exports travel gzip-compressed (contract 1.2.0), and a head office
older than 1.2.0 still receives them, plain."""

import gzip
import json

import httpx
import pytest

from app.extensions import db
from app.models import ExportBatch
from app.services.lifecycle import open_register, register_state
from app.sync.client import HeadOfficeClient
from app.sync.exporting import export_days
from app.sync.importing import import_register
from tests.support.helpers import close_counted


@pytest.fixture
def closed_days(app, ctx):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    for _ in range(2):
        open_register(db.session, "RESP01", "1234", 15000)
        close_counted(db.session)


def _export(app):
    with HeadOfficeClient.from_config(app.config) as client:
        return export_days(db.session, client, "RESP01", "1234")


def _puts(headoffice):
    return [(r, response) for r, response in headoffice.exchanges if r.method == "PUT"]


def test_the_batch_is_sent_gzip_and_head_office_holds_its_json(app, closed_days, headoffice):
    _export(app)
    [(request, response)] = _puts(headoffice)
    assert response.status_code == 201
    assert request.headers["content-encoding"] == "gzip"
    body = db.session.scalars(db.select(ExportBatch.body)).one()
    assert gzip.decompress(request.content).decode() == body
    assert len(request.content) * 3 < len(body.encode())
    assert register_state(db.session).code == "A"


def test_a_head_office_older_than_1_2_gets_the_batch_plain(app, closed_days, headoffice):
    def older(request):
        # What a 1.1 head office did with a body it could not read as JSON.
        if request.headers.get("content-encoding") == "gzip":
            return httpx.Response(
                400, json={"error": "invalid_json", "message": "The body must be a JSON ExportBatch."}
            )
        return headoffice.real.handle_request(request)

    headoffice.override = older
    [batch] = _export(app)
    puts = _puts(headoffice)
    assert [(r.headers.get("content-encoding"), resp.status_code) for r, resp in puts] == [
        ("gzip", 400),
        (None, 201),
    ]
    assert json.loads(puts[1][0].content)["batch_id"] == batch.id
    assert register_state(db.session).code == "A"
