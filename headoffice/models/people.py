"""The people who sign in to head office's screens, and the log of every change they make.

Not the shop's staff (models/staff.py): those sign in on the registers, with the codes head
office sends them. These sign in here, with a role (headoffice/roles.py)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base, UtcDateTime


class HeadofficeUser(Base):
    __tablename__ = "headoffice_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Sessions opened before this moment are refused: a new password or a new role signs the
    # person out everywhere.
    sessions_valid_from: Mapped[datetime] = mapped_column(UtcDateTime())
    # Wrong passwords in a row, and the moment the account opens again after too many.
    failed_signins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """One change made through head office's screens or console: who, when, what, the values
    before and after (canonical JSON, {} when the thing did not exist or no longer does)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("headoffice_user.id"))
    # Kept as text too: the log still says who when a user is renamed, and the console has no user.
    who: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")
