"""Amounts typed at head office's console ("2,50", "1 000,00", "2.5") to integer cents.

The same rules as the register's reader of typed numbers (app/services/parsing.py, which
head office, a separate program, does not import): ASCII digits only, a decimal comma or
point with at most two decimals, spaces between thousands, a trailing €, bounded."""

import re

_AMOUNT = re.compile(r"0*([0-9]{1,9})(?:[.,]([0-9]{1,2}))?")


def parse_euros(text: str) -> int:
    """Return cents; ValueError on negatives, more than two decimals or garbage."""
    cleaned = str(text).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("€")
    if cleaned.startswith("-"):
        raise ValueError(f"amount must not be negative: {text!r}")
    match = _AMOUNT.fullmatch(cleaned) if len(cleaned) <= 64 else None
    if match is None:
        raise ValueError(f"not an amount (at most two decimals, such as 2,50): {text!r}")
    euros, cents = match.groups()
    return int(euros) * 100 + int((cents or "0").ljust(2, "0"))
