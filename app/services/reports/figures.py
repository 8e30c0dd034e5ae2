"""The figures of the cash reports, each computed in SQL over the rows of a set of register
days (one day for the Récapitulatif du point de vente, the days of a period for the Rapport
périodique). Only finished tickets count, never a training ticket (mode école), as on the Z.

Four GROUP BY queries read everything (the tickets by kind and hour, the lines by kind and
category, the payments by method, the cash documents by method); one function per group of
figures works from their rows. A new kind of document (a safe movement, a card transaction,
an opening count) joins the report with its own query and function here, and its rows in
the tab that shows it (rows.py)."""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from app.states import CashMovementKind, DayState, TicketKind, TicketStatus

# Real finished documents of the chosen days (`{days}`: one placeholder per day id).
_REAL = f"t.day_id IN ({{days}}) AND t.status = '{TicketStatus.FINISHED}' AND NOT t.training"

# The tickets by kind and by hour (in UTC: the shop's hour is worked out per (date, hour)
# bucket, so a day that changes to or from summer time still puts each sale in its own hour).
_TICKETS = (
    "SELECT t.kind, substr(t.finished_at, 1, 13) AS hour, COUNT(*) AS n, SUM(t.total_cents) AS total,"
    " SUM(t.discount_cents) AS discount FROM ticket t WHERE " + _REAL + " GROUP BY t.kind, hour"
)
# The lines by kind and category, in one pass over the lines. Items: a unit line counts its
# quantity, a weighed line (kg) counts as one article.
_LINES = (
    "SELECT g.kind, g.code, c.name, g.discount, g.items_milli, g.total FROM ("
    "SELECT t.kind, l.category_code AS code, SUM(l.discount_cents) AS discount,"
    " SUM(CASE WHEN l.unit = 'kg' THEN (CASE WHEN l.quantity_milli < 0 THEN -1000 ELSE 1000 END)"
    " ELSE l.quantity_milli END) AS items_milli, SUM(l.total_cents) AS total"
    " FROM ticket t JOIN ticket_line l ON l.ticket_id = t.id WHERE "
    + _REAL
    + " GROUP BY t.kind, l.category_code"
    ") g LEFT OUTER JOIN category c ON c.code = g.code"
)
_PAYMENTS = (
    "SELECT p.method_code AS code, t.kind, COUNT(*) AS n, SUM(p.amount_cents) AS total"
    " FROM payment p JOIN ticket t ON t.id = p.ticket_id WHERE " + _REAL + " GROUP BY p.method_code, t.kind"
)
# A closing's difference document (closing_difference) records a gap the count found, never
# money moved, so it is left out; a cashier session's documents are its « Dépôt à
# l'ouverture du jour » (in) and its withdrawal at closing (out), docs/cashier-sessions.md.
_MOVEMENTS = (
    "SELECT method_code AS code, kind, closing_withdrawal AS at_closing,"
    " cashier_session_id IS NOT NULL AS in_session, COUNT(*) AS n, SUM(amount_cents) AS total"
    " FROM cash_movement WHERE day_id IN ({days}) AND NOT closing_difference"
    " GROUP BY method_code, kind, closing_withdrawal, in_session"
)
_METHODS = (
    "SELECT code, name, gives_change AND counted_in_drawer AS is_cash, store_credit"
    " FROM payment_method ORDER BY position, code"
)
# The cash methods' differences found by the opening count (opening_line, migration 0014).
_OPENING_CASH_DIFFERENCE = (
    "SELECT COUNT(*) AS lines, SUM(o.difference_cents) AS difference_cents FROM opening_line o"
    " JOIN payment_method p ON p.code = o.method_code WHERE o.day_id = ? AND p.gives_change AND p.counted_in_drawer"
)
# What the previous day of the register left in the drawer: counted (or expected) cash at
# its closing, less the withdrawal (closing.suggested_float says the same).
_LEFT_BEFORE = (
    "SELECT COALESCE(l.counted_cents, l.expected_cents) - d.withdrawal_cents AS left_cents"
    " FROM register_day d JOIN closing_line l ON l.day_id = d.id"
    " JOIN payment_method m ON m.code = l.method_code AND m.gives_change AND m.counted_in_drawer"
    f" WHERE d.register_code = ? AND d.number < ? AND d.state = '{DayState.CLOSED}'"
    " ORDER BY d.number DESC LIMIT 1"
)


