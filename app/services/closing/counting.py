"""Moved to app/services/counting.py (the count is the same at opening and at closing); kept
so code written against this path still imports."""

from app.services.counting import (  # noqa: F401
    MAX_ITEMS,
    MAX_PIECES,
    MethodCount,
    check_agreement,
    parse_items,
    parse_pieces,
)
