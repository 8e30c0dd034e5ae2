"""What the box knows of head office's hold on its chains (docs/integrity.md): the heads head
office acknowledged (the export answer's `heads`: records after them are sent again), and
the integrity alerts head office's refusals raise, shown until a batch is accepted again."""

from datetime import datetime
from typing import Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code


class ChainAck(Base):
    __tablename__ = "chain_ack"
    register_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    chain: Mapped[str] = mapped_column(String(10), primary_key=True)
    number: Mapped[int]
    signature: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime]
    batch_id: Mapped[Optional[str]] = mapped_column(String(36))


class IntegrityAlert(Base):
    __tablename__ = "integrity_alert"
    id: Mapped[int] = mapped_column(primary_key=True)
    register_code: Mapped[Code]
    reason: Mapped[str] = mapped_column(String(32))  # head office's code (docs/integrity.md)
    detail: Mapped[str] = mapped_column(String(400))  # head office's sentence, as sent
    batch_id: Mapped[Optional[str]] = mapped_column(String(36))
    raised_at: Mapped[datetime]
    cleared_at: Mapped[Optional[datetime]]
