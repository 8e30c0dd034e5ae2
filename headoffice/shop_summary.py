"""« Récapitulatif de la boutique »: the manual's figures for a day or a period, per register
and for the shop, added up from the received days' figures (day_figures.py).

One grouped query over day_figures (indexed by shop and date) answers a month of 200
registers; averages and percentages are worked out from the sums, never averaged averages.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import BigInteger, bindparam, cast, func, select

from headoffice.extensions import db
from headoffice.models import FIGURES, DayFigures, Register, Shop

MAX_DAYS = 366
SUMS = ("day_count", *FIGURES)


class SummaryError(ValueError):
    """`details` carries the values the message names (field, value, start, end), so a
    screen can say it in its own words and language (headoffice/web/routes_summary.py)."""

    def __init__(self, status: int, code: str, message: str, message_fr: str, **details):
        super().__init__(message)
        self.status, self.code, self.message, self.message_fr = status, code, message, message_fr
        self.details = details


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def read_period(date_text: str | None, start_text: str | None, end_text: str | None) -> Period:
    """« Journalière »: date; « Périodique »: from and to (Date du, Date au), both included."""
    if date_text is not None and start_text is None and end_text is None:
        day = _date(date_text, "date")
        return Period(day, day)
    if date_text is not None or start_text is None or end_text is None:
        raise SummaryError(
            400,
            "invalid_period",
            "Give date=YYYY-MM-DD for a day, or from= and to= for a period.",
            "Indiquez date=AAAA-MM-JJ pour une journée, ou from= et to= pour une période.",
        )
    period = Period(_date(start_text, "from"), _date(end_text, "to"))
    if period.start > period.end:
        raise SummaryError(
            400,
            "invalid_period",
            f"from ({period.start}) is after to ({period.end}): the dates are reversed.",
            f"La date du ({period.start}) est après la date au ({period.end}) : dates inversées.",
            start=period.start,
            end=period.end,
        )
    if (period.end - period.start).days + 1 > MAX_DAYS:
        raise SummaryError(
            400,
            "period_too_long",
            f"A period covers at most {MAX_DAYS} days.",
            f"Une période couvre {MAX_DAYS} jours au plus.",
            start=period.start,
            end=period.end,
        )
    return period


def _date(text: str, name: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise SummaryError(
            400,
            "invalid_date",
            f"{name} must be a date such as 2026-11-23, not {text!r}.",
            f"{name} doit être une date comme 2026-11-23, pas {text!r}.",
            field=name,
            value=text,
        ) from None


def _registers_with_sums():
    """Every register of a shop with its sums for a period (NULL for one that sold nothing).
    Built once: a month of 200 registers is a few milliseconds, of which building the
    statement would be a good share."""
    sums = (
        select(
            DayFigures.register_code,
            func.count().label("day_count"),
            # As bigint: PostgreSQL's sum of a bigint is a numeric, read as Decimal.
            *(cast(func.sum(getattr(DayFigures, name)), BigInteger).label(name) for name in FIGURES),
        )
        .where(
            DayFigures.shop_id == bindparam("shop_id"),
            DayFigures.business_date >= bindparam("start"),
            DayFigures.business_date <= bindparam("end"),
        )
        .group_by(DayFigures.register_code)
        .subquery()
    )
    return (
        select(Register.code, Register.name, sums.c.day_count, *(sums.c[name] for name in FIGURES))
        .outerjoin(sums, sums.c.register_code == Register.code)
        .where(Register.shop_id == bindparam("shop_id"))
        .order_by(Register.code)
    )


REGISTERS_WITH_SUMS = _registers_with_sums()


SHOP = select(Shop.id, Shop.code, Shop.name, Shop.timezone).where(Shop.code == bindparam("code"))


def shop_summary(shop_code: str, period: Period) -> dict:
    shop = db.session.execute(SHOP, {"code": shop_code}).first()
    if shop is None:
        raise SummaryError(
            404, "shop_not_found", f"No shop {shop_code!r}.", f"Aucune boutique {shop_code!r}."
        )
    rows = db.session.execute(
        REGISTERS_WITH_SUMS, {"shop_id": shop.id, "start": period.start, "end": period.end}
    ).all()
    registers = [
        {"register_code": row[0], "register_name": row[1], **figures(dict(zip(SUMS, row[2:])))}
        for row in rows
    ]
    total = {name: sum(register[name] for register in registers) for name in SUMS}
    return {
        "shop": {"code": shop.code, "name": shop.name, "timezone": shop.timezone},
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "registers": registers,
        "total": figures(total),
    }


SALES_BY_DAY = (
    select(DayFigures.business_date, cast(func.sum(DayFigures.sales_cents), BigInteger))
    .where(
        DayFigures.shop_id == bindparam("shop_id"),
        DayFigures.business_date >= bindparam("start"),
        DayFigures.business_date <= bindparam("end"),
    )
    .group_by(DayFigures.business_date)
)


def sales_by_day(shop_code: str, period: Period) -> list[tuple[date, int]]:
    """The shop's sales (« Ventes au total ») of each date of the period, 0 for a date without
    a received day: the same sums as shop_summary's, grouped by date instead of register."""
    shop = db.session.execute(SHOP, {"code": shop_code}).first()
    if shop is None:
        raise SummaryError(
            404, "shop_not_found", f"No shop {shop_code!r}.", f"Aucune boutique {shop_code!r}."
        )
    found = dict(
        db.session.execute(SALES_BY_DAY, {"shop_id": shop.id, "start": period.start, "end": period.end}).all()
    )
    days = (period.end - period.start).days + 1
    return [
        (day, int(found.get(day) or 0)) for day in (period.start + timedelta(days=n) for n in range(days))
    ]


def figures(sums: dict) -> dict:
    """The sums (as integers) and what the manual works out of them; None when dividing by 0."""
    sums = {name: value or 0 for name, value in sums.items()}
    sales, discount = sums["sales_cents"], sums["list_price_cents"] - sums["sales_cents"]
    return {
        **sums,
        "discount_cents": discount,
        "discount_percent": _hundredths(discount * 100, sales),
        "average_sale_cents": _divide(sales, sums["sale_count"]),
        "average_item_cents": _divide(sales, sums["items_sold"]),
        "items_per_document": _hundredths(sums["items_sold"], sums["sale_count"]),
        "returned_percent": _hundredths(sums["items_returned"] * 100, sums["items_sold"]),
    }


def _divide(numerator: int, denominator: int) -> int | None:
    """numerator / denominator rounded half away from zero (as the box rounds), in integers."""
    if not denominator:
        return None
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    quotient += remainder * 2 >= abs(denominator)
    return quotient if (numerator < 0) == (denominator < 0) else -quotient


def _hundredths(numerator: int, denominator: int) -> float | None:
    """The quotient to two decimals (12.35), for percentages and items per document."""
    hundredths = _divide(numerator * 100, denominator)
    return None if hundredths is None else hundredths / 100
