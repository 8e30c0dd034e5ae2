"""The closing form → a ClosingRequest. Field names: counted_<method> (one typed amount),
items_<method> (cheques, vouchers), pieces_<cents> (the cash grid), withdrawal, reasons."""

from flask_babel import lazy_gettext as _l

from app.services.closing import ClosingRequest
from app.services.counting import read_counts, read_reasons
from app.services.errors import InvalidInput
from app.services.parsing import parse_amount


def _amount(form, name):
    text = (form.get(name) or "").strip()
    return parse_amount(text) if text else None


# What a typed count can be at most (an amount, a number of items, a number of coins): the
# blind count keeps them in the session cookie, which must stay small.
TYPED_MAX_LENGTH = 24


def typed_counts(form, summary, denominations: list[int]) -> dict[str, str]:
    """The counts a blind count keeps until Valider: the fields this page has, nothing else
    (a form may post any names; the session cookie must not grow with them)."""
    names = []
    for method in summary.methods:
        names.append(f"counted_{method.code}")
        if method.counted_as_items:
            names.append(f"items_{method.code}")
        if method.is_cash:
            names.extend(f"pieces_{value}" for value in denominations)
    typed = {name: form[name].strip() for name in names if (form.get(name) or "").strip()}
    if any(len(value) > TYPED_MAX_LENGTH for value in typed.values()):
        raise InvalidInput(_l("Un comptage est trop long pour être un nombre : vérifiez-le."))
    return typed


def closing_request(form, summary, denominations: list[int]) -> ClosingRequest:
    counts = read_counts(form, summary.methods, denominations)
    return ClosingRequest(
        counts=counts,
        withdrawal_cents=_amount(form, "withdrawal") or 0,
        difference_reason=form.get("difference_reason", ""),
        withdrawals={
            m.code: _amount(form, f"withdrawal_{m.code}")
            for m in summary.methods
            if (form.get(f"withdrawal_{m.code}") or "").strip()
        },
        reasons=read_reasons(form, summary.methods),
        force=form.get("force") == "1",
        force_reason=form.get("force_reason", ""),
        seen=form.get("seen") or None,
    )
