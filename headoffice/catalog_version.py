"""The shop's catalogue version: one number moved by every change of what its registers
import (staff, settings, VAT, categories, methods, products, barcodes), in the change's own
transaction. A snapshot built after the commit carries the change; nothing else moves it.

One function, so every writer (the screens, the console, the bulk import) moves it the same
way: an UPDATE … SET v = v + 1, atomic on SQLite and PostgreSQL alike, so two changes
committed at once never leave the version where one of them found it."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from headoffice.models import Shop


def bump_catalog_version(session: Session, shop_id: int) -> None:
    session.execute(update(Shop).where(Shop.id == shop_id).values(catalog_version=Shop.catalog_version + 1))


def catalog_version(session: Session, shop_id: int) -> int:
    return session.scalar(select(Shop.catalog_version).where(Shop.id == shop_id)) or 0
