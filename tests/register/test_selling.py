"""The selling screen over HTTP (docs/selling.md): building a ticket, paying, Valider, tickets aside,
cancellations. Each refusal: a message, and nothing changed in the database."""

import pytest

from app.models import Ticket
from tests.support.screens import Kiosk, close_on_screen
from tests.support.till import open_till, refused


def scan(kiosk, code):
    return kiosk.post("/vente/scan", htmx=True, code=code)


def pay(kiosk, method, amount, reference=None):
    return kiosk.post("/vente/pay", htmx=True, method=method, amount=amount, reference=reference)


def current(till) -> Ticket:
    [ticket] = till.tickets(status="open")
    return ticket


# --- building the ticket --------------------------------------------------------------


def test_scanned_barcodes_make_lines_and_the_total(kiosk, till):
    for name in ("Baguette tradition", "Croissant", "Baguette tradition"):
        page = scan(kiosk, till.barcode(name))
        assert kiosk.response.status_code == 200
    # A scan answers with what changed only: the new line and the totals.
    assert "Baguette tradition" in page.body and "Croissant" not in page.body
    assert 'hx-swap-oob="beforeend:#lines"' in kiosk.response.get_data(as_text=True)
    page = kiosk.open("/vente")
    assert "Croissant" in page.body
    ticket = current(till)
    assert [(line.label, line.quantity_milli) for line in ticket.lines] == [
        ("Baguette tradition", 1000),
        ("Croissant", 1000),
        ("Baguette tradition", 1000),
    ]
    assert ticket.total_cents == sum(line.total_cents for line in ticket.lines)
    assert f"Total {ticket.total_cents // 100},{ticket.total_cents % 100:02d}" in page.body


def test_the_same_article_scanned_twice_in_a_row_counts_two(kiosk, till):
    code = till.barcode("Baguette tradition")
    scan(kiosk, code)
    page = scan(kiosk, code)
    [line] = current(till).lines
    assert line.quantity_milli == 2000 and line.total_cents == 260
    assert "2 × 1,30 €" in page.body


def test_an_unknown_barcode_is_refused_and_the_ticket_is_unchanged(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    page = refused(kiosk, till, lambda: scan(kiosk, "3000000000000"), 422, "Code inconnu : 3000000000000")
    assert kiosk.response.headers["HX-Retarget"] == "#messages"
    assert page.messages == ["Code inconnu : 3000000000000"]


def test_an_article_from_the_category_grid(kiosk, till):
    product = till.product("Croissant")
    kiosk.open(f"/vente?panel=catalog&category={product.category_code}")
    assert "Croissant" in kiosk.page.buttons.__str__()
    kiosk.post(f"/vente/product/{product.code}", htmx=True, unit="unit")
    assert [line.label for line in current(till).lines] == ["Croissant"]


def test_a_weighed_article_needs_its_weight(kiosk, till):
    apples = till.product("Pommes Golden")
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/product/{apples.code}", htmx=True, unit="kg"),
        422,
        "Pommes Golden se vend au poids",
    )
    kiosk.post(f"/vente/product/{apples.code}", htmx=True, unit="kg", quantity="0,250")
    [line] = current(till).lines
    assert (line.quantity_milli, line.unit, line.total_cents) == (250, "kg", 62)  # 2,49 € × 0,25


def test_search_finds_articles_as_you_type(kiosk):
    response = kiosk.client.get("/vente/search?q=croiss", headers={"HX-Request": "true"})
    assert "Croissant" in response.get_data(as_text=True)
    response = kiosk.client.get("/vente/search?q=zzzz", headers={"HX-Request": "true"})
    assert "Aucun article ne correspond" in response.get_data(as_text=True)


def test_price_and_weight_embedded_barcodes(kiosk, till):
    cheese = till.product("Pommes Golden")
    tin = till.product("Croissant")
    till.sql(
        "INSERT INTO barcode (code, product_code) VALUES ('2123456', :p), ('2654321', :k)",
        p=tin.code,
        k=cheese.code,
    )
    scan(kiosk, ean13("212345601250"))  # a price label: 12,50 €
    scan(kiosk, ean13("265432100750"))  # a scale label: 0,750 kg
    first, second = current(till).lines
    assert (first.unit_price_cents, first.quantity_milli, first.total_cents) == (1250, 1000, 1250)
    assert (second.quantity_milli, second.total_cents) == (750, 187)  # 2,49 €/kg × 0,750
    refused(kiosk, till, lambda: scan(kiosk, "2123456012509"), 422, "Code inconnu")  # bad check digit


