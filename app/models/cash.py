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
    # A cashier session's deposit at opening or withdrawal at closing (docs/cashier-sessions.md).
    cashier_session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cashier_session.id"), index=True)
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
    """Cash, cheques and vouchers put into (`in`, Dépôt) or taken from (`out`, Retrait) the
    shop's safe (coffre-fort) on this box: a document with its own per-register number,
    signed in the register's safe chain and exported with its day (docs/safe.md)."""

    __tablename__ = "safe_movement"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    day_id: Mapped[Optional[int]] = mapped_column(ForeignKey("register_day.id"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(4))  # a CashMovementKind
    method_code: Mapped[Code]
    amount_cents: Mapped[Cents]
    item_count: Mapped[Optional[int]]
    reason: Mapped[str] = mapped_column(String(400), default="")
    # « Payeur »: a customer (a typed name: the bank, a carrier) or an employee (staff code);
    # an employee's movement moved the drawer too, through the DC/RC named here.
    payer_kind: Mapped[Optional[str]] = mapped_column(String(8))  # a PayerKind
    payer: Mapped[Optional[str]] = mapped_column(String(120))
    payer_code: Mapped[Optional[str]] = mapped_column(String(32))
    cash_movement_uuid: Mapped[Optional[str]] = mapped_column(String(36))
    at_closing: Mapped[bool] = mapped_column(default=False)  # what a closing left in the drawer
    created_at: Mapped[datetime] = mapped_column(index=True)
    created_by_code: Mapped[Code]
    created_by_name: Mapped[str] = mapped_column(String(120), default="")
    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_safe_movement_number"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("kind in ('in', 'out')", name="kind_known"),
    )


class SafeBalance(Base):
    """The safe per payment method as head office last knew it (the snapshot's `safe`),
    replaced at each import. What this box moved since is read from safe_movement on top
    (app/services/closing/safe.py), as credit notes are."""

    __tablename__ = "safe_balance"
    method_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_count: Mapped[int] = mapped_column(default=0)
    deposits_cents: Mapped[Cents]
    withdrawals_cents: Mapped[Cents]
    # Movements with a larger id were written after the import: they are counted on top.
    after_movement_id: Mapped[int] = mapped_column(default=0)
