"""Credit notes (avoirs): the shop's own voucher. A return refunded with a store-credit
method issues one; a sale paid with it spends from it, never giving change — what is not
spent stays on it until it expires.

A credit note's balance is what head office last said (the `credit_note` rows written at
import) plus what this box did since, read from its own payments: a refund that issued it
counts as a negative payment, a spend as a positive one. Payments on tickets still open
count too, so two screens cannot spend the same money; taking the payment off frees it.
Every transaction starts with BEGIN IMMEDIATE, so reading the balance and adding the
payment happen under the write lock: no second writer in between."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.services.errors import InvalidInput, StateForbids
from app.services.parsing import is_digits
from app.services.selling.catalog import ean13_check_digit, ean13_valid
from app.states import TicketStatus

# GS1 gives the 99 prefix to coupons: a scanner reads the printed code, no product has it.
PREFIX = "99"

_BALANCE = (
    "SELECT COALESCE(SUM(p.amount_cents), 0) AS moved, COUNT(*) AS payments, MAX(p.expires_on) AS expires_on"
    " FROM payment p"
    " JOIN payment_method m ON m.code = p.method_code AND m.store_credit"
    " JOIN ticket t ON t.id = p.ticket_id"
    f" WHERE p.reference = ? AND p.id > ? AND t.status != '{TicketStatus.CANCELLED}' AND t.training = ?"
)


@dataclass(frozen=True)
class CreditNoteBalance:
    code: str
    balance_cents: int
    expires_on: date


def read_code(text) -> str:
    code = "".join((text or "").split())
    if not code:
        raise InvalidInput(_l("Scannez ou tapez le numéro de l'avoir."))
    if len(code) != 13 or not is_digits(code) or not code.startswith(PREFIX) or not ean13_valid(code):
        raise InvalidInput(
            _l("« %(code)s » n'est pas un numéro d'avoir (13 chiffres commençant par 99)."), code=code[:20]
        )
    return code


def shop_today(cursor) -> date:
    row = cursor.execute("SELECT timezone FROM shop LIMIT 1").fetchone()
    return datetime.now(ZoneInfo(row["timezone"] if row else "Europe/Paris")).date()


def balance(cursor, code: str, training: bool = False) -> CreditNoteBalance | None:
    """None when this box has never heard of the code. `training`: as a training ticket
    (mode école) sees it — only training tickets' moves count, so a credit note issued in
    training is unknown to a real sale and a training sale spends no real money."""
    known = cursor.execute(
        "SELECT balance_cents, expires_on, after_payment_id FROM credit_note WHERE code = ?", (code,)
    ).fetchone()
    since = cursor.execute(
        _BALANCE, (code, known["after_payment_id"] if known else 0, int(training))
    ).fetchone()
    if known is None:
        if since["payments"] == 0:
            return None
        known = {"balance_cents": 0, "expires_on": None}
    expires = known["expires_on"] or since["expires_on"]
    return CreditNoteBalance(code, known["balance_cents"] - since["moved"], date.fromisoformat(str(expires)))


def spendable(session: Session, code_text: str, wanted_cents: int, training: bool = False) -> tuple[str, int]:
    """The credit note to spend from and how much of `wanted_cents` it covers."""
    code = read_code(code_text)
    cursor = raw_cursor(session)
    found = balance(cursor, code, training)
    if found is None:
        raise InvalidInput(
            _l(
                "Avoir n° %(code)s inconnu sur cette caisse. S'il vient d'être émis "
                "sur une autre caisse, il sera connu au prochain import."
            ),
            code=code,
        )
    if found.expires_on < shop_today(cursor):
        raise StateForbids(
            _l("L'avoir n° %(code)s a expiré le %(day)s."),
            code=code,
            day=found.expires_on.strftime("%d/%m/%Y"),
        )
    if found.balance_cents <= 0:
        raise StateForbids(_l("L'avoir n° %(code)s est déjà entièrement utilisé."), code=code)
    return code, min(wanted_cents, found.balance_cents)


def issue_code(session: Session, training: bool = False) -> tuple[str, date]:
    """A new code, random so that nobody can guess another customer's credit note, and the
    last day it can be spent."""
    cursor = raw_cursor(session)
    while True:
        first12 = PREFIX + "".join(secrets.choice("0123456789") for _ in range(10))
        code = first12 + ean13_check_digit(first12)
        if balance(cursor, code) is None and balance(cursor, code, True) is None:
            break
    days = int(current_app.config.get("CREDIT_NOTE_VALIDITY_DAYS", 365))
    return code, shop_today(cursor) + timedelta(days=days)
