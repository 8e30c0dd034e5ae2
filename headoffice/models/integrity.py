"""Head office as the anchor of each register's signed chains (docs/integrity.md): the
public keys it registered, every signed record it accepted, and what happened (a key
registered or changed, a batch refused, a flag cleared)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class RegisterKey(Base):
    """A register's public key, registered on first sight (trust on first use) or as a key
    change that continued the chains from head office's heads."""

    __tablename__ = "register_key"
    __table_args__ = (UniqueConstraint("register_id", "key_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(16))
    public_pem: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    batch_id: Mapped[str] = mapped_column(String(36))  # the batch that brought it


class ChainRecord(Base):
    """A signed record head office accepted, as the box signed it: never changed. The last
    number of each (register, chain) is the head a next batch must continue from."""

    __tablename__ = "chain_record"
    __table_args__ = (
        # Two batches racing to continue one head: the second fails here and is judged again.
        UniqueConstraint("register_id", "chain", "number"),
        Index("ix_chain_record_subject", "register_id", "subject_uuid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    chain: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    subject_uuid: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[str] = mapped_column(String(27))
    key_id: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(120))
    previous: Mapped[str] = mapped_column(String(120))
    batch_id: Mapped[str] = mapped_column(String(36))


class IntegrityEvent(Base):
    """key_registered | key_changed | batch_refused | flag_cleared, with the reason code of a
    refusal (docs/integrity.md lists them) and its sentence."""

    __tablename__ = "integrity_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(32), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[str | None] = mapped_column(String(36))
    key_id: Mapped[str | None] = mapped_column(String(16))
