"""What the selling screen shows: the ticket, and one side panel chosen by the server."""

from flask import request, session

from app.blueprints.screens import render_partial, render_screen
from app.extensions import db
from app.services.lifecycle import register_state
from app.services.parsing import read_whole
from app.services.people import staff_list
from app.services.selling import current_ticket, returnable_lines, tickets_aside
from app.services.selling.catalog import categories, products_of, search_products
from app.services.selling.payments import change_cents, due_cents, paid_cents, payable_methods
from app.services.selling.receipt import last_receipt
from app.services.selling.returns import refund_methods
from app.states import TicketKind

PANELS = ("catalog", "pay", "aside", "return", "line", "discount", "cancel", "receipt")


def ticket_context(work) -> dict:
    ticket = current_ticket(db.session, work)
    return {
        "work": work,
        "ticket": ticket,
        "has_lines": bool(ticket and ticket.lines),
        "paid": paid_cents(ticket) if ticket else 0,
        "due": due_cents(ticket) if ticket else 0,
        "change": change_cents(ticket) if ticket else 0,
    }


def panel_context(work, ticket, panel: str) -> dict:
    """The side panel's data. An open return always shows the return panel."""
    if ticket is not None and ticket.kind == TicketKind.RETURN and panel not in ("cancel",):
        panel = "return"
    context = {"panel": panel}
    if panel in ("line", "discount", "cancel", "return"):
        context["people"] = staff_list(db.session)
    if panel == "catalog":
        chosen = request.args.get("category", "")
        offset = read_whole(request.args.get("offset"), max_digits=6) or 0
        query = request.args.get("q", "")
        context.update(
            categories=categories(db.session),
            category=chosen,
            offset=offset,
            products=products_of(db.session, chosen, offset=offset) if chosen else [],
            query=query,
            results=search_products(db.session, query),
        )
    elif panel == "pay":
        context["methods"] = payable_methods(db.session)
        context["method"] = request.args.get("method", "")
    elif panel == "aside":
        context["aside"] = tickets_aside(db.session, work.day.id)
    elif panel == "return":
        context["methods"] = refund_methods(db.session)
        context["returnable"] = (
            returnable_lines(db.session, ticket) if ticket and ticket.kind == TicketKind.RETURN else []
        )
    elif panel == "line":
        line_id = request.args.get("line", "")
        context["line"] = next(
            (line for line in (ticket.lines if ticket else []) if str(line.id) == line_id), None
        )
        if context["line"] is None:
            context["panel"] = "catalog"
            return panel_context(work, ticket, "catalog")
    elif panel == "cancel":
        uuid = request.args.get("ticket", "") or (ticket.uuid if ticket else "")
        context["cancel_uuid"] = uuid
    elif panel == "receipt":
        receipt, text = last_receipt(db.session, session.get("last_receipt")) or (None, "")
        context["receipt"] = receipt
        context["receipt_text"] = text
    return context


def render_scanned(work, scanned):
    """After a scan: the new or changed line and the totals, not the whole ticket again."""
    ticket, line = scanned.ticket, scanned.line
    return render_partial(
        "selling/_scanned.html",
        work=work,
        ticket=ticket,
        line=line,
        merged=scanned.merged,
        first=line.position == 1 and not scanned.merged,
        has_lines=True,
        paid=scanned.paid_cents,
        due=ticket.total_cents - scanned.paid_cents,
        change=scanned.change_cents,
    )


def render_selling(work, *, panel: str = "catalog", template="selling/page.html", **extra):
    """The whole screen, or one fragment of it for HTMX (then no status strip is drawn)."""
    context = ticket_context(work)
    context.update(panel_context(work, context["ticket"], panel))
    context.update(extra)
    if template == "selling/page.html":
        return render_screen(template, register_state(db.session), **context)
    return render_partial(template, **context)