def _in(sql: str, day_ids) -> tuple[str, tuple]:
    ids = tuple(day_ids)
    return sql.format(days=", ".join("?" * len(ids)) or "NULL"), ids


def _rows(cursor, sql: str, day_ids, *extra):
    text, ids = _in(sql, day_ids)
    return cursor.execute(text, ids + extra).fetchall()


@dataclass
class MethodFigures:
    """One line of the Récapitulatif du fonds de caisse. Amounts out are positive."""

    code: str
    name: str
    is_cash: bool
    store_credit: bool
    payment_count: int = 0
    sales_cents: int = 0  # payments of sales (Ventes)
    returns_cents: int = 0  # refunds of returns (Retours)
    refund_count: int = 0
    opening_deposit_cents: int = 0  # cashier sessions' « Dépôt à l'ouverture du jour »
    manual_in_cents: int = 0  # RC (Dépôts manuels)
    manual_out_cents: int = 0  # DC, the closing withdrawals too (Retraits manuels)
    closing_out_cents: int = 0  # of which: the withdrawal at closing

    @property
    def deposits_cents(self) -> int:
        return self.opening_deposit_cents + self.manual_in_cents + self.sales_cents

    @property
    def withdrawals_cents(self) -> int:
        return self.manual_out_cents + self.returns_cents

    @property
    def total_cents(self) -> int:
        return self.deposits_cents - self.withdrawals_cents

    @property
    def used(self) -> bool:
        return bool(
            self.payment_count or self.opening_deposit_cents or self.manual_in_cents or self.manual_out_cents
        )


def method_figures(cursor, day_ids) -> list[MethodFigures]:
    """Per payment method: payments of sales and refunds of returns, RC and DC."""
    methods = {
        row["code"]: MethodFigures(row["code"], row["name"], bool(row["is_cash"]), bool(row["store_credit"]))
        for row in cursor.execute(_METHODS).fetchall()
    }

    def method(code):  # a method head office has removed since: still shown, by its code
        return methods.setdefault(code, MethodFigures(code, code, False, False))

    for row in _rows(cursor, _PAYMENTS, day_ids):
        line = method(row["code"])
        line.payment_count += row["n"]
        if row["kind"] == TicketKind.SALE:
            line.sales_cents += row["total"]
        else:
            line.returns_cents -= row["total"]
            line.refund_count += row["n"]
    for row in _rows(cursor, _MOVEMENTS, day_ids):
        line = method(row["code"])
        if row["kind"] == CashMovementKind.IN and row["in_session"]:
            line.opening_deposit_cents += row["total"]
        elif row["kind"] == CashMovementKind.IN:
            line.manual_in_cents += row["total"]
        else:
            line.manual_out_cents += row["total"]
            if row["at_closing"] or row["in_session"]:
                line.closing_out_cents += row["total"]
    return [m for m in methods.values() if m.used]


@dataclass
class SalesFigures:
    """Récapitulatif de ventes. Corrections are the returns (their amount is negative)."""

    sales_count: int = 0
    total_cents: int = 0  # Vente au total
    list_price_cents: int = 0  # Vente à un prix appliqué: before any discount
    items_sold_milli: int = 0
    corrections_count: int = 0
    corrections_cents: int = 0
    items_returned_milli: int = 0
    vouchers_count: int = 0  # credit notes issued by refunds (avoirs)
    vouchers_cents: int = 0

    @property
    def discounts_cents(self) -> int:
        return self.list_price_cents - self.total_cents

    @property
    def discount_percent_bp(self) -> int | None:
        """Discounts over Vente au total, as the manual defines it (basis points)."""
        return round(self.discounts_cents * 10000 / self.total_cents) if self.total_cents else None

    @property
    def average_sale_cents(self) -> int | None:
        return round(self.total_cents / self.sales_count) if self.sales_count else None

    @property
    def average_item_cents(self) -> int | None:
        return round(self.total_cents * 1000 / self.items_sold_milli) if self.items_sold_milli else None

    @property
    def items_per_document_milli(self) -> int | None:
        return round(self.items_sold_milli / self.sales_count) if self.sales_count else None


def ticket_rows(cursor, day_ids) -> list:
    return _rows(cursor, _TICKETS, day_ids)


def line_rows(cursor, day_ids) -> list:
    return _rows(cursor, _LINES, day_ids)


