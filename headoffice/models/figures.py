"""The figures of each received day, counted once when its batch is stored (day_figures.py):
the shop summary adds them up instead of reading every ticket of every batch again."""

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base

# Sums the summary adds up, in this order (counts of documents and lines, amounts in cents).
FIGURES = (
    "sale_count",
    "sales_cents",
    "list_price_cents",
    "items_sold",
    "return_count",
    "returns_cents",
    "items_returned",
    "credit_note_count",
    "credit_note_cents",
    "cash_in_count",
    "cash_in_cents",
    "cash_out_count",
    "cash_out_cents",
)


class DayFigures(Base):
    __tablename__ = "day_figures"
    __table_args__ = (Index("ix_day_figures_shop_date", "shop_id", "business_date", "register_code"),)

    received_day_id: Mapped[int] = mapped_column(
        ForeignKey("received_day.id", ondelete="CASCADE"), primary_key=True
    )
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    register_code: Mapped[str] = mapped_column(String(32))
    # The date the day was opened, in the shop's time zone: a day opened on the 3rd and
    # closed after midnight counts for the 3rd, as its Z does.
    business_date: Mapped[date] = mapped_column(Date)
    sale_count: Mapped[int] = mapped_column(default=0)
    sales_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    list_price_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    items_sold: Mapped[int] = mapped_column(default=0)
    return_count: Mapped[int] = mapped_column(default=0)
    returns_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    items_returned: Mapped[int] = mapped_column(default=0)
    credit_note_count: Mapped[int] = mapped_column(default=0)
    credit_note_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    cash_in_count: Mapped[int] = mapped_column(default=0)
    cash_in_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    cash_out_count: Mapped[int] = mapped_column(default=0)
    cash_out_cents: Mapped[int] = mapped_column(BigInteger, default=0)
