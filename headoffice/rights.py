"""The rights a staff member may hold; the list is the `Right` enum of docs/openapi.yaml.
The box keeps its own copy (app/states.py: a register never imports head office);
tests/test_states.py checks both follow the contract."""

from enum import StrEnum


class Right(StrEnum):
    IMPORT = "import"
    OPEN = "open"
    CLOSE = "close"
    EXPORT = "export"
    FORCE_CLOSE = "force_close"
    ACCEPT_DIFFERENCE = "accept_difference"
    CASH_MOVEMENT = "cash_movement"
    SELL = "sell"
    DISCOUNT = "discount"
    CANCEL_TICKET = "cancel_ticket"
    REFUND = "refund"
    REPRINT = "reprint"
    OPEN_DRAWER = "open_drawer"
    MANAGE = "manage"
    SAFE = "safe"
    OPEN_SESSION_OFFLINE = "open_session_offline"
    CLOSE_OTHER_SESSIONS = "close_other_sessions"
    CANCEL_CARD_TRANSACTION = "cancel_card_transaction"
    MANUAL_CARD_REFUND = "manual_card_refund"


ALL_RIGHTS: tuple[str, ...] = tuple(right.value for right in Right)


def parse_rights(text: str) -> list[str]:
    """`"import, open"` → `["import", "open"]`; `"all"` → every right. ValueError if unknown."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return list(ALL_RIGHTS)
    unknown = [name for name in names if name not in ALL_RIGHTS]
    if unknown:
        raise ValueError(f"unknown right(s): {', '.join(unknown)}; allowed: {', '.join(ALL_RIGHTS)} or all")
    # Keep the user's order but drop repeats: the contract says rights are unique.
    return list(dict.fromkeys(names))
