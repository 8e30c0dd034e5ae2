"""Cashier sessions (« sessions de caisse », docs/cashier-sessions.md): with the shop's
setting on, each employee has their own float and session on the register, numbered without
gaps per register; the lines say, per payment method, what the session was closed with."""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.states import CashierSessionStatus

from .base import UUID, Base, Cents, Code


class CashierSession(Base):
    __tablename__ = "cashier_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    number: Mapped[int]
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), index=True)
    staff_code: Mapped[Code]
    staff_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(8), default=CashierSessionStatus.OPEN)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    opened_at: Mapped[datetime]
    # « Solde initial »: what the cashier's last session on this register left them in cash.
    initial_cents: Mapped[Cents]
    # « Dépôt »: put in the drawer at opening (its RC « Dépôt à l'ouverture du jour »).
    deposit_cents: Mapped[Cents]
    closed_at: Mapped[Optional[datetime]]
    closed_by_code: Mapped[Optional[str]] = mapped_column(String(32))
    closed_by_name: Mapped[Optional[str]] = mapped_column(String(120))

    lines: Mapped[list["CashierSessionLine"]] = relationship(
        order_by="CashierSessionLine.method_code", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_cashier_session_number"),
        CheckConstraint("status in ('open', 'closed')", name="status_known"),
        # One open session per cashier on a register: a double tap on Valider opens one.
        Index(
            "uq_cashier_session_one_open",
            "register_code",
            "staff_code",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )


class CashierSessionLine(Base):
    """Per payment method at « Saisir la recette »: the manual's columns."""

    __tablename__ = "cashier_session_line"
    session_id: Mapped[int] = mapped_column(ForeignKey("cashier_session.id"), primary_key=True)
    method_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    method_name: Mapped[str] = mapped_column(String(60), default="")
    initial_cents: Mapped[Cents]  # Solde initial (0 for every method but cash)
    payments_cents: Mapped[Cents]  # Montants des paiements
    final_cents: Mapped[Cents]  # Solde final = initial + payments
    real_cents: Mapped[Cents]  # Fonds de caisse réel, typed or counted
    withdrawal_cents: Mapped[Cents]  # Retrait
    remaining_cents: Mapped[Cents]  # Restant = real − withdrawal: the next session starts with it
