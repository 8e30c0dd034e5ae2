"""The archives this box made of its closed periods (docs/integrity.md, « Archives »): what a
purge may remove is what an archive already holds, chain by chain."""

import json
from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code


class Archive(Base):
    __tablename__ = "archive"
    id: Mapped[int] = mapped_column(primary_key=True)
    register_code: Mapped[Code]
    period_from: Mapped[date]
    period_to: Mapped[date]  # included
    created_at: Mapped[datetime]
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))  # of the ZIP
    key_id: Mapped[str] = mapped_column(String(16))
    ranges: Mapped[str] = mapped_column(Text)  # JSON: chain → [first number, last number]

    def chain_ranges(self) -> dict[str, tuple[int, int]]:
        return {chain: (first, last) for chain, (first, last) in json.loads(self.ranges).items()}
