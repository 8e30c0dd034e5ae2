"""What the registers sent: each batch once, as received, and an index of its days."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class ReceivedBatch(Base):
    __tablename__ = "received_batch"
    # Created the same way by init-db on a database made before paging (schema.py).
    __table_args__ = (Index("ix_received_batch_seq", "seq", unique=True),)

    # The box's UUID is the key: a second insert of the same batch fails at the database,
    # which is what makes concurrent identical PUTs store exactly one row.
    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), index=True)
    register_code: Mapped[str] = mapped_column(String(32), index=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    # Canonical JSON of the body: kept whole, because head office's tools pull it back.
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    day_count: Mapped[int]
    # The order batches were committed in (counters.EXPORT): the pull API's cursor. Given as
    # the last step of receiving, so a reader paging with it never skips a batch that
    # commits later with a smaller number. Empty only between an upgrade and init-db.
    seq: Mapped[int | None] = mapped_column(BigInteger)


class ReceivedDay(Base):
    __tablename__ = "received_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a day closed once must not be counted twice, even under another batch id.
    day_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    batch_id: Mapped[str] = mapped_column(
        ForeignKey("received_batch.batch_id", ondelete="CASCADE"), index=True
    )
    register_code: Mapped[str] = mapped_column(String(32))
    number: Mapped[int]
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ticket_count: Mapped[int]
    sales_total_cents: Mapped[int] = mapped_column(BigInteger)
