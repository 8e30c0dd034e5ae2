"""Setting up shops, registers, staff, catalog and tokens: the rules behind the CLI.

Each function takes plain values, checks them, adds rows to the session and lets the caller
commit; a refusal raises AdminError with a sentence meant for the person at the console.
"""

import re
import secrets

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from headoffice.auth import hash_token
from headoffice.catalog_version import bump_catalog_version
from headoffice.extensions import db
from headoffice.gtin import is_scale_prefix, is_valid_gtin
from headoffice.lookups import find_register, find_shop
from headoffice.models import (
    TOKEN_KINDS,
    ApiToken,
    Barcode,
    Category,
    Product,
    Register,
    Shop,
    Staff,
    StaffRight,
    VatRate,
)
from headoffice.rights import ALL_RIGHTS

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MIN_PASSWORD_LENGTH = 4
MIN_TOKEN_LENGTH = 12


class AdminError(ValueError):
    pass


def check_code(code: str, what: str) -> str:
    # Codes travel in URLs and on receipts: keep them short and unambiguous.
    if not CODE_PATTERN.match(code or ""):
        raise AdminError(f"{what} code {code!r} must be 1 to 32 letters, digits, '.', '_' or '-'.")
    return code


def _name(name: str, what: str) -> str:
    if not name or not name.strip():
        raise AdminError(f"{what} name must not be empty.")
    return name.strip()


def require_shop(code: str) -> Shop:
    shop = find_shop(code)
    if shop is None:
        raise AdminError(f"Unknown shop {code!r}.")
    return shop


def _by_code(model, shop: Shop, code: str):
    return db.session.execute(
        select(model).where(model.shop_id == shop.id, model.code == code)
    ).scalar_one_or_none()


def create_shop(
    code: str,
    name: str,
    *,
    timezone: str = "Europe/Paris",
    address: str = "",
    vat_number: str = "",
    fiscal_year_end: str = "12-31",
) -> Shop:
    check_code(code, "Shop")
    if find_shop(code) is not None:
        raise AdminError(f"Shop {code!r} already exists.")
    _check_timezone(timezone)
    check_fiscal_year_end(fiscal_year_end)
    shop = Shop(
        code=code,
        name=_name(name, "Shop"),
        timezone=timezone,
        address=address,
        vat_number=vat_number,
        currency="EUR",
        fiscal_year_end=fiscal_year_end,
    )
    db.session.add(shop)
    db.session.flush()
    return shop


def check_fiscal_year_end(text: str) -> None:
    """ "MM-DD", a day that exists in a leap year (29 February ends on the 28th otherwise)."""
    from datetime import date

    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)
        if len(text) != 5:
            raise ValueError
    except ValueError:
        raise AdminError(f"Fiscal year end {text!r}: use MM-DD, e.g. 12-31 or 03-31.") from None


def set_fiscal_year_end(shop_code: str, fiscal_year_end: str) -> Shop:
    shop = require_shop(shop_code)
    check_fiscal_year_end(fiscal_year_end)
    shop.fiscal_year_end = fiscal_year_end
    return shop


OFF = "off"


def set_register_schedule(
    shop_code: str, register_code: str, *, auto_close: str | None = None, planned_import: str | None = None
) -> Register:
    """The register's scheduled work, "HH:MM" in the shop's time zone or "off"; None leaves a
    setting as it is. Boxes take it at their next import."""
    shop = require_shop(shop_code)
    register = find_register(shop.id, register_code)
    if register is None:
        raise AdminError(f"No register {register_code!r} in shop {shop_code!r}.")
    for attribute, value in (("auto_close_time", auto_close), ("planned_import_time", planned_import)):
        if value is None:
            continue
        value = value.strip()
        if value.lower() == OFF:
            setattr(register, attribute, None)
            continue
        if not _is_hour(value):
            raise AdminError(f"Hour {value!r}: use HH:MM (24 h, the shop's time), e.g. 22:00, or off.")
        setattr(register, attribute, value)
    return register


def _is_hour(text: str) -> bool:
    return re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text) is not None


