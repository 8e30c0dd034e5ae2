"""Small helpers the register tests share: the app config over a file, the watched tables, the
journal, a head office down or slow, a day closed with its count."""

import httpx
from sqlalchemy import text

from app.extensions import db

DEMO_BOX_TOKEN = "demo-box-token"
DEMO_HEADOFFICE_TOKEN = "demo-headoffice-token"


def register_config(db_path, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "HEADOFFICE_URL": "http://headoffice.test",
        "HEADOFFICE_TOKEN": DEMO_BOX_TOKEN,
        "HEADOFFICE_TIMEOUT_SECONDS": 2.0,
        "COMPTOIR_TERMINAL": "WEB01",
        "COMPTOIR_DEVICE_NAME": "FF Gui",
        **extra,
    }


# Tables whose rows must not move when the register refuses something. The journal and the
# lock-out counters are left out on purpose: a refusal *is* written there.
WATCHED_TABLES = (
    "shop",
    "register",
    "box",
    "staff",
    "staff_right",
    "vat_rate",
    "payment_method",
    "category",
    "product",
    "barcode",
    "denomination",
    "register_day",
    "closing_line",
    "opening_line",
    "seller_session",
    "sequence",
    "ticket",
    "ticket_line",
    "payment",
    "ticket_tax",
    "cash_movement",
    "cash_count",
    "cash_count_line",
    "export_batch",
    "print_job",
    "credit_note",
    "safe_movement",
    "safe_balance",
    "card_transaction",
)


def dump_database() -> dict:
    """Every watched row, to compare before and after a refused action."""
    return {
        table: db.session.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all() for table in WATCHED_TABLES
    }


def journal(action=None, outcome=None) -> list:
    sql = "SELECT action, outcome, actor_code, reason FROM journal_entry"
    clauses, params = [], {}
    if action:
        clauses.append("action = :action")
        params["action"] = action
    if outcome:
        clauses.append("outcome = :outcome")
        params["outcome"] = outcome
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return db.session.execute(text(sql + " ORDER BY id"), params).all()


def head_office_down(request):
    raise httpx.ConnectError("connection refused", request=request)


def head_office_slow(request):
    raise httpx.ReadTimeout("timed out", request=request)


def head_office_answers(status, body=b"", content_type="application/json"):
    def handler(request):
        return httpx.Response(status, content=body, headers={"Content-Type": content_type})

    return handler


def close_counted(session, person="RESP01", password="1234", **request):
    """Valider la fermeture through the service, the cash counted exactly as expected (the
    demo registers make counting mandatory)."""
    from app.services.closing import ClosingRequest, MethodCount, close_day, summarise_day
    from app.services.lifecycle import register_state

    state = register_state(session)
    counts = {}
    if state.open_day is not None:
        cash = summarise_day(session, state.open_day).cash
        if cash is not None:
            counts[cash.code] = MethodCount(cash.code, typed_cents=cash.expected_cents)
        session.rollback()
    return close_day(session, person, password, ClosingRequest(counts=counts, **request))
