"""Importing a shop's catalogue from its ERP: upsert by product code, all or nothing.

Every row is checked first (catalog_checks.py), against the shop as it is inside the import's
write transaction; one refused row refuses the whole file and nothing changes. Otherwise the
products are inserted or updated in bulk, barcodes moved, and the catalogue version raised,
in that one transaction: a box never imports half a price list.

Barcodes: a row that gives `barcodes` (even empty) replaces the product's barcodes; a row
without them keeps them. A barcode may move from one product to another in the same file
(the other product's row gives its new barcodes); otherwise a barcode already on another
product is refused, as is one given twice in the file.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select

from headoffice.bulk_rows import delete_ids, insert_rows, update_rows
from headoffice.catalog_checks import Checked, Refusal, check_row
from headoffice.catalog_file import CatalogFileError, RawRow, read_catalog
from headoffice.catalog_version import bump_catalog_version
from headoffice.database import begin_write
from headoffice.extensions import db
from headoffice.lookups import find_shop
from headoffice.models import Barcode, Category, Product, Shop, VatRate

COLUMNS = ("name", "category_id", "vat_rate_id", "price_cents", "unit", "active")
NEW_PRODUCT_NEEDS = {"name": "name", "category_id": "category_code", "vat_rate_id": "vat_code"}
MAX_LISTED = 1000  # refusals listed in a report; all are counted


@dataclass
class ImportReport:
    applied: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    barcodes_added: int = 0
    barcodes_removed: int = 0
    catalog_version: int | None = None
    refused_count: int = 0
    refused: list[dict] = field(
        default_factory=list
    )  # {"row", "code", "field", "reason", "message", "message_fr"}

    def as_json(self) -> dict:
        return dict(self.__dict__)


@contextmanager
def _without_cyclic_gc():
    """100 000 rows make a few hundred thousand small objects, none in a reference cycle:
    the cyclic collector would walk them again and again for nothing (about 40 % of the
    import's Python time). Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_catalog(shop_code: str, data: bytes, kind: str) -> ImportReport:
    """kind "csv" or "json". Raises CatalogFileError for a file that cannot be read at all."""
    with _without_cyclic_gc():
        return _import(shop_code, data, kind)


def _import(shop_code: str, data: bytes, kind: str) -> ImportReport:
    rows = read_catalog(data, kind)  # before the transaction: parsing locks nothing
    begin_write(db.session)
    try:
        shop = find_shop(shop_code)
        if shop is None:
            raise CatalogFileError(
                "shop_not_found", f"No shop {shop_code!r}.", f"Aucune boutique {shop_code!r}."
            )
        # First: catalogue writers take turns from here (the counter's row lock), so what is
        # read below stays true until this commits.
        version = bump_catalog_version(db.session)
        plan = _plan(shop, rows, from_csv=kind == "csv")
        if plan.refused:
            db.session.rollback()
            return ImportReport(
                applied=False, refused_count=len(plan.refused), refused=plan.refused[:MAX_LISTED]
            )
        report = _apply(shop.id, plan)
        report.catalog_version = version
        db.session.commit()
        return report
    except BaseException:
        db.session.rollback()
        raise


@dataclass
class _Plan:
    new: list[tuple] = field(default_factory=list)
    changed: list[tuple] = field(default_factory=list)
    unchanged: int = 0
    barcodes: dict[str, list[str]] = field(default_factory=dict)  # product code → its barcodes
    refused: list[dict] = field(default_factory=list)
    existing_ids: dict[str, int] = field(default_factory=dict)
    held: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # barcode → (id, product id, code)


def _plan(shop: Shop, rows: list[RawRow], from_csv: bool) -> _Plan:
    categories = _codes(Category, shop.id)
    vat_rates = _codes(VatRate, shop.id)
    existing = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(Product.code, Product.id, *(getattr(Product, name) for name in COLUMNS)).where(
                Product.shop_id == shop.id
            )
        )
    }
    plan = _Plan(existing_ids={code: values[0] for code, values in existing.items()})
    plan.held = {
        code: (barcode_id, product_id, product_code)
        for barcode_id, code, product_id, product_code in db.session.execute(
            select(Barcode.id, Barcode.code, Barcode.product_id, Product.code)
            .join(Product, Product.id == Barcode.product_id)
            .where(Barcode.shop_id == shop.id)
        )
    }
    checked: list[tuple[RawRow, Checked]] = []
    first_line: dict[str, int] = {}
    for raw in rows:
        row, refusals = check_row(raw.values, categories, vat_rates, from_csv)
        if row is not None:
            refusals = _file_refusals(raw, row, first_line, existing)
        code = raw.values.get("code")
        if isinstance(code, str):  # a refused row's code too: its repeat is named as such
            first_line.setdefault(code, raw.row)
        if refusals:
            plan.refused += [_entry(raw, refusal) for refusal in refusals]
            continue
        checked.append((raw, row))
    given = {row.code for _raw, row in checked if row.barcodes is not None}
    _plan_barcodes(plan, checked, given)
    if plan.refused:
        plan.refused.sort(key=lambda entry: entry["row"])
        return plan
    for _raw, row in checked:
        _plan_product(plan, shop.id, row, existing.get(row.code))
    return plan


