"""The safe (coffre-fort, issue 17 item 5; docs/safe.md): the window per method, Dépôt and
Retrait with a customer or an employee as payer (an employee's moves the drawer too, with an
automatic DC/RC), the limit's warning, what a closing leaves in the drawer, the balance as
head office's plus this box's movements; and what bad input gets: a message, nothing changed."""

import json

import pytest

from app.devices.render import render_text
from app.extensions import db
from app.services.closing.cash import record_cash_movement
from app.services.integrity import verify_chains
from tests.support.helpers import close_counted
from tests.support.safe import safe_at_headoffice, table_rows
from tests.support.screens import Kiosk
from tests.support.till import open_till, refused

MANAGER = {"person": "RESP01", "password": "1234"}
LIMIT_MESSAGE = (
    "Vous avez atteint la limite maximale du fonds de coffre-fort. Le fond de caisse maximale du "
    "coffre-fort est de : 1 000,00 €. Fonds de caisse actuel Coffre-fort : {current}: Effectuez un "
    "retrait du coffre-fort à la banque"
)


@pytest.fixture
def safe_till(app, client, headoffice_app):
    """Head office keeps a safe for the shop (limit 1 000 €, 500 € of cash and 120 € of
    cheques in it); CAISSE01 imported and open with 150 € in the drawer."""
    safe_at_headoffice(headoffice_app, limit_cents=100000, balances={"ESP": 50000, "CHQ": 12000})
    return open_till(app, client)


@pytest.fixture
def manager(app, safe_till):
    """A manager signed in on a tablet beside the open till, on the safe's window."""
    screen = Kiosk(app.test_client())
    screen.sign_in("/caisse/coffre")
    return screen


def form(screen, kind="depot"):
    screen.open(f"/caisse/coffre/nouveau?type={kind}")
    return screen.page.inputs["movement"]["value"]


def move(screen, movement=None, **fields):
    values = {
        "kind": "in",
        "amount": "100,00",
        "method": "ESP",
        "payer_kind": "customer",
        "payer_name": "Banque",
        "description": "Fonds",
        **MANAGER,
        **fields,
    }
    values["movement"] = movement or form(screen)
    return screen.post("/caisse/coffre", htmx=True, **values)


def window(screen) -> dict:
    """The window's lines as a person reads them: method → (operations, deposits, withdrawals, total)."""
    page = screen.open("/caisse/coffre")
    assert screen.response.status_code == 200, page.body
    rows = table_rows(screen.response.get_data(as_text=True), "safe-methods")
    return {row[0]: tuple(row[1:]) for row in rows[1:-1]}


def safe_rows(till):
    return till.sql(
        "SELECT number, kind, method_code, amount_cents, payer_kind, payer, payer_code, cash_movement_uuid,"
        " at_closing FROM safe_movement ORDER BY number"
    ).all()


def drawer_rows(till):
    return till.sql(
        "SELECT uuid, kind, method_code, amount_cents, payer_code, closing_withdrawal, reason"
        " FROM cash_movement ORDER BY number"
    ).all()


def test_the_window_shows_head_office_s_safe_per_method(manager):
    lines = window(manager)
    assert lines["Espèces"] == ("1", "500,00 €", "0,00 €", "500,00 €")
    assert lines["Chèque"] == ("1", "120,00 €", "0,00 €", "120,00 €")
    assert "Titre-service" in lines and "Carte Bancaire" not in lines  # only the safe's methods
    assert "620,00 €" in manager.page.body  # Fonds de caisse actuel Coffre-fort


def test_a_deposit_from_a_customer_moves_the_safe_only_and_is_signed(app, manager, till):
    move(manager, amount="80", payer_kind="customer", payer_name="Transporteur", description="Fonds apportés")
    assert manager.response.headers["HX-Redirect"] == "/caisse/coffre"
    [row] = safe_rows(till)
    assert (row.kind, row.method_code, row.amount_cents, row.payer_kind, row.payer) == (
        "in",
        "ESP",
        8000,
        "customer",
        "Transporteur",
    )
    assert row.cash_movement_uuid is None and drawer_rows(till) == []  # the drawer did not move
    assert window(manager)["Espèces"] == ("2", "580,00 €", "0,00 €", "580,00 €")
    assert "Dépôt Coffre-fort n° 1 enregistré." in manager.page.messages
    [signed] = till.sql("SELECT kind, payload FROM signed_record WHERE chain = 'safe'").all()
    assert signed.kind == "in" and '"amount_cents":8000' in signed.payload
    assert till.journal("safe_movement")[-1].actor_code == "RESP01"
    [slip] = till.sql("SELECT payload FROM print_job WHERE kind = 'cash'").scalars().all()
    text = render_text("cash", json.loads(slip), config=app.config)  # as the printer worker lays it out
    assert "Dépôt coffre N° 1" in text and "Transporteur" in text and "Signature" in text
    with app.app_context():
        report = verify_chains(db.session)
        db.session.remove()
    assert report.sound, report.problems


