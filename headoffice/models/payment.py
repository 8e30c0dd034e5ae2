"""How customers pay, and the coins and notes a drawer holds."""

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base


class PaymentMethod(Base):
    __tablename__ = "payment_method"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    # These flags drive the box's closing: what it counts, and how.
    gives_change: Mapped[bool] = mapped_column(default=False)
    counted_in_drawer: Mapped[bool] = mapped_column(default=False)
    goes_to_safe: Mapped[bool] = mapped_column(default=False)
    counted_as_items: Mapped[bool] = mapped_column(default=False)
    # The shop's own credit note (avoir): refunds in it issue one, sales paid with it spend
    # from one; head office keeps their balances (models/credit.py) for every register.
    store_credit: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A titre-service: one numbered voucher per payment, read with the numbering scheme of
    # one of its issuers (models/titres.py); never gives change, never refunds.
    is_titre_service: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A card (carte bancaire): the box lists its payments and refunds in the Liste des
    # transactions, where they may be cancelled the same day (contract 1.5.0).
    is_card: Mapped[bool] = mapped_column(default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0)


class Denomination(Base):
    """Coins and notes of a currency; shared by every shop that uses it."""

    __tablename__ = "denomination"
    __table_args__ = (UniqueConstraint("currency", "value_cents"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    value_cents: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))  # "coin" or "note"