def sales_figures(tickets, lines, methods: list[MethodFigures]) -> SalesFigures:
    """From ticket_rows and line_rows (read once for all the figures)."""
    figures = SalesFigures()
    for row in tickets:
        if row["kind"] == TicketKind.SALE:
            figures.sales_count += row["n"]
            figures.total_cents += row["total"]
            figures.list_price_cents += row["total"] + row["discount"]
        else:
            figures.corrections_count += row["n"]
            figures.corrections_cents += row["total"]
    for row in lines:
        if row["kind"] == TicketKind.SALE:
            figures.list_price_cents += row["discount"]
            figures.items_sold_milli += row["items_milli"]
        else:
            figures.items_returned_milli -= row["items_milli"]
    for method in methods:
        if method.store_credit:
            figures.vouchers_count += method.refund_count
            figures.vouchers_cents += method.returns_cents
    return figures


@dataclass(frozen=True)
class CategoryFigures:
    code: str | None
    name: str
    total_cents: int
    items_milli: int


def category_figures(lines) -> list[CategoryFigures]:
    """Ventes par catégorie: line totals (TTC, after line discounts) of the sales, returns
    left out, only categories that sold; the best first."""
    sold = [row for row in lines if row["kind"] == TicketKind.SALE and row["total"] > 0]
    sold.sort(key=lambda row: (-row["total"], row["code"] or ""))
    return [
        CategoryFigures(row["code"], row["name"] or row["code"] or "—", row["total"], row["items_milli"])
        for row in sold
    ]


def hourly_sales(tickets, zone: str) -> dict[int, tuple[int, int]]:
    """Sales by the shop's hour of the day: {hour: (tickets, cents)}."""
    hours: dict[int, tuple[int, int]] = {}
    for row in tickets:
        if row["kind"] != TicketKind.SALE:
            continue
        moment = datetime.strptime(row["hour"], "%Y-%m-%d %H").replace(tzinfo=timezone.utc)
        hour = moment.astimezone(ZoneInfo(zone)).hour
        count, cents = hours.get(hour, (0, 0))
        hours[hour] = (count + row["n"], cents + row["total"])
    return hours


@dataclass
class CashFigures:
    """Paiements en espèces of one day, for the drawer's cash method."""

    initial_float_cents: int = 0
    opening_difference_cents: int = 0
    opening_deposit_cents: int = 0
    manual_in_cents: int = 0
    sales_in_cents: int = 0
    manual_out_cents: int = 0
    closing_out_cents: int = 0
    returns_out_cents: int = 0
    by_method: dict = field(default_factory=dict)

    @property
    def deposits_cents(self) -> int:
        return self.manual_in_cents + self.sales_in_cents

    @property
    def withdrawals_cents(self) -> int:
        return self.manual_out_cents + self.returns_out_cents

    @property
    def balance_cents(self) -> int:
        return (
            self.initial_float_cents
            + self.opening_deposit_cents
            + self.deposits_cents
            - self.withdrawals_cents
        )


def cash_figures(cursor, day, methods: list[MethodFigures]) -> CashFigures:
    """`day`: a ReportDay. The difference at opening is what the opening count found against
    the float the last closing left (docs/closing.md, counting at opening); a day opened
    without a count says it as the float typed less what the previous day left. Either way
    it is shown, never added to the float. The deposit at opening is the cashier sessions'
    « Dépôt à l'ouverture du jour »."""
    figures = CashFigures(initial_float_cents=day.opening_float_cents)
    counted = cursor.execute(_OPENING_CASH_DIFFERENCE, (day.id,)).fetchone()
    if counted is not None and counted["lines"]:
        figures.opening_difference_cents = counted["difference_cents"] or 0
    else:
        left = cursor.execute(_LEFT_BEFORE, (day.register_code, day.number)).fetchone()
        if left is not None:
            figures.opening_difference_cents = day.opening_float_cents - left["left_cents"]
    cash = next((m for m in methods if m.is_cash), None)
    if cash is not None:
        figures.opening_deposit_cents = cash.opening_deposit_cents
        figures.manual_in_cents = cash.manual_in_cents
        figures.sales_in_cents = cash.sales_cents
        figures.manual_out_cents = cash.manual_out_cents
        figures.closing_out_cents = cash.closing_out_cents
        figures.returns_out_cents = cash.returns_cents
    return figures
