"""One layout per document, built from the JSON payload the selling and closing services
store with the job. The wording is French whatever the screen's language: a receipt is a
document of a French shop, and the worker prints with no request (and no language) at all.

Kinds: receipt, z_report, report, cash, count (z_report, report and count share the generic report layout;
a cash document — DC/RC — has its own, and a cash job queued before it existed keeps the
report's), test, drawer."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from app.devices.document import Barcode, Cut, Document, Kick
from app.money import format_euros
from app.states import PrintJobKind, TicketKind

REPORT_KINDS = (PrintJobKind.Z_REPORT, PrintJobKind.REPORT, PrintJobKind.CASH, PrintJobKind.COUNT)
DOCUMENT_KINDS = (PrintJobKind.RECEIPT, *REPORT_KINDS, PrintJobKind.TEST)
KINDS = (*DOCUMENT_KINDS, PrintJobKind.DRAWER)


class LayoutError(ValueError):
    """The payload cannot be laid out: retrying will not help, the job is set aside."""


def build(
    kind: str, payload: dict, *, copy_number: int = 0, interrupted: bool = False, drawer_pin: int = 2
) -> Document:
    try:
        if kind == PrintJobKind.DRAWER:
            return Document([Kick(drawer_pin)])
        document = Document()
        _banners(document, copy_number, interrupted)
        if kind == PrintJobKind.RECEIPT:
            _receipt(document, payload)
        elif kind == PrintJobKind.CASH and "cash_document" in payload:
            _cash_document(document, payload)
        elif kind in REPORT_KINDS:
            _report(document, payload)
        elif kind == PrintJobKind.TEST:
            _test_page(document, payload)
        else:
            raise LayoutError(f"type de document inconnu : {kind}")
        if copy_number > 0 and payload.get("copy_signature"):
            document.line(f"Copie signée {payload['copy_signature']}", align="center")
        _banners(document, copy_number, interrupted, footer=True)
        document.append(Cut())
        return document
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, LayoutError):
            raise
        raise LayoutError(f"document illisible ({type(error).__name__}: {error})") from error


def _banners(document: Document, copy_number: int, interrupted: bool, footer=False) -> None:
    # A copy must never pass for the original (reprints are marked DUPLICATA n°k), and a
    # document sent again after a crash may already exist on paper.
    if copy_number > 0:
        document.line(f"DUPLICATA n°{copy_number}", align="center", bold=True, double=not footer)
    if interrupted:
        document.line("REIMPRESSION APRES INCIDENT", align="center", bold=True)
        if not footer:
            document.line("(peut-être déjà imprimé)", align="center")
    if (copy_number > 0 or interrupted) and not footer:
        document.separator("=")


def local(moment_iso: str | None, zone: str | None) -> str:
    if not moment_iso:
        return ""
    moment = datetime.fromisoformat(moment_iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(zone or "Europe/Paris")).strftime("%d/%m/%Y %H:%M")


def _quantity(milli: int, unit: str) -> str:
    if unit == "kg":
        return f"{milli / 1000:.3f}".replace(".", ",") + " kg"
    if milli % 1000 == 0:
        return str(milli // 1000)
    return f"{milli / 1000:g}".replace(".", ",")


def _rate(rate_bp: int) -> str:
    return f"{rate_bp / 100:.2f}".replace(".", ",") + " %"


def _identity(document: Document, payload: dict) -> None:
    document.line(
        f"Caisse {payload.get('register_code') or '-'} - Terminal "
        f"{payload.get('terminal') or '-'} ({payload.get('device_name') or '-'})"
    )


TRAINING = "FACTICE — MODE ÉCOLE"


def _training(document: Document, ticket: dict, footer=False) -> None:
    # A training receipt must never pass for a real one (NF525: training data clearly marked).
    if ticket.get("training"):
        if footer:
            document.separator("=")
        document.line(TRAINING, align="center", bold=True)
        if not footer:
            document.separator("=")


def _receipt(document: Document, payload: dict) -> None:
    shop, ticket = payload["shop"], payload["ticket"]
    zone = payload.get("timezone")
    _training(document, ticket)
    document.line(shop["name"], align="center", bold=True, double=True)
    for text in (shop.get("address") or "").splitlines():
        document.line(text, align="center")
    if shop.get("vat_number"):
        document.line(f"TVA intracom. {shop['vat_number']}", align="center")
    for text in payload.get("header_lines") or []:
        document.line(text, align="center")
    document.separator()
    is_return = ticket.get("kind") == TicketKind.RETURN
    title = ("RETOUR" if is_return else "Ticket") + (" ÉCOLE" if ticket.get("training") else "")
    document.row(f"{title} n° {ticket['number']}", local(ticket.get("finished_at"), zone), bold=True)
    if is_return and ticket.get("original_number") is not None:
        document.line(f"Retour du ticket n° {ticket['original_number']}")
    _identity(document, payload)
    if ticket.get("seller_name"):
        document.line(f"Vendeur : {ticket['seller_name']}")
    document.separator()
    for line in ticket["lines"]:
        quantity, unit_price = int(line["quantity_milli"]), int(line["unit_price_cents"])
        if quantity == 1000 and line.get("unit", "unit") == "unit":
            document.row(line["label"], format_euros(line["total_cents"]))
        else:
            per = "/kg" if line.get("unit") == "kg" else ""
            document.line(line["label"])
            document.row(
                f"  {_quantity(quantity, line.get('unit', 'unit'))} x {format_euros(unit_price)}{per}",
                format_euros(line["total_cents"]),
            )
        if line.get("discount_cents"):
            document.row("  Remise", format_euros(-abs(int(line["discount_cents"]))))
    document.separator()
    if ticket.get("discount_cents"):
        document.row("Remise sur le ticket", format_euros(-abs(int(ticket["discount_cents"]))))
    document.row("TOTAL", format_euros(ticket["total_cents"]), bold=True, double=True)
    document.separator()
    for payment in ticket.get("payments") or []:
        document.row(payment["method_name"], format_euros(payment["amount_cents"]))
        if payment.get("tendered_cents") is not None:
            document.row("  Reçu", format_euros(payment["tendered_cents"]))
        if payment.get("change_cents"):
            document.row("  Rendu", format_euros(payment["change_cents"]))
        note = payment.get("credit_note")
        if note:
            _credit_note(document, note, issued=int(payment["amount_cents"]) < 0)
        elif payment.get("reference"):
            document.line(f"  Réf. {payment['reference']}")
    taxes = ticket.get("taxes") or []
    if taxes:
        document.separator()
        document.row("TVA", "HT / TVA / TTC")
        for tax in taxes:
            document.row(
                f"{_rate(tax['rate_bp'])}",
                f"{format_euros(tax['base_cents'])} / {format_euros(tax['tax_cents'])}"
                f" / {format_euros(tax['total_cents'])}",
            )
    document.separator()
    for text in payload.get("footer_lines") or ["Merci de votre visite"]:
        document.line(text, align="center")
    if ticket.get("signature"):
        document.line(
            f"Signature {ticket['signature']} - {ticket.get('software') or 'Comptoir'}", align="center"
        )
    document.line(ticket["uuid"], align="center")
    _training(document, ticket, footer=True)


def _credit_note(document: Document, note: dict, *, issued: bool) -> None:
    """An issued credit note is what the customer keeps: its code big enough to type, and
    scannable (GS1 coupon EAN-13)."""
    last_day = "/".join(reversed(note["expires_on"].split("-")))
    if issued:
        document.line(f"AVOIR n° {note['code']}", align="center", bold=True)
        document.append(Barcode(note["code"]))
        document.line(f"Valable jusqu'au {last_day}", align="center")
    else:
        document.line(f"  Avoir n° {note['code']}")
        document.row("  Reste sur l'avoir", format_euros(max(int(note["left_cents"]), 0)))


def _report(document: Document, payload: dict) -> None:
    document.line(payload["title"], align="center", bold=True, double=True)
    for text in payload.get("subtitle_lines") or []:
        document.line(text, align="center")
    _identity(document, payload)
    document.line(f"Imprimé le {local(payload.get('printed_at'), payload.get('timezone'))}")
    for section in payload.get("sections") or []:
        document.separator()
        if section.get("title"):
            document.line(section["title"], bold=True)
        for label, value in section.get("rows") or []:
            document.row(label, value)
    document.separator()
    for text in payload.get("footer_lines") or []:
        document.line(text, align="center")


# The manual's words for a cash document's type and payer (Liste des DC/RC).
_CASH_TYPES = {"DC": "Dépense", "RC": "Recette"}
_PAYER_KINDS = {"customer": "Client", "employee": "Employé"}


def _cash_document(document: Document, payload: dict) -> None:
    """A DC (money out of the drawer) or an RC (money in): the document, not a report."""
    cash = payload["cash_document"]
    if payload.get("shop_name"):
        document.line(payload["shop_name"], align="center", bold=True)
    number = f" N° {cash['number']}" if cash.get("number") else ""
    document.line(f"{cash['code']}{number}", align="center", bold=True, double=True)
    document.line(f"Document de caisse - {_CASH_TYPES.get(cash['code'], cash['code'])}", align="center")
    _identity(document, payload)
    document.line(f"Le {local(payload.get('printed_at'), payload.get('timezone'))}")
    document.separator()
    document.row("Montant", format_euros(int(cash["amount_cents"])), bold=True)
    document.row("Mode de paiement", cash["method"])
    if cash.get("payer"):
        document.row(f"Payant ({_PAYER_KINDS.get(cash.get('payer_kind'), '-')})", cash["payer"])
    document.line("Description :")
    document.line(f"  {cash['description']}")
    document.row("Établi par", cash["by"])
    document.separator()
    document.line("Signature du responsable :")
    document.line("")
    document.line("")
    if payload.get("signature"):
        document.line(f"Signature {payload['signature']}", align="center")
    for text in payload.get("footer_lines") or []:
        document.line(text, align="center")


def _test_page(document: Document, payload: dict) -> None:
    document.line("PAGE DE TEST", align="center", bold=True, double=True)
    document.line("Comptoir", align="center")
    _identity(document, payload)
    document.line(f"Imprimante : {payload.get('printer') or '-'}")
    document.line(f"Largeur : {payload.get('columns') or '-'} colonnes")
    document.line(f"Imprimé le {local(payload.get('printed_at'), payload.get('timezone'))}")
    document.separator()
    document.row("Euro", format_euros(1640))
    document.line("Accents : é è ê à ç ù ô É À Ç")
    document.row("Gras", "GRAS", bold=True)
    document.separator()
    document.line(("1234567890" * 8)[: int(payload.get("columns") or 48)])
