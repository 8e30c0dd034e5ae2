"""Amounts in integer cents, shown the French way. Screens, rules and receipts all use it,
so it sits at the top of app/ (reading typed amounts: app/services/parsing.py)."""


def format_euros(cents: int) -> str:
    """16,40 € — the French way, with a narrow no-break space between thousands."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"
