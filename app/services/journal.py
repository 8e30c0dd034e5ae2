"""Writing to the journal. Refusals are journaled in their own transaction, because the
work they refused is rolled back."""

from typing import NoReturn

from sqlalchemy.orm import Session

from app.models.journal import record  # noqa: F401 — the writer lives beside its table


def refuse(session: Session, error, action: str, *, actor=None, register_code=None, **details) -> NoReturn:
    """Roll back the refused work, journal why (in French, the journal's language), raise."""
    session.rollback()
    record(
        session,
        action,
        outcome="refused",
        actor=actor,
        register_code=register_code,
        reason=_untranslated(error),
        **details,
    )
    session.commit()
    raise error


def _untranslated(error) -> str:
    # The journal keeps the source (French) wording whatever the screen's language.
    message = getattr(error.message, "_args", None)
    text = message[0] if message else str(error.message)
    return text % error.params if error.params else text
