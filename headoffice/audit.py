"""The log of every change made at head office: who, when, what, before and after.

Written in the change's own transaction (a refused or failed change leaves no line), read
on the « Journal des modifications » screen. Values are kept as canonical JSON of the fields
that matter to a person; secrets (password hashes, tokens) are never written, only that
they changed."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from headoffice.canonical import canonical_json
from headoffice.models import AuditEntry
from headoffice.timeutil import utcnow

PAGE = 50


@dataclass(frozen=True)
class Actor:
    """Who changes something: a signed-in user with their role, or the console (user_id
    None: whoever runs it already holds the server)."""

    user_id: int | None
    login: str
    role: str


CONSOLE = Actor(None, "console", "administrator")


def record_change(
    session: Session,
    actor: Actor,
    action: str,
    subject: str,
    *,
    before: dict | None = None,
    after: dict | None = None,
    shop_id: int | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id,
            who=actor.login,
            shop_id=shop_id,
            action=action,
            subject=subject[:200],
            before=canonical_json(before or {}),
            after=canonical_json(after or {}),
        )
    )


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime
    who: str
    action: str
    subject: str
    before: dict
    after: dict

    @property
    def fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) of every field either side holds, in name order."""
        names = sorted(set(self.before) | set(self.after))
        return [(name, self.before.get(name), self.after.get(name)) for name in names]


def list_changes(session: Session, *, who: str = "", before_id: int | None = None) -> list[Change]:
    """Newest first, PAGE at a time (before_id: the last id of the previous page)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(PAGE)
    if who:
        query = query.where(AuditEntry.who == who)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [
        Change(
            row.id, row.at, row.who, row.action, row.subject, json.loads(row.before), json.loads(row.after)
        )
        for row in session.scalars(query)
    ]
