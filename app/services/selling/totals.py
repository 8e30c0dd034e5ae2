"""Ticket arithmetic in integer cents. Prices include VAT (French retail); every rounding is
half away from zero, and every split (ticket discount over rates or lines) is exact."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Ticket, TicketLine
from app.states import TicketKind


def div_round(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers only."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    quotient, remainder = divmod(abs(numerator), abs(denominator))
    if remainder * 2 >= abs(denominator):
        quotient += 1
    return sign * quotient


def line_gross(quantity_milli: int, unit_price_cents: int) -> int:
    return div_round(quantity_milli * unit_price_cents, 1000)


def apply_line_discount(line: TicketLine) -> None:
    """A percentage follows the quantity; an amount stays as given, never above the line."""
    gross = line_gross(line.quantity_milli, line.unit_price_cents)
    if line.discount_percent_bp is not None:
        discount = div_round(gross * line.discount_percent_bp, 10000)
    else:
        discount = line.discount_cents or 0
        discount = max(min(discount, gross), 0) if gross >= 0 else min(max(discount, gross), 0)
    line.discount_cents = discount
    line.total_cents = gross - discount


def ticket_discount(ticket: Ticket, subtotal_cents: int) -> int:
    if ticket.discount_percent_bp is not None:
        return div_round(subtotal_cents * ticket.discount_percent_bp, 10000)
    return max(min(ticket.discount_cents or 0, subtotal_cents), 0)


def refresh_totals(session: Session, ticket: Ticket) -> int:
    """Recompute the ticket's total from its lines (one SUM); returns the line count."""
    session.flush()
    count, subtotal = session.execute(
        select(func.count(TicketLine.id), func.coalesce(func.sum(TicketLine.total_cents), 0)).where(
            TicketLine.ticket_id == ticket.id
        )
    ).one()
    set_totals(ticket, subtotal)
    return count


def set_totals(ticket: Ticket, subtotal_cents: int) -> None:
    if ticket.kind == TicketKind.SALE:
        ticket.discount_cents = ticket_discount(ticket, subtotal_cents)
    ticket.total_cents = subtotal_cents - (ticket.discount_cents or 0)


def split(amount: int, weights: list[int]) -> list[int]:
    """Share `amount` in proportion to `weights`, exactly (largest remainder)."""
    total = sum(weights)
    if not weights or total == 0:
        return [0] * len(weights)
    shares = [amount * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (amount * weights[i]) % total, reverse=True)
    for i in remainders[: amount - sum(shares)]:
        shares[i] += 1
    return shares


def vat_totals(lines, discount_cents: int) -> list[dict]:
    """Per VAT rate: base, tax and total after the ticket discount, which is shared over the
    rates in proportion to their totals so the rates add up to the ticket total exactly.
    `lines` are (rate in basis points, line total) pairs."""
    per_rate: dict[int, int] = {}
    for rate_bp, total_cents in lines:
        per_rate[rate_bp] = per_rate.get(rate_bp, 0) + total_cents
    rates = sorted(per_rate)
    shares = split(discount_cents, [per_rate[r] for r in rates]) if discount_cents else [0] * len(rates)
    result = []
    for rate, share in zip(rates, shares):
        total = per_rate[rate] - share
        base = div_round(total * 10000, 10000 + rate)
        result.append({"rate_bp": rate, "base_cents": base, "tax_cents": total - base, "total_cents": total})
    return result
