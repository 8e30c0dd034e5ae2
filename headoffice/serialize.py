"""Shop and staff in the contract's JSON shapes, shared by the register list and the snapshot."""

from collections import defaultdict

from sqlalchemy import select

from headoffice.extensions import db
from headoffice.models import Register, Shop, Staff, StaffRight


def shop_json(shop: Shop) -> dict:
    return {
        "code": shop.code,
        "name": shop.name,
        "address": shop.address,
        "vat_number": shop.vat_number,
        "timezone": shop.timezone,
        "currency": shop.currency,
        "fiscal_year_end": shop.fiscal_year_end or "12-31",
        # 1.5.0, only when on: a shop without sessions keeps the snapshot version it had.
        **({"cashier_sessions": True} if shop.cashier_sessions else {}),
    }


def register_settings_json(register: Register) -> dict:
    return {
        "max_float_cents": register.max_float_cents,
        "counting_mandatory": register.counting_mandatory,
        "blind_count": register.blind_count,
        "max_discount_percent": register.max_discount_percent,
        "receipt_header": register.receipt_header,
        "receipt_footer": register.receipt_footer,
        # 1.4.0, only when set: an older box ignores them, a newer one reads absent as off.
        **({"auto_close_time": register.auto_close_time} if register.auto_close_time else {}),
        **({"planned_import_time": register.planned_import_time} if register.planned_import_time else {}),
    }


def staff_json(shop_id: int, with_right: str | None = None) -> list[dict]:
    """Staff of a shop with their rights, ordered by code; only holders of `with_right` if given."""
    rights: dict[int, list[str]] = defaultdict(list)
    for staff_id, right in db.session.execute(
        select(StaffRight.staff_id, StaffRight.right)
        .join(Staff, Staff.id == StaffRight.staff_id)
        .where(Staff.shop_id == shop_id, Staff.active.is_(True))
        .order_by(StaffRight.staff_id, StaffRight.right)
    ):
        rights[staff_id].append(right)
    rows = db.session.execute(
        select(Staff.id, Staff.code, Staff.name, Staff.password_hash)
        # A disabled person is left out: the box's next import removes them.
        .where(Staff.shop_id == shop_id, Staff.active.is_(True))
        .order_by(Staff.code)
    )
    return [
        {"code": code, "name": name, "password_hash": password_hash, "rights": rights[staff_id]}
        for staff_id, code, name, password_hash in rows
        if with_right is None or with_right in rights[staff_id]
    ]
