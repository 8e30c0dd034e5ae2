"""VAT rates and categories of a shop's catalogue."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from headoffice.audit import Actor
from headoffice.manage import by_code, changed, code_of, name_of, writing
from headoffice.models import Category, VatRate
from headoffice.refusals import Refused
from headoffice.roles import Can, require

COLOR = re.compile(r"^(#[0-9A-Fa-f]{6})?$")


@dataclass(frozen=True)
class Vat:
    code: str
    rate_bp: int
    label: str


@dataclass(frozen=True)
class CategoryRow:
    code: str
    name: str
    parent_code: str | None
    position: int
    color: str


def list_vat_rates(session: Session, shop_id: int) -> list[Vat]:
    rows = session.scalars(select(VatRate).where(VatRate.shop_id == shop_id).order_by(VatRate.code))
    return [Vat(row.code, row.rate_bp, row.label) for row in rows]


def _check_vat(rate_bp: int, label: str) -> str:
    if not 0 <= rate_bp <= 10000:
        raise Refused(_("Un taux de TVA est compris entre 0 et 100 pour cent."))
    return name_of(label)


def create_vat_rate(
    session: Session, actor: Actor, shop_id: int, code: str, rate_bp: int, label: str
) -> None:
    require(actor, Can.MANAGE)
    code, label = code_of(code), _check_vat(rate_bp, label)
    with writing(session):
        if session.scalar(select(VatRate.id).where(VatRate.shop_id == shop_id, VatRate.code == code)):
            raise Refused(_("Le taux %(code)s existe déjà.", code=code))
        session.add(VatRate(shop_id=shop_id, code=code, rate_bp=rate_bp, label=label))
        after = {"code": code, "rate_bp": rate_bp, "label": label}
        changed(session, actor, shop_id, "vat_rate_created", f"vat:{code}", None, after)


def change_vat_rate(
    session: Session, actor: Actor, shop_id: int, code: str, rate_bp: int, label: str
) -> None:
    require(actor, Can.MANAGE)
    label = _check_vat(rate_bp, label)
    with writing(session):
        row = by_code(session, VatRate, shop_id, code, _("Taux de TVA inconnu : %(code)s.", code=code))
        before = {"rate_bp": row.rate_bp, "label": row.label}
        after = {"rate_bp": rate_bp, "label": label}
        if before == after:
            return
        row.rate_bp, row.label = rate_bp, label
        changed(session, actor, shop_id, "vat_rate_changed", f"vat:{code}", before, after)


def list_categories(session: Session, shop_id: int) -> list[CategoryRow]:
    codes = dict(session.execute(select(Category.id, Category.code).where(Category.shop_id == shop_id)).all())
    rows = session.scalars(
        select(Category).where(Category.shop_id == shop_id).order_by(Category.position, Category.code)
    )
    return [CategoryRow(r.code, r.name, codes.get(r.parent_id), r.position, r.color) for r in rows]


def _check_category(session: Session, shop_id, code, name, parent_code, position, color):
    name = name_of(name)
    if not -1_000_000 <= position <= 1_000_000:
        raise Refused(_("La position est un nombre entier entre -1 000 000 et 1 000 000."))
    if not COLOR.match(color or ""):
        raise Refused(_("La couleur s'écrit #RRGGBB (par exemple #3366CC), ou reste vide."))
    parent_id = None
    if parent_code:
        if parent_code == code:
            raise Refused(_("Une catégorie ne peut pas être sa propre parente."))
        parent = by_code(
            session,
            Category,
            shop_id,
            parent_code,
            _("Catégorie parente inconnue : %(code)s.", code=parent_code),
        )
        ancestor = parent
        while ancestor.parent_id is not None:  # no loop: the registers draw the tree
            ancestor = session.get(Category, ancestor.parent_id)
            if ancestor.code == code:
                raise Refused(_("Cette parente ferait une boucle dans l'arbre des catégories."))
        parent_id = parent.id
    return name, parent_id, color or ""


def create_category(
    session: Session, actor: Actor, shop_id: int, code, name, parent_code, position, color
) -> None:
    require(actor, Can.MANAGE)
    code = code_of(code)
    with writing(session):
        name, parent_id, color = _check_category(session, shop_id, code, name, parent_code, position, color)
        if session.scalar(select(Category.id).where(Category.shop_id == shop_id, Category.code == code)):
            raise Refused(_("La catégorie %(code)s existe déjà.", code=code))
        session.add(
            Category(
                shop_id=shop_id, code=code, name=name, parent_id=parent_id, position=position, color=color
            )
        )
        after = {"name": name, "parent": parent_code or None, "position": position, "color": color}
        changed(session, actor, shop_id, "category_created", f"category:{code}", None, after)


def change_category(
    session: Session, actor: Actor, shop_id: int, code, name, parent_code, position, color
) -> None:
    require(actor, Can.MANAGE)
    with writing(session):
        row = by_code(session, Category, shop_id, code, _("Catégorie inconnue : %(code)s.", code=code))
        name, parent_id, color = _check_category(session, shop_id, code, name, parent_code, position, color)
        old_parent = session.get(Category, row.parent_id).code if row.parent_id else None
        before = {"name": row.name, "parent": old_parent, "position": row.position, "color": row.color}
        after = {"name": name, "parent": parent_code or None, "position": position, "color": color}
        if before == after:
            return
        row.name, row.parent_id, row.position, row.color = name, parent_id, position, color
        changed(session, actor, shop_id, "category_changed", f"category:{code}", before, after)