def ean13(twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return twelve + str((10 - total % 10) % 10)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("0", "La quantité doit être supérieure à zéro."),
        ("-2", "La quantité ne peut pas être négative."),
        ("1,5", "Cet article se vend à l'unité"),
        ("1000", "Quantité trop grande"),
        ("abc", "n'est pas une quantité"),
    ],
)
def test_bad_quantities_are_refused(kiosk, till, typed, message):
    scan(kiosk, till.barcode("Baguette tradition"))
    line = current(till).lines[0]
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/lines/{line.id}/quantity", htmx=True, quantity=typed, unit="unit"),
        422,
        message,
    )


def test_quantity_change_and_removal_are_journaled(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    line = current(till).lines[0]
    kiosk.post(f"/vente/lines/{line.id}/quantity", htmx=True, quantity="3", unit="unit")
    assert current(till).lines[0].quantity_milli == 3000
    kiosk.post(f"/vente/lines/{line.id}/quantity", htmx=True, step="-1")
    assert current(till).lines[0].quantity_milli == 2000
    kiosk.post(f"/vente/lines/{line.id}/remove", htmx=True)
    assert till.tickets() == []  # the emptied draft never had a number
    assert [j.action for j in till.journal()][-2:] == ["line_quantity_lowered", "remove_line"]


# --- discounts ------------------------------------------------------------------------


def test_a_seller_without_the_right_cannot_discount(app, client, till):
    kiosk = open_till(app, client, person="VEND02", password="2222")
    scan(kiosk, till.barcode("Baguette tradition"))
    line = current(till).lines[0]
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/lines/{line.id}/discount", htmx=True, percent="10"),
        403,
        "Vous n'avez pas le droit de faire une remise",
    )
    assert till.journal("discount", "refused")


def test_discounts_within_the_right_and_beyond_it_with_a_manager(kiosk, till):
    till.sql("UPDATE register SET max_discount_percent = 20")
    scan(kiosk, till.barcode("Baguette tradition"))
    scan(kiosk, till.barcode("Croissant"))
    line = current(till).lines[0]
    kiosk.post(f"/vente/lines/{line.id}/discount", htmx=True, percent="10")
    assert current(till).lines[0].discount_cents == 13
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/lines/{line.id}/discount", htmx=True, percent="50"),
        403,
        "Remise au-delà de 20 %",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post(
            f"/vente/lines/{line.id}/discount", htmx=True, percent="50", person="RESP01", password="0000"
        ),
        403,
        "Mot de passe incorrect",
    )
    kiosk.post(f"/vente/lines/{line.id}/discount", htmx=True, percent="50", person="RESP01", password="1234")
    discounted = current(till).lines[0]
    assert (discounted.discount_cents, discounted.discount_allowed_by_code) == (65, "RESP01")
    kiosk.post("/vente/discount", htmx=True, amount="0,20")
    ticket = current(till)
    assert ticket.discount_cents == 20
    assert ticket.total_cents == sum(line.total_cents for line in ticket.lines) - 20
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/discount", htmx=True, amount="99"),
        422,
        "La remise dépasse le total du ticket",
    )
    assert [j.actor_code for j in till.journal("discount", "ok")] == ["VEND01", "VEND01", "VEND01"]


# --- payments and Valider -------------------------------------------------------------


def test_cash_gives_change_and_valider_makes_the_ticket_final(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))  # 1,30 €
    page = pay(kiosk, "ESP", "5")
    assert "Rendu 3,70 €" in page.body
    ticket = current(till)
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=ticket.uuid)
    assert "Rendu : 3,70 €" in kiosk.page.body and "Ticket n° 1" in kiosk.page.body
    [done] = till.tickets()
    assert (done.status, done.number, done.total_cents) == ("finished", 1, 130)
    assert [(t.rate_bp, t.base_cents, t.tax_cents, t.total_cents) for t in done.taxes] == [(550, 123, 7, 130)]
    assert [p.change_cents for p in done.payments] == [370]
    assert till.print_jobs() == [("receipt", done.uuid, "queued"), ("drawer", None, "queued")]
    assert till.journal("finish_ticket", "ok")


