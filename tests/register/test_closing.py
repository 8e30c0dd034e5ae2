"""Closing and counting over HTTP (docs/closing.md): Fermer la caisse, the closing page, counts,
overrides, Valider la fermeture, the Z report, reopening. Each refusal: a message, nothing
changed."""

import json

import pytest

from app.extensions import db
from app.models import CashCount, CashMovement, ClosingLine, PrintJob, RegisterDay
from tests.support.closing import begin, validate
from tests.support.screens import Kiosk
from tests.support.till import open_till, refused, sell


@pytest.fixture
def seller(app, client):
    return open_till(app, client)  # 150,00 € float, VEND01 connected


@pytest.fixture
def manager(app):
    return Kiosk(app.test_client())


def a_day_of_sales(seller, till):
    """1,30 cash; 2,55 card; 3,40 cheque — and the seller leaves."""
    sell(seller, till, ["Baguette tradition"], [("ESP", "2", None)])
    sell(seller, till, ["Croissant", "Pain au chocolat"], [("CB", "2,55", None)])
    sell(seller, till, ["Pain aux céréales"], [("CHQ", "3,40", "1234567")])
    seller.post("/vente/disconnect")


def test_the_closing_page_shows_each_method_and_the_ticket_count(seller, manager, till):
    a_day_of_sales(seller, till)
    with_movement(manager, "out", "20", "Achat de timbres")
    page = begin(manager)
    assert manager.response.request.path == "/fermeture"
    assert "Nombre de ticket : 3" in page.body
    # Espèces: 150,00 float + 1,30 sales − 20,00 out = 131,30 expected.
    assert "Espèces 150,00 € 1,30 € 0,00 € 20,00 € 131,30 €" in page.body
    assert "Carte Bancaire 2,55 € 0,00 € 0,00 € 2,55 €" in page.body
    assert "Chèque 3,40 € (1) 0,00 € 0,00 € 3,40 €" in page.body


def with_movement(manager, kind, amount, reason):
    manager.open("/caisse/mouvements")
    manager.post(
        "/caisse/mouvements", kind=kind, amount=amount, reason=reason, person="RESP01", password="1234"
    )
    assert any("enregistré" in m for m in manager.page.messages), manager.page.messages


def test_closing_is_refused_while_tickets_are_in_progress_and_they_can_be_cancelled(seller, manager, till):
    seller.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    seller.post("/vente/suspend")
    page = begin(manager)
    assert manager.response.status_code == 409
    assert "Fermeture impossible : 1 ticket(s) en cours." in page.body
    [aside] = till.tickets(status="suspended")
    manager.post(
        f"/fermeture/tickets/{aside.uuid}/annuler", person="RESP01", password="1234", reason="Client parti"
    )
    assert [t.status for t in till.tickets()] == ["cancelled"]
    seller.post("/vente/disconnect")
    begin(manager)
    assert manager.response.request.path == "/fermeture"


def test_counting_is_mandatory_unless_there_is_no_cash(seller, manager, till):
    a_day_of_sales(seller, till)
    begin(manager)
    refused(manager, till, lambda: validate(manager), 422, "Le comptage du fonds de caisse est obligatoire.")


def test_a_day_without_cash_closes_without_a_count(app, client, manager, till):
    seller = open_till(app, client, float_cents=0)
    sell(seller, till, ["Croissant"], [("CB", "1,20", None)])
    seller.post("/vente/disconnect")
    begin(manager)
    validate(manager)
    assert till.state() == "D"


