"""What a shop sells: VAT rates, categories, products and their barcodes."""

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base


class VatRate(Base):
    __tablename__ = "vat_rate"
    __table_args__ = (
        UniqueConstraint("shop_id", "code"),
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    # Basis points: 2000 = 20 %, 550 = 5,5 %; integers keep tax arithmetic exact.
    rate_bp: Mapped[int]
    label: Mapped[str] = mapped_column(String(100))


class Category(Base):
    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    position: Mapped[int] = mapped_column(default=0)
    color: Mapped[str] = mapped_column(String(16), default="")


class Product(Base):
    __tablename__ = "product"
    __table_args__ = (
        UniqueConstraint("shop_id", "code"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint("unit IN ('unit', 'kg')", name="unit_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    vat_rate_id: Mapped[int] = mapped_column(ForeignKey("vat_rate.id"))
    # Price per unit, or per kilogram when unit is "kg".
    price_cents: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(8), default="unit")
    active: Mapped[bool] = mapped_column(default=True)


class Barcode(Base):
    __tablename__ = "barcode"
    # Unique per shop: a scan must find exactly one product at the till.
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(14))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
