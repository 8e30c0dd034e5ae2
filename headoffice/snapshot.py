"""The snapshot: everything one register needs to open and sell, with a content version.

Built from plain column queries: a shop may have 100 000 products, and one ORM object per
row (with lazy relations) would cost seconds per import. A box that already holds the
current version gets a 304 without the products being read (snapshot_reply,
headoffice/catalog_version.py).
"""

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from headoffice.canonical import canonical_json, canonical_sha256, sha256_hex
from headoffice.catalog_version import catalog_version
from headoffice.chains import snapshot_part
from headoffice.credit_notes import UPSERT_INSERTS
from headoffice.database import begin_write
from headoffice.extensions import db
from headoffice.models import (
    Barcode,
    Category,
    CreditNote,
    Denomination,
    PaymentMethod,
    Product,
    Register,
    Shop,
    SnapshotVersion,
    VatRate,
)
from headoffice.safe import snapshot_part as safe_part
from headoffice.serialize import register_settings_json, shop_json, staff_json
from headoffice.timeutil import to_rfc3339, utcnow
from headoffice.titres import issuers_by_method, used_numbers

log = logging.getLogger(__name__)


def _small_part(shop: Shop, register: Register) -> dict:
    """Everything but products and barcodes: read on every request, 304s included."""
    content = {
        "shop": shop_json(shop),
        "register": {
            "code": register.code,
            "name": register.name,
            "settings": register_settings_json(register),
        },
        "staff": staff_json(shop.id),
        "vat_rates": _vat_rates(shop.id),
        "payment_methods": _payment_methods(shop.id),
        "categories": _categories(shop.id),
        "denominations": _denominations(shop.currency),
        "credit_notes": _credit_notes(shop),
    }
    used = used_numbers(shop)
    if used:  # contract 1.4.0; absent when none, so older snapshots keep their version
        content["titres_service_used"] = used
    safe = safe_part(shop)
    if safe is not None:  # contract 1.5.0: « Gestion du coffre-fort » is on for the shop
        content["safe"] = safe
    integrity = snapshot_part(register.id)
    if integrity is not None:  # contract 1.3.0: where a replacement box continues from
        content["integrity"] = integrity
    return content


def snapshot_content(shop: Shop, register: Register) -> dict:
    """The snapshot without `version` and `generated_at`, in a stable order."""
    return {**_small_part(shop, register), "products": _products(shop.id), "barcodes": _barcodes(shop.id)}


def build_snapshot_json(shop: Shop, register: Register) -> tuple[str, bytes]:
    """(version, JSON body) of the Snapshot document, always built."""
    return _build(_small_part(shop, register), shop.id)


def snapshot_reply(shop: Shop, register: Register, held: Callable[[str], bool]) -> tuple[str, bytes | None]:
    """(version, body), or (version, None) when `held(version)`: the box has it (304).

    A 304 reads the small part and the catalogue version, never the products: while both
    are as when this register's last snapshot was built, its version stands (the
    snapshot_version row). The catalogue version is read first: under PostgreSQL's READ
    COMMITTED, products read afterwards are at least that recent, so a version remembered
    under it never describes an older catalogue than its number says.
    """
    catalog = catalog_version(db.session)
    small = _small_part(shop, register)
    key = canonical_sha256({"catalog_version": catalog, "small_part": small})
    remembered = db.session.get(SnapshotVersion, register.id)
    if remembered is not None and remembered.content_key == key and held(remembered.version):
        return remembered.version, None
    version, body = _build(small, shop.id)
    if remembered is None or (remembered.content_key, remembered.version) != (key, version):
        _remember(register.id, key, version)
    return (version, None) if held(version) else (version, body)


def _build(small: dict, shop_id: int) -> tuple[str, bytes]:
    """The version hashes content only (not generated_at), so an unchanged catalogue keeps its
    ETag across calls. With 100 000 products, serialising is most of the cost: the canonical
    text hashed for the version is reused as the body, with version and generated_at spliced
    in front."""
    content = {**small, "products": _products(shop_id), "barcodes": _barcodes(shop_id)}
    text = canonical_json(content)
    version = sha256_hex(text)
    head = f'{{"generated_at":"{to_rfc3339(utcnow())}","version":"{version}",'
    return version, (head + text[1:]).encode("utf-8")


def _remember(register_id: int, key: str, version: str) -> None:
    """Store the version in a short write transaction of its own, after the reads (the body
    is already in memory): on SQLite a read transaction cannot become a writer safely.

    Best effort: when SQLite's writer lock stays taken past the busy timeout (a long
    catalogue import), the box still gets its snapshot and the next request stores it."""
    try:
        begin_write(db.session)
        insert = UPSERT_INSERTS[db.session.get_bind().dialect.name]
        statement = insert(SnapshotVersion).values(register_id=register_id, content_key=key, version=version)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=[SnapshotVersion.register_id],
                set_={"content_key": statement.excluded.content_key, "version": statement.excluded.version},
            )
        )
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("snapshot version of register %s not stored (database busy)", register_id)


