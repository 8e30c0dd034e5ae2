"""Finding what the cashier means: a scanned barcode, a product code, a price-embedded
EAN-13, a search, a category. Read-only, and every lookup is one indexed query."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import Category, Product
from app.services.errors import InvalidInput
from app.services.parsing import is_digits

# Scales print EAN-13 codes "2" + 6-digit article + 5-digit value + check digit. The catalog
# declares such an article by giving it the 7-digit barcode prefix; the value is the price in
# cents for a unit article, the weight in grams for an article sold by the kilogram.
EMBEDDED_PREFIX_LENGTH = 7


@dataclass
class Article:
    """A product as a line needs it, read with its VAT rate in one indexed query."""

    code: str
    name: str
    category_code: str | None
    price_cents: int
    unit: str
    active: bool


@dataclass
class Found:
    product: Article
    rate_bp: int
    barcode: str | None = None
    quantity_milli: int | None = None  # from a weighed label
    unit_price_cents: int | None = None  # from a price label


# Plain SQL: the scan is the till's busiest path (bench/selling.py), and these lookups are
# most of it; the ORM would build and load more than the query itself costs.
_ARTICLE = (
    "SELECT p.code, p.name, p.category_code, p.price_cents, p.unit, p.active, v.rate_bp"
    " FROM product p JOIN vat_rate v ON v.code = p.vat_code"
)
_BY_BARCODE = _ARTICLE + " JOIN barcode b ON b.product_code = p.code WHERE b.code = ?"
_BY_CODE = _ARTICLE + " WHERE p.code = ?"


def _found(row, **extra) -> Found:
    return Found(
        Article(
            row["code"],
            row["name"],
            row["category_code"],
            row["price_cents"],
            row["unit"],
            bool(row["active"]),
        ),
        row["rate_bp"],
        **extra,
    )


def find_scanned(session: Session, code: str) -> Found:
    code = (code or "").strip()
    if not code:
        raise InvalidInput(_l("Scannez ou tapez un code."))
    if len(code) > 32:
        raise InvalidInput(_l("Code inconnu : %(code)s"), code=code[:32] + "…")
    cursor = raw_cursor(session)
    row = cursor.execute(_BY_BARCODE, (code,)).fetchone()
    if row is not None:
        return _usable(_found(row, barcode=code))
    row = cursor.execute(_BY_CODE, (code,)).fetchone()
    if row is not None:
        return _usable(_found(row))
    if len(code) == 13 and is_digits(code) and code[0] == "2" and ean13_valid(code):
        row = cursor.execute(_BY_BARCODE, (code[:EMBEDDED_PREFIX_LENGTH],)).fetchone()
        if row is not None:
            value = int(code[EMBEDDED_PREFIX_LENGTH:12])
            found = _found(row, barcode=code)
            if found.product.unit == "kg":
                found.quantity_milli = value  # grams are thousandths of a kilogram
            else:
                found.unit_price_cents = value
            return _usable(found)
    raise InvalidInput(_l("Code inconnu : %(code)s"), code=code)


def find_product(session: Session, product_code: str) -> Found:
    row = raw_cursor(session).execute(_BY_CODE, (product_code or "",)).fetchone()
    if row is None:
        raise InvalidInput(_l("Code inconnu : %(code)s"), code=(product_code or "")[:32])
    return _usable(_found(row))


def _usable(found: Found) -> Found:
    if not found.product.active:
        raise InvalidInput(_l("%(name)s n'est plus en vente."), name=found.product.name)
    return found


def ean13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def ean13_valid(code: str) -> bool:
    return ean13_check_digit(code[:12]) == code[12]


def search_products(session: Session, text: str, limit: int = 24) -> list[Product]:
    text = (text or "").strip()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        session.scalars(
            select(Product)
            .where(
                Product.active.is_(True),
                or_(Product.code == text.upper(), Product.name.ilike(pattern, escape="\\")),
            )
            .order_by(Product.name)
            .limit(limit)
        )
    )


def categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.name)))


def products_of(session: Session, category_code: str, *, offset: int = 0, limit: int = 40) -> list[Product]:
    return list(
        session.scalars(
            select(Product)
            .where(Product.category_code == category_code, Product.active.is_(True))
            .order_by(Product.name)
            .offset(max(offset, 0))
            .limit(limit)
        )
    )
