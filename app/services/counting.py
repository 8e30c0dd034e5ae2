"""The count, at opening and at closing: cash as one typed amount or as a grid of
denominations, cheques and vouchers as a number of items and an amount. Whatever was typed is
read and checked here (the count window's fields: counted_<method>, items_<method>,
pieces_<cents>, reason_<method>)."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.money import format_euros
from app.services.errors import InvalidInput
from app.services.parsing import parse_amount, read_whole

MAX_PIECES = 10_000  # more than this of one coin or note is a typing slip
MAX_ITEMS = 10_000


@dataclass
class MethodCount:
    """What was typed for one method; `counted_cents` is None when nothing was counted."""

    method_code: str
    typed_cents: int | None = None
    grid: dict[int, int] = field(default_factory=dict)  # value in cents → pieces
    items: int | None = None

    @property
    def grid_cents(self) -> int:
        return sum(value * pieces for value, pieces in self.grid.items())

    @property
    def counted_cents(self) -> int | None:
        if any(self.grid.values()):
            return self.grid_cents
        return self.typed_cents


def parse_pieces(text, value_cents: int) -> int:
    raw = (text or "").strip()
    if raw == "":
        return 0
    if raw.startswith("-"):
        raise InvalidInput(
            _l("Le nombre de %(value)s ne peut pas être négatif."), value=format_euros(value_cents)
        )
    pieces = read_whole(raw, max_digits=9)
    if pieces is None:
        raise InvalidInput(
            _l("Le nombre de %(value)s doit être un nombre entier."), value=format_euros(value_cents)
        )
    if pieces > MAX_PIECES:
        raise InvalidInput(
            _l("%(count)s × %(value)s : vérifiez le comptage (au plus %(maximum)s)."),
            count=pieces,
            value=format_euros(value_cents),
            maximum=MAX_PIECES,
        )
    return pieces


def parse_items(text, method_name: str) -> int | None:
    raw = (text or "").strip()
    if raw == "":
        return None
    items = read_whole(raw, max_digits=9)
    if items is None:
        raise InvalidInput(
            _l("Le nombre de %(method)s doit être un nombre entier positif."), method=method_name
        )
    if items > MAX_ITEMS:
        raise InvalidInput(_l("Nombre de %(method)s trop grand."), method=method_name)
    return items


def check_agreement(count: MethodCount) -> None:
    """A typed amount and a grid that disagree: one of them is wrong, say so."""
    if count.typed_cents is not None and any(count.grid.values()) and count.typed_cents != count.grid_cents:
        raise InvalidInput(
            _l("Le montant saisi (%(typed)s) et le total de la grille (%(grid)s) ne concordent pas."),
            typed=format_euros(count.typed_cents),
            grid=format_euros(count.grid_cents),
        )


def _amount(form, name):
    text = (form.get(name) or "").strip()
    return parse_amount(text) if text else None


def read_counts(form, methods, denominations: list[int]) -> dict[str, MethodCount]:
    """The count window as sent, at opening or at closing: per method a typed amount, a number
    of items (cheques, vouchers), the grid of notes and coins (cash); only what was typed."""
    counts = {}
    for method in methods:
        count = MethodCount(method.code, typed_cents=_amount(form, f"counted_{method.code}"))
        if method.counted_as_items:
            count.items = parse_items(form.get(f"items_{method.code}"), method.name)
        if method.is_cash:
            count.grid = {value: parse_pieces(form.get(f"pieces_{value}"), value) for value in denominations}
        if count.typed_cents is not None or any(count.grid.values()) or count.items is not None:
            counts[method.code] = count
    return counts


def read_reasons(form, methods) -> dict[str, str]:
    """The reason of each method's difference (« Raison de la différence »), reason_<method>."""
    return {m.code: form[f"reason_{m.code}"] for m in methods if (form.get(f"reason_{m.code}") or "").strip()}
