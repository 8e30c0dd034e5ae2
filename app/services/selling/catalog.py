"""Finding what the cashier means: a scanned barcode, a product code, a price-embedded
EAN-13, a search, a category. Read-only, and every lookup is one indexed query."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.models import Barcode, Category, Product, VatRate
from app.services.errors import InvalidInput

# Scales print EAN-13 codes "2" + 6-digit article + 5-digit value + check digit. The catalog
# declares such an article by giving it the 7-digit barcode prefix; the value is the price in
# cents for a unit article, the weight in grams for an article sold by the kilogram.
EMBEDDED_PREFIX_LENGTH = 7


@dataclass
class Found:
    product: Product
    rate_bp: int
    barcode: str | None = None
    quantity_milli: int | None = None  # from a weighed label
    unit_price_cents: int | None = None  # from a price label


def _with_rate():
    return select(Product, VatRate.rate_bp).join(VatRate, VatRate.code == Product.vat_code)


def find_scanned(session, code: str) -> Found:
    code = (code or "").strip()
    if not code:
        raise InvalidInput(_l("Scannez ou tapez un code."))
    if len(code) > 32:
        raise InvalidInput(_l("Code inconnu : %(code)s"), code=code[:32] + "…")
    row = session.execute(_with_rate().join(Barcode, Barcode.product_code == Product.code)
                          .where(Barcode.code == code)).first()
    if row is not None:
        return _usable(Found(row[0], row[1], barcode=code))
    row = session.execute(_with_rate().where(Product.code == code)).first()
    if row is not None:
        return _usable(Found(row[0], row[1]))
    if len(code) == 13 and code.isdigit() and code[0] == "2" and ean13_valid(code):
        row = session.execute(_with_rate().join(Barcode, Barcode.product_code == Product.code)
                              .where(Barcode.code == code[:EMBEDDED_PREFIX_LENGTH])).first()
        if row is not None:
            value = int(code[EMBEDDED_PREFIX_LENGTH:12])
            found = Found(row[0], row[1], barcode=code)
            if found.product.unit == "kg":
                found.quantity_milli = value  # grams are thousandths of a kilogram
            else:
                found.unit_price_cents = value
            return _usable(found)
    raise InvalidInput(_l("Code inconnu : %(code)s"), code=code)


def find_product(session, product_code: str) -> Found:
    row = session.execute(_with_rate().where(Product.code == (product_code or ""))).first()
    if row is None:
        raise InvalidInput(_l("Code inconnu : %(code)s"), code=(product_code or "")[:32])
    return _usable(Found(row[0], row[1]))


def _usable(found: Found) -> Found:
    if not found.product.active:
        raise InvalidInput(_l("%(name)s n'est plus en vente."), name=found.product.name)
    return found


def ean13_valid(code: str) -> bool:
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]


def search_products(session, text: str, limit: int = 24) -> list[Product]:
    text = (text or "").strip()
    if len(text) < 2:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(session.scalars(
        select(Product).where(Product.active.is_(True), or_(
            Product.code == text.upper(), Product.name.ilike(pattern, escape="\\")))
        .order_by(Product.name).limit(limit)))


def categories(session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.name)))


def products_of(session, category_code: str, *, offset: int = 0, limit: int = 40) -> list[Product]:
    return list(session.scalars(
        select(Product).where(Product.category_code == category_code, Product.active.is_(True))
        .order_by(Product.name).offset(max(offset, 0)).limit(limit)))
