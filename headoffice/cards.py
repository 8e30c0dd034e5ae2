"""Card methods and the card transactions registers send (docs/headoffice.md, « Card
transactions »). A method flagged `is_card` is a card terminal's: the box lists its payments
and refunds in the Liste des transactions, where a person with the right cancels one the same
day or records a Remboursement manuel. Those documents come with their day, in
`card_transactions` (contract 1.5.0): head office stores them with the batch, after
export_checks.check_card_transactions has read their shape."""

from sqlalchemy import select

from headoffice.admin import AdminError, require_shop
from headoffice.extensions import db
from headoffice.models import PaymentMethod


def make_card(shop_code: str, method_code: str) -> PaymentMethod:
    """Flag a method as a card terminal's (never the shop's credit note or a titre-service)."""
    shop = require_shop(shop_code)
    method = db.session.scalars(
        select(PaymentMethod).where(PaymentMethod.shop_id == shop.id, PaymentMethod.code == method_code)
    ).one_or_none()
    if method is None:
        raise AdminError(f"No payment method {method_code!r} in shop {shop.code}.")
    if method.store_credit or method.is_titre_service:
        raise AdminError(f"{method_code} is a credit note or a titre-service, not a card.")
    method.is_card = True
    return method
