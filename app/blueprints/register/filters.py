"""The filters of the register's document lists (Liste des DC/RC, the safe's Liste des
opérations), read from the address the same way for both: what parsing cannot read is
refused with its message, and each list checks the types it knows."""

from flask import request

from app.services.closing.listing import ListFilter
from app.services.parsing import parse_amount, parse_day, parse_id, parse_number_part


def list_filters() -> ListFilter:
    args = request.args
    amount = (args.get("montant") or "").strip()
    return ListFilter(
        number=parse_number_part(args.get("numero")),
        kind=(args.get("type") or "").strip() or None,
        amount_cents=parse_amount(amount) if amount else None,
        day=parse_day(args.get("jour")),
        method_code=(args.get("mode") or "").strip() or None,
        cashier_code=(args.get("caissier") or "").strip() or None,
        before_id=parse_id(args.get("avant")),
    )
