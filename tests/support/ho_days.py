"""Generated closed days in the export's shape, for head office's shop summary: sales with
line and ticket discounts, cancelled tickets, returns (some refunded with a credit note, AV),
cash documents (DC/RC, a closing withdrawal), on the demo catalogue.

`expected_figures(days)` adds them up the plain way, from quantities and unit prices, so a
test compares head office's sums with totals it worked out itself."""

import random
import uuid
from datetime import datetime, timedelta

from headoffice.models.figures import FIGURES

NAMESPACE = uuid.UUID("0b0e4d0c-6a35-4f7e-9b8e-5a1c2d3e4f50")
PERSON = {"code": "RESP01", "name": "Responsable1 De Caisse"}
PRODUCTS = (  # code, category, unit price, VAT
    ("BOUL001", "BOUL", 130, 550),
    ("CREM009", "CREM", 295, 550),
    ("BOIS011", "BOIS", 490, 2000),
    ("HYGI014", "HYGI", 990, 2000),
    ("FRLE001", "FRLE", 249, 550),
)


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _round(numerator: int, denominator: int) -> int:
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    return sign * (quotient + (1 if remainder * 2 >= denominator else 0))


def _line(rng, position, sign):
    code, category, price, rate = rng.choice(PRODUCTS)
    quantity = sign * rng.choice((1000, 1000, 2000, 3000, 1250))
    gross = _round(quantity * price, 1000)
    discount = sign * rng.choice((0, 0, 0, 10, 25)) if abs(gross) > 50 else 0
    return {
        "position": position,
        "product_code": code,
        "barcode": None,
        "label": code,
        "category_code": category,
        "quantity_milli": quantity,
        "unit_price_cents": price,
        "discount_cents": discount,
        "vat_rate_bp": rate,
        "total_cents": gross - discount,
    }


def _ticket(rng, key, number, at, kind, status):
    sign = -1 if kind == "return" else 1
    lines = [_line(rng, position, sign) for position in range(1, rng.randint(1, 4) + 1)]
    subtotal = sum(line["total_cents"] for line in lines)
    discount = rng.choice((0, 0, 0, 15)) if kind == "sale" and subtotal > 15 else 0
    total = subtotal - discount
    method = (
        ("AV", "Avoir")
        if kind == "return" and rng.random() < 0.4
        else rng.choice((("ESP", "Espèces"), ("CB", "Carte Bancaire")))
    )
    payment = {
        "uuid": _id(key, "payment", number),
        "method_code": method[0],
        "method_name": method[1],
        "amount_cents": total,
        "tendered_cents": None,
        "change_cents": None,
        "reference": None,
        "created_at": _iso(at),
    }
    if method[0] == "AV":  # a refund that issues a credit note
        payment["reference"] = f"99{rng.randrange(10**11):011d}"
        payment["expires_on"] = (at + timedelta(days=365)).date().isoformat()
    return {
        "uuid": _id(key, "ticket", number),
        "number": number,
        "kind": kind,
        "status": status,
        "original_uuid": None,
        "seller": PERSON,
        "created_at": _iso(at),
        "finished_at": _iso(at),
        "discount_cents": discount,
        "total_cents": total,
        "cancel_reason": "Erreur" if status == "cancelled" else None,
        "lines": lines,
        "payments": [] if status == "cancelled" else [payment],
        "taxes": [],
    }


