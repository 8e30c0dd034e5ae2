"""The shop's staff, as head office sends them to the registers: creating a person, changing
the code they type at the register, their rights, disabling them (left out of the next
snapshot, so the next import removes them from the box)."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from headoffice.admin import MIN_PASSWORD_LENGTH
from headoffice.audit import Actor
from headoffice.manage import by_code, changed, code_of, name_of, writing
from headoffice.models import Staff, StaffRight
from headoffice.refusals import Refused
from headoffice.rights import ALL_RIGHTS
from headoffice.roles import Can, require


@dataclass(frozen=True)
class Person:
    code: str
    name: str
    rights: tuple[str, ...]
    active: bool


def list_staff(session: Session, shop_id: int) -> list[Person]:
    rows = session.scalars(select(Staff).where(Staff.shop_id == shop_id).order_by(Staff.code))
    return [Person(row.code, row.name, tuple(row.right_names), row.active) for row in rows]


def get_person(session: Session, shop_id: int, code: str) -> Person:
    row = _staff(session, shop_id, code)
    return Person(row.code, row.name, tuple(row.right_names), row.active)


def _staff(session: Session, shop_id: int, code: str) -> Staff:
    return by_code(session, Staff, shop_id, code, _("Personne inconnue : %(code)s.", code=code))


def _rights(rights: list[str]) -> list[str]:
    unknown = sorted(set(rights) - set(ALL_RIGHTS))
    if unknown:
        raise Refused(_("Droit(s) inconnu(s) : %(names)s.", names=", ".join(unknown)))
    return [right for right in ALL_RIGHTS if right in rights]  # the contract's order, no repeats


def _secret(code: str) -> str:
    if len(code or "") < MIN_PASSWORD_LENGTH:
        raise Refused(_("Le code compte au moins %(n)d caractères.", n=MIN_PASSWORD_LENGTH))
    if len(code) > 128 or any(ch.isspace() for ch in code):
        raise Refused(_("Le code compte au plus 128 caractères, sans espace."))
    return generate_password_hash(code, method=current_app.config.get("STAFF_PASSWORD_METHOD", "scrypt"))


def create_person(
    session: Session, actor: Actor, shop_id: int, code: str, name: str, secret: str, rights: list[str]
) -> None:
    require(actor, Can.MANAGE)
    code, name, rights = code_of(code), name_of(name), _rights(rights)
    hashed = _secret(secret)  # before the transaction: scrypt takes a while
    with writing(session):
        if session.scalar(select(Staff.id).where(Staff.shop_id == shop_id, Staff.code == code)):
            raise Refused(_("La personne %(code)s existe déjà.", code=code))
        session.add(
            Staff(
                shop_id=shop_id,
                code=code,
                name=name,
                password_hash=hashed,
                active=True,
                rights=[StaffRight(right=right) for right in rights],
            )
        )
        changed(
            session,
            actor,
            shop_id,
            "staff_created",
            f"staff:{code}",
            None,
            {"code": code, "name": name, "rights": rights, "active": True},
        )


def change_code(session: Session, actor: Actor, shop_id: int, code: str, secret: str) -> None:
    """The code the person types at the register (their password there)."""
    require(actor, Can.MANAGE)
    hashed = _secret(secret)
    with writing(session):
        row = _staff(session, shop_id, code)
        row.password_hash = hashed
        changed(session, actor, shop_id, "staff_code_changed", f"staff:{code}", None, {"code": "changed"})


def change_rights(session: Session, actor: Actor, shop_id: int, code: str, rights: list[str]) -> None:
    require(actor, Can.MANAGE)
    rights = _rights(rights)
    with writing(session):
        row = _staff(session, shop_id, code)
        before = row.right_names
        if before == rights:
            return
        # Rows kept as they are, only the difference written: (staff, right) is the key.
        row.rights = [kept for kept in row.rights if kept.right in rights] + [
            StaffRight(right=right) for right in rights if right not in before
        ]
        session.flush()
        changed(
            session,
            actor,
            shop_id,
            "staff_rights_changed",
            f"staff:{code}",
            {"rights": before},
            {"rights": rights},
        )


def set_active(session: Session, actor: Actor, shop_id: int, code: str, active: bool) -> None:
    require(actor, Can.MANAGE)
    with writing(session):
        row = _staff(session, shop_id, code)
        if row.active == active:
            return
        row.active = active
        action = "staff_enabled" if active else "staff_disabled"
        changed(session, actor, shop_id, action, f"staff:{code}", {"active": not active}, {"active": active})
