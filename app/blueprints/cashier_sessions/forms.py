"""The two windows' forms → what the services take. Field names as on the closing page:
real_<method> (one typed amount), pieces_<cents> (the cash grid of « Calculer la caisse »),
withdrawal_<method>."""

from app.services.closing.cashier_session import SessionClosing
from app.services.closing.counting import MethodCount, parse_pieces
from app.services.parsing import parse_amount, read_whole


def _amount(form, name):
    text = (form.get(name) or "").strip()
    return parse_amount(text) if text else None


def _grid(form) -> dict[int, int]:
    """pieces_<cents> → {cents: pieces}; the service keeps the register's denominations only."""
    grid = {}
    for name in form:
        value = read_whole(name.removeprefix("pieces_"), max_digits=6) if name.startswith("pieces_") else None
        if value:
            grid[value] = parse_pieces(form.get(name), value)
    return grid


def deposit_count(form) -> MethodCount:
    """« Dépôt », typed or counted; nothing typed is a deposit of 0,00."""
    return MethodCount("deposit", typed_cents=_amount(form, "deposit"), grid=_grid(form))


def session_closing(form) -> SessionClosing:
    closing = SessionClosing(grid=_grid(form), seen=form.get("seen") or None)
    for name in form:
        if name.startswith("real_"):
            closing.reals[name.removeprefix("real_")] = _amount(form, name)
        elif name.startswith("withdrawal_"):
            closing.withdrawals[name.removeprefix("withdrawal_")] = _amount(form, name) or 0
    return closing
