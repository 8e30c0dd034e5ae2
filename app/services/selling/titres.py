"""Titres-service (docs/selling.md, « Titre-service »): paper vouchers a town gives its
residents, one number each. The number says who issued it and the year it is valid for: each
issuer's numbering scheme (a mask, set at head office, docs/headoffice.md) is

- a literal digit: that digit must be there (how the issuer is recognised);
- ``A``: a digit of the year, 2 in a row (20YY) or 4;
- ``N``: any digit;
- ``C``: a Luhn check digit over the whole number, last.

A voucher of year Y is accepted until 31 December Y plus the issuer's grace days, never
before Y. The check is local, as the manual says (no call to head office): a number is refused
when this box already took it (a ticket in progress counts, a cancelled one does not) or when
head office listed it as used in the last snapshot (another register took it)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import PaymentMethod, TitreServiceIssuer, utcnow
from app.services.errors import InvalidInput, StateForbids
from app.services.parsing import is_digits
from app.states import TicketStatus

_MASK = re.compile(r"[0-9N]*(?:AA|AAAA)[0-9N]*C?")
_TYPED_APART = str.maketrans("", "", " -.\u00a0\u202f")  # printed numbers are often grouped
_LONGEST = 32

_USED_HERE = (
    "SELECT t.number, t.training_number, t.status FROM payment p JOIN ticket t ON t.id = p.ticket_id"
    " WHERE p.reference = ? AND p.titre_service_issuer IS NOT NULL"
    f" AND t.status != '{TicketStatus.CANCELLED}' AND t.training = ? LIMIT 1"
)


@dataclass(frozen=True)
class Titre:
    number: str
    issuer_code: str
    valid_until: date


def mask_problem(mask) -> str | None:
    """Why a numbering scheme cannot be used (None when it can): head office's snapshot is
    checked with it before anything is written."""
    if not isinstance(mask, str) or not 4 <= len(mask) <= _LONGEST or not _MASK.fullmatch(mask):
        return "mask"
    if not any(ch.isdigit() for ch in mask):
        return "no issuer digit"
    return None


def fits(mask: str, number: str) -> bool:
    return len(mask) == len(number) and all(m == n or not m.isdigit() for m, n in zip(mask, number))


def luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def year_of(mask: str, number: str) -> int:
    start, end = mask.index("A"), mask.rindex("A") + 1
    year = int(number[start:end])
    return 2000 + year if end - start == 2 else year


def valid_until(mask: str, number: str, grace_days: int) -> date:
    return date(year_of(mask, number), 12, 31) + timedelta(days=grace_days)


def shop_zone(cursor) -> ZoneInfo:
    row = cursor.execute("SELECT timezone FROM shop LIMIT 1").fetchone()
    return ZoneInfo(row["timezone"] if row else "Europe/Paris")


def shop_today(cursor) -> date:
    """The shop's date by the box's clock (utcnow, which the tests can move)."""
    return utcnow().astimezone(shop_zone(cursor)).date()


def read_titre(session: Session, method: PaymentMethod, text, training: bool = False) -> Titre:
    """The voucher a cashier scanned or typed, checked: well formed, valid today, never used."""
    number = (text or "").translate(_TYPED_APART)
    if not number:
        raise InvalidInput(_l("Scannez ou tapez le numéro du titre-service."))
    issuers = list(
        session.scalars(
            select(TitreServiceIssuer)
            .where(TitreServiceIssuer.method_code == method.code)
            .order_by(TitreServiceIssuer.code)
        )
    )
    if not issuers:
        raise StateForbids(
            _l("Aucun émetteur n'est configuré pour %(method)s : voyez le serveur principal."),
            method=method.name,
        )
    issuer = next((i for i in issuers if fits(i.mask, number)), None) if is_digits(number) else None
    if issuer is None:
        raise InvalidInput(
            _l("« %(number)s » n'est pas un numéro de titre-service : aucun émetteur ne numérote ainsi."),
            number=number[:_LONGEST],
        )
    if issuer.mask.endswith("C") and not luhn_valid(number):
        raise InvalidInput(
            _l("Le numéro de titre-service %(number)s est mal saisi : la clé de contrôle est fausse."),
            number=number,
        )
    cursor = raw_cursor(session)
    today = shop_today(cursor)
    if year_of(issuer.mask, number) > today.year:
        raise InvalidInput(
            _l("Le titre-service n° %(number)s est de l'année %(year)s : il n'est pas encore valable."),
            number=number,
            year=year_of(issuer.mask, number),
        )
    last_day = valid_until(issuer.mask, number, issuer.grace_days)
    if last_day < today:
        raise StateForbids(
            _l("Le titre-service n° %(number)s a expiré le %(day)s."),
            number=number,
            day=last_day.strftime("%d/%m/%Y"),
        )
    _refuse_if_used(cursor, number, training)
    return Titre(number, issuer.code, last_day)


def _refuse_if_used(cursor, number: str, training: bool) -> None:
    here = cursor.execute(_USED_HERE, (number, int(training))).fetchone()
    if here is not None:
        ticket = here["training_number"] if training else here["number"]
        if ticket is None:
            raise StateForbids(
                _l("Le titre-service n° %(number)s est déjà sur un ticket en cours."), number=number
            )
        raise StateForbids(
            _l("Le titre-service n° %(number)s a déjà été utilisé sur cette caisse (ticket n° %(ticket)s)."),
            number=number,
            ticket=ticket,
        )
    known = cursor.execute(
        "SELECT register_code, used_at FROM titre_service_used WHERE number = ?", (number,)
    ).fetchone()
    if known is not None:
        raise StateForbids(
            _l("Le titre-service n° %(number)s a déjà été utilisé (caisse %(register)s, le %(day)s)."),
            number=number,
            register=known["register_code"] or "?",
            day=_shop_day(known["used_at"], shop_zone(cursor)),
        )


def _shop_day(stored, zone: ZoneInfo) -> str:
    """The day a moment stored in UTC fell on in the shop: a voucher used at 00:10 in Paris
    was used on that day, not on the UTC day before."""
    try:
        moment = datetime.fromisoformat(str(stored or "").replace("Z", "+00:00"))
    except ValueError:
        return "?"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone).strftime("%d/%m/%Y")
