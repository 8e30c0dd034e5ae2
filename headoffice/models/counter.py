"""Named counters head office hands out in commit order (headoffice/counters.py)."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base


class Counter(Base):
    """One row per counter: "catalog" (the catalogue version), "export" (the receipt order
    of batches, the pull API's cursor)."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
