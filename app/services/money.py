"""Amounts typed by people → integer cents. French decimal comma first; a dot is accepted too."""
import re

from flask_babel import lazy_gettext as _l

from app.services.errors import InvalidInput

_AMOUNT = re.compile(r"^(\d{1,9})(?:[.,](\d{1,2}))?$")


def parse_amount(text, *, field=None, maximum_cents: int | None = None) -> int:
    raw = "" if text is None else str(text).strip().replace("\u00a0", "").replace(" ", "")
    raw = raw.removesuffix("€")
    if raw == "":
        raise InvalidInput(_l("Saisissez un montant."))
    if raw.startswith("-"):
        raise InvalidInput(_l("Le montant ne peut pas être négatif."))
    match = _AMOUNT.match(raw)
    if not match:
        raise InvalidInput(
            _l("« %(text)s » n'est pas un montant : écrivez par exemple 150,00."), text=raw[:20])
    euros, cents = match.groups()
    value = int(euros) * 100 + int((cents or "0").ljust(2, "0"))
    if maximum_cents is not None and value > maximum_cents:
        raise InvalidInput(_l("Le montant dépasse le maximum autorisé (%(maximum)s)."),
                           maximum=format_euros(maximum_cents))
    return value


def format_euros(cents: int) -> str:
    """16,40 € — the French way, with a narrow no-break space between thousands."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"
