"""Valider: the ticket becomes a final document in one transaction — number without gaps,
VAT totals, journal, receipt job, drawer kick. After this nothing changes it (the database
triggers of migration 0002 refuse it too).

Valider is the till's hot path (bench/selling.py: ≥ 200 tickets/s), so it reads and writes
with plain SQL on the session's own connection and transaction: a dozen statements that the
ORM would cost ten times more to run on a Raspberry-Pi-class box."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.database import raw_cursor, sql_time
from app.models import utcnow
from app.money import format_euros
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record
from app.services.selling.context import AtWork
from app.services.selling.credit_notes import balance
from app.services.selling.receipt import queue_drawer_kick, queue_receipt
from app.services.selling.totals import vat_totals
from app.services.sequences import next_number
from app.services.signing import SOFTWARE, sign_ticket
from app.states import TicketKind, TicketStatus

# Built once (Valider is a hot path); the states are written into the text, not bound.
_FINISH = (
    f"UPDATE ticket SET number = ?, finished_at = ?, status = '{TicketStatus.FINISHED}', seller_code = ?,"
    f" seller_name = ? WHERE id = ? AND status = '{TicketStatus.OPEN}'"
)
# A training ticket (mode école) takes its number in its own series (app/services/training.py).
_FINISH_TRAINING = _FINISH.replace("SET number = ?", "SET training_number = ?")


@dataclass
class Finished:
    uuid: str
    number: int
    kind: str
    total_cents: int
    training: bool = False  # `number` is then in the training series


def finish_ticket(session: Session, work: AtWork, ticket_uuid: str) -> Finished:
    cursor = raw_cursor(session)
    staff_code, staff_name, day_id = work.seller.staff_code, work.seller.staff_name, work.day.id
    ticket = cursor.execute(
        "SELECT id, uuid, register_code, day_id, number, kind, status, seller_code, discount_cents,"
        " total_cents, original_ticket_id, training, training_number FROM ticket WHERE uuid = ?",
        (ticket_uuid or "",),
    ).fetchone()
    if ticket is None or ticket["day_id"] != day_id:
        raise StateForbids(_l("Ce ticket n'existe plus."))
    if ticket["status"] == TicketStatus.FINISHED:
        raise StateForbids(
            _l("Ce ticket est déjà validé (n° %(number)s)."),
            number=ticket["training_number"] if ticket["training"] else ticket["number"],
        )
    if ticket["status"] != TicketStatus.OPEN or ticket["seller_code"] != staff_code:
        raise StateForbids(_l("Ce ticket n'est plus votre ticket en cours."))
    return finalise(session, cursor, ticket, staff_code, staff_name)


def finalise(session: Session, cursor, ticket, staff_code: str, staff_name: str) -> Finished:
    """The common end of a sale and a refund: checks, VAT totals while the ticket is still
    open (the triggers refuse them afterwards), the number, the final row, journal, jobs.
    `ticket` is read by column name: the ticket's row, or a dict of the same names.
    A training ticket takes its number in the training series, signs in the training chain,
    prints FACTICE and opens no drawer (the drawer holds the day's real cash only)."""
    ticket_id, uuid, register_code = ticket["id"], ticket["uuid"], ticket["register_code"]
    training = bool(ticket["training"])
    kind, discount, total = ticket["kind"], ticket["discount_cents"], ticket["total_cents"]
    lines = cursor.execute(
        "SELECT position, product_code, label, quantity_milli, unit, unit_price_cents, discount_cents,"
        " total_cents, vat_rate_bp"
        " FROM ticket_line WHERE ticket_id = ? ORDER BY position",
        (ticket_id,),
    ).fetchall()
    if not lines:
        raise InvalidInput(_l("Le ticket est vide."))
    payments = cursor.execute(
        "SELECT p.method_code, p.method_name, p.amount_cents, p.tendered_cents, p.change_cents, p.reference,"
        " p.titre_service_issuer, m.counted_in_drawer, m.store_credit FROM payment p"
        " LEFT JOIN payment_method m ON m.code = p.method_code"
        " WHERE p.ticket_id = ? ORDER BY p.id",
        (ticket_id,),
    ).fetchall()
    due = total - sum(p["amount_cents"] for p in payments)
    if due > 0:
        raise InvalidInput(_l("Il reste %(due)s à payer."), due=format_euros(due))
    if due < 0:
        raise InvalidInput(_l("Il reste %(due)s à rembourser."), due=format_euros(-due))

    taxes = vat_totals(((line["vat_rate_bp"], line["total_cents"]) for line in lines), discount or 0)
    cursor.executemany(
        "INSERT INTO ticket_tax (ticket_id, rate_bp, base_cents, tax_cents, total_cents) VALUES (?, ?, ?, ?, ?)",
        [(ticket_id, t["rate_bp"], t["base_cents"], t["tax_cents"], t["total_cents"]) for t in taxes],
    )
    number = next_number(session, register_code, "training" if training else "ticket")
    finished_at = utcnow()
    cursor.execute(
        _FINISH_TRAINING if training else _FINISH,
        (number, sql_time(finished_at), staff_code, staff_name, ticket_id),
    )
    if cursor.rowcount != 1:
        raise StateForbids(_l("Ce ticket n'est plus votre ticket en cours."))
    record(
        session,
        "finish_ticket" if kind == TicketKind.SALE else "refund",
        actor=staff_code,
        register_code=register_code,
        subject_uuid=uuid,
        number=number,
        total_cents=total,
        **({"training": True} if training else {}),
    )
    original = (
        cursor.execute(
            "SELECT COALESCE(number, training_number) AS number, uuid FROM ticket WHERE id = ?",
            (ticket["original_ticket_id"],),
        ).fetchone()
        if ticket["original_ticket_id"]
        else None
    )
    signed = sign_ticket(
        session,
        register_code,
        {
            "uuid": uuid,
            "number": number,
            "kind": kind,
            "status": TicketStatus.FINISHED,
            "finished_at": finished_at,
            "original_uuid": original["uuid"] if original else None,
            "seller": {"code": staff_code},
            "total_cents": total,
            "discount_cents": discount,
            "taxes": taxes,
            "lines": lines,
            "payments": [dict(p) for p in payments],
            "training": training,
        },
    )
    original_number = original["number"] if original else None
    ticket_data = {
        "uuid": uuid,
        "number": number,
        "kind": kind,
        "finished_at": finished_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seller_name": staff_name,
        "original_number": original_number,
        "lines": [dict(line) for line in lines],
        "discount_cents": discount,
        "total_cents": total,
        "taxes": taxes,
        "payments": [
            {
                "method_name": p["method_name"],
                "amount_cents": p["amount_cents"],
                "tendered_cents": p["tendered_cents"],
                "change_cents": p["change_cents"],
                "reference": p["reference"],
                "credit_note": _credit_note(cursor, p["reference"], training) if p["store_credit"] else None,
            }
            for p in payments
        ],
        "signature": signed.extract,
        "software": SOFTWARE,
        "training": training,
    }
    queue_receipt(session, uuid, register_code, ticket_data)
    if not training and any(p["counted_in_drawer"] for p in payments):
        queue_drawer_kick(session, uuid, number)
    session.commit()
    return Finished(uuid, number, kind, total, training)


def _credit_note(cursor, code: str, training: bool) -> dict | None:
    """For the receipt: the credit note a payment issued or spent from, as it stands now."""
    found = balance(cursor, code, training) if code else None
    return (
        None
        if found is None
        else {
            "code": found.code,
            "left_cents": found.balance_cents,
            "expires_on": found.expires_on.isoformat(),
        }
    )
