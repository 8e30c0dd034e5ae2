"""The register day (journée): one opening → closing of a register, and who was connected.
A closed day is never updated again, except to note that it was exported."""

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.states import DayState

from .base import UUID, Base, Cents, Code


class RegisterDay(Base):
    __tablename__ = "register_day"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(8), default=DayState.OPEN)
    opened_at: Mapped[datetime]
    opened_by_code: Mapped[Code]
    opened_by_name: Mapped[str] = mapped_column(String(120))
    opening_float_cents: Mapped[Cents]
    closed_at: Mapped[Optional[datetime]]
    closed_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    closed_by_name: Mapped[Optional[str]] = mapped_column(String(120))
    forced: Mapped[bool] = mapped_column(default=False)
    ticket_count: Mapped[int] = mapped_column(default=0)
    sales_total_cents: Mapped[Cents]
    withdrawal_cents: Mapped[Cents]
    grand_total_cents: Mapped[Cents]
    export_batch_id: Mapped[Optional[str]] = mapped_column(
        String(36), ForeignKey("export_batch.id"), index=True
    )
    exported_at: Mapped[Optional[datetime]]

    # Loaded on demand: the register state reads days on every screen and needs no lines.
    closing_lines: Mapped[list["ClosingLine"]] = relationship(order_by="ClosingLine.method_code")

    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_register_day_number"),
        # One open day on the box at most: two managers tapping Ouvrir at once get one day.
        Index(
            "uq_register_day_one_open",
            "state",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )


class ClosingLine(Base):
    """Per payment method at closing: what was expected, what was counted, and why they differ."""

    __tablename__ = "closing_line"
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), primary_key=True)
    method_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    method_name: Mapped[str] = mapped_column(String(60), default="")
    opening_cents: Mapped[Cents]
    payments_cents: Mapped[Cents]
    cash_in_cents: Mapped[Cents]
    cash_out_cents: Mapped[Cents]
    expected_cents: Mapped[Cents]
    counted_cents: Mapped[Optional[int]]
    difference_cents: Mapped[Optional[int]]
    difference_reason: Mapped[Optional[str]] = mapped_column(String(400))
    # Taken out at closing (a « Retrait à la clôture de la journée » document) and what stays
    # in the drawer for the next opening; None on days closed before they were kept per method.
    withdrawal_cents: Mapped[Optional[int]]
    remaining_cents: Mapped[Optional[int]]


class OpeningLine(Base):
    """Per payment method at opening: the balance the day starts with (the cash float, what
    the last closing left of the others), what the opening count found, and the difference —
    recorded apart, never added to the float (docs/closing.md, « Counting at opening »)."""

    __tablename__ = "opening_line"
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), primary_key=True)
    method_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    method_name: Mapped[str] = mapped_column(String(60), default="")
    float_cents: Mapped[Cents]
    counted_cents: Mapped[Optional[int]]
    difference_cents: Mapped[Optional[int]]
    difference_reason: Mapped[Optional[str]] = mapped_column(String(400))


class SellerSession(Base):
    """A seller connected to the open register (Connecter … Déconnecter)."""

    __tablename__ = "seller_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), index=True)
    staff_code: Mapped[Code]
    staff_name: Mapped[str] = mapped_column(String(120))
    connected_at: Mapped[datetime]
    disconnected_at: Mapped[Optional[datetime]]
    forced_by_code: Mapped[Optional[str]] = mapped_column(String(32))


class Sequence(Base):
    """Per-register counters, taken inside the transaction that writes the document, so
    numbers have no gaps (a rolled-back sale gives its number back)."""

    __tablename__ = "sequence"
    register_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(16), primary_key=True)  # day | ticket | cash
    last_value: Mapped[int] = mapped_column(default=0)
