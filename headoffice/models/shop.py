"""Shops and their registers, as head office knows them."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from headoffice.models.base import Base, UtcDateTime


class Shop(Base):
    __tablename__ = "shop"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    vat_number: Mapped[str] = mapped_column(String(32), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    # The contract only knows EUR; the column is here so a second currency is a data change.
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # "MM-DD": the last day of the shop's fiscal year; the box signs a year's totals when
    # the first day after it closes.
    fiscal_year_end: Mapped[str] = mapped_column(String(5), default="12-31")
    # « Gestion du coffre-fort » (contract 1.5.0): the shop keeps a safe; the limit amount
    # and the time limit (days) after which its registers remind to take it to the bank.
    safe_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    safe_limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    safe_limit_days: Mapped[int | None]
    # « Travail par session » (1.5.0): each employee has their own float and cashier session.
    cashier_sessions: Mapped[bool] = mapped_column(default=False)

    registers: Mapped[list["Register"]] = relationship(back_populates="shop")


class Register(Base):
    __tablename__ = "register"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # Settings pushed to the box with every snapshot: head office decides, the box obeys.
    max_float_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    counting_mandatory: Mapped[bool] = mapped_column(default=True)
    blind_count: Mapped[bool] = mapped_column(default=False)
    max_discount_percent: Mapped[int] = mapped_column(default=100)
    receipt_header: Mapped[str] = mapped_column(Text, default="")
    receipt_footer: Mapped[str] = mapped_column(Text, default="")
    # Scheduled work (contract 1.4.0): "HH:MM" in the shop's time zone, None = off.
    auto_close_time: Mapped[str | None] = mapped_column(String(5))
    planned_import_time: Mapped[str | None] = mapped_column(String(5))
    # Set when a batch broke the register's signed chains (headoffice/integrity.py): the
    # reason code, when, and the sentence; cleared by a person (clear-integrity-flag).
    integrity_flag: Mapped[str | None] = mapped_column(String(32))
    integrity_flagged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    integrity_detail: Mapped[str | None] = mapped_column(Text)

    shop: Mapped[Shop] = relationship(back_populates="registers")