def test_a_safe_movement_whose_record_is_deleted_is_named_missing(app, manager, till):
    from tests.support.signed_days import edit, problems

    move(manager, amount="80")
    move(manager, amount="20")
    edit(app, "DELETE FROM signed_record WHERE chain = 'safe' AND number = 2")
    assert ("safe", None, "missing", "safe movement n°2 has no signed record") in problems(app)


def test_an_employee_s_deposit_takes_it_out_of_the_drawer_with_a_dc(app, manager, till):
    """The manual's example: 1 200 € in the drawer, 1 000 € the most it should hold; the
    cashier deposits 200 € in the safe, and a document reducing the drawer by 200 € is made
    with it, shown in the Liste des DC/RC."""
    with app.app_context():
        record_cash_movement(db.session, "RESP01", "1234", "in", 105000, "Ventes")  # 150 + 1 050
        db.session.remove()
    move(manager, amount="200", payer_kind="employee", payer_code="VEND01", description="Excédent")
    [safe] = safe_rows(till)
    drawer = drawer_rows(till)[-1]
    assert (safe.kind, safe.amount_cents, safe.payer_code) == ("in", 20000, "VEND01")
    assert (drawer.kind, drawer.method_code, drawer.amount_cents, drawer.payer_code) == (
        "out",
        "ESP",
        20000,
        "VEND01",
    )
    assert safe.cash_movement_uuid == drawer.uuid and "Dépôt Coffre-fort n° 1" in drawer.reason
    assert not drawer.closing_withdrawal  # in the day's figures: the drawer now holds 1 000 €
    closing = Kiosk(app.test_client())
    closing.sign_in("/caisse/documents")
    assert "DC" in closing.page.body and "Dépôt Coffre-fort n° 1" in closing.page.body
    with app.app_context():
        from app.services.closing import summarise_day
        from app.services.lifecycle import register_state

        assert summarise_day(db.session, register_state(db.session).open_day).cash.expected_cents == 100000
        assert verify_chains(db.session).sound
        db.session.remove()


def test_an_employee_s_withdrawal_puts_it_in_the_drawer_with_an_rc(manager, till):
    move(manager, kind="out", amount="50", payer_kind="employee", payer_code="RESP01", description="Monnaie")
    [safe] = safe_rows(till)
    [drawer] = drawer_rows(till)
    assert (safe.kind, drawer.kind, drawer.amount_cents) == ("out", "in", 5000)
    assert window(manager)["Espèces"] == ("2", "500,00 €", "50,00 €", "450,00 €")


def test_a_deposit_to_the_bank_empties_the_safe_and_the_limit_warning_goes(manager, till):
    move(manager, amount="400", description="Fonds")  # 900 + 120 = 1 020 €: the limit is reached
    page = manager.open(manager.response.headers["HX-Redirect"])
    assert LIMIT_MESSAGE.format(current="1 020,00 €") in page.messages  # said after Valider
    assert page.body.count("Vous avez atteint la limite maximale") == 2  # and on the window
    move(manager, kind="out", amount="900", payer_name="Banque", description="Dépôt à la banque")
    assert window(manager)["Espèces"] == ("3", "900,00 €", "900,00 €", "0,00 €")
    assert "Vous avez atteint" not in manager.page.body


def test_the_list_of_operations_with_its_balances_and_filters(manager, till):
    move(manager, amount="10", description="Un")
    move(manager, amount="20", method="CHQ", description="Deux")
    move(manager, kind="out", amount="5", description="Trois")
    page = manager.open("/caisse/coffre/operations")
    assert "Fonds de caisse initial Coffre-fort : 620,00 €" in page.body
    assert "Fonds de caisse actuel Coffre-fort : 645,00 €" in page.body
    html = manager.response.get_data(as_text=True)
    rows = table_rows(html, "safe-operations")[1:]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
        ("3", "Dépenses", "Espèces", "5,00 €", "Responsable1 De Caisse"),
        ("2", "Recettes", "Chèque", "20,00 €", "Responsable1 De Caisse"),
        ("1", "Recettes", "Espèces", "10,00 €", "Responsable1 De Caisse"),
    ]
    for query, numbers in (
        ("type=depense", ["3"]),
        ("mode=CHQ", ["2"]),
        ("montant=10", ["1"]),
        ("numero=2", ["2"]),
        ("caissier=VEND01", []),
        ("jour=01/01/2020", []),
    ):
        manager.open("/caisse/coffre/operations?" + query)
        assert manager.response.status_code == 200
        found = table_rows(manager.response.get_data(as_text=True), "safe-operations")[1:]
        assert [r[0] for r in found] == numbers, query


def test_a_double_tap_writes_one_movement(manager, till):
    uuid = form(manager)
    move(manager, movement=uuid)
    move(manager, movement=uuid)
    assert len(safe_rows(till)) == 1
    assert till.sql("SELECT count(*) FROM print_job WHERE kind = 'cash'").scalar() == 1


