"""The shop's safe (coffre-fort), as head office learns it from received exports."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class SafeBalance(Base):
    """One row per shop and payment method, whichever register moved it: running sums, so
    receiving a batch is an additive upsert (two registers' batches never overwrite each
    other). The balance is deposits - withdrawals; every snapshot of the shop carries it."""

    __tablename__ = "safe_balance"
    __table_args__ = (UniqueConstraint("shop_id", "method_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    method_code: Mapped[str] = mapped_column(String(32))
    operation_count: Mapped[int] = mapped_column(default=0, server_default="0")
    deposits_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    withdrawals_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The time limit's clock (« limite de temps »): the last withdrawal, else the first deposit.
    last_withdrawal_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    first_deposit_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
