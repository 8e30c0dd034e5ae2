"""GTIN check digits (EAN-8, UPC-A, EAN-13, GTIN-14 share one mod-10 rule)."""

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(body: str) -> str:
    """The digit that completes `body` (the code without its last digit)."""
    # Weights 3,1,3,1… starting from the rightmost digit of the body. Summed as ASCII bytes
    # (48 is "0"): a catalogue import checks 100 000 of them.
    reverse = body.encode("ascii")[::-1]
    tripled, single = reverse[0::2], reverse[1::2]
    total = 3 * (sum(tripled) - 48 * len(tripled)) + sum(single) - 48 * len(single)
    return str((10 - total % 10) % 10)


def is_valid_gtin(code: str) -> bool:
    return (
        isinstance(code, str)
        and code.isascii()
        and code.isdigit()
        and len(code) in GTIN_LENGTHS
        and check_digit(code[:-1]) == code[-1]
    )


def is_scale_prefix(code: str) -> bool:
    """A 7-digit code starting with 2: an article whose labels (printed by a scale) carry the
    price or the weight in the next 5 digits of an EAN-13 (docs/selling.md)."""
    return isinstance(code, str) and code.isascii() and code.isdigit() and len(code) == 7 and code[0] == "2"


def ean13(body12: str) -> str:
    if len(body12) != 12 or not body12.isdigit():
        raise ValueError("an EAN-13 body has 12 digits")
    return body12 + check_digit(body12)
