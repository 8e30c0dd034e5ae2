"""The box's signing key at provisioning (`flask --app wsgi integrity key`): created once,
never replaced, its public half kept in signing_key (source 'box') so the database says which
key signed what, and its creation journaled (a key change is an event: docs/integrity.md)."""

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.integrity.keys import BoxKey, box_key, create_key, key_path
from app.models import SigningKey, utcnow
from app.services.journal import record


def ensure_box_key(session: Session) -> tuple[bool, BoxKey]:
    """(whether it was made now, the key). The file is what matters: a database not yet
    migrated only misses the row and the journal line, which the next run writes."""
    made = create_key(key_path())
    key = box_key()
    try:
        if session.get(SigningKey, key.key_id) is None:
            session.add(
                SigningKey(key_id=key.key_id, public_pem=key.public_pem, source="box", created_at=utcnow())
            )
            record(session, "signing_key_created", key_id=key.key_id, source="cli")
        session.commit()
    except SQLAlchemyError:
        session.rollback()
    return made, key
