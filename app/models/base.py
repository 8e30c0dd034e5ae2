"""Declarative base, the types every table shares, and the naming convention Alembic needs."""

import uuid
from datetime import datetime, timedelta, timezone
from typing import Annotated

from sqlalchemy import BigInteger, DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic's batch mode (SQLite) drop and recreate them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite has no zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given: Comptoir stores aware UTC times only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# The box's clock as Comptoir reads it. Tests move it (`set_clock`) to play a clock set back
# or a month going by without waiting; nothing else changes it.
_clock_offset = timedelta(0)


def utcnow() -> datetime:
    return datetime.now(timezone.utc) + _clock_offset


def set_clock(offset: timedelta = timedelta(0)) -> None:
    """Shift every utcnow() by `offset` (tests only; timedelta(0) puts the real clock back)."""
    global _clock_offset
    _clock_offset = offset


def new_uuid() -> str:
    return str(uuid.uuid4())


# Money is an integer number of cents; BIGINT, never NUMERIC (SQLite stores it as REAL).
Cents = Annotated[int, mapped_column(BigInteger, nullable=False, default=0)]
Code = Annotated[str, mapped_column(String(32))]
UUID = Annotated[str, mapped_column(String(36), unique=True, nullable=False, default=new_uuid)]


class Base(DeclarativeBase):
    # Given as a registry because Flask-SQLAlchemy subclasses the base.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION), type_annotation_map={datetime: UTCDateTime}
    )
