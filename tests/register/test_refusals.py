"""What bad input gets on the smaller screens and actions of issues 5 and 6 (cash movements,
closed days, cancelling from the closing refusal, tickets aside, returns): a message, and
nothing changed."""

import pytest

from app.extensions import db
from app.models import RegisterDay
from tests.support.screens import Kiosk
from tests.support.till import refused, sell


@pytest.fixture
def manager(app):
    screen = Kiosk(app.test_client())
    screen.sign_in("/caisse/mouvements")
    return screen


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"amount": "-5"}, 422, "Le montant ne peut pas être négatif."),
        ({"amount": "abc"}, 422, "n'est pas un montant"),
        ({"amount": ""}, 422, "Saisissez un montant."),
        ({"amount": "20000"}, 422, "Le montant doit être entre 0,01 € et"),
        ({"reason": ""}, 422, "Donnez le motif du mouvement."),
        ({"kind": "other"}, 422, "Choisissez une entrée ou une sortie."),
        ({"kind": "out", "amount": "200"}, 422, "il n'y a que 150,00"),
        ({"password": "0000"}, 403, "Mot de passe incorrect."),
        ({"person": "VEND02", "password": "2222"}, 403, "(entrées et sorties d'espèces)"),
    ],
)
def test_bad_cash_movements(kiosk, manager, till, fields, status, message):
    movement = {"kind": "in", "amount": "10", "reason": "Monnaie", "person": "RESP01", "password": "1234"}
    movement.update(fields)
    refused(manager, till, lambda: manager.post("/caisse/mouvements", htmx=True, **movement), status, message)


def test_cash_movements_need_an_open_register(app, client, till):
    screen = Kiosk(client)
    screen.open("/")
    screen.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    refused(
        screen,
        till,
        lambda: screen.post(
            "/caisse/mouvements",
            htmx=True,
            kind="in",
            amount="10",
            reason="x",
            person="RESP01",
            password="1234",
        ),
        409,
        "La caisse n'est pas ouverte.",
    )


def test_cancelling_from_the_closing_refusal_needs_a_reason_a_password_and_a_ticket(kiosk, manager, till):
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    kiosk.post("/vente/suspend")
    [aside] = till.tickets(status="suspended")
    url = f"/fermeture/tickets/{aside.uuid}/annuler"
    refused(
        manager,
        till,
        lambda: manager.post(url, htmx=True, person="RESP01", password="1234", reason=""),
        422,
        "Donnez le motif de l'annulation.",
    )
    refused(
        manager,
        till,
        lambda: manager.post(url, htmx=True, person="RESP01", password="9", reason="Parti"),
        403,
        "Mot de passe incorrect.",
    )
    refused(
        manager,
        till,
        lambda: manager.post(
            "/fermeture/tickets/nope/annuler", htmx=True, person="RESP01", password="1234", reason="Parti"
        ),
        409,
        "Ce ticket n'est plus en cours.",
    )


def test_closed_days_unknown_or_still_open(kiosk, manager, till, app):
    assert manager.client.get("/journees/nope").status_code == 404
    with app.app_context():
        open_day = db.session.scalars(db.select(RegisterDay)).one().uuid
        db.session.remove()
    assert manager.client.get(f"/journees/{open_day}").status_code == 404
    manager.open("/journees")
    refused(
        manager,
        till,
        lambda: manager.post(f"/journees/{open_day}/reimprimer", htmx=True, person="RESP01", password="1234"),
        409,
        "Cette journée n'est pas fermée.",
    )


def test_tickets_aside_refusals(kiosk, till):
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/suspend", htmx=True),
        409,
        "Le ticket est vide : rien à mettre en attente.",
    )
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    kiosk.post("/vente/pay", htmx=True, method="CB", amount="1")
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/suspend", htmx=True),
        409,
        "Un ticket déjà en partie payé ne peut pas être mis en attente.",
    )
    [ticket] = till.tickets()
    refused(
        kiosk,
        till,
        lambda: kiosk.post(f"/vente/resume/{ticket.uuid}", htmx=True),
        409,
        "Ce ticket n'est plus en attente",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/payments/nope/remove", htmx=True),
        409,
        "Ce paiement n'est plus sur votre ticket en cours.",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post(
            "/vente/cancel", htmx=True, ticket=ticket.uuid, person="RESP01", password="1234", reason="Parti"
        ),
        409,
        "Retirez d'abord les paiements saisis sur ce ticket.",
    )


def test_return_refusals(kiosk, till):
    sold = sell(kiosk, till, ["Baguette tradition"])
    kiosk.open("/vente?panel=return")
    kiosk.post("/vente/return", number=str(sold.number))
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/return/lines/999999", htmx=True, quantity="1", unit="unit"),
        422,
        "Cette ligne n'est pas sur le ticket d'origine.",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/refund", htmx=True, method="ESP", person="RESP01", password="1234"),
        422,
        "Choisissez au moins un article à retourner.",
    )
    kiosk.post(f"/vente/return/lines/{sold.lines[0].id}", htmx=True, quantity="1", unit="unit")
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/refund", htmx=True, method="CHQ", person="RESP01", password="1234"),
        422,
        "On ne rembourse pas en Chèque.",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/refund", htmx=True, method="TS", person="RESP01", password="1234"),
        422,
        "On ne rembourse jamais en titre-service",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant")),
        409,
        "Un retour est en cours",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/pay", htmx=True, method="ESP", amount="1"),
        409,
        "Un retour se rembourse avec le bouton Rembourser.",
    )
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/return/abandon", htmx=True),
        409,
        "Des articles sont déjà sur ce retour",
    )