def _codes(model, shop_id: int) -> dict[str, int]:
    return dict(db.session.execute(select(model.code, model.id).where(model.shop_id == shop_id)).all())


def _file_refusals(raw: RawRow, row: Checked, first_line: dict, existing: dict) -> list[Refusal]:
    if row.code in first_line:
        line = first_line[row.code]
        return [
            Refusal(
                "code",
                "duplicate_code",
                f"Product {row.code} is already in row {line} of this file.",
                f"Le produit {row.code} figure déjà à la ligne {line} de ce fichier.",
            )
        ]
    if row.code in existing:
        return []
    missing = [label for column, label in NEW_PRODUCT_NEEDS.items() if column not in row.fields]
    if "price_cents" not in row.fields:
        missing.append("price")
    if not missing:
        return []
    return [
        Refusal(
            missing[0],
            "missing_field",
            f"A new product needs {', '.join(missing)}.",
            f"Un nouveau produit doit avoir : {', '.join(missing)}.",
        )
    ]


def _plan_barcodes(plan: _Plan, checked: list[tuple[RawRow, Checked]], given: set[str]) -> None:
    """Each barcode once in the file, and not on a product that keeps it."""
    in_file: dict[str, tuple[int, str]] = {}
    for raw, row in checked:
        if row.barcodes is None:
            continue
        for code in row.barcodes:
            if code in in_file:
                line, other = in_file[code]
                plan.refused.append(
                    _entry(
                        raw,
                        Refusal(
                            "barcodes",
                            "duplicate_barcode",
                            f"Barcode {code} is also given to {other} in row {line} of this file.",
                            f"Le code-barres {code} est aussi donné à {other} à la ligne {line} de ce fichier.",
                        ),
                    )
                )
                continue
            in_file[code] = (raw.row, row.code)
            holder = plan.held.get(code)
            if holder is not None and holder[2] != row.code and holder[2] not in given:
                plan.refused.append(
                    _entry(
                        raw,
                        Refusal(
                            "barcodes",
                            "barcode_taken",
                            f"Barcode {code} belongs to product {holder[2]}, which this file does not"
                            " give other barcodes.",
                            f"Le code-barres {code} appartient au produit {holder[2]}, auquel ce fichier"
                            " ne donne pas d’autres codes-barres.",
                        ),
                    )
                )
        plan.barcodes[row.code] = row.barcodes


def _plan_product(plan: _Plan, shop_id: int, row: Checked, current: tuple | None) -> None:
    """Rows as the product table's columns: (shop_id, code, *COLUMNS) new, (id, *COLUMNS) changed."""
    given = row.fields
    if current is None:
        plan.new.append(
            (
                shop_id,
                row.code,
                given["name"],
                given["category_id"],
                given["vat_rate_id"],
                given["price_cents"],
                given.get("unit", "unit"),
                given.get("active", True),
            )
        )
        return
    values = current[1:]
    merged = tuple(given.get(name, value) for name, value in zip(COLUMNS, values))
    if merged == values:
        plan.unchanged += 1
    else:
        plan.changed.append((current[0], *merged))


def _apply(shop_id: int, plan: _Plan) -> ImportReport:
    insert_rows(db.session, "product", ("shop_id", "code", *COLUMNS), plan.new)
    update_rows(db.session, "product", COLUMNS, plan.changed)
    ids = dict(plan.existing_ids)
    if plan.new and plan.barcodes:  # the new products' ids, for their barcodes
        ids = dict(
            db.session.execute(select(Product.code, Product.id).where(Product.shop_id == shop_id)).all()
        )
    removed, added = _barcode_moves(plan, ids)
    delete_ids(db.session, "barcode", removed)  # before the inserts: a barcode may move
    insert_rows(
        db.session,
        "barcode",
        ("shop_id", "code", "product_id"),
        [(shop_id, code, pid) for code, pid in added],
    )
    return ImportReport(
        applied=True,
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=plan.unchanged,
        barcodes_added=len(added),
        barcodes_removed=len(removed),
    )


def _barcode_moves(plan: _Plan, ids: dict[str, int]) -> tuple[list[int], list[tuple[str, int]]]:
    """(ids of barcode rows to delete, (barcode, product id) to insert)."""
    wanted = {code: ids[product] for product, codes in plan.barcodes.items() for code in codes}
    removed = [
        barcode_id
        for code, (barcode_id, product_id, product) in plan.held.items()
        if product in plan.barcodes and wanted.get(code) != product_id
    ]
    added = [
        (code, product_id)
        for code, product_id in wanted.items()
        if code not in plan.held or plan.held[code][1] != product_id
    ]
    return removed, added


def _entry(raw: RawRow, refusal: Refusal) -> dict:
    code = raw.values.get("code")
    return {
        "row": raw.row,
        "code": code if isinstance(code, str) else None,
        "field": refusal.field,
        "reason": refusal.reason,
        "message": refusal.message,
        "message_fr": refusal.message_fr,
    }
