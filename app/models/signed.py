"""The signed chains (docs/integrity.md): one row per signed record, where a chain continues
from when this box did not sign its beginning, and the keys it may be checked with.

A signed record is never changed and never deleted (migration 0006's triggers refuse it),
except records an archive already holds, which a purge may remove."""

from datetime import datetime
from typing import Optional

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Cents, Code


class SignedRecord(Base):
    __tablename__ = "signed_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    register_code: Mapped[Code]
    chain: Mapped[str] = mapped_column(String(10))  # nf525.CHAINS
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    subject_uuid: Mapped[Optional[str]] = mapped_column(String(36))
    # nf525.moment's spelling, as signed: compared as text (the clock check) and never re-read.
    at: Mapped[str] = mapped_column(String(27))
    key_id: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)  # the exact signed text (nf525.canonical)
    signature: Mapped[str] = mapped_column(String(120))
    previous: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (
        UniqueConstraint("register_code", "chain", "number", name="uq_signed_record_number"),
        Index("ix_signed_record_subject", "subject_uuid"),
    )


class ChainStart(Base):
    """Where a register's chain continues from on this box: head office's last acknowledged
    record (a replacement box) or the last archived record (after a purge)."""

    __tablename__ = "chain_start"
    register_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    chain: Mapped[str] = mapped_column(String(10), primary_key=True)
    number: Mapped[int]
    signature: Mapped[str] = mapped_column(String(120))
    perpetual_cents: Mapped[Cents]
    perpetual_abs_cents: Mapped[Cents]
    source: Mapped[str] = mapped_column(String(12))  # headoffice | archive
    at: Mapped[datetime]


class SigningKey(Base):
    """Public keys of this register: the box's own, and those head office registered (a box
    replaced keeps its predecessor's key here, to check the records it signed)."""

    __tablename__ = "signing_key"
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_pem: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(12))  # box | headoffice
    created_at: Mapped[datetime]
