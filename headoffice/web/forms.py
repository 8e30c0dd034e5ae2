"""Reading what a person typed in a form: amounts, percentages, whole numbers, hours, boxes.
Every mistake becomes a Refused with a sentence naming the field; nothing is half read."""

import re

from flask import request
from flask_babel import gettext as _

from headoffice.money import parse_euros
from headoffice.refusals import Refused

_PERCENT = re.compile(r"([0-9]{1,3})(?:[.,]([0-9]{1,2}))?")
_WHOLE = re.compile(r"-?[0-9]{1,9}")


def text(name: str, limit: int = 2000) -> str:
    value = request.form.get(name, "")
    if len(value) > limit:
        raise Refused(_("Le champ %(field)s compte au plus %(n)d caractères.", field=name, n=limit))
    return value.replace("\r\n", "\n")


def euros(name: str, label: str) -> int:
    value = request.form.get(name, "").strip()
    if value.startswith("-"):
        raise Refused(_("%(label)s ne peut pas être négatif.", label=label))
    try:
        return parse_euros(value)
    except ValueError:
        raise Refused(
            _(
                "%(label)s : écrivez un montant en euros, deux décimales au plus (par exemple 2,50).",
                label=label,
            )
        ) from None


def percent_bp(name: str, label: str) -> int:
    """ "5,5" → 550 basis points."""
    value = request.form.get(name, "").strip().removesuffix("%").strip()
    match = _PERCENT.fullmatch(value)
    if match is None:
        raise Refused(_("%(label)s : écrivez un pourcentage, par exemple 5,5.", label=label))
    whole, decimals = match.groups()
    return int(whole) * 100 + int((decimals or "0").ljust(2, "0"))


def whole(name: str, label: str, default: int | None = None) -> int:
    value = request.form.get(name, "").strip()
    if not value and default is not None:
        return default
    if not _WHOLE.fullmatch(value):
        raise Refused(_("%(label)s : écrivez un nombre entier.", label=label))
    return int(value)


def checked(name: str) -> bool:
    return request.form.get(name) in ("on", "1", "true", "oui")


def hour(name: str) -> str | None:
    """ "HH:MM", or None when the field is empty (off)."""
    value = request.form.get(name, "").strip()
    return value or None
