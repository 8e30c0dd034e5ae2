"""Quantities in thousandths: the limits of one line and how they are shown (reading typed
quantities: app/services/parsing.py)."""

from flask_babel import lazy_gettext as _l

from app.services.errors import InvalidInput

MAX_ITEMS = 999  # one line of a unit article
MAX_KG_MILLI = 99_999  # 99,999 kg on one line


def check_quantity(milli: int, unit: str) -> None:
    if milli <= 0:
        raise InvalidInput(_l("La quantité doit être supérieure à zéro."))
    if unit == "kg":
        if milli > MAX_KG_MILLI:
            raise InvalidInput(
                _l("Quantité trop grande : au plus %(maximum)s kg par ligne."), maximum="99,999"
            )
        return
    if milli % 1000:
        raise InvalidInput(_l("Cet article se vend à l'unité : saisissez un nombre entier."))
    if milli > MAX_ITEMS * 1000:
        raise InvalidInput(_l("Quantité trop grande : au plus %(maximum)s par ligne."), maximum=MAX_ITEMS)


def format_quantity(milli: int, unit: str) -> str:
    if unit == "kg":
        whole, rest = divmod(abs(milli), 1000)
        return f"{'-' if milli < 0 else ''}{whole},{rest:03d} kg"
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli / 1000:.3f}".replace(".", ",")
