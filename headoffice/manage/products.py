"""Products and their barcodes: finding them, changing a price, disabling, adding or taking
off a barcode. (Creating thousands at once is the bulk import's job.)"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from headoffice.audit import Actor
from headoffice.gtin import is_scale_prefix, is_valid_gtin
from headoffice.manage import by_code, changed, writing
from headoffice.models import Barcode, Category, Product, VatRate
from headoffice.refusals import NotFound, Refused
from headoffice.roles import Can, require

SEARCH_LIMIT = 50
MAX_PRICE_CENTS = 10**9  # ten million euros: beyond is a typing mistake


@dataclass
class ProductRow:
    code: str
    name: str
    category_code: str
    vat_code: str
    price_cents: int
    unit: str
    active: bool
    barcodes: list[str] = field(default_factory=list)


def _rows(session: Session, query) -> list[ProductRow]:
    rows = {
        row[0]: ProductRow(*row[1:])
        for row in session.execute(
            query.add_columns(
                Product.code,
                Product.name,
                Category.code,
                VatRate.code,
                Product.price_cents,
                Product.unit,
                Product.active,
            )
            .join(Category, Category.id == Product.category_id)
            .join(VatRate, VatRate.id == Product.vat_rate_id)
        )
    }
    for product_id, code in session.execute(
        select(Barcode.product_id, Barcode.code).where(Barcode.product_id.in_(rows)).order_by(Barcode.code)
    ):
        rows[product_id].barcodes.append(code)
    return list(rows.values())


def search_products(session: Session, shop_id: int, text: str) -> tuple[list[ProductRow], bool]:
    """Products whose code, name or one barcode holds the text (any case); (first
    SEARCH_LIMIT by code, whether there are more)."""
    text = (text or "").strip()[:100]
    query = (
        select(Product.id).where(Product.shop_id == shop_id).order_by(Product.code).limit(SEARCH_LIMIT + 1)
    )
    if text:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with_barcode = select(Barcode.product_id).where(
            Barcode.shop_id == shop_id, Barcode.code.like(pattern, escape="\\")
        )
        query = query.where(
            or_(
                func.lower(Product.code).like(pattern, escape="\\"),
                func.lower(Product.name).like(pattern, escape="\\"),
                Product.id.in_(with_barcode),
            )
        )
    rows = _rows(session, query)
    return rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT


def get_product(session: Session, shop_id: int, code: str) -> ProductRow:
    rows = _rows(session, select(Product.id).where(Product.shop_id == shop_id, Product.code == code))
    if not rows:
        raise NotFound(_("Produit inconnu : %(code)s.", code=code))
    return rows[0]


def _product(session: Session, shop_id: int, code: str) -> Product:
    return by_code(session, Product, shop_id, code, _("Produit inconnu : %(code)s.", code=code))


def change_price(session: Session, actor: Actor, shop_id: int, code: str, price_cents: int) -> None:
    require(actor, Can.MANAGE)
    if price_cents < 0:
        raise Refused(_("Un prix ne peut pas être négatif."))
    if price_cents > MAX_PRICE_CENTS:
        raise Refused(_("Ce prix dépasse 10 000 000 € : vérifiez la saisie."))
    with writing(session):
        row = _product(session, shop_id, code)
        if row.price_cents == price_cents:
            return
        before = {"price_cents": row.price_cents}
        row.price_cents = price_cents
        changed(
            session, actor, shop_id, "price_changed", f"product:{code}", before, {"price_cents": price_cents}
        )


def set_active(session: Session, actor: Actor, shop_id: int, code: str, active: bool) -> None:
    require(actor, Can.MANAGE)
    with writing(session):
        row = _product(session, shop_id, code)
        if row.active == active:
            return
        row.active = active
        action = "product_enabled" if active else "product_disabled"
        changed(
            session, actor, shop_id, action, f"product:{code}", {"active": not active}, {"active": active}
        )


def add_barcode(session: Session, actor: Actor, shop_id: int, code: str, barcode: str) -> None:
    require(actor, Can.MANAGE)
    barcode = (barcode or "").strip()
    if not (is_valid_gtin(barcode) or is_scale_prefix(barcode)):
        raise Refused(
            _(
                "%(barcode)s n'est ni un EAN/GTIN valide (8, 12, 13 ou 14 chiffres, clé de contrôle "
                "juste) ni un préfixe d'étiquette de balance (7 chiffres commençant par 2).",
                barcode=barcode[:20],
            )
        )
    with writing(session):
        row = _product(session, shop_id, code)
        owner = session.scalar(
            select(Product.code)
            .join(Barcode, Barcode.product_id == Product.id)
            .where(Barcode.shop_id == shop_id, Barcode.code == barcode)
        )
        if owner is not None:
            # A scan must find exactly one product at the till.
            raise Refused(
                _(
                    "Le code-barres %(barcode)s appartient déjà au produit %(code)s.",
                    barcode=barcode,
                    code=owner,
                )
            )
        session.add(Barcode(shop_id=shop_id, code=barcode, product_id=row.id))
        changed(session, actor, shop_id, "barcode_added", f"product:{code}", None, {"barcode": barcode})


def remove_barcode(session: Session, actor: Actor, shop_id: int, code: str, barcode: str) -> None:
    require(actor, Can.MANAGE)
    with writing(session):
        row = _product(session, shop_id, code)
        found = session.scalar(
            select(Barcode).where(Barcode.product_id == row.id, Barcode.code == (barcode or "").strip())
        )
        if found is None:
            raise NotFound(_("Ce produit n'a pas le code-barres %(barcode)s.", barcode=(barcode or "")[:20]))
        session.delete(found)
        changed(session, actor, shop_id, "barcode_removed", f"product:{code}", {"barcode": found.code}, None)
