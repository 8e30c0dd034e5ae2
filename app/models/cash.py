"""Cash documents: cash-in/cash-out (DC/RC), counts with one row per denomination, and the
safe. Each is a document with a UUID and, for movements, a per-register number."""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UUID, Base, Cents, Code


class CashMovement(Base):
    __tablename__ = "cash_movement"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(4))  # a CashMovementKind
    method_code: Mapped[Code]
    amount_cents: Mapped[Cents]
    reason: Mapped[str] = mapped_column(String(400))
    # « Payant » of a DC/RC: a customer (a typed name) or an employee (staff code and name).
    payer_kind: Mapped[Optional[str]] = mapped_column(String(8))  # a PayerKind
    payer: Mapped[Optional[str]] = mapped_column(String(120))
    payer_code: Mapped[Optional[str]] = mapped_column(String(32))
    closing_withdrawal: Mapped[bool] = mapped_column(default=False)
    # The DC/RC a closing writes for an accepted difference: a record of the gap, never a
    # movement of the day's figures (which the closing compared before writing it).
    closing_difference: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(index=True)  # the Liste des DC/RC by date
    created_by_code: Mapped[Code]
    created_by_name: Mapped[str] = mapped_column(String(120))
    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_cash_movement_number"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("kind in ('in', 'out')", name="kind_known"),
    )


class CashCount(Base):
    __tablename__ = "cash_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), index=True)
    moment: Mapped[str] = mapped_column(String(8))  # a CountMoment
    method_code: Mapped[Code]
    counted_cents: Mapped[Cents]
    item_count: Mapped[Optional[int]]
    counted_at: Mapped[datetime]
    counted_by_code: Mapped[Code]
    counted_by_name: Mapped[str] = mapped_column(String(120))
    lines: Mapped[list["CashCountLine"]] = relationship(
        order_by="CashCountLine.value_cents", cascade="all, delete-orphan", lazy="selectin"
    )
    __table_args__ = (CheckConstraint("counted_cents >= 0", name="counted_positive"),)


class CashCountLine(Base):
    __tablename__ = "cash_count_line"
    count_id: Mapped[int] = mapped_column(ForeignKey("cash_count.id", ondelete="CASCADE"), primary_key=True)
    value_cents: Mapped[int] = mapped_column(primary_key=True)
    quantity: Mapped[int]
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_positive"),)


class SafeMovement(Base):
    """Cash, cheques and vouchers put into or taken from the safe (coffre-fort)."""

    __tablename__ = "safe_movement"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    day_id: Mapped[Optional[int]] = mapped_column(ForeignKey("register_day.id"))
    kind: Mapped[str] = mapped_column(String(4))  # a CashMovementKind
    method_code: Mapped[Code]
    amount_cents: Mapped[Cents]
    item_count: Mapped[Optional[int]]
    reason: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime]
    created_by_code: Mapped[Code]
