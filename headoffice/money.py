"""Amounts typed by people ("2,50", "1 000,00", "2.5") to integer cents."""
from decimal import Decimal, InvalidOperation


def parse_euros(text: str) -> int:
    """Return cents; ValueError on negatives, more than two decimals or garbage."""
    cleaned = str(text).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.removesuffix("€").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    if amount < 0:
        raise ValueError(f"amount must not be negative: {text!r}")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"at most two decimals: {text!r}")
    return int(cents)
