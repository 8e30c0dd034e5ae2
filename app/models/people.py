"""Staff and their rights (reference data), and the box's own memory of failed logins."""

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Code


class Staff(Base):
    __tablename__ = "staff"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    rights: Mapped[list["StaffRight"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    def has_right(self, right: str) -> bool:
        return any(r.right == right for r in self.rights)


class StaffRight(Base):
    __tablename__ = "staff_right"
    staff_code: Mapped[str] = mapped_column(
        String(32), ForeignKey("staff.code", ondelete="CASCADE"), primary_key=True
    )
    right: Mapped[str] = mapped_column(String(32), primary_key=True)


class LoginFailure(Base):
    """Kept apart from Staff so that a re-import does not unlock anybody. `lockouts` counts
    the lock-outs since the person's last right code: each one lasts twice the one before
    (app/services/people.py), and a restart forgets none of it."""

    __tablename__ = "login_failure"
    staff_code: Mapped[Code] = mapped_column(primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[Optional[datetime]]
    lockouts: Mapped[int] = mapped_column(default=0)
