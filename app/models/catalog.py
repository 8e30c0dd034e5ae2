"""What can be sold and how it can be paid — reference data, replaced whole at each import.
Documents copy what they need (code, label, price, rate) instead of pointing here, so a
re-import never changes a finished ticket."""

from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Cents, Code


class VatRate(Base):
    __tablename__ = "vat_rate"
    code: Mapped[Code] = mapped_column(primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer)  # basis points: 2000 = 20 %
    label: Mapped[str] = mapped_column(String(60))


class PaymentMethod(Base):
    __tablename__ = "payment_method"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    gives_change: Mapped[bool] = mapped_column(default=False)
    counted_in_drawer: Mapped[bool] = mapped_column(default=False)
    goes_to_safe: Mapped[bool] = mapped_column(default=False)
    counted_as_items: Mapped[bool] = mapped_column(default=False)
    # The shop's own credit note (avoir): a refund issues one, a sale spends from one.
    store_credit: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A titre-service: paid with one number per voucher, read with its issuer's numbering
    # scheme (titre_service_issuer); never gives change, never refunds (docs/selling.md).
    is_titre_service: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A card (carte bancaire): its payments and refunds are the Liste des transactions.
    is_card: Mapped[bool] = mapped_column(default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0)


class Category(Base):
    __tablename__ = "category"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    parent_code: Mapped[Optional[str]] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    color: Mapped[str] = mapped_column(String(16), default="")


class Product(Base):
    __tablename__ = "product"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    category_code: Mapped[str] = mapped_column(String(32), ForeignKey("category.code"), index=True)
    vat_code: Mapped[str] = mapped_column(String(32), ForeignKey("vat_rate.code"))
    price_cents: Mapped[Cents]
    unit: Mapped[str] = mapped_column(String(8), default="unit")
    active: Mapped[bool] = mapped_column(default=True)
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_positive"),
        CheckConstraint("unit in ('unit', 'kg')", name="unit_known"),
    )


class Barcode(Base):
    __tablename__ = "barcode"
    code: Mapped[str] = mapped_column(String(14), primary_key=True)
    product_code: Mapped[str] = mapped_column(
        String(32), ForeignKey("product.code", ondelete="CASCADE"), index=True
    )


class Denomination(Base):
    __tablename__ = "denomination"
    value_cents: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # coin | note
