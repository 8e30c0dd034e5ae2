"""Changing what the registers import, from head office's screens: staff, registers and their
settings, box tokens, VAT rates, categories, payment methods, products and barcodes.

Every service takes plain values (the shop's id, the actor), checks everything before it
writes, and then in ONE transaction: changes the rows, writes the audit line (before/after)
and, when the registers import the thing, moves the shop's catalogue version. A refusal
raises headoffice.refusals.Refused with a sentence for the person; nothing is written."""

from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from headoffice.admin import CODE_PATTERN
from headoffice.audit import Actor, record_change
from headoffice.catalog_version import bump_catalog_version
from headoffice.database import begin_write
from headoffice.refusals import NotFound, Refused


@contextmanager
def writing(session: Session):
    """One write transaction (BEGIN IMMEDIATE on SQLite): committed whole or not at all."""
    begin_write(session)
    try:
        yield
        session.commit()
    except IntegrityError:
        # A concurrent change took the same code or barcode between our check and our write.
        session.rollback()
        raise Refused(_("Un autre changement est passé entre-temps ; rien n'a été modifié, réessayez."), 409)
    except BaseException:
        session.rollback()
        raise


def changed(
    session: Session,
    actor: Actor,
    shop_id: int,
    action: str,
    subject: str,
    before: dict | None,
    after: dict | None,
    *,
    imported: bool = True,
) -> None:
    """The audit line of a change and, for what the registers import, the catalogue version."""
    record_change(session, actor, action, subject, before=before, after=after, shop_id=shop_id)
    if imported:
        bump_catalog_version(session, shop_id)


def by_code(session: Session, model, shop_id: int, code: str, missing: str):
    row = session.scalar(select(model).where(model.shop_id == shop_id, model.code == code))
    if row is None:
        raise NotFound(missing)
    return row


def name_of(text: str) -> str:
    if not (text or "").strip():
        raise Refused(_("Le nom ne doit pas être vide."))
    if len(text.strip()) > 200:
        raise Refused(_("Le nom compte au plus 200 caractères."))
    return text.strip()


def code_of(text: str) -> str:
    text = (text or "").strip()
    if not CODE_PATTERN.match(text):
        raise Refused(_("Un code compte 1 à 32 lettres, chiffres, « . », « _ » ou « - »."))
    return text
