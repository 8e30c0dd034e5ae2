"""The shop, the registers it has, and this box — reference data from head office, plus the
box's own identity and which register it holds."""

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Cents, Code


class Shop(Base):
    __tablename__ = "shop"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(400), default="")
    vat_number: Mapped[str] = mapped_column(String(40), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # "MM-DD", the last day of the fiscal year (head office's setting): a year's period
    # record is signed when the first day after it closes (docs/integrity.md).
    fiscal_year_end: Mapped[str] = mapped_column(String(5), default="12-31", server_default="12-31")
    # « Gestion du coffre-fort » (head office's setting, docs/safe.md): off unless the
    # snapshot carries `safe`; the limit amount and the time limit that remind to take the
    # safe to the bank; since when the safe has held money without a withdrawal.
    safe_enabled: Mapped[bool] = mapped_column(default=False, server_default="0")
    safe_limit_cents: Mapped[Optional[int]] = mapped_column(BigInteger)
    safe_limit_days: Mapped[Optional[int]]
    safe_since: Mapped[Optional[datetime]]
    # « Travail par session » (head office's setting, contract 1.5.0): each employee has their
    # own float and session (docs/cashier-sessions.md); off, one float per register day.
    cashier_sessions: Mapped[bool] = mapped_column(default=False, server_default=false())


class Register(Base):
    __tablename__ = "register"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    max_float_cents: Mapped[Cents]
    counting_mandatory: Mapped[bool] = mapped_column(default=False)
    blind_count: Mapped[bool] = mapped_column(default=False)
    max_discount_percent: Mapped[int] = mapped_column(default=0)
    receipt_header: Mapped[str] = mapped_column(String(400), default="")
    receipt_footer: Mapped[str] = mapped_column(String(400), default="")
    # Scheduled work (docs/sync.md): "HH:MM" in the shop's time zone, None = off.
    auto_close_time: Mapped[Optional[str]] = mapped_column(String(5))
    planned_import_time: Mapped[Optional[str]] = mapped_column(String(5))
    __table_args__ = (CheckConstraint("max_float_cents >= 0", name="max_float_positive"),)


class Box(Base):
    """The one row describing this box. `register_code` is the register it imported; it is
    cleared when an export leaves nothing to send, which is state A (docs/flows.md)."""

    __tablename__ = "box"
    id: Mapped[int] = mapped_column(primary_key=True)
    terminal: Mapped[str] = mapped_column(String(32), default="WEB01")
    device_name: Mapped[str] = mapped_column(String(80), default="")
    shop_code: Mapped[Optional[str]] = mapped_column(String(32))
    register_code: Mapped[Optional[str]] = mapped_column(String(32))
    imported_at: Mapped[Optional[datetime]]
    imported_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    snapshot_version: Mapped[Optional[str]] = mapped_column(String(80))
    # Training mode (mode école): on since when, switched on by whom; None when off.
    training_since: Mapped[Optional[datetime]]
    training_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
