"""Titres-service: the issuers' numbering schemes, and the numbers received in exports."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class TitreServiceIssuer(Base):
    """Who issues a titre-service method's vouchers, and how their numbers read
    (headoffice/titres.py, docs/headoffice.md « Titres-service »). The code is unique in the
    shop: a number names one issuer whatever method it is taken with."""

    __tablename__ = "titre_service_issuer"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    method_id: Mapped[int] = mapped_column(ForeignKey("payment_method.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    mask: Mapped[str] = mapped_column(String(32))
    grace_days: Mapped[int] = mapped_column(default=0)


class TitreServiceUse(Base):
    """A voucher number some register took, once per shop. Listed in every snapshot of the
    shop until its last valid day, so another register refuses it; after that the number is
    refused as expired anyway, and the row stays as the record of the use."""

    __tablename__ = "titre_service_use"
    __table_args__ = (UniqueConstraint("shop_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    issuer_code: Mapped[str] = mapped_column(String(32))
    register_code: Mapped[str] = mapped_column(String(32))
    ticket_uuid: Mapped[str] = mapped_column(String(36))
    used_at: Mapped[datetime] = mapped_column(UtcDateTime())
    valid_until: Mapped[date] = mapped_column(Date, index=True)
