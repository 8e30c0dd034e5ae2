"""Box tokens of a shop: a new one is shown once (only its hash is kept), a revoked one is
deleted, so the next call of a box that still holds it is refused with 401."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from headoffice.admin import create_token
from headoffice.audit import Actor
from headoffice.manage import changed, writing
from headoffice.models import ApiToken, Shop
from headoffice.refusals import NotFound, Refused
from headoffice.roles import Can, require


@dataclass(frozen=True)
class TokenRow:
    id: int
    label: str
    created_at: datetime


def list_box_tokens(session: Session, shop_id: int) -> list[TokenRow]:
    rows = session.execute(
        select(ApiToken.id, ApiToken.label, ApiToken.created_at)
        .where(ApiToken.shop_id == shop_id, ApiToken.kind == "box")
        .order_by(ApiToken.id)
    )
    return [TokenRow(*row) for row in rows]


def create_box_token(session: Session, actor: Actor, shop_id: int, label: str) -> str:
    """The new token, to show once."""
    require(actor, Can.ADMINISTER)
    label = (label or "").strip()
    if not label or len(label) > 200:
        raise Refused(_("Donnez au jeton un nom (1 à 200 caractères), par exemple la caisse qui l'utilise."))
    with writing(session):
        shop_code = session.scalar(select(Shop.code).where(Shop.id == shop_id))
        token = create_token("box", shop_code=shop_code, label=label)
        changed(
            session,
            actor,
            shop_id,
            "box_token_created",
            f"token:{label}",
            None,
            {"label": label},
            imported=False,
        )
    return token


def revoke_box_token(session: Session, actor: Actor, shop_id: int, token_id: int) -> None:
    require(actor, Can.ADMINISTER)
    with writing(session):
        row = session.scalar(
            select(ApiToken).where(
                ApiToken.id == token_id, ApiToken.shop_id == shop_id, ApiToken.kind == "box"
            )
        )
        if row is None:
            raise NotFound(_("Jeton inconnu."))
        label = row.label
        session.delete(row)
        changed(
            session,
            actor,
            shop_id,
            "box_token_revoked",
            f"token:{label}",
            {"label": label},
            None,
            imported=False,
        )