def test_an_exact_count_on_the_grid_closes_the_day_and_stores_each_denomination(seller, manager, till, app):
    a_day_of_sales(seller, till)
    begin(manager)
    # 151,30 € = 3 × 50 € + 1 × 1 € + 1 × 0,20 € + 1 × 0,10 €
    validate(
        manager,
        pieces_5000="3",
        pieces_100="1",
        pieces_20="1",
        pieces_10="1",
        counted_CB="2,55",
        items_CHQ="1",
        counted_CHQ="3,40",
    )
    assert manager.response.headers["HX-Redirect"] == "/"
    assert till.state() == "D"
    with app.app_context():
        day = db.session.scalars(db.select(RegisterDay)).one()
        lines = {line.method_code: line for line in db.session.scalars(db.select(ClosingLine))}
        assert (lines["ESP"].expected_cents, lines["ESP"].counted_cents, lines["ESP"].difference_cents) == (
            15130,
            15130,
            0,
        )
        assert (lines["CHQ"].counted_cents, lines["CB"].counted_cents) == (340, 255)
        cash = db.session.scalars(
            db.select(CashCount).where(CashCount.method_code == "ESP", CashCount.moment == "closing")
        ).one()
        assert [(line.value_cents, line.quantity) for line in cash.lines] == [
            (10, 1),
            (20, 1),
            (100, 1),
            (5000, 3),
        ]
        cheques = db.session.scalars(
            db.select(CashCount).where(CashCount.method_code == "CHQ", CashCount.moment == "closing")
        ).one()
        assert cheques.item_count == 1
        assert (day.ticket_count, day.sales_total_cents, day.grand_total_cents) == (3, 725, 725)
        [z] = db.session.scalars(db.select(PrintJob).where(PrintJob.kind == "z_report")).all()
        assert z.document_uuid == day.uuid
        db.session.remove()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"pieces_200": "-1"}, "ne peut pas être négatif"),
        ({"pieces_200": "1,5"}, "doit être un nombre entier"),
        ({"pieces_200": "10001"}, "vérifiez le comptage (au plus 10000)"),
        ({"counted_ESP": "abc"}, "n'est pas un montant"),
        ({"counted_ESP": "-5"}, "Le montant ne peut pas être négatif."),
        ({"counted_ESP": "151,30", "pieces_5000": "3"}, "ne concordent pas"),
        (
            {"counted_ESP": "151,30", "withdrawal": "200"},
            "Le retrait (200,00 €) dépasse les espèces présentes (151,30 €).",
        ),
        ({"items_CHQ": "-1", "counted_ESP": "151,30"}, "doit être un nombre entier positif"),
    ],
)
def test_bad_counts_are_refused(seller, manager, till, fields, message):
    a_day_of_sales(seller, till)
    begin(manager)
    refused(manager, till, lambda: validate(manager, **fields), 422, message)


def test_a_difference_needs_a_reason_and_the_right(seller, manager, till):
    a_day_of_sales(seller, till)
    begin(manager)
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="150,80"),
        422,
        "Écart de caisse de Espèces -0,50 €",
    )
    till.sql("DELETE FROM staff_right WHERE staff_code = 'RESP01' AND \"right\" = 'accept_difference'")
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="150,80", difference_reason="Erreur de rendu"),
        403,
        "(accepter un écart de caisse)",
    )
    till.sql("INSERT INTO staff_right (staff_code, \"right\") VALUES ('RESP01', 'accept_difference')")
    validate(manager, counted_ESP="150,80", difference_reason="Erreur de rendu")
    assert till.state() == "D"
    assert [j.reason for j in till.journal("accept_difference", "ok")] == ["Erreur de rendu"]


def test_the_withdrawal_is_a_cash_out_and_the_rest_is_the_next_float(seller, manager, till, app):
    a_day_of_sales(seller, till)
    begin(manager)
    validate(manager, counted_ESP="151,30", withdrawal="100")
    with app.app_context():
        [out] = db.session.scalars(db.select(CashMovement).where(CashMovement.closing_withdrawal)).all()
        assert (out.kind, out.amount_cents, out.reason) == (
            "out",
            10000,
            "Retrait à la clôture de la journée",
        )
        db.session.remove()
    # The rest is what the next opening's count starts from (counting is mandatory here).
    page = manager.open("/ouverture/comptage")
    assert "Espèces 51,30 €" in page.body


def test_sellers_still_connected_need_a_forced_closing_with_its_right_and_reason(seller, manager, till):
    begin(manager)
    assert "Un ou plusieurs utilisateurs sont encore connectés." in manager.page.body
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="150"),
        409,
        "Un ou plusieurs utilisateurs sont encore connectés.",
    )
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="150", force="1"),
        422,
        "Donnez le motif de la fermeture forcée.",
    )
    validate(manager, counted_ESP="150", force="1", force_reason="Vendeur parti")
    assert till.state() == "D"
    assert till.journal("force_close", "ok")


def test_valider_twice_or_from_two_screens_closes_once(seller, manager, till, app):
    seller.post("/vente/disconnect")
    tablet = Kiosk(app.test_client())
    begin(manager)
    begin(tablet)
    validate(manager, counted_ESP="150")
    page = validate(tablet, counted_ESP="150")
    assert tablet.response.status_code == 409
    assert page.messages == ["La caisse vient d'être fermée depuis un autre écran."]
    assert till.sql("SELECT COUNT(*) FROM register_day WHERE state = 'closed'").scalar() == 1


def test_a_sale_finished_while_the_closing_page_is_open_is_never_missed(seller, manager, till, app):
    begin(manager)  # the seller is still connected: the manager will force
    sell(seller, till, ["Baguette tradition"], [("ESP", "1,30", None)])
    page = validate(manager, counted_ESP="150", force="1", force_reason="Fin")
    assert manager.response.headers["HX-Redirect"] == "/fermeture"
    assert till.state() == "C"
    page = manager.open("/fermeture")
    assert "Nombre de ticket : 1" in page.body
    assert any("a eu lieu pendant le comptage" in m for m in page.messages)
    validate(manager, counted_ESP="151,30", force="1", force_reason="Fin")
    assert till.state() == "D"


