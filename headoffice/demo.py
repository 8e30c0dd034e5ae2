"""The demo shop, so a register can be tried end to end without a real back office.

Loading is idempotent by refusal to duplicate: when shop BOUTIQUE01 already exists its data
is left exactly as it is (no reset, so exports received meanwhile are never lost) and only
missing tokens and payment methods are added (a demo made before AV existed gets it).
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from headoffice.admin import (
    AdminError,
    create_category,
    create_product,
    create_register,
    create_shop,
    create_staff,
    create_token,
    create_vat_rate,
    token_exists,
)
from headoffice.demo_catalog import (
    BARCODE_PREFIX,
    CATEGORIES,
    COINS,
    NOTES,
    PAYMENT_METHODS,
    PRODUCTS,
    TITRE_ISSUERS,
    VAT_RATES,
)
from headoffice.extensions import db
from headoffice.gtin import ean13
from headoffice.lookups import find_shop
from headoffice.models import (
    Barcode,
    Category,
    Denomination,
    PaymentMethod,
    Product,
    Register,
    Shop,
    Staff,
    TitreServiceIssuer,
)
from headoffice.rights import ALL_RIGHTS

SHOP_CODE = "BOUTIQUE01"
DEFAULT_BOX_TOKEN = "demo-box-token"
DEFAULT_HEADOFFICE_TOKEN = "demo-headoffice-token"

# (code, name, password, rights) — the passwords are printed: this is a demo.
PEOPLE = [
    ("RESP01", "Responsable1 De Caisse", "1234", list(ALL_RIGHTS)),
    ("VEND01", "Vendeur1 De Caisse", "1111", ["sell", "discount", "import"]),
    ("VEND02", "Vendeur2 De Caisse", "2222", ["sell"]),
]
REGISTERS = [("CAISSE01", "Caisse 1"), ("CAISSE02", "Caisse 2")]
MAX_FLOAT_CENTS = 100_000


@dataclass
class DemoSummary:
    created: bool
    methods_added: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    people: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)


def load_demo(
    box_token: str = DEFAULT_BOX_TOKEN, headoffice_token: str = DEFAULT_HEADOFFICE_TOKEN
) -> DemoSummary:
    shop = find_shop(SHOP_CODE)
    created = shop is None
    if created:
        shop = _load_shop()
    methods_added = _ensure_payment_methods(shop.id)
    _ensure_token("box", box_token, SHOP_CODE)
    _ensure_token("headoffice", headoffice_token, None)
    db.session.commit()
    return DemoSummary(
        created=created,
        methods_added=[] if created else methods_added,
        counts=_counts(),
        people=PEOPLE,
        tokens={"box": box_token, "headoffice": headoffice_token},
    )


def _load_shop() -> Shop:
    shop = create_shop(
        SHOP_CODE,
        "Comptoir Démo",
        timezone="Europe/Paris",
        address="12 rue du Commerce, 75015 Paris",
        vat_number="FR00123456789",
    )
    for code, name in REGISTERS:
        create_register(
            SHOP_CODE,
            code,
            name,
            max_float_cents=MAX_FLOAT_CENTS,
            receipt_header="Comptoir Démo\n12 rue du Commerce, 75015 Paris",
            receipt_footer="Merci de votre visite !",
        )
    for code, name, password, rights in PEOPLE:
        create_staff(SHOP_CODE, code, name, password=password, rights=rights)
    for code, rate_bp, label in VAT_RATES:
        create_vat_rate(SHOP_CODE, code, rate_bp, label)
    _ensure_denominations()
    serial = 0
    for position, (category_code, name, color) in enumerate(CATEGORIES, start=1):
        create_category(SHOP_CODE, category_code, name, position=position, color=color)
        for number, (product_name, price_cents, vat_code, unit) in enumerate(
            PRODUCTS[category_code], start=1
        ):
            serial += 1
            create_product(
                SHOP_CODE,
                f"{category_code}{number:03d}",
                product_name,
                price_cents=price_cents,
                vat_code=vat_code,
                category_code=category_code,
                unit=unit,
                barcodes=(ean13(f"{BARCODE_PREFIX}{serial:05d}"),),
            )
    return shop


def _ensure_payment_methods(shop_id: int) -> list[str]:
    """Add the demo methods the shop lacks (by code); existing ones are left as they are."""
    existing = set(db.session.scalars(select(PaymentMethod.code).where(PaymentMethod.shop_id == shop_id)))
    added = []
    for position, (code, name, *flags) in enumerate(PAYMENT_METHODS, start=1):
        if code in existing:
            continue
        gives_change, in_drawer, to_safe, as_items, store_credit, titre_service, card = flags
        db.session.add(
            PaymentMethod(
                shop_id=shop_id,
                code=code,
                name=name,
                gives_change=gives_change,
                counted_in_drawer=in_drawer,
                goes_to_safe=to_safe,
                counted_as_items=as_items,
                store_credit=store_credit,
                is_titre_service=titre_service,
                is_card=card,
                position=position,
            )
        )
        added.append(code)
    db.session.flush()
    for method_code, code, name, mask, grace_days in TITRE_ISSUERS:
        method = db.session.scalars(
            select(PaymentMethod).where(PaymentMethod.shop_id == shop_id, PaymentMethod.code == method_code)
        ).one()
        known = db.session.scalars(
            select(TitreServiceIssuer.code).where(TitreServiceIssuer.shop_id == shop_id)
        ).all()
        if method.is_titre_service and code not in known:
            db.session.add(
                TitreServiceIssuer(
                    shop_id=shop_id,
                    method_id=method.id,
                    code=code,
                    name=name,
                    mask=mask,
                    grace_days=grace_days,
                )
            )
    return added


def _ensure_denominations() -> None:
    # Denominations belong to the currency, so a second shop may already have added them.
    existing = set(db.session.scalars(select(Denomination.value_cents).where(Denomination.currency == "EUR")))
    for kind, values in (("coin", COINS), ("note", NOTES)):
        db.session.add_all(
            Denomination(currency="EUR", value_cents=value, kind=kind)
            for value in values
            if value not in existing
        )


def _ensure_token(kind: str, token: str, shop_code: str | None) -> None:
    found = token_exists(token)
    if found is None:
        create_token(kind, shop_code=shop_code, label=f"demo {kind} token", token=token)
    elif found.kind != kind or (shop_code and found.shop_id != find_shop(shop_code).id):
        raise AdminError(f"Token {token!r} already exists for another use; choose another.")


def _counts() -> dict[str, int]:
    shop = find_shop(SHOP_CODE)

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.shop_id == shop.id))

    return {
        "registers": count(Register),
        "staff": count(Staff),
        "categories": count(Category),
        "products": count(Product),
        "barcodes": count(Barcode),
    }