def make_day(seed: str, register_code: str, number: int, opened_at: datetime, tickets: int = 12) -> dict:
    """One closed day of `tickets` documents from `opened_at` (UTC), seeded: same seed, same day."""
    key = f"{seed}/{register_code}/{number}"
    rng = random.Random(key)
    documents = []
    for n in range(1, tickets + 1):
        at = opened_at + timedelta(minutes=10 * n)
        roll = rng.random()
        kind, status = (
            ("return", "finished") if roll < 0.15 else ("sale", "cancelled" if roll > 0.93 else "finished")
        )
        documents.append(_ticket(rng, key, number * 1000 + n, at, kind, status))
    movements = [
        {
            "uuid": _id(key, "movement", n),
            "number": n,
            "kind": kind,
            "method_code": "ESP",
            "amount_cents": amount,
            "reason": "Fonds" if kind == "in" else "Dépôt au coffre",
            "payer": None,
            "closing_withdrawal": closing,
            "created_at": _iso(opened_at + timedelta(hours=1, minutes=n)),
            "created_by": PERSON,
        }
        for n, (kind, amount, closing) in enumerate(
            [("in", rng.randint(1, 50) * 100, False), ("out", rng.randint(1, 30) * 100, False)]
            + ([("out", 5000, True)] if rng.random() < 0.5 else []),
            start=1,
        )
    ]
    finished = [t for t in documents if t["status"] == "finished"]
    closed_at = opened_at + timedelta(minutes=10 * tickets + 30)
    return {
        "uuid": _id(key, "day"),
        "number": number,
        "opened_at": _iso(opened_at),
        "opened_by": PERSON,
        "opening_float_cents": 10000,
        "closed_at": _iso(closed_at),
        "closed_by": PERSON,
        "forced": False,
        "ticket_count": len(finished),
        "sales_total_cents": sum(t["total_cents"] for t in finished),
        "withdrawal_cents": 0,
        "grand_total_cents": 0,
        "tickets": documents,
        "cash_movements": movements,
        "cash_counts": [],
        "closing_lines": [],
    }


def make_batch(seed: str, register_code: str, days: list[dict]) -> dict:
    return {
        "batch_id": _id(seed, register_code, "batch", *(day["uuid"] for day in days)),
        "register_code": register_code,
        "shop_code": "BOUTIQUE01",
        "box": {"terminal": "WEB01", "device": "FF Gui"},
        "created_at": days[-1]["closed_at"],
        "created_by": PERSON,
        "days": days,
    }


# The summary's own figures, and the number of days each row adds up.
SUMS = ("day_count", *FIGURES)


def expected_figures(days: list[dict]) -> dict:
    """The summary's sums and ratios for these days, worked out the plain way."""
    f = dict.fromkeys(SUMS, 0)
    for day in days:
        f["day_count"] += 1
        for ticket in day["tickets"]:
            if ticket["status"] != "finished":
                continue
            if ticket["kind"] == "sale":
                f["sale_count"] += 1
                f["sales_cents"] += ticket["total_cents"]
                f["list_price_cents"] += sum(
                    _round(line["quantity_milli"] * line["unit_price_cents"], 1000)
                    for line in ticket["lines"]
                )
                f["items_sold"] += len(ticket["lines"])
            else:
                f["return_count"] += 1
                f["returns_cents"] += -ticket["total_cents"]
                f["items_returned"] += len(ticket["lines"])
                for payment in ticket["payments"]:
                    if payment["method_code"] == "AV":
                        f["credit_note_count"] += 1
                        f["credit_note_cents"] += -payment["amount_cents"]
        for movement in day["cash_movements"]:
            f[f"cash_{movement['kind']}_count"] += 1
            f[f"cash_{movement['kind']}_cents"] += movement["amount_cents"]
    sales, discount = f["sales_cents"], f["list_price_cents"] - f["sales_cents"]
    return {
        **f,
        "discount_cents": discount,
        "discount_percent": _pct(discount * 100, sales),
        "average_sale_cents": _round(sales, f["sale_count"]) if f["sale_count"] else None,
        "average_item_cents": _round(sales, f["items_sold"]) if f["items_sold"] else None,
        "items_per_document": _pct(f["items_sold"], f["sale_count"]),
        "returned_percent": _pct(f["items_returned"] * 100, f["items_sold"]),
    }


def _pct(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    return _round(numerator * 100, denominator) / 100
