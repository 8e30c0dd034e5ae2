"""Writing to the journal. Refusals are journaled in their own transaction, because the
work they refused is rolled back."""
import json

from app.database import raw_cursor, sql_time
from app.models import utcnow

# Plain SQL: every sale, connection and refusal writes one, and the journal is only ever
# appended to (the columns are app.models.JournalEntry's).
_INSERT = ("INSERT INTO journal_entry (at, action, outcome, actor_code, actor_name, register_code,"
           " subject_uuid, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def record(session, action: str, *, outcome: str = "ok", actor=None, register_code=None,
           subject_uuid=None, reason=None, **details) -> None:
    """One line in the journal, written at once in the caller's transaction (a plain INSERT:
    the journal is only ever appended to, and every sale writes one)."""
    raw_cursor(session).execute(_INSERT, (
        sql_time(utcnow()), action, outcome,
        getattr(actor, "code", actor if isinstance(actor, str) else None), getattr(actor, "name", None),
        register_code, subject_uuid, str(reason) if reason is not None else None,
        json.dumps(details, ensure_ascii=False, sort_keys=True, default=str) if details else None))


def refuse(session, error, action: str, *, actor=None, register_code=None, **details):
    """Roll back the refused work, journal why (in French, the journal's language), raise."""
    session.rollback()
    record(session, action, outcome="refused", actor=actor, register_code=register_code,
           reason=_untranslated(error), **details)
    session.commit()
    raise error


def _untranslated(error) -> str:
    # The journal keeps the source (French) wording whatever the screen's language.
    message = getattr(error.message, "_args", None)
    text = message[0] if message else str(error.message)
    return text % error.params if error.params else text
