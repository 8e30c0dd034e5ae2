"""Each time a register reached head office (a snapshot asked for, a batch sent) and how it
went: the registers dashboard reads its last import and export, its refused batches and the
periods it was not heard from."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class RegisterContact(Base):
    __tablename__ = "register_contact"
    __table_args__ = (Index("ix_register_contact_register_at", "register_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(8))  # ContactKind
    status: Mapped[int]  # the HTTP status head office answered
    error: Mapped[str] = mapped_column(String(40), default="")  # the contract's error code
    batch_id: Mapped[str | None] = mapped_column(String(36))
