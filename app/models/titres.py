"""Titres-service (docs/selling.md, « Titre-service »): the issuers' numbering schemes and the
numbers head office knows were already used — reference data, replaced whole at each import.
What this box used itself is read from its own payments (reference + titre_service_issuer)."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code


class TitreServiceIssuer(Base):
    __tablename__ = "titre_service_issuer"
    code: Mapped[Code] = mapped_column(primary_key=True)
    method_code: Mapped[Code]
    name: Mapped[str] = mapped_column(String(100))
    # How a number of this issuer is written: literal digits (the issuer's mark), A (year
    # digits, 2 or 4 in a row), N (any digit), C (a Luhn check digit, last); docs/headoffice.md.
    mask: Mapped[str] = mapped_column(String(32))
    # Days after the year's 31 December during which a voucher of that year is still accepted.
    grace_days: Mapped[int] = mapped_column(default=0)


class TitreServiceUsed(Base):
    """A number head office received in another export (any register of the shop)."""

    __tablename__ = "titre_service_used"
    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    issuer_code: Mapped[Code]
    register_code: Mapped[Optional[str]] = mapped_column(String(32))
    used_at: Mapped[Optional[datetime]]
    valid_until: Mapped[date]
