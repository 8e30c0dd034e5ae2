"""The shop's safe for the safe tests (docs/safe.md): head office turns « Gestion du
coffre-fort » on for the demo shop, with its limits and the balances it already holds, before
the box imports."""

from html.parser import HTMLParser

from sqlalchemy import select

from headoffice.models import SafeBalance, Shop
from headoffice.safe import set_safe


def safe_at_headoffice(headoffice_app, *, limit_cents=None, limit_days=None, balances=None, since=None):
    """The setting on, and head office's figures per method: {"ESP": 50000} is a safe that
    received 500,00 € in cash (one deposit)."""
    db = headoffice_app.extensions["sqlalchemy"]
    with headoffice_app.app_context():
        shop = set_safe("BOUTIQUE01", enabled=True, limit_cents=limit_cents, limit_days=limit_days)
        for code, cents in (balances or {}).items():
            db.session.add(
                SafeBalance(
                    shop_id=shop.id,
                    method_code=code,
                    operation_count=1,
                    deposits_cents=cents,
                    withdrawals_cents=0,
                    first_deposit_at=since,
                )
            )
        db.session.commit()


def headoffice_safe(headoffice_app) -> dict:
    """Head office's balance per method: {code: (operations, deposits, withdrawals)}."""
    db = headoffice_app.extensions["sqlalchemy"]
    with headoffice_app.app_context():
        shop = db.session.scalars(select(Shop).where(Shop.code == "BOUTIQUE01")).one()
        rows = db.session.scalars(select(SafeBalance).where(SafeBalance.shop_id == shop.id)).all()
        found = {r.method_code: (r.operation_count, r.deposits_cents, r.withdrawals_cents) for r in rows}
        db.session.remove()
    return found


class _Rows(HTMLParser):
    def __init__(self, table_class):
        super().__init__()
        self.table_class, self.inside, self.rows, self.cell = table_class, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and self.table_class in (dict(attrs).get("class") or "").split():
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_rows(html: str, table_class: str) -> list[list[str]]:
    """The cells of a table as a person reads them, header and footer rows included."""
    parser = _Rows(table_class)
    parser.feed(html)
    return parser.rows