def _dicts(query, keys: tuple[str, ...]) -> list[dict]:
    # zip over plain rows: Row._asdict() costs more than the query itself at 100 000 rows.
    return [dict(zip(keys, row)) for row in db.session.execute(query)]


def _vat_rates(shop_id: int) -> list[dict]:
    return _dicts(
        select(VatRate.code, VatRate.rate_bp, VatRate.label)
        .where(VatRate.shop_id == shop_id)
        .order_by(VatRate.code),
        ("code", "rate_bp", "label"),
    )


def _payment_methods(shop_id: int) -> list[dict]:
    methods = _dicts(
        select(
            PaymentMethod.id,
            PaymentMethod.code,
            PaymentMethod.name,
            PaymentMethod.gives_change,
            PaymentMethod.counted_in_drawer,
            PaymentMethod.goes_to_safe,
            PaymentMethod.counted_as_items,
            PaymentMethod.store_credit,
            PaymentMethod.is_titre_service,
            PaymentMethod.is_card,
            PaymentMethod.position,
        )
        .where(PaymentMethod.shop_id == shop_id)
        .order_by(PaymentMethod.position, PaymentMethod.code),
        (
            "id",
            "code",
            "name",
            "gives_change",
            "counted_in_drawer",
            "goes_to_safe",
            "counted_as_items",
            "store_credit",
            "is_titre_service",
            "is_card",
            "position",
        ),
    )
    issuers = issuers_by_method(shop_id)
    for method in methods:
        method_id = method.pop("id")
        # Contract 1.5.0: only on a card method, like is_titre_service below.
        if not method["is_card"]:
            del method["is_card"]
        # Contract 1.4.0: only on a titre-service, so other methods keep the snapshot's version.
        if not method.pop("is_titre_service"):
            continue
        method["is_titre_service"] = True
        method["titre_service_issuers"] = issuers.get(method_id, [])
    return methods


def _credit_notes(shop: Shop) -> list[dict]:
    """Credit notes a register of the shop may accept: issue received, money left, not expired.

    "Today" is the shop's: a note expiring on the 31st is still good at 23:30 in Paris when
    it is already the 1st in UTC. The date is part of the content, so the version changes
    the day a note expires, and the box drops it on its next import.
    """
    today = datetime.now(ZoneInfo(shop.timezone)).date()
    balance = CreditNote.issued_cents - CreditNote.spent_cents
    return [
        {
            "code": code,
            "balance_cents": balance_cents,
            "issued_cents": issued_cents,
            "issued_at": to_rfc3339(issued_at),
            "expires_on": expires_on.isoformat(),
            "register_code": register_code,
        }
        for code, balance_cents, issued_cents, issued_at, expires_on, register_code in db.session.execute(
            select(
                CreditNote.code,
                balance,
                CreditNote.issued_cents,
                CreditNote.issued_at,
                CreditNote.expires_on,
                CreditNote.register_code,
            )
            .where(
                CreditNote.shop_id == shop.id,
                CreditNote.issued_at.is_not(None),
                balance >= 1,
                CreditNote.expires_on >= today,
            )
            .order_by(CreditNote.code)
        )
    ]


def _categories(shop_id: int) -> list[dict]:
    parent = aliased(Category)
    return _dicts(
        select(
            Category.code,
            Category.name,
            parent.code.label("parent_code"),
            Category.position,
            Category.color,
        )
        .outerjoin(parent, parent.id == Category.parent_id)
        .where(Category.shop_id == shop_id)
        .order_by(Category.position, Category.code),
        ("code", "name", "parent_code", "position", "color"),
    )


def _products(shop_id: int) -> list[dict]:
    return _dicts(
        select(
            Product.code,
            Product.name,
            Category.code.label("category_code"),
            VatRate.code.label("vat_code"),
            Product.price_cents,
            Product.unit,
            Product.active,
        )
        .join(Category, Category.id == Product.category_id)
        .join(VatRate, VatRate.id == Product.vat_rate_id)
        .where(Product.shop_id == shop_id)
        .order_by(Product.code),
        ("code", "name", "category_code", "vat_code", "price_cents", "unit", "active"),
    )


def _barcodes(shop_id: int) -> list[dict]:
    return _dicts(
        select(Barcode.code, Product.code.label("product_code"))
        .join(Product, Product.id == Barcode.product_id)
        .where(Barcode.shop_id == shop_id)
        .order_by(Barcode.code),
        ("code", "product_code"),
    )


def _denominations(currency: str) -> list[dict]:
    return _dicts(
        select(Denomination.value_cents, Denomination.kind)
        .where(Denomination.currency == currency)
        .order_by(Denomination.value_cents),
        ("value_cents", "kind"),
    )
