"""The shop's credit notes (avoirs), as head office learns them from received exports."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class CreditNote(Base):
    """One row per code and shop, whichever register issued or spent it.

    Amounts are running sums (balance = issued - spent) so that receiving a batch is an
    additive upsert: two registers' batches touching the same code never overwrite each
    other, in whatever order they arrive.
    """

    __tablename__ = "credit_note"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    # EAN-13 starting with 99, printed on the return receipt.
    code: Mapped[str] = mapped_column(String(13))
    issued_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    spent_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # NULL until the issuing return is received: a spend from another register may come first.
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_on: Mapped[date | None] = mapped_column(Date)
    register_code: Mapped[str | None] = mapped_column(String(32))
    ticket_uuid: Mapped[str | None] = mapped_column(String(36))
