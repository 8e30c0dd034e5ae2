"""People who work at the registers, with the rights head office gives them."""

from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from headoffice.models.base import Base


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("shop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # Werkzeug's format, sent as is: the box checks passwords offline with the same library.
    password_hash: Mapped[str] = mapped_column(String(255))
    # A disabled person is left out of snapshots: the next import removes them from the box.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    rights: Mapped[list["StaffRight"]] = relationship(
        cascade="all, delete-orphan", order_by="StaffRight.right"
    )

    @property
    def right_names(self) -> list[str]:
        return [row.right for row in self.rights]


class StaffRight(Base):
    """One row per right, so "who may import" is a plain join."""

    __tablename__ = "staff_right"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    right: Mapped[str] = mapped_column(String(32), primary_key=True)
