"""A shop's registers and the settings head office pushes to them with every snapshot."""

import re
from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from headoffice.audit import Actor
from headoffice.manage import by_code, changed, code_of, name_of, writing
from headoffice.models import Register
from headoffice.refusals import Refused
from headoffice.roles import Can, require

MAX_TEXT = 2000


@dataclass(frozen=True)
class Settings:
    name: str
    max_float_cents: int
    counting_mandatory: bool
    blind_count: bool
    max_discount_percent: int
    receipt_header: str
    receipt_footer: str
    auto_close_time: str | None
    planned_import_time: str | None


def settings_of(row: Register) -> Settings:
    return Settings(**{name: getattr(row, name) for name in Settings.__dataclass_fields__})


def list_registers(session: Session, shop_id: int) -> list[tuple[str, Settings]]:
    rows = session.scalars(select(Register).where(Register.shop_id == shop_id).order_by(Register.code))
    return [(row.code, settings_of(row)) for row in rows]


def get_register(session: Session, shop_id: int, code: str) -> Settings:
    return settings_of(_register(session, shop_id, code))


def _register(session: Session, shop_id: int, code: str) -> Register:
    return by_code(session, Register, shop_id, code, _("Caisse inconnue : %(code)s.", code=code))


def check_settings(settings: Settings) -> Settings:
    name_of(settings.name)
    if settings.max_float_cents < 0:
        raise Refused(_("Le fonds de caisse maximum ne peut pas être négatif."))
    if not 0 <= settings.max_discount_percent <= 100:
        raise Refused(_("La remise maximum est un pourcentage entre 0 et 100."))
    for text in (settings.receipt_header, settings.receipt_footer):
        if len(text) > MAX_TEXT:
            raise Refused(_("L'en-tête et le pied de ticket comptent au plus %(n)d caractères.", n=MAX_TEXT))
    for hour in (settings.auto_close_time, settings.planned_import_time):
        if hour is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", hour):
            raise Refused(_("Heure %(hour)s : écrivez HH:MM (24 h, heure de la boutique).", hour=hour))
    return Settings(**{**asdict(settings), "name": settings.name.strip()})


def create_register(session: Session, actor: Actor, shop_id: int, code: str, settings: Settings) -> None:
    require(actor, Can.MANAGE)
    code, settings = code_of(code), check_settings(settings)
    with writing(session):
        if session.scalar(select(Register.id).where(Register.shop_id == shop_id, Register.code == code)):
            raise Refused(_("La caisse %(code)s existe déjà.", code=code))
        session.add(Register(shop_id=shop_id, code=code, **asdict(settings)))
        changed(session, actor, shop_id, "register_created", f"register:{code}", None, asdict(settings))


def change_settings(session: Session, actor: Actor, shop_id: int, code: str, settings: Settings) -> None:
    require(actor, Can.MANAGE)
    settings = check_settings(settings)
    with writing(session):
        row = _register(session, shop_id, code)
        before, after = asdict(settings_of(row)), asdict(settings)
        if before == after:
            return
        for name, value in after.items():
            setattr(row, name, value)
        changed(
            session,
            actor,
            shop_id,
            "register_settings_changed",
            f"register:{code}",
            {k: v for k, v in before.items() if v != after[k]},
            {k: v for k, v in after.items() if v != before[k]},
        )
