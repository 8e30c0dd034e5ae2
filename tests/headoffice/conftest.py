"""Fixtures for the head-office tests (prefixed `ho_`: `app`/`client` belong to the register).

The demo is loaded once through the real `load-demo` command into a template database that
each test copies, because hashing three scrypt passwords per test would dominate the run.

Every request made through `ho_api` is checked against docs/openapi.yaml with openapi-core,
request and response, so the contract tests are the HTTP tests themselves.
"""

import copy
import gzip
import json as jsonlib
import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from sqlalchemy import func, select
from werkzeug.datastructures import Headers, ImmutableMultiDict

from headoffice import create_app
from headoffice.extensions import db
from tests.support import postgres

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
SPEC_SERVER = "http://127.0.0.1:5001"
TOKENS = {"box": "demo-box-token", "headoffice": "demo-headoffice-token"}


def _make_app(url: str):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})


def _dispose(app) -> None:
    # Close pooled connections so the SQLite file is whole (WAL checkpointed), a PostgreSQL
    # database can be copied or dropped, and no ResourceWarning leaks into the next test.
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def ho_postgres():
    """One PostgreSQL server for the session (tests/support/postgres.py), in a folder of its own:
    pytest's temporary folders are closed to the server's user."""
    why = postgres.missing()
    if why:
        pytest.skip(why)
    folder = Path(tempfile.mkdtemp(prefix="comptoir-pg-"))
    server = postgres.PostgresServer(folder).start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def ho_backend(request):
    """Every head-office test runs on SQLite (a small head office) and on PostgreSQL (a network
    of shops)."""
    return request.param


@pytest.fixture(scope="session")
def ho_template_db(ho_backend, tmp_path_factory, request):
    """The demo loaded once through the real commands: a file to copy, or a database to use
    as PostgreSQL's template."""
    if ho_backend == "sqlite":
        path = tmp_path_factory.mktemp("headoffice-template") / "headoffice.sqlite"
        url, template = f"sqlite:///{path}", path
    else:
        server = request.getfixturevalue("ho_postgres")
        template = server.create_database()
        url = server.url(template)
    app = _make_app(url)
    runner = app.test_cli_runner()
    for command in (["init-db"], ["load-demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    _dispose(app)
    return template


@pytest.fixture
def ho_app(ho_backend, ho_template_db, tmp_path, request):
    if ho_backend == "sqlite":
        path = tmp_path / "headoffice.sqlite"
        shutil.copyfile(ho_template_db, path)
        app = _make_app(f"sqlite:///{path}")
        yield app
        _dispose(app)
        return
    server = request.getfixturevalue("ho_postgres")
    name = server.create_database(template=ho_template_db)
    app = _make_app(server.url(name))
    yield app
    _dispose(app)
    server.drop_database(name)


@pytest.fixture
def ho_client(ho_app):
    return ho_app.test_client()


@pytest.fixture
def ho_runner(ho_app):
    return ho_app.test_cli_runner()


@pytest.fixture
def ho_count(ho_app):
    """Rows of a model, read straight from the database."""

    def count(model, *where) -> int:
        with ho_app.app_context():
            return db.session.scalar(select(func.count()).select_from(model).where(*where))

    return count


# --- contract: openapi-core over the Flask test client ------------------------------------


@pytest.fixture(scope="session")
def ho_spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


class SpecRequest:
    """The request as openapi-core reads it; the test client's own request has no body left."""

    def __init__(
        self, method: str, path: str, query: dict, headers: Headers, body: bytes | None, content_type: str
    ):
        self.host_url = SPEC_SERVER
        self.path = path
        self.method = method.lower()
        self.body = body
        self.content_type = content_type
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query), header=headers, cookie=ImmutableMultiDict()
        )


