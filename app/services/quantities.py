"""Quantities and percentages typed by people → integers (thousandths, basis points)."""
import re

from flask_babel import lazy_gettext as _l

from app.services.errors import InvalidInput

MAX_ITEMS = 999          # one line of a unit article
MAX_KG_MILLI = 99_999    # 99,999 kg on one line
_DECIMAL = re.compile(r"^(\d{1,6})(?:[.,](\d{1,3}))?$")


def parse_quantity(text, unit: str) -> int:
    raw = "" if text is None else str(text).strip().replace(" ", "")
    if raw == "":
        raise InvalidInput(_l("Saisissez une quantité."))
    if raw.startswith("-"):
        raise InvalidInput(_l("La quantité ne peut pas être négative."))
    match = _DECIMAL.match(raw)
    if not match:
        raise InvalidInput(_l("« %(text)s » n'est pas une quantité."), text=raw[:20])
    whole, fraction = match.groups()
    milli = int(whole) * 1000 + int((fraction or "0").ljust(3, "0"))
    check_quantity(milli, unit)
    return milli


def check_quantity(milli: int, unit: str) -> None:
    if milli <= 0:
        raise InvalidInput(_l("La quantité doit être supérieure à zéro."))
    if unit == "kg":
        if milli > MAX_KG_MILLI:
            raise InvalidInput(_l("Quantité trop grande : au plus %(maximum)s kg par ligne."),
                               maximum="99,999")
        return
    if milli % 1000:
        raise InvalidInput(_l("Cet article se vend à l'unité : saisissez un nombre entier."))
    if milli > MAX_ITEMS * 1000:
        raise InvalidInput(_l("Quantité trop grande : au plus %(maximum)s par ligne."),
                           maximum=MAX_ITEMS)


def parse_percent(text) -> int:
    """'10' or '12,5' (percent) → basis points."""
    raw = "" if text is None else str(text).strip().replace(" ", "").removesuffix("%")
    if raw.startswith("-"):
        raise InvalidInput(_l("Une remise ne peut pas être négative."))
    match = re.match(r"^(\d{1,3})(?:[.,](\d{1,2}))?$", raw)
    if not match:
        raise InvalidInput(_l("« %(text)s » n'est pas un pourcentage."), text=raw[:20])
    whole, fraction = match.groups()
    value = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
    if value > 10000:
        raise InvalidInput(_l("Une remise ne peut pas dépasser %(maximum)s."), maximum="100 %")
    return value


def format_quantity(milli: int, unit: str) -> str:
    if unit == "kg":
        whole, rest = divmod(abs(milli), 1000)
        return f"{'-' if milli < 0 else ''}{whole},{rest:03d} kg"
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli / 1000:.3f}".replace(".", ",")
