"""The version of each register's last snapshot, and what it was built from (snapshot.py)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from headoffice.models.base import Base


class SnapshotVersion(Base):
    """`content_key` hashes the snapshot's small part with the catalogue version: while it
    is the same, `version` is still the snapshot's, and a 304 needs no product read."""

    __tablename__ = "snapshot_version"

    register_id: Mapped[int] = mapped_column(ForeignKey("register.id", ondelete="CASCADE"), primary_key=True)
    content_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