class SpecResponse:
    """The response as openapi-core reads it, gunzipped: the schema describes the JSON."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = Headers(response.headers)
        self.content_type = response.mimetype or ""
        data = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        self.data = data


class ContractClient:
    def __init__(self, client, spec: OpenAPI):
        self.client = client
        self.spec = spec

    def call(
        self,
        method: str,
        path: str,
        *,
        token="box",
        json=None,
        data=None,
        query=None,
        headers=None,
        request_valid: bool | None = True,
    ):
        """Send a request and check it against the spec.

        request_valid: True → the request must satisfy the spec; False → the spec must reject
        it (a missing token, a bad `since`); None → the spec cannot tell (and is not asked).
        The response is always checked.
        """
        headers = Headers(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {TOKENS.get(token, token)}"
        query = query or {}
        url = path + (f"?{urlencode(query)}" if query else "")
        response = self.client.open(url, method=method, headers=headers, json=json, data=data)
        sent = self._sent_body(json, data)
        if sent and headers.get("Content-Encoding") == "gzip":
            try:  # the schema describes the JSON, sent compressed since 1.2.0
                sent = gzip.decompress(sent)
            except (OSError, EOFError):
                pass  # malformed on purpose: the test says whether the spec is asked
        content_type = headers.get("Content-Type") or (
            "application/json" if (json is not None or data is not None) else ""
        )
        spec_request = SpecRequest(method, path, query, headers, sent, content_type)
        errors = list(self.spec.iter_request_errors(spec_request))
        if request_valid is True:
            assert not errors, f"request breaks the contract: {errors!r}"
        elif request_valid is False:
            assert errors, "the contract should reject this request"
        self.spec.validate_response(spec_request, SpecResponse(response))
        return response

    @staticmethod
    def _sent_body(json_value, data) -> bytes | None:
        if json_value is not None:
            return jsonlib.dumps(json_value).encode()
        if data is not None:
            return data if isinstance(data, bytes) else str(data).encode()
        return None

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def put(self, path: str, **kwargs):
        return self.call("PUT", path, **kwargs)


@pytest.fixture
def ho_spec_request():
    """The SpecRequest class, for tests that talk to openapi-core directly."""
    return SpecRequest


@pytest.fixture
def ho_spec_response():
    """The SpecResponse class, for tests that talk to openapi-core directly."""
    return SpecResponse


@pytest.fixture
def ho_api(ho_client, ho_spec) -> ContractClient:
    return ContractClient(ho_client, ho_spec)


# --- a realistic ExportBatch -------------------------------------------------------------

NAMESPACE = uuid.UUID("6f1c0c1e-2a55-4c47-9d0a-1c3f5c2b9e01")
RESP = {"code": "RESP01", "name": "Responsable1 De Caisse"}
VEND = {"code": "VEND01", "name": "Vendeur1 De Caisse"}


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _line(position, code, label, category, quantity_milli, unit_price, rate_bp, barcode=None):
    total = round(quantity_milli * unit_price / 1000)
    return {
        "position": position,
        "product_code": code,
        "barcode": barcode,
        "label": label,
        "category_code": category,
        "quantity_milli": quantity_milli,
        "unit_price_cents": unit_price,
        "discount_cents": 0,
        "vat_rate_bp": rate_bp,
        "total_cents": total,
    }


def _taxes(lines) -> list[dict]:
    by_rate: dict[int, int] = {}
    for line in lines:
        by_rate[line["vat_rate_bp"]] = by_rate.get(line["vat_rate_bp"], 0) + line["total_cents"]
    taxes = []
    for rate_bp, total in sorted(by_rate.items()):
        base = round(total * 10000 / (10000 + rate_bp))
        taxes.append(
            {"rate_bp": rate_bp, "base_cents": base, "tax_cents": total - base, "total_cents": total}
        )
    return taxes


def _ticket(seed, number, at, lines, payments, kind="sale", original_uuid=None):
    total = sum(line["total_cents"] for line in lines)
    assert sum(payment["amount_cents"] for payment in payments) == total
    return {
        "uuid": _id(seed, "ticket", number),
        "number": number,
        "kind": kind,
        "status": "finished",
        "original_uuid": original_uuid,
        "seller": VEND,
        "created_at": at,
        "finished_at": at,
        "discount_cents": 0,
        "total_cents": total,
        "cancel_reason": None,
        "lines": lines,
        "payments": payments,
        "taxes": _taxes(lines),
    }


def _payment(seed, key, method, name, amount, at, tendered=None, change=None):
    return {
        "uuid": _id(seed, "payment", key),
        "method_code": method,
        "method_name": name,
        "amount_cents": amount,
        "tendered_cents": tendered,
        "change_cents": change,
        "reference": None,
        "created_at": at,
    }


def _count(seed, key, moment, method, counted, lines, at, item_count=None):
    return {
        "uuid": _id(seed, "count", key),
        "moment": moment,
        "method_code": method,
        "counted_cents": counted,
        "item_count": item_count,
        "lines": [{"value_cents": value, "quantity": quantity} for value, quantity in lines],
        "counted_at": at,
        "counted_by": RESP,
    }


def _closing_line(method, opening, payments, cash_in, cash_out, counted, reason=None):
    expected = opening + payments + cash_in - cash_out
    return {
        "method_code": method,
        "opening_cents": opening,
        "payments_cents": payments,
        "cash_in_cents": cash_in,
        "cash_out_cents": cash_out,
        "expected_cents": expected,
        "counted_cents": counted,
        "difference_cents": None if counted is None else counted - expected,
        "difference_reason": reason,
    }


def _first_day(seed: str, number: int) -> dict:
    t1_lines = [
        _line(1, "BOUL001", "Baguette tradition", "BOUL", 2000, 130, 550, "3769999000015"),
        _line(2, "CREM009", "Camembert de Normandie 250 g", "CREM", 1000, 295, 550),
        _line(3, "BOIS011", "Bière blonde 6 x 25 cl", "BOIS", 1000, 490, 2000),
    ]
    t2_lines = [
        _line(1, "FRLE001", "Pommes Golden", "FRLE", 1250, 249, 550),
        _line(2, "PRES001", "Quotidien national", "PRES", 1000, 300, 210),
    ]
    tickets = [
        _ticket(
            seed,
            1,
            "2026-11-20T08:12:40Z",
            t1_lines,
            [_payment(seed, 1, "ESP", "Espèces", 1045, "2026-11-20T08:12:40Z", 2000, 955)],
        ),
        _ticket(
            seed,
            2,
            "2026-11-20T10:03:05Z",
            t2_lines,
            [_payment(seed, 2, "CB", "Carte Bancaire", 611, "2026-11-20T10:03:05Z")],
        ),
    ]
    return {
        "uuid": _id(seed, "day", number),
        "number": number,
        "opened_at": "2026-11-20T07:58:00Z",
        "opened_by": RESP,
        "opening_float_cents": 15000,
        "closed_at": "2026-11-20T18:31:00Z",
        "closed_by": RESP,
        "forced": False,
        "ticket_count": 2,
        "sales_total_cents": 1656,
        "withdrawal_cents": 0,
        "grand_total_cents": 1656,
        "tickets": tickets,
        "cash_movements": [
            {
                "uuid": _id(seed, "movement", 1),
                "number": 1,
                "kind": "out",
                "method_code": "ESP",
                "amount_cents": 500,
                "reason": "Achat de timbres",
                "payer": None,
                "closing_withdrawal": False,
                "created_at": "2026-11-20T11:20:00Z",
                "created_by": RESP,
            }
        ],
        "cash_counts": [
            _count(
                seed,
                "open1",
                "opening",
                "ESP",
                15000,
                [(5000, 2), (2000, 2), (1000, 1)],
                "2026-11-20T07:58:00Z",
            ),
            _count(
                seed,
                "close1",
                "closing",
                "ESP",
                15545,
                [(5000, 3), (200, 2), (100, 1), (20, 2), (5, 1)],
                "2026-11-20T18:30:00Z",
            ),
        ],
        "closing_lines": [
            _closing_line("ESP", 15000, 1045, 0, 500, 15545),
            _closing_line("CB", 0, 611, 0, 0, None),
        ],
    }


def _second_day(seed: str, number: int, first_ticket_uuid: str) -> dict:
    sale = [_line(1, "HYGI014", "Couches bébé taille 3 x30", "HYGI", 1000, 990, 2000)]
    refund = [_line(1, "BOIS011", "Bière blonde 6 x 25 cl", "BOIS", -1000, 490, 2000)]
    tickets = [
        _ticket(
            seed,
            3,
            "2026-11-21T09:40:00Z",
            sale,
            [_payment(seed, 3, "TS", "Titre-service", 990, "2026-11-21T09:40:00Z")],
        ),
        _ticket(
            seed,
            4,
            "2026-11-21T15:02:00Z",
            refund,
            [_payment(seed, 4, "ESP", "Espèces", -490, "2026-11-21T15:02:00Z")],
            kind="return",
            original_uuid=first_ticket_uuid,
        ),
    ]
    return {
        "uuid": _id(seed, "day", number),
        "number": number,
        "opened_at": "2026-11-21T08:00:00Z",
        "opened_by": RESP,
        "opening_float_cents": 15545,
        "closed_at": "2026-11-21T18:45:00Z",
        "closed_by": RESP,
        "forced": False,
        "ticket_count": 2,
        "sales_total_cents": 500,
        "withdrawal_cents": 5000,
        "grand_total_cents": 2156,
        "tickets": tickets,
        "cash_movements": [
            {
                "uuid": _id(seed, "movement", 2),
                "number": 2,
                "kind": "out",
                "method_code": "ESP",
                "amount_cents": 5000,
                "reason": "Dépôt au coffre",
                "payer": None,
                "closing_withdrawal": True,
                "created_at": "2026-11-21T18:40:00Z",
                "created_by": RESP,
            }
        ],
        "cash_counts": [
            _count(
                seed,
                "open2",
                "opening",
                "ESP",
                15545,
                [(5000, 3), (200, 2), (100, 1), (20, 2), (5, 1)],
                "2026-11-21T08:00:00Z",
            ),
            _count(seed, "close2", "closing", "ESP", 10050, [(5000, 2), (50, 1)], "2026-11-21T18:44:00Z"),
            _count(seed, "close2ts", "closing", "TS", 990, [], "2026-11-21T18:44:00Z", item_count=1),
        ],
        "closing_lines": [
            _closing_line("ESP", 15545, -490, 0, 5000, 10050, "Erreur de rendu monnaie"),
            _closing_line("TS", 0, 990, 0, 0, 990),
        ],
    }


def make_batch(
    seed: str = "a",
    batch_id: str | None = None,
    register_code: str = "CAISSE01",
    shop_code: str = "BOUTIQUE01",
) -> dict:
    """Two closed days, with sales, a return, cash movements, counts and closing lines.

    The same seed gives the same days (same UUIDs): that is how tests re-send a day.
    """
    first = _first_day(seed, 1)
    return {
        "batch_id": batch_id or _id(seed, "batch"),
        "register_code": register_code,
        "shop_code": shop_code,
        "box": {"terminal": "WEB01", "device": "FF Gui"},
        "created_at": "2026-11-21T18:50:00Z",
        "created_by": RESP,
        "days": [first, _second_day(seed, 2, first["tickets"][0]["uuid"])],
    }


@pytest.fixture
def ho_batch():
    """Factory: `ho_batch(seed="a", batch_id=None, ...)` → a fresh ExportBatch dict."""

    def factory(*args, **kwargs) -> dict:
        return copy.deepcopy(make_batch(*args, **kwargs))

    return factory


def export_path(batch: dict, register_code: str | None = None) -> str:
    return f"/api/v1/registers/{register_code or batch['register_code']}/exports/{batch['batch_id']}"


@pytest.fixture
def ho_export_path():
    return export_path


# --- batches that issue and spend credit notes (method AV, store credit) ------------------

CREDIT_AT = "2026-11-22T10:00:00Z"


def _credit_ticket(seed, number, move) -> dict:
    """("issue", code, cents, expires_on): a return refunded with a new credit note;
    ("spend", code, cents): a sale paid with one."""
    kind, code, cents, *expiry = move
    sign = -1 if kind == "issue" else 1
    lines = [_line(1, "BAZA001", "Article de bazar", "BAZA", sign * 1000, cents, 2000)]
    payment = {**_payment(seed, number, "AV", "Avoir", sign * cents, CREDIT_AT), "reference": code}
    if kind == "issue":
        payment["expires_on"] = expiry[0]
    return _ticket(seed, number, CREDIT_AT, lines, [payment], kind="return" if kind == "issue" else "sale")


def make_credit_batch(seed: str, moves: list[tuple], register_code: str = "CAISSE01") -> dict:
    """One closed day whose tickets each issue or spend one credit note, in the AV method."""
    tickets = [_credit_ticket(seed, number, move) for number, move in enumerate(moves, start=1)]
    total = sum(ticket["total_cents"] for ticket in tickets)
    day = {
        "uuid": _id(seed, "day", 1),
        "number": 1,
        "opened_at": "2026-11-22T08:00:00Z",
        "opened_by": RESP,
        "opening_float_cents": 0,
        "closed_at": "2026-11-22T18:00:00Z",
        "closed_by": RESP,
        "forced": False,
        "ticket_count": len(tickets),
        "sales_total_cents": total,
        "withdrawal_cents": 0,
        "grand_total_cents": total,
        "tickets": tickets,
        "cash_movements": [],
        "cash_counts": [],
        "closing_lines": [_closing_line("AV", 0, total, 0, 0, None)],
    }
    return {
        "batch_id": _id(seed, "batch"),
        "register_code": register_code,
        "shop_code": "BOUTIQUE01",
        "box": {"terminal": "WEB01", "device": "FF Gui"},
        "created_at": "2026-11-22T18:05:00Z",
        "created_by": RESP,
        "days": [day],
    }


@pytest.fixture
def ho_credit_batch():
    """Factory: `ho_credit_batch(seed, [("issue", code, cents, "2027-05-22"), ("spend", code,
    cents)], register_code="CAISSE01")` → an ExportBatch."""
    return make_credit_batch


# --- head office's screens (headoffice/web) -----------------------------------------------


@pytest.fixture
def ho_web(ho_app):
    """Factory: `ho_web("manager")` → a test client signed in as a new user of that role."""
    from tests.support.ho_web import make_user, sign_in

    def signed_in(role: str, login: str | None = None):
        login = login or role
        make_user(ho_app, login, role)
        client = ho_app.test_client()
        response = sign_in(client, login)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return signed_in
