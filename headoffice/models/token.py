"""API tokens. Only a hash is kept: a stolen database does not hand out working tokens."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime
from headoffice.timeutil import utcnow

TOKEN_KINDS = ("box", "headoffice")


class ApiToken(Base):
    __tablename__ = "api_token"
    __table_args__ = (
        # A box token reaches exactly one shop; a head-office token reaches none directly.
        CheckConstraint(
            "(kind = 'box' AND shop_id IS NOT NULL) OR (kind = 'headoffice' AND shop_id IS NULL)",
            name="kind_shop",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
