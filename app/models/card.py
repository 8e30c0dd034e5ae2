"""The documents of the Liste des transactions (docs/card-transactions.md): a cancelled card
payment or refund, and a Remboursement manuel. The card payments and refunds themselves are
the tickets' payments in a card method (PaymentMethod.is_card): the list reads them there,
so Valider writes nothing more. Each document has a UUID and a per-register number, and is
written once."""

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import UUID, Base, Cents, Code


class CardTransaction(Base):
    __tablename__ = "card_transaction"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    day_id: Mapped[int] = mapped_column(ForeignKey("register_day.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))  # a CardTransactionStatus
    method_code: Mapped[Code]
    method_name: Mapped[str] = mapped_column(String(60))
    amount_cents: Mapped[Cents]  # always positive: the status says which way it goes
    # A cancellation: the payment (Payment.uuid) or manual refund (CardTransaction.uuid) it
    # cancels. Unique: a transaction is cancelled once, whatever two taps or two tablets do.
    cancels_uuid: Mapped[Optional[str]] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(index=True)
    created_by_code: Mapped[Code]
    created_by_name: Mapped[str] = mapped_column(String(120))
    __table_args__ = (
        UniqueConstraint("register_code", "number", name="uq_card_transaction_number"),
        Index("uq_card_transaction_cancels", "cancels_uuid", unique=True),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint(
            "status in ('payment', 'payment_cancel', 'refund', 'refund_cancel')", name="status_known"
        ),
    )