def test_card_and_cash_on_one_ticket(kiosk, till):
    for name in ("Baguette tradition", "Croissant", "Pain au chocolat"):
        scan(kiosk, till.barcode(name))
    total = current(till).total_cents
    refused(
        kiosk,
        till,
        lambda: pay(kiosk, "CB", "999"),
        422,
        "Le paiement par Carte Bancaire ne peut pas dépasser le reste à payer",
    )
    pay(kiosk, "CB", "2", reference="A1B2C3")
    page = pay(kiosk, "ESP", "10")
    assert f"Rendu {money(1000 - (total - 200))}" in page.body
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=current(till).uuid)
    [done] = till.tickets()
    assert [(p.method_code, p.amount_cents, p.reference) for p in done.payments] == [
        ("CB", 200, "A1B2C3"),
        ("ESP", total - 200, None),
    ]
    assert sum(t.total_cents for t in done.taxes) == done.total_cents


def money(cents):
    return f"{cents // 100},{cents % 100:02d} €"


def test_a_cheque_needs_its_number_and_never_gives_change(kiosk, till):
    """Methods counted as items; titres-service have their own rules (test_selling_titres.py)."""
    scan(kiosk, till.barcode("Baguette tradition"))
    refused(kiosk, till, lambda: pay(kiosk, "CHQ", "1,30"), 422, "Saisissez le numéro du chèque")
    refused(
        kiosk,
        till,
        lambda: pay(kiosk, "CHQ", "8", reference="CHQ-123"),
        422,
        "Chèque ne rend pas de monnaie",
    )
    pay(kiosk, "CHQ", "1,30", reference="CHQ-123")
    assert current(till).payments[0].reference == "CHQ-123"


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "Le montant ne peut pas être négatif."),
        ("abc", "n'est pas un montant"),
        ("", "Saisissez un montant."),
        ("0", "Le montant doit être supérieur à zéro."),
        ("5000", "vérifiez le montant"),
    ],
)
def test_bad_payment_amounts_are_refused(kiosk, till, amount, message):
    scan(kiosk, till.barcode("Baguette tradition"))
    refused(kiosk, till, lambda: pay(kiosk, "ESP", amount), 422, message)


def test_an_unpaid_ticket_cannot_be_finished(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    pay(kiosk, "CB", "1")
    uuid = current(till).uuid
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/finish", htmx=True, ticket=uuid),
        422,
        "Il reste 0,30 € à payer.",
    )


def test_valider_tapped_twice_makes_one_ticket(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    pay(kiosk, "CB", "1,30")
    uuid = current(till).uuid
    kiosk.open("/vente?panel=pay")
    form_page = kiosk.page
    kiosk.post("/vente/finish", htmx=True, ticket=uuid)
    # The receipt is swapped in place (no new page to load before the next scan).
    assert "HX-Redirect" not in kiosk.response.headers
    assert 'aria-label="Aperçu du ticket"' in kiosk.response.get_data(as_text=True)
    kiosk.page = form_page  # the second tap comes from the same page
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/finish", htmx=True, ticket=uuid),
        409,
        "Ce ticket est déjà validé (n° 1).",
    )
    assert [t.number for t in till.tickets()] == [1]


def test_numbers_follow_each_other_without_gaps(kiosk, till):
    for _ in range(3):
        scan(kiosk, till.barcode("Baguette tradition"))
        pay(kiosk, "CB", "1,30")
        kiosk.open("/vente?panel=pay")
        kiosk.post("/vente/finish", ticket=current(till).uuid)
    assert [t.number for t in till.tickets()] == [1, 2, 3]


def test_a_finished_ticket_cannot_be_changed_even_in_sql(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    pay(kiosk, "CB", "1,30")
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=current(till).uuid)
    for statement in (
        "UPDATE ticket SET total_cents = 0",
        "DELETE FROM ticket_line",
        "UPDATE payment SET amount_cents = 1",
        "DELETE FROM ticket_tax",
    ):
        with pytest.raises(Exception, match="a finished ticket cannot change"):
            till.sql(statement)


# --- tickets aside, cancellations, logging out ----------------------------------------