def test_two_tablets_at_once_the_second_sees_the_first_s_withdrawal(app, manager, till):
    """Both draw the Retrait form while the safe holds 500 € of cash; the first takes 480 €;
    the second's 50 € no longer fits and is refused, naming what is left."""
    other = Kiosk(app.test_client())
    other.sign_in("/caisse/coffre")
    first, second = form(manager, "retrait"), form(other, "retrait")
    move(manager, movement=first, kind="out", amount="480", description="Banque")
    page = refused(
        other,
        till,
        lambda: move(other, movement=second, kind="out", amount="50", description="Banque"),
        422,
        "Retrait de 50,00 € : le coffre-fort ne contient que 20,00 € en Espèces.",
    )
    assert page is not None
    assert window(other)["Espèces"] == ("2", "500,00 €", "480,00 €", "20,00 €")


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"amount": "-5"}, 422, "Le montant ne peut pas être négatif."),
        ({"amount": "0"}, 422, "Le montant doit être entre 0,01 € et"),
        ({"amount": "0,001"}, 422, "« 0,001 » n'est pas un montant"),
        ({"amount": "12abc"}, 422, "n'est pas un montant"),
        ({"amount": "99999999"}, 422, "Le montant doit être entre 0,01 € et"),
        ({"kind": "out", "amount": "501"}, 422, "le coffre-fort ne contient que 500,00 € en Espèces"),
        (
            {"payer_kind": "employee", "payer_code": "VEND01", "amount": "151"},
            422,
            "Sortie de 151,00 € : il n'y a que 150,00 € en Espèces.",
        ),
        ({"method": "CB"}, 422, "Carte Bancaire n'est pas pris en compte dans le coffre-fort."),
        ({"method": "AV"}, 422, "Avoir n'est pas pris en compte dans le coffre-fort."),
        ({"method": "XX"}, 422, "Mode de paiement inconnu."),
        ({"payer_kind": ""}, 422, "Choisissez le payeur : un client ou un employé."),
        ({"payer_name": ""}, 422, "Saisissez le nom du client."),
        ({"payer_kind": "employee", "payer_code": "NOBODY"}, 422, "Choisissez un employé de la liste."),
        ({"description": " "}, 422, "Donnez la description du dépôt ou du retrait."),
        ({"kind": "sideways"}, 422, "Choisissez un dépôt ou un retrait."),
        ({"person": "VEND02", "password": "2222"}, 403, "n'a pas le droit de faire cela"),
        ({"password": "9999"}, 403, "Mot de passe incorrect"),
        (
            {"payer_kind": "employee", "payer_code": "VEND01", "method": "TS", "amount": "1"},
            422,
            "Ce type de bon d'achat ne peut pas être utilisé dans le document DC",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(manager, till, fields, status, message):
    refused(manager, till, lambda: move(manager, **fields), status, message)


def test_a_form_without_its_uuid_is_refused(manager, till):
    manager.open("/caisse/coffre/nouveau")
    values = {"kind": "in", "amount": "1", "method": "ESP", "payer_kind": "customer", "payer_name": "B"}
    refused(
        manager,
        till,
        lambda: manager.post(
            "/caisse/coffre", htmx=True, description="x", movement="nope", **values, **MANAGER
        ),
        422,
        "Ce formulaire est incomplet",
    )


def test_no_right_no_window(app, safe_till):
    seller = Kiosk(app.test_client())
    seller.open("/caisse/coffre")
    assert seller.response.status_code in (401, 403)
    page = seller.post("/entrer", person="VEND02", password="2222", next="/caisse/coffre")
    assert seller.response.status_code in (401, 403)
    assert "accès au solde du coffre-fort" in page.body, page.messages
    assert "Fonds de caisse actuel" not in page.body


def test_safe_off_the_window_says_so(app, client):
    kiosk = open_till(app, client)
    screen = Kiosk(app.test_client())
    screen.open("/caisse/coffre")
    screen.post("/entrer", person="RESP01", password="1234", next="/caisse/coffre")
    assert screen.response.status_code == 409
    assert "Le coffre-fort n'est pas activé pour ce magasin." in screen.page.messages
    assert "Coffre-fort" not in kiosk.open("/caisse").body


def test_a_closed_register_moves_nothing(app, manager, till):
    """The form drawn while the register was open, sent after it closed from the kiosk: the
    screen is sent back with the reason, nothing is written."""
    uuid = form(manager)
    with app.app_context():
        close_counted(db.session, force=True, force_reason="Fin de journée")
        db.session.remove()
    before = till.dump()
    move(manager, movement=uuid)
    page = manager.open(manager.response.headers["HX-Redirect"])
    assert any("a changé depuis un autre écran" in m for m in page.messages), page.messages
    assert till.dump() == before
