"""What people type and URLs carry → numbers and ids: the one way the register reads them.

Python is generous where a till must not be: `"²".isdigit()` is True but `int("²")` fails,
`int("٣")` and `int("３")` succeed, and an int of any size reaches SQLite, which refuses
anything past 64 bits. So every number or id that comes from a form field, a query string
or a URL is read here, and only what a person could have meant is accepted:

- ASCII digits 0-9 only, leading zeros allowed; no sign, exponent, underscore or other digit;
- a decimal comma (French) or point (English) where the value has decimals, with at most as
  many decimals as it is counted in (cents, thousandths of a kilogram, hundredths of a %);
- spaces as thousands separators in amounts ("1 000,00"), and a trailing € or %;
- a bound on the number of digits, well within 64 bits, before any conversion.

Anything else is refused with InvalidInput (422) before a service runs, so nothing changes.
docs/selling.md states the same rules for people."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, ValidationError

from app.money import format_euros
from app.services.errors import InvalidInput
from app.services.quantities import check_quantity

MAX_ID_DIGITS = 15  # database ids in URLs and forms: far beyond any box's rows
MAX_AMOUNT_DIGITS = 9  # 999 999 999,99 €
MAX_QUANTITY_DIGITS = 6  # whole units or kilograms on one line (check_quantity bounds it more)
MAX_PERCENT_DIGITS = 3
_LONGEST = 64  # longer text is not a number whatever it holds (cheap to refuse)
_SPACES = str.maketrans("", "", " \u00a0\u202f")


def _number(text, whole_digits: int, decimals: int) -> int | None:
    """`text` scaled by 10**decimals (`"2,5"` with 2 decimals → 250), or None if it is not a
    plain number with at most `whole_digits` digits before the separator."""
    pattern = r"0*([0-9]{1,%d})" % whole_digits
    if decimals:
        pattern += r"(?:[.,]([0-9]{1,%d}))?" % decimals
    match = re.fullmatch(pattern, text) if len(text) <= _LONGEST else None
    if match is None:
        return None
    whole, fraction = match.group(1), (match.group(2) if decimals else None) or ""
    return int(whole) * 10**decimals + int(fraction.ljust(decimals, "0") or "0")


def read_whole(text, *, max_digits: int) -> int | None:
    """A whole number of at most `max_digits` ASCII digits, or None (the caller says why)."""
    raw = "" if text is None else str(text).strip()
    return _number(raw, max_digits, 0)


def is_digits(text) -> bool:
    """Only ASCII digits (a barcode, a credit-note code): what str.isdigit() should mean."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def parse_id(text) -> int | None:
    """A database id from a form, a query string or a URL; None when it cannot be one (the
    caller answers as for an id that does not exist)."""
    value = read_whole(text, max_digits=MAX_ID_DIGITS)
    return value if value else None


def parse_amount(text, *, maximum_cents: int | None = None) -> int:
    """Euros as typed ("150", "16,4", "1 000.00 €") → integer cents."""
    raw = "" if text is None else str(text).strip().translate(_SPACES).removesuffix("€")
    if raw == "":
        raise InvalidInput(_l("Saisissez un montant."))
    if raw.startswith("-"):
        raise InvalidInput(_l("Le montant ne peut pas être négatif."))
    value = _number(raw, MAX_AMOUNT_DIGITS, 2)
    if value is None:
        raise InvalidInput(
            _l("« %(text)s » n'est pas un montant : écrivez par exemple 150,00."), text=raw[:20]
        )
    if maximum_cents is not None and value > maximum_cents:
        raise InvalidInput(
            _l("Le montant dépasse le maximum autorisé (%(maximum)s)."), maximum=format_euros(maximum_cents)
        )
    return value


def parse_quantity(text, unit: str, *, zero_allowed: bool = False) -> int:
    """A quantity as typed ("2", "0,750" kg) → thousandths, within the line's limits (0 only
    where it takes something off, as on a return)."""
    raw = "" if text is None else str(text).strip().replace(" ", "")
    if raw == "":
        raise InvalidInput(_l("Saisissez une quantité."))
    if raw.startswith("-"):
        raise InvalidInput(_l("La quantité ne peut pas être négative."))
    milli = _number(raw, MAX_QUANTITY_DIGITS, 3)
    if milli is None:
        raise InvalidInput(_l("« %(text)s » n'est pas une quantité."), text=raw[:20])
    if milli == 0 and zero_allowed:
        return 0
    check_quantity(milli, unit)
    return milli


def parse_percent(text) -> int:
    """A discount as typed ("10", "12,5 %") → basis points."""
    raw = "" if text is None else str(text).strip().replace(" ", "").removesuffix("%")
    if raw.startswith("-"):
        raise InvalidInput(_l("Une remise ne peut pas être négative."))
    value = _number(raw, MAX_PERCENT_DIGITS, 2)
    if value is None:
        raise InvalidInput(_l("« %(text)s » n'est pas un pourcentage."), text=raw[:20])
    if value > 10000:
        raise InvalidInput(_l("Une remise ne peut pas dépasser %(maximum)s."), maximum="100 %")
    return value


def parse_number_part(text) -> int | None:
    """Any part of a document's number, as typed in a list's filter; None when empty."""
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None
    value = read_whole(raw, max_digits=9)
    if value is None:
        raise InvalidInput(
            _l("« %(text)s » n'est pas un numéro de document : saisissez des chiffres."), text=raw[:20]
        )
    return value


_DAY_PATTERNS = (
    # As a person types it: 27/11/2026, 27.11.2026, or 27,11,2026 — the kiosk's keypad has a
    # comma and no slash — or eight digits 27112026; and as a URL carries it, 2026-11-27.
    (re.compile(r"([0-9]{1,2})[/.,-]([0-9]{1,2})[/.,-]([0-9]{4})"), (3, 2, 1)),
    (re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})"), (3, 2, 1)),
    (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), (1, 2, 3)),
)


def parse_day(text) -> date | None:
    """A day as typed or carried in a URL (see _DAY_PATTERNS); None when empty."""
    raw = "" if text is None else str(text).strip().replace(" ", "")
    if raw == "":
        return None
    for pattern, (y, m, d) in _DAY_PATTERNS:
        match = pattern.fullmatch(raw) if len(raw) <= 10 else None
        if match:
            try:
                day = date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                break
            if 2000 <= day.year <= 2099:
                return day
            break
    raise InvalidInput(_l("« %(text)s » n'est pas une date : écrivez par exemple 27/11/2026."), text=raw[:20])


_DOCUMENT_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_document_uuid(text) -> bool:
    """The uuid a form was drawn with (str(uuid4()): lowercase, hyphenated), not anything sent."""
    return isinstance(text, str) and _DOCUMENT_UUID.fullmatch(text) is not None


class IdConverter(BaseConverter):
    """`<int:…>` in every URL rule: ASCII digits, at most MAX_ID_DIGITS of them, else 404.
    Werkzeug's own matches any Unicode digit and any length, and a 30-digit id overflowed
    SQLite (a 500) before a query could say "not found"."""

    regex = r"[0-9]{1,%d}" % MAX_ID_DIGITS
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))
