"""Tickets (sales and returns), their lines, payments and VAT totals. A finished ticket is
written once: it gets its number, UUID and totals in one transaction and never changes."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.states import TicketKind, TicketStatus

from .base import UUID, Base, Cents, Code


class Ticket(Base):
    __tablename__ = "ticket"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"))
    number: Mapped[Optional[int]]  # given when finished
    kind: Mapped[str] = mapped_column(String(8), default=TicketKind.SALE)
    status: Mapped[str] = mapped_column(String(10), default=TicketStatus.OPEN)
    original_ticket_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ticket.id"))
    seller_code: Mapped[Code]
    seller_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    finished_at: Mapped[Optional[datetime]]
    discount_cents: Mapped[Cents]
    # A ticket discount given as a percentage follows the lines; an amount stays as typed.
    discount_percent_bp: Mapped[Optional[int]]
    discount_allowed_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    total_cents: Mapped[Cents]
    cancel_reason: Mapped[Optional[str]] = mapped_column(String(400))
    cancelled_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    # Training mode (docs/integrity.md, « Training mode »): set when the ticket is created, from
    # the box's switch, and never changed. A training ticket has its own numbers
    # (training_number; `number` stays empty), its own signed chain, and is in no total.
    training: Mapped[bool] = mapped_column(default=False, server_default=false())
    training_number: Mapped[Optional[int]]
    # The cashier's session the ticket was made in (docs/cashier-sessions.md); empty when the
    # shop works without sessions.
    cashier_session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cashier_session.id"), index=True)

    # Loaded when read: the scan path touches one ticket row and one line, never the rest;
    # lists of tickets (export, closing) ask for what they need with selectinload.
    original: Mapped[Optional["Ticket"]] = relationship(remote_side=[id])
    lines: Mapped[list["TicketLine"]] = relationship(
        order_by="TicketLine.position", cascade="all, delete-orphan"
    )
    payments: Mapped[list["Payment"]] = relationship(order_by="Payment.id", cascade="all, delete-orphan")
    taxes: Mapped[list["TicketTax"]] = relationship(
        order_by="TicketTax.rate_bp", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_ticket_number"),
        Index("ix_ticket_day_status", "day_id", "status", "training"),
        Index("uq_ticket_training_number", "register_code", "training_number", unique=True),
    )


class TicketLine(Base):
    __tablename__ = "ticket_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    product_code: Mapped[Code]
    barcode: Mapped[Optional[str]] = mapped_column(String(14))
    label: Mapped[str] = mapped_column(String(120))
    category_code: Mapped[Optional[str]] = mapped_column(String(32))
    quantity_milli: Mapped[int]  # 1 item = 1000; 0,250 kg = 250; negative on returns
    unit: Mapped[str] = mapped_column(String(8), default="unit", server_default="unit")
    unit_price_cents: Mapped[Cents]
    discount_cents: Mapped[Cents]
    discount_percent_bp: Mapped[Optional[int]]
    discount_allowed_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    vat_rate_bp: Mapped[int]
    total_cents: Mapped[Cents]
    original_line_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ticket_line.id"))


class Payment(Base):
    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    method_code: Mapped[Code]
    method_name: Mapped[str] = mapped_column(String(60))
    amount_cents: Mapped[Cents]
    tendered_cents: Mapped[Optional[int]]
    change_cents: Mapped[Optional[int]]
    reference: Mapped[Optional[str]] = mapped_column(String(80), index=True)
    # A refund that issues a credit note: its last valid day (the code is the reference).
    # A titre-service: the voucher's last valid day, read from its number.
    expires_on: Mapped[Optional[date]]
    # A titre-service: the issuer recognised from the number (the number is the reference).
    # Kept on the payment, not read from the method, so a later import changes no signed ticket.
    titre_service_issuer: Mapped[Optional[str]] = mapped_column(String(32))
    created_at: Mapped[datetime]


class TicketTax(Base):
    __tablename__ = "ticket_tax"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    rate_bp: Mapped[int] = mapped_column(primary_key=True)
    base_cents: Mapped[Cents]
    tax_cents: Mapped[Cents]
    total_cents: Mapped[Cents]
