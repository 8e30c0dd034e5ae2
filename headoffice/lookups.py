"""Finding a shop's things by their codes, the way both the API and the CLI need."""

from sqlalchemy import select

from headoffice.extensions import db
from headoffice.models import Register, Shop


def find_shop(code: str) -> Shop | None:
    return db.session.execute(select(Shop).where(Shop.code == code)).scalar_one_or_none()


def find_register(shop_id: int, code: str) -> Register | None:
    return db.session.execute(
        select(Register).where(Register.shop_id == shop_id, Register.code == code)
    ).scalar_one_or_none()


def shop_codes() -> list[str]:
    return list(db.session.scalars(select(Shop.code).order_by(Shop.code)))