def _check_timezone(timezone: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise AdminError(f"Unknown time zone {timezone!r} (use an IANA name such as Europe/Paris).") from None


def create_register(
    shop_code: str,
    code: str,
    name: str,
    *,
    max_float_cents: int = 0,
    counting_mandatory: bool = True,
    blind_count: bool = False,
    max_discount_percent: int = 100,
    receipt_header: str = "",
    receipt_footer: str = "",
) -> Register:
    shop = require_shop(shop_code)
    check_code(code, "Register")
    if find_register(shop.id, code) is not None:
        raise AdminError(f"Register {code!r} already exists in shop {shop_code}.")
    if max_float_cents < 0:
        raise AdminError("The maximum float must not be negative.")
    if not 0 <= max_discount_percent <= 100:
        raise AdminError("The maximum discount is a percentage between 0 and 100.")
    register = Register(
        shop_id=shop.id,
        code=code,
        name=_name(name, "Register"),
        max_float_cents=max_float_cents,
        counting_mandatory=counting_mandatory,
        blind_count=blind_count,
        max_discount_percent=max_discount_percent,
        receipt_header=receipt_header,
        receipt_footer=receipt_footer,
    )
    db.session.add(register)
    db.session.flush()
    return register


def create_staff(shop_code: str, code: str, name: str, *, password: str, rights: list[str]) -> Staff:
    shop = require_shop(shop_code)
    check_code(code, "Staff")
    if _by_code(Staff, shop, code) is not None:
        raise AdminError(f"Staff {code!r} already exists in shop {shop_code}.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AdminError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    unknown = sorted(set(rights) - set(ALL_RIGHTS))
    if unknown:
        raise AdminError(f"Unknown right(s): {', '.join(unknown)}.")
    staff = Staff(
        shop_id=shop.id,
        code=code,
        name=_name(name, "Staff"),
        password_hash=generate_password_hash(
            password, method=current_app.config.get("STAFF_PASSWORD_METHOD", "scrypt")
        ),
        rights=[StaffRight(right=right) for right in dict.fromkeys(rights)],
    )
    db.session.add(staff)
    db.session.flush()
    return staff


def create_vat_rate(shop_code: str, code: str, rate_bp: int, label: str) -> VatRate:
    shop = require_shop(shop_code)
    check_code(code, "VAT rate")
    if _by_code(VatRate, shop, code) is not None:
        raise AdminError(f"VAT rate {code!r} already exists in shop {shop_code}.")
    if not 0 <= rate_bp <= 10000:
        raise AdminError("A VAT rate is between 0 and 10000 basis points (0 % to 100 %).")
    vat = VatRate(shop_id=shop.id, code=code, rate_bp=rate_bp, label=label)
    db.session.add(vat)
    db.session.flush()
    return vat


def create_category(
    shop_code: str,
    code: str,
    name: str,
    *,
    parent_code: str | None = None,
    position: int = 0,
    color: str = "",
) -> Category:
    shop = require_shop(shop_code)
    check_code(code, "Category")
    if _by_code(Category, shop, code) is not None:
        raise AdminError(f"Category {code!r} already exists in shop {shop_code}.")
    parent_id = None
    if parent_code:
        parent = _by_code(Category, shop, parent_code)
        if parent is None:
            raise AdminError(f"Unknown parent category {parent_code!r}.")
        parent_id = parent.id
    category = Category(
        shop_id=shop.id,
        code=code,
        name=_name(name, "Category"),
        parent_id=parent_id,
        position=position,
        color=color,
    )
    db.session.add(category)
    db.session.flush()
    return category


def create_product(
    shop_code: str,
    code: str,
    name: str,
    *,
    price_cents: int,
    vat_code: str,
    category_code: str,
    unit: str = "unit",
    barcodes: tuple[str, ...] = (),
) -> Product:
    shop = require_shop(shop_code)
    check_code(code, "Product")
    if _by_code(Product, shop, code) is not None:
        raise AdminError(f"Product {code!r} already exists in shop {shop_code}.")
    if price_cents < 0:
        raise AdminError("A price must not be negative.")
    if unit not in ("unit", "kg"):
        raise AdminError(f"Unit must be 'unit' or 'kg', not {unit!r}.")
    vat = _by_code(VatRate, shop, vat_code)
    if vat is None:
        raise AdminError(f"Unknown VAT rate {vat_code!r} in shop {shop_code}.")
    category = _by_code(Category, shop, category_code)
    if category is None:
        raise AdminError(f"Unknown category {category_code!r} in shop {shop_code}.")
    for barcode in barcodes:
        if not (is_valid_gtin(barcode) or is_scale_prefix(barcode)):
            raise AdminError(
                f"Barcode {barcode!r} is not a valid EAN/GTIN (8, 12, 13 or 14 digits with a correct check digit)"
                " nor a scale label prefix (7 digits starting with 2)."
            )
        if _by_code(Barcode, shop, barcode) is not None:
            raise AdminError(f"Barcode {barcode} already belongs to another product of shop {shop_code}.")
    if len(set(barcodes)) != len(barcodes):
        raise AdminError("The same barcode is given twice.")
    product = Product(
        shop_id=shop.id,
        code=code,
        name=_name(name, "Product"),
        category_id=category.id,
        vat_rate_id=vat.id,
        price_cents=price_cents,
        unit=unit,
    )
    db.session.add(product)
    db.session.flush()
    db.session.add_all(Barcode(shop_id=shop.id, code=barcode, product_id=product.id) for barcode in barcodes)
    bump_catalog_version(db.session)  # the boxes' next import carries it
    db.session.flush()
    return product


def create_token(
    kind: str, *, shop_code: str | None = None, label: str = "", token: str | None = None
) -> str:
    """Store a token's hash and return the token itself, which is shown once and never again."""
    if kind not in TOKEN_KINDS:
        raise AdminError(f"Token kind must be one of {', '.join(TOKEN_KINDS)}, not {kind!r}.")
    shop_id = None
    if kind == "box":
        if not shop_code:
            raise AdminError("A box token needs --shop: it reaches one shop's registers only.")
        shop_id = require_shop(shop_code).id
    elif shop_code:
        raise AdminError("A head-office token reads every shop's exports: do not give --shop.")
    if token is None:
        token = secrets.token_urlsafe(32)
    elif len(token) < MIN_TOKEN_LENGTH or any(ch.isspace() for ch in token):
        raise AdminError(f"A token needs at least {MIN_TOKEN_LENGTH} characters and no spaces.")
    digest = hash_token(token)
    if db.session.execute(select(ApiToken.id).where(ApiToken.token_sha256 == digest)).first():
        raise AdminError("This token already exists.")
    db.session.add(ApiToken(token_sha256=digest, kind=kind, shop_id=shop_id, label=label))
    db.session.flush()
    return token


def token_exists(token: str) -> ApiToken | None:
    return db.session.execute(
        select(ApiToken).where(ApiToken.token_sha256 == hash_token(token))
    ).scalar_one_or_none()
