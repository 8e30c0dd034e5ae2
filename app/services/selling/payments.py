"""Payments on the ticket in progress: cash gives change, nothing else does."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Payment, PaymentMethod, utcnow
from app.money import format_euros
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record
from app.services.selling.context import AtWork, current_ticket, sale_on_screen
from app.services.selling.credit_notes import spendable
from app.services.selling.titres import read_titre
from app.states import TicketKind

# A 500 € note for a 3,60 € basket is plausible; 5 000 € more than due is a typing slip.
MAX_CHANGE_CENTS = 50_000


def paid_cents(ticket) -> int:
    return sum(p.amount_cents for p in ticket.payments)


def due_cents(ticket) -> int:
    """What the customer still owes (negative on a return: what is still to refund)."""
    return ticket.total_cents - paid_cents(ticket)


def change_cents(ticket) -> int:
    return sum(p.change_cents or 0 for p in ticket.payments)


def payable_methods(session: Session) -> list[PaymentMethod]:
    return list(session.scalars(select(PaymentMethod).order_by(PaymentMethod.position, PaymentMethod.code)))


def add_payment(
    session: Session, work: AtWork, method_code: str, amount_cents: int, reference: str | None = None
) -> Payment:
    ticket = sale_on_screen(session, work)
    if ticket.kind != TicketKind.SALE:
        raise StateForbids(_l("Un retour se rembourse avec le bouton Rembourser."))
    method = session.get(PaymentMethod, method_code or "")
    if method is None:
        raise InvalidInput(_l("Mode de paiement inconnu."))
    due = due_cents(ticket)
    if due <= 0:
        raise StateForbids(_l("Le ticket est déjà payé : touchez Valider."))
    if amount_cents <= 0:
        raise InvalidInput(_l("Le montant doit être supérieur à zéro."))
    reference = (reference or "").strip()[:80] or None
    titre = None
    if method.is_titre_service:
        titre = read_titre(session, method, reference, ticket.training)
        reference = titre.number
    if method.store_credit:
        # Never change: the payment is what the credit note covers of the rest due, the
        # remainder stays on it.
        reference, amount_cents = spendable(session, reference, min(amount_cents, due), ticket.training)
    if method.counted_as_items and not reference:
        raise InvalidInput(_l("Saisissez le numéro du %(method)s."), method=method.name.lower())

    tendered = change = None
    amount = amount_cents
    if titre is not None and amount_cents > due:
        # The manual: a titre-service « ne peut pas être utilisé pour rendre la monnaie ». Its
        # value is not split either (the issuer pays the shop the voucher's face value).
        raise InvalidInput(
            _l(
                "Un titre-service ne rend pas la monnaie : %(amount)s pour %(due)s à payer. "
                "Complétez le ticket jusqu'à la valeur du titre, ou payez autrement."
            ),
            amount=format_euros(amount_cents),
            due=format_euros(due),
        )
    if method.gives_change and titre is None:
        if amount_cents - due > MAX_CHANGE_CENTS:
            raise InvalidInput(
                _l("%(amount)s remis pour %(due)s à payer : vérifiez le montant."),
                amount=format_euros(amount_cents),
                due=format_euros(due),
            )
        tendered, amount = amount_cents, min(amount_cents, due)
        change = tendered - amount
    elif amount_cents > due:
        if method.counted_as_items:
            raise InvalidInput(
                _l("%(method)s ne rend pas de monnaie : le montant dépasse le reste à payer (%(due)s)."),
                method=method.name,
                due=format_euros(due),
            )
        raise InvalidInput(
            _l("Le paiement par %(method)s ne peut pas dépasser le reste à payer (%(due)s)."),
            method=method.name,
            due=format_euros(due),
        )
    payment = Payment(
        ticket_id=ticket.id,
        method_code=method.code,
        method_name=method.name,
        amount_cents=amount,
        tendered_cents=tendered,
        change_cents=change,
        reference=reference,
        titre_service_issuer=titre.issuer_code if titre else None,
        expires_on=titre.valid_until if titre else None,
        created_at=utcnow(),
    )
    session.add(payment)
    session.commit()
    return payment


def remove_payment(session: Session, work: AtWork, payment_uuid: str) -> None:
    """A payment typed by mistake is taken off before Valider; journaled (a card payment
    removed here must be cancelled on the card terminal too)."""
    ticket = current_ticket(session, work)
    payment = next((p for p in (ticket.payments if ticket else []) if p.uuid == payment_uuid), None)
    if payment is None:
        raise StateForbids(_l("Ce paiement n'est plus sur votre ticket en cours."))
    record(
        session,
        "remove_payment",
        actor=work.seller.staff_code,
        register_code=work.register_code,
        subject_uuid=ticket.uuid,
        method_code=payment.method_code,
        amount_cents=payment.amount_cents,
    )
    ticket.payments.remove(payment)
    session.commit()