def test_a_ticket_set_aside_is_taken_back_later(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    kiosk.post("/vente/suspend")
    assert "Tickets en attente" in kiosk.page.body and "1,30 €" in kiosk.page.body
    [aside] = till.tickets(status="suspended")
    scan(kiosk, till.barcode("Croissant"))
    kiosk.open("/vente?panel=aside")
    kiosk.post(f"/vente/resume/{aside.uuid}")
    assert current(till).uuid == aside.uuid
    assert [t.lines[0].label for t in till.tickets(status="suspended")] == ["Croissant"]


def test_cancelling_needs_the_right_a_password_and_a_reason(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    uuid = current(till).uuid
    kiosk.open("/vente?panel=cancel")

    def cancel(**fields):
        return kiosk.post("/vente/cancel", htmx=True, ticket=uuid, **fields)

    refused(
        kiosk,
        till,
        lambda: cancel(person="VEND01", password="1111", reason=""),
        422,
        "Donnez le motif de l'annulation.",
    )
    refused(
        kiosk,
        till,
        lambda: cancel(person="VEND01", password="1111", reason="Client parti"),
        403,
        "n'a pas le droit de faire cela (annuler un ticket)",
    )
    refused(
        kiosk,
        till,
        lambda: cancel(person="RESP01", password="9999", reason="Client parti"),
        403,
        "Mot de passe incorrect.",
    )
    cancel(person="RESP01", password="1234", reason="Client parti")
    [ticket] = till.tickets()
    assert (ticket.status, ticket.number, ticket.cancel_reason, ticket.cancelled_by_code) == (
        "cancelled",
        1,
        "Client parti",
        "RESP01",
    )
    assert till.journal("cancel_ticket", "ok")


def test_disconnecting_sets_the_ticket_aside(kiosk, till):
    scan(kiosk, till.barcode("Baguette tradition"))
    kiosk.post("/vente/disconnect")
    assert kiosk.response.request.path == "/caisse"
    assert [t.status for t in till.tickets()] == ["suspended"]


def test_selling_stops_when_the_register_was_closed_from_the_tablet(app, client, kiosk, till):
    tablet = app.test_client()
    manager = Kiosk(tablet)
    close_on_screen(manager, counted_ESP="150", force="1", force_reason="Fin de journée")
    assert till.state() == "D"
    before = till.dump()
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    assert kiosk.response.headers["HX-Redirect"] == "/vente"
    assert till.dump() == before
    page = kiosk.open("/vente")
    assert "La caisse a été fermée depuis un autre écran" in page.body


def test_the_closing_sees_tickets_in_progress(kiosk, till, app):
    scan(kiosk, till.barcode("Baguette tradition"))
    kiosk.post("/vente/suspend")
    manager = Kiosk(app.test_client())
    page = close_on_screen(manager)
    assert "Fermeture impossible : 1 ticket(s) en cours." in page.body
    assert "Vendeur1 De Caisse — 1,30 €" in page.body
    assert till.state() == "C"


def test_selling_works_with_head_office_down(kiosk, till, headoffice):
    from tests.support.helpers import head_office_down

    headoffice.override = head_office_down
    headoffice.exchanges.clear()
    scan(kiosk, till.barcode("Baguette tradition"))
    pay(kiosk, "ESP", "2")
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=current(till).uuid)
    assert [t.status for t in till.tickets()] == ["finished"]
    assert headoffice.exchanges == []


def test_every_selling_form_needs_its_csrf_token(kiosk, till):
    before = till.dump()
    response = kiosk.client.post(
        "/vente/scan", data={"code": till.barcode("Baguette tradition")}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "La page a expiré" in response.get_data(as_text=True)
    assert till.dump() == before


def test_the_selling_screen_speaks_english_too(kiosk, till):
    kiosk.post("/lang", lang="en", next="/vente")
    page = kiosk.open("/vente")
    assert "Set aside" in page.body and "Tickets set aside" in page.body
    page = scan(kiosk, "3000000000000")
    assert page.messages == ["Unknown code: 3000000000000"]


@pytest.mark.parametrize(
    "panel", ["catalog", "pay", "aside", "return", "discount", "cancel", "receipt", "line"]
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_panel_draws_in_both_languages(kiosk, till, panel, lang):
    kiosk.post("/lang", lang=lang, next="/vente")
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    line = current(till).lines[0]
    response = kiosk.client.get(
        f"/vente?panel={panel}&line={line.id}", headers={"HX-Request": "true", "HX-Target": "side"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    if panel in ("line", "discount"):
        assert ("Remise en %" if lang == "fr" else "Discount in %") in response.get_data(as_text=True)
