"""Payment methods and the flags that drive the registers' closing (what is counted, how)."""

from dataclasses import asdict, dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from headoffice.audit import Actor
from headoffice.manage import by_code, changed, code_of, name_of, writing
from headoffice.models import PaymentMethod
from headoffice.refusals import Refused
from headoffice.roles import Can, require


@dataclass(frozen=True)
class MethodFlags:
    name: str
    gives_change: bool
    counted_in_drawer: bool
    goes_to_safe: bool
    counted_as_items: bool
    store_credit: bool
    position: int


FLAGS = ("gives_change", "counted_in_drawer", "goes_to_safe", "counted_as_items", "store_credit")


@dataclass(frozen=True)
class Method:
    code: str
    flags: MethodFlags
    is_titre_service: bool


def _flags_of(row: PaymentMethod) -> MethodFlags:
    return MethodFlags(**{name: getattr(row, name) for name in MethodFlags.__dataclass_fields__})


def list_methods(session: Session, shop_id: int) -> list[Method]:
    rows = session.scalars(
        select(PaymentMethod)
        .where(PaymentMethod.shop_id == shop_id)
        .order_by(PaymentMethod.position, PaymentMethod.code)
    )
    return [Method(row.code, _flags_of(row), row.is_titre_service) for row in rows]


def get_method(session: Session, shop_id: int, code: str) -> Method:
    row = _method(session, shop_id, code)
    return Method(row.code, _flags_of(row), row.is_titre_service)


def _method(session: Session, shop_id: int, code: str) -> PaymentMethod:
    return by_code(
        session, PaymentMethod, shop_id, code, _("Moyen de paiement inconnu : %(code)s.", code=code)
    )


def _check(
    session: Session, shop_id: int, code: str, flags: MethodFlags, is_titre_service: bool
) -> MethodFlags:
    name = name_of(flags.name)
    if not -1_000_000 <= flags.position <= 1_000_000:
        raise Refused(_("La position est un nombre entier entre -1 000 000 et 1 000 000."))
    if is_titre_service and (flags.gives_change or flags.store_credit):
        raise Refused(_("Un titre-service ne rend jamais la monnaie et n'est pas un avoir."))
    return MethodFlags(**{**asdict(flags), "name": name})


def create_method(session: Session, actor: Actor, shop_id: int, code: str, flags: MethodFlags) -> None:
    require(actor, Can.MANAGE)
    code = code_of(code)
    with writing(session):
        flags = _check(session, shop_id, code, flags, False)
        if session.scalar(
            select(PaymentMethod.id).where(PaymentMethod.shop_id == shop_id, PaymentMethod.code == code)
        ):
            raise Refused(_("Le moyen de paiement %(code)s existe déjà.", code=code))
        session.add(PaymentMethod(shop_id=shop_id, code=code, **asdict(flags)))
        changed(session, actor, shop_id, "payment_method_created", f"method:{code}", None, asdict(flags))


def change_method(session: Session, actor: Actor, shop_id: int, code: str, flags: MethodFlags) -> None:
    require(actor, Can.MANAGE)
    with writing(session):
        row = _method(session, shop_id, code)
        flags = _check(session, shop_id, code, flags, row.is_titre_service)
        before, after = asdict(_flags_of(row)), asdict(flags)
        if before == after:
            return
        for name, value in after.items():
            setattr(row, name, value)
        changed(
            session,
            actor,
            shop_id,
            "payment_method_changed",
            f"method:{code}",
            {k: v for k, v in before.items() if v != after[k]},
            {k: v for k, v in after.items() if v != before[k]},
        )
