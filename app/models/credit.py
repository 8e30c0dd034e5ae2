"""The shop's credit notes (avoirs) as head office last knew them.

Replaced at each import. What the box itself issued or spent since is not stored here twice:
it is read from the payments (see app/services/selling/credit_notes.py)."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Cents


class CreditNote(Base):
    __tablename__ = "credit_note"
    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    # Head office's balance, minus what this box spent (and plus what it issued) in exports
    # head office had not received yet when the snapshot was taken.
    balance_cents: Mapped[int]
    issued_cents: Mapped[Cents]
    issued_at: Mapped[Optional[datetime]]
    expires_on: Mapped[date]
    register_code: Mapped[Optional[str]] = mapped_column(String(32))
    # Payments with a larger id were made after the import: they are counted on top.
    after_payment_id: Mapped[int] = mapped_column(default=0)