def test_annuler_changes_nothing(seller, manager, till):
    seller.post("/vente/disconnect")
    begin(manager)
    before = till.dump()
    manager.post("/fermeture/annuler")
    assert manager.response.request.path == "/caisse"
    assert till.dump() == before


def test_closing_when_not_open_and_with_a_wrong_password(seller, manager, till):
    seller.post("/vente/disconnect")
    refused(
        manager, till, lambda: begin(manager, password="0000"), 200, "Mot de passe incorrect."
    )  # a plain form comes back
    begin(manager)
    refused(
        manager,
        till,
        lambda: validate(manager, password="", counted_ESP="150"),
        403,
        "Mot de passe incorrect.",
    )
    refused(
        manager,
        till,
        lambda: validate(manager, person="VEND02", password="2222", counted_ESP="150"),
        403,
        "(fermer la caisse)",
    )
    validate(manager, counted_ESP="150")
    manager.open("/")
    response = manager.client.get("/fermeture", follow_redirects=True)
    assert "Ouverture de la caisse" in response.get_data(as_text=True)


def test_blind_count_hides_the_expected_amounts_until_the_count(seller, manager, till):
    till.sql("UPDATE register SET blind_count = 1")
    a_day_of_sales(seller, till)
    page = begin(manager)
    assert "Attendu" not in page.body and "151,30" not in page.body
    seen = page.inputs["seen"]["value"]
    manager.post("/fermeture/comparer", counted_ESP="151")
    assert "Attendu" in manager.page.body and "151,30 €" in manager.page.body
    page = manager.post(
        "/fermeture",
        htmx=True,
        person="RESP01",
        password="1234",
        seen=seen,
        counted_ESP="151,30",
        difference_reason="",
    )  # the count typed before stands
    assert any("Écart de caisse de Espèces -0,30 €" in m for m in page.messages)


def test_the_z_report_and_its_duplicate(seller, manager, till, app):
    a_day_of_sales(seller, till)
    with_movement(manager, "in", "10", "Monnaie de la banque")
    begin(manager)
    validate(manager, counted_ESP="161,30", withdrawal="60")
    with app.app_context():
        day = db.session.scalars(db.select(RegisterDay)).one()
        uuid = day.uuid
        db.session.remove()
    page = manager.open(f"/journees/{uuid}")
    z = page.body
    for figure in (
        "RAPPORT DE 24H (Z)",
        "Nombre de tickets 3",
        "Espèces (1) 1,30 €",
        "Carte Bancaire (1) 2,55 €",
        "Chèque (1) 3,40 €",
        "Entrées (1) 10,00 €",
        "Retrait à la clôture (1) 60,00 €",
        "Espèces attendu 161,30 €",
        "Fonds restant 101,30 €",
        "Grand total perpétuel 7,25 €",
        "Grand total perpétuel (valeurs absolues) 7,25 €",
    ):
        assert figure in " ".join(z.split()), figure
    manager.post(f"/journees/{uuid}/reimprimer", person="VEND02", password="2222")
    assert any("(réimprimer)" in m for m in manager.page.messages)
    manager.post(f"/journees/{uuid}/reimprimer", person="RESP01", password="1234")
    assert any("Duplicata n° 1" in m for m in manager.page.messages)
    jobs = [
        (j.kind, j.copy_number)
        for j in till._run(
            lambda: db.session.scalars(db.select(PrintJob).where(PrintJob.kind == "z_report")).all()
        )
    ]
    assert jobs == [("z_report", 0), ("z_report", 1)]
    payload = till._run(
        lambda: json.loads(
            db.session.scalars(db.select(PrintJob.payload).where(PrintJob.kind == "z_report")).first()
        )
    )
    assert payload["title"] == "RAPPORT DE 24H (Z)"


def test_reopen_close_again_and_export_everything(seller, manager, till, app):
    seller.post("/vente/disconnect")
    begin(manager)
    validate(manager, counted_ESP="150")
    manager.open("/")
    manager.post("/open", person="RESP01", password="1234", amount="150")
    assert till.state() == "C"
    begin(manager)
    validate(manager, counted_ESP="150")
    manager.open("/")
    manager.post("/sync/export", person="RESP01", password="1234")
    assert till.state() == "A"
    assert till.sql("SELECT COUNT(*) FROM register_day WHERE exported_at IS NOT NULL").scalar() == 2
