"""Selling (docs/selling.md): the ticket a connected seller builds, its payments, finishing it,
setting it aside, and returns. Nothing here calls the network: a sale never waits on head
office or on the printer (the receipt goes to the print queue in the same transaction)."""

from app.services.selling.aside import cancel_ticket, resume_ticket, suspend_ticket, tickets_aside
from app.services.selling.context import at_work, current_ticket
from app.services.selling.finishing import finish_ticket
from app.services.selling.lines import (
    add_product,
    discount_line,
    discount_ticket,
    remove_line,
    set_quantity,
    step_quantity,
)
from app.services.selling.payments import add_payment, remove_payment
from app.services.selling.returns import abandon_return, refund, return_line, returnable_lines, start_return

__all__ = [
    "abandon_return",
    "add_payment",
    "add_product",
    "at_work",
    "cancel_ticket",
    "current_ticket",
    "discount_line",
    "discount_ticket",
    "finish_ticket",
    "refund",
    "remove_line",
    "remove_payment",
    "resume_ticket",
    "return_line",
    "returnable_lines",
    "set_quantity",
    "start_return",
    "step_quantity",
    "suspend_ticket",
    "tickets_aside",
]
