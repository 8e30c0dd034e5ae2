"""Cashier sessions (docs/cashier-sessions.md): off, the register is as it was; on, each
cashier opens their own session after Connecter (the deposit as an RC), sells in it, and the
session is closed with its takings — by its cashier or by a manager with the right. Every
refusal says why and changes nothing."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import RegisterDay, Staff
from app.services.reports import point_of_sale_summary
from app.states import DayState
from tests.support.cashier_sessions import (
    connect,
    day_with_sessions,
    open_session,
    session_documents,
    session_lines,
    session_uuid,
    sessions,
)
from tests.support.contract import validate_exchange
from tests.support.helpers import close_counted
from tests.support.screens import Kiosk, read
from tests.support.signed_days import problems, records, service
from tests.support.till import open_till, refused, sell

DEPOSIT = "Dépôt à l'ouverture du jour"
WITHDRAWAL = "Retrait à la clôture de la journée"


@pytest.fixture
def cashier(app, client, headoffice_app):
    """VEND01 connected on the kiosk of a day with sessions on, in the opening window."""
    kiosk = day_with_sessions(app, client, headoffice_app)
    connect(kiosk, "VEND01")
    return kiosk


@pytest.fixture
def tablet(app):
    """The manager on a tablet, signed in on the list of sessions."""
    screen = Kiosk(app.test_client())
    screen.sign_in("/sessions")
    return screen


def selling_cashier(kiosk, deposit="50,00"):
    open_session(kiosk, deposit=deposit)
    assert kiosk.response.request.path == "/vente", kiosk.page.messages
    return kiosk


def own_window(kiosk, person="VEND01", password="1111"):
    """« Ma session de caisse » on the register page: the cashier's session window."""
    kiosk.open("/caisse")
    kiosk.post("/sessions/ma-session", person=person, password=password)
    assert kiosk.response.request.path == "/sessions/ma-session", kiosk.page.messages
    action = next(a for a in kiosk.response.get_data(as_text=True).split('"') if a.endswith("/recette"))
    return action.split("/")[2]


def close_own(kiosk, uuid=None, person="VEND01", password="1111", htmx=False, **fields):
    """Valider in the cashier's own session window."""
    uuid = uuid or own_window(kiosk, person, password)
    return kiosk.post(
        f"/sessions/{uuid}/recette", htmx=htmx, person=person, password=password, seen="", **fields
    )


def listed(tablet, text=""):
    """Actualiser: the rows alone, as the table shows them (number, cashier, status)."""
    html = tablet.client.get(
        f"/sessions?filtre={text}", headers={"HX-Request": "true", "HX-Target": "session-rows"}
    ).get_data(as_text=True)
    rows = []
    for row in html.split("<tr>")[1:]:
        cells = [read(cell).body for cell in row.split("<td")[1:]]
        if len(cells) >= 5:
            rows.append(" ".join(c.split(">", 1)[-1].strip() for c in (cells[0], cells[3], cells[4])))
    return rows


# --- off: today's register -------------------------------------------------------------------


def test_off_connecting_goes_straight_to_selling_and_tickets_have_no_session(app, client, till):
    kiosk = open_till(app, client)  # asserts Connecter lands on /vente
    ticket = sell(kiosk, till, ["Baguette tradition"])
    assert ticket.cashier_session_id is None
    assert sessions(till) == []
    kiosk.open("/caisse")
    assert "Ma session de caisse" not in kiosk.page.buttons
    assert "Sessions de caisse" not in kiosk.page.body


def test_off_no_session_can_be_opened(app, client, till):
    kiosk = open_till(app, client)
    kiosk.open("/sessions/ouverture")
    refused(
        kiosk,
        till,
        lambda: open_session(kiosk, deposit="10", htmx=True),
        409,
        "Cette boutique ne travaille pas par session de caisse.",
    )


# --- opening -------------------------------------------------------------------------------


def test_connecting_opens_the_session_window_and_valider_opens_the_session_with_its_deposit(cashier, till):
    assert cashier.response.request.path == "/sessions/ouverture"
    body = cashier.page.body
    assert "Ouverture de la session" in body and "Calculer la caisse" in body and "EUR" in body
    assert "Solde initial" in body and "Dépôt" in body
    selling_cashier(cashier)
    assert sessions(till) == [(1, "VEND01", "open", 0, 5000)]
    assert session_documents(till) == [(1, "in", "ESP", 5000, DEPOSIT, 1)]
    # Signed in the cash chain after the day's opening count: the session as it opened, then
    # its deposit.
    chain = [record for record in records(till, "cash") if record[1] != "count"]
    assert [(kind, subject) for _n, kind, subject, _f in chain] == [
        ("session_open", session_uuid(till, 1)),
        ("movement", till.sql("SELECT uuid FROM cash_movement").scalar()),
    ]
    assert chain[0][3]["deposit_cents"] == 5000 and chain[0][3]["cashier"] == "VEND01"


def test_calculer_la_caisse_counts_the_deposit_coin_by_coin(cashier, till):
    open_session(cashier, pieces_2000="2", pieces_200="3")
    assert sessions(till) == [(1, "VEND01", "open", 0, 4600)]


def test_a_grid_and_a_typed_deposit_that_disagree_are_refused(cashier, till):
    refused(
        cashier,
        till,
        lambda: open_session(cashier, deposit="10,00", htmx=True, pieces_2000="1"),
        422,
        "ne concordent pas",
    )


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-5", "négatif"),
        ("abc", "montant"),
        ("1,234", "n'est pas un montant"),
        ("99999", "Le dépôt doit être entre 0,00"),
    ],
)
def test_a_bad_deposit_is_refused_and_nothing_is_written(cashier, till, typed, message):
    page = refused(cashier, till, lambda: open_session(cashier, deposit=typed, htmx=True), 422, "")
    assert any(message.lower() in m.lower() for m in page.messages), page.messages


def test_without_the_offline_right_the_manual_message_is_shown(app, client, headoffice_app, till):
    kiosk = day_with_sessions(app, client, headoffice_app, offline_right=("VEND01",))
    connect(kiosk, "VEND02")
    refused(
        kiosk,
        till,
        lambda: open_session(kiosk, deposit="20", htmx=True),
        403,
        "L'utilisateur ne possède pas de droits pour ouvrir une session de caisse hors ligne.",
    )
    assert till.journal("cashier_session_open", "refused")


def test_a_double_tap_on_valider_opens_one_session_with_one_deposit(cashier, till):
    fields = {"deposit": "30,00", "session_uuid": cashier.page.inputs["session_uuid"]["value"]}
    cashier.post("/sessions/ouverture", htmx=True, **fields)
    cashier.post("/sessions/ouverture", htmx=True, **fields)
    assert sessions(till) == [(1, "VEND01", "open", 0, 3000)]
    assert len(session_documents(till)) == 1


def test_opening_again_from_a_second_window_is_refused(app, cashier, till):
    second = Kiosk(app.test_client())
    connect(second, "VEND01")
    selling_cashier(cashier)
    # The second screen still shows the window it drew before: its Valider is refused.
    refused(second, till, lambda: open_session(second, deposit="10", htmx=True), 409, "déjà ouverte")


def test_nothing_can_be_sold_without_an_open_session(cashier, till):
    cashier.open("/vente")  # « Fermer » in the opening window: the selling screen, no session
    page = refused(
        cashier, till, lambda: cashier.post("/vente/scan", htmx=True, code=till.barcode("Croissant")), 409, ""
    )
    assert "Ouvrez votre session de caisse avant de vendre." in " ".join(page.messages)


# --- selling and closing one's own session ----------------------------------------------------


def test_a_sale_records_the_session_and_the_cashier_closes_it_with_a_withdrawal(cashier, till):
    selling_cashier(cashier, "50,00")
    ticket = sell(cashier, till, ["Baguette tradition", "Croissant"], [("ESP", "5", None)])
    assert ticket.cashier_session_id is not None
    cashier.post("/vente/disconnect")
    cash_final = 5000 + ticket.total_cents  # 5,00 € tendered, the change given back
    real = f"{cash_final // 100},{cash_final % 100:02d}"
    close_own(cashier, real_ESP=real, withdrawal_ESP="40,00")
    assert cashier.response.request.path == "/caisse", cashier.page.messages
    assert sessions(till)[0][2] == "closed"
    assert session_lines(till, 1)["ESP"] == (cash_final, cash_final, 4000, cash_final - 4000)
    assert session_documents(till)[-1] == (2, "out", "ESP", 4000, WITHDRAWAL, 1)
    assert [kind for _n, kind, *_ in records(till, "cash")][-2:] == ["session_close", "movement"]
    # The next session starts with what remained.
    connect(cashier, "VEND01")
    assert cashier.response.request.path == "/sessions/ouverture"
    left = cash_final - 4000
    assert f"{left // 100},{left % 100:02d}" in cashier.page.body
    selling_cashier(cashier, "")
    assert sessions(till)[1] == (2, "VEND01", "open", left, 0)


def test_a_difference_needs_the_right_to_accept_it(cashier, till):
    selling_cashier(cashier, "50,00")
    cashier.post("/vente/disconnect")
    uuid = own_window(cashier)
    page = refused(cashier, till, lambda: close_own(cashier, uuid, htmx=True, real_ESP="45,00"), 403, "")
    assert "accepter un écart" in " ".join(page.messages)


def test_an_accepted_difference_has_its_rc_and_the_day_s_figures_hold_it(app, cashier, till):
    """2,00 € of cheques more than the session took, accepted by a manager and all withdrawn:
    the RC of the difference is written (the manual's automatic DC/RC), the withdrawal of what
    was really there is allowed, and the day's closing expects no cheque left — it does not
    find the same 2,00 € again."""
    from app.extensions import db
    from app.services.closing import summarise_day
    from app.services.lifecycle import register_state

    selling_cashier(cashier, "50,00")
    price = till.product("Croissant").price_cents
    sell(cashier, till, ["Croissant"], [("CHQ", f"{price // 100},{price % 100:02d}", "0012345")])
    cashier.post("/vente/disconnect")
    uuid = own_window(cashier)
    found = price + 200
    typed = f"{found // 100},{found % 100:02d}"
    close_own(
        cashier,
        uuid,
        person="RESP01",
        password="1234",
        real_ESP="50,00",
        real_CHQ=typed,
        withdrawal_CHQ=typed,
    )
    assert cashier.response.request.path == "/caisse", cashier.page.messages
    assert session_documents(till)[1:] == [
        (2, "in", "CHQ", 200, "Écart à la fermeture de la session de caisse n° 1", 1),
        (3, "out", "CHQ", found, WITHDRAWAL, 1),
    ]
    expected = till._run(
        lambda: summarise_day(db.session, register_state(db.session).open_day).method("CHQ").expected_cents
    )
    assert expected == 0
    assert problems(app) == []


def test_a_closed_session_s_cashier_is_disconnected_and_the_day_closes_without_forcing(app, cashier, till):
    """« Ma session de caisse » connects the cashier; once their session is closed they can
    sell no more here, so they are disconnected: the day's closing finds nobody connected."""
    from app.extensions import db

    selling_cashier(cashier, "50,00")
    close_own(cashier, real_ESP="50,00")
    assert cashier.response.request.path == "/caisse", cashier.page.messages
    assert till.sql("SELECT count(*) FROM seller_session WHERE disconnected_at IS NULL").scalar() == 0
    assert till._run(lambda: close_counted(db.session).forced) is False


def test_a_withdrawal_larger_than_the_cash_is_refused(cashier, till):
    selling_cashier(cashier, "50,00")
    cashier.post("/vente/disconnect")
    uuid = own_window(cashier)
    refused(
        cashier,
        till,
        lambda: close_own(cashier, uuid, htmx=True, real_ESP="50,00", withdrawal_ESP="60,00"),
        422,
        "Le retrait",
    )


def test_a_session_with_a_ticket_in_progress_is_not_closed(cashier, till):
    selling_cashier(cashier)
    cashier.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    cashier.post("/vente/disconnect")
    uuid = own_window(cashier)
    refused(
        cashier,
        till,
        lambda: close_own(cashier, uuid, htmx=True, real_ESP="50,00"),
        409,
        "ticket(s) en cours",
    )


# --- the list and a manager closing another's session ---------------------------------------


def test_the_manager_lists_filters_and_closes_a_cashiers_session_with_the_takings(app, cashier, tablet, till):
    selling_cashier(cashier, "20,00")
    sold = sell(cashier, till, ["Baguette tradition"], [("ESP", "2", None)])
    second = Kiosk(app.test_client())
    connect(second, "VEND02")
    selling_cashier(second, "10,00")
    page = tablet.open("/sessions")
    assert "Date de début" in page.body and "Statut" in page.body and "Actualiser" in page.buttons
    assert listed(tablet) == ["2 Vendeur2 De Caisse Ouverte", "1 Vendeur1 De Caisse Ouverte"]
    assert listed(tablet, "Vendeur2") == ["2 Vendeur2 De Caisse Ouverte"]
    assert listed(tablet, "1") == ["1 Vendeur1 De Caisse Ouverte"]
    assert listed(tablet, "personne") == []
    uuid = session_uuid(till, 1)
    page = tablet.open(f"/sessions/{uuid}/recette")
    assert "Saisir la recette" in page.body or "Fermeture de la session" in page.body
    assert "Solde final" in page.body and "Montants des paiements" in page.body
    final = 2000 + sold.total_cents  # computed here, typed by the manager as « the takings »
    typed = f"{final // 100},{final % 100:02d}"
    assert typed in page.body
    tablet.post(
        f"/sessions/{uuid}/recette", person="RESP01", password="1234", real_ESP=typed, withdrawal_ESP=typed
    )
    assert tablet.response.status_code == 200, tablet.page.messages
    assert session_lines(till, 1)["ESP"] == (final, final, final, 0)
    assert [s[2] for s in sessions(till)] == ["closed", "open"]
    assert till.journal("cashier_session_close", "ok")
    assert listed(tablet) == ["2 Vendeur2 De Caisse Ouverte", "1 Vendeur1 De Caisse Fermée"]


def test_a_cashier_without_the_right_cannot_close_anothers_session(app, cashier, till):
    selling_cashier(cashier)
    other = Kiosk(app.test_client())
    connect(other, "VEND02")
    uuid = session_uuid(till, 1)
    refused(
        other,
        till,
        lambda: other.post(
            f"/sessions/{uuid}/recette", htmx=True, person="VEND02", password="2222", real_ESP="50,00"
        ),
        403,
        "",
    )


def test_a_wrong_password_closes_nothing(cashier, tablet, till):
    selling_cashier(cashier)
    uuid = session_uuid(till, 1)
    tablet.open(f"/sessions/{uuid}/recette")
    refused(
        tablet,
        till,
        lambda: tablet.post(
            f"/sessions/{uuid}/recette", htmx=True, person="RESP01", password="9999", real_ESP="50,00"
        ),
        403,
        "Mot de passe incorrect",
    )


def test_a_session_already_closed_and_a_double_tap_close_once(cashier, tablet, till):
    selling_cashier(cashier)
    uuid = session_uuid(till, 1)
    tablet.open(f"/sessions/{uuid}/recette")
    fields = {"person": "RESP01", "password": "1234", "real_ESP": "50,00", "withdrawal_ESP": "50,00"}
    tablet.post(f"/sessions/{uuid}/recette", htmx=True, **fields)
    refused(
        tablet,
        till,
        lambda: tablet.post(f"/sessions/{uuid}/recette", htmx=True, **fields),
        409,
        "Cette session de caisse est déjà fermée.",
    )
    assert [d for d in session_documents(till) if d[4] == WITHDRAWAL] == [
        (2, "out", "ESP", 5000, WITHDRAWAL, 1)
    ]


def test_a_session_of_another_register_is_refused(cashier, tablet, till):
    selling_cashier(cashier)
    uuid = session_uuid(till, 1)
    tablet.open("/sessions")
    till.sql("UPDATE cashier_session SET register_code = 'CAISSE02'")
    refused(
        tablet,
        till,
        lambda: tablet.post(
            f"/sessions/{uuid}/recette", htmx=True, person="RESP01", password="1234", real_ESP="50,00"
        ),
        409,
        "Cette session de caisse appartient à une autre caisse (CAISSE02).",
    )


# --- the day, the chains, head office -------------------------------------------------------


def test_the_day_is_not_closed_while_a_session_is_open(app, cashier, till):
    selling_cashier(cashier)
    cashier.post("/vente/disconnect")
    with pytest.raises(Exception, match="sessions de caisse sont encore ouvertes"):
        service(app, lambda session: close_counted(session))
    assert till.state() == "C"


def test_the_automatic_closing_closes_the_open_sessions_with_their_figures(
    app, client, headoffice_app, clock, till
):
    from app.sync.jobs import auto_close_job
    from tests.support.schedule import paris, set_schedule

    set_schedule(headoffice_app, auto_close="22:00")
    clock.at(paris("2026-12-01 09:00"))
    kiosk = day_with_sessions(app, client, headoffice_app)
    connect(kiosk, "VEND01")
    selling_cashier(kiosk, "30,00")
    ticket = sell(kiosk, till, ["Baguette tradition"], [("ESP", "2", None)])
    clock.at(paris("2026-12-01 22:00:30"))
    assert auto_close_job(app) == "closed"
    assert sessions(till) == [(1, "VEND01", "closed", 0, 3000)]
    final = 3000 + ticket.total_cents
    assert session_lines(till, 1)["ESP"] == (final, final, 0, final)
    assert problems(app) == []


def test_an_edited_session_is_named_by_the_verifier(app, cashier, tablet, till):
    selling_cashier(cashier)
    uuid = session_uuid(till, 1)
    tablet.open(f"/sessions/{uuid}/recette")
    tablet.post(f"/sessions/{uuid}/recette", person="RESP01", password="1234", real_ESP="50,00")
    assert problems(app) == []
    from tests.support.signed_days import edit

    edit(app, "UPDATE cashier_session_line SET real_cents = 1")
    assert [(chain, what) for chain, _n, what, _d in problems(app)] == [("cash", "altered")]


def test_a_session_slipped_in_without_its_record_is_named(app, cashier, till):
    selling_cashier(cashier)
    from tests.support.signed_days import edit

    edit(
        app,
        "INSERT INTO cashier_session (uuid, register_code, number, day_id, staff_code, staff_name, status,"
        " currency, opened_at, initial_cents, deposit_cents) SELECT '11111111-2222-4333-8444-555555555555',"
        " register_code, 2, day_id, 'VEND02', 'Vendeur2', status, currency, opened_at, 0, 0 FROM cashier_session",
    )
    assert ("cash", None, "missing", "cashier session n°2 has no session_open record") in problems(app)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cashier_session SET deposit_cents = 1",
        "DELETE FROM cashier_session",
        "UPDATE cashier_session_line SET real_cents = 1",
        "DELETE FROM cashier_session_line",
    ],
)
def test_the_database_refuses_to_change_a_closed_session(cashier, tablet, till, statement):
    selling_cashier(cashier)
    uuid = session_uuid(till, 1)
    tablet.open(f"/sessions/{uuid}/recette")
    tablet.post(f"/sessions/{uuid}/recette", person="RESP01", password="1234", real_ESP="50,00")
    with pytest.raises(Exception, match="a closed cashier session cannot change"):
        till.sql(statement)


def test_the_archive_of_a_period_holds_its_sessions_and_passes_the_inspectors_check(
    app, client, headoffice_app, till, tmp_path
):
    import csv
    import io
    import subprocess
    import sys
    import zipfile
    from datetime import timedelta

    from tests.support.past import clock_back

    with clock_back(40) as day:
        kiosk = day_with_sessions(app, client, headoffice_app)
        connect(kiosk, "VEND01")
        selling_cashier(kiosk, "20,00")
        sell(kiosk, till, ["Croissant"])
        kiosk.post("/vente/disconnect")
        close_own(kiosk, real_ESP="20,00", withdrawal_ESP="5,00")
        kiosk.post("/vente/disconnect")
        service(app, lambda session: close_counted(session))
    first, last = (day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()
    result = app.test_cli_runner().invoke(
        args=["integrity", "archive", "--from", first, "--to", last, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "out").glob("*.zip")
    with zipfile.ZipFile(path) as zipped:
        [archived] = csv.DictReader(io.TextIOWrapper(zipped.open("cashier_sessions.csv"), encoding="utf-8"))
        lines = list(
            csv.DictReader(io.TextIOWrapper(zipped.open("cashier_session_lines.csv"), encoding="utf-8"))
        )
    assert archived["uuid"] == session_uuid(till, 1) and archived["deposit_cents"] == "2000"
    cash = next(line for line in lines if line["method_code"] == "ESP")
    assert (cash["real_cents"], cash["withdrawal_cents"], cash["remaining_cents"]) == ("2000", "500", "1500")
    done = subprocess.run(
        [sys.executable, "-I", "nf525.py", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_head_office_receives_the_sessions_with_the_day(
    app, cashier, tablet, headoffice, headoffice_app, till
):
    from app.sync.client import HeadOfficeClient
    from app.sync.exporting import export_days

    selling_cashier(cashier, "20,00")
    ticket = sell(cashier, till, ["Croissant"])  # by card
    cashier.post("/vente/disconnect")
    uuid = session_uuid(till, 1)
    tablet.open(f"/sessions/{uuid}/recette")
    tablet.post(f"/sessions/{uuid}/recette", person="RESP01", password="1234", real_ESP="20,00")

    def close_and_export(session):
        close_counted(session)
        with HeadOfficeClient.from_config(app.config) as client:
            export_days(session, client, "RESP01", "1234")

    service(app, close_and_export)
    with headoffice_app.app_context():
        from headoffice.extensions import db as ho_db
        from headoffice.models import ReceivedBatch

        [batch] = ho_db.session.scalars(ho_db.select(ReceivedBatch)).all()
        body = __import__("json").loads(batch.body)
        ho_db.session.remove()
    [day] = body["days"]
    [exported] = day["cashier_sessions"]
    assert exported["uuid"] == uuid and exported["cashier"]["code"] == "VEND01"
    assert exported["deposit_cents"] == 2000 and exported["status"] == "closed"
    lines = {line["method_code"]: line for line in exported["lines"]}
    assert lines["CB"]["payments_cents"] == ticket.total_cents and lines["ESP"]["real_cents"] == 2000
    [sold] = [t for t in day["tickets"] if t["uuid"] == ticket.uuid]
    assert sold["cashier_session_uuid"] == uuid
    for request, response in headoffice.exchanges:  # the import and the export, as the contract says
        validate_exchange(request, response)


def test_with_sessions_on_the_day_opens_as_before_and_the_register_page_offers_the_sessions(
    app, headoffice_app, client, till
):
    kiosk = day_with_sessions(app, client, headoffice_app, float_cents=8000)
    assert till.state() == "C"
    assert [(number, float_cents) for number, float_cents, _at in till.days()] == [(1, 8000)]
    assert "Ma session de caisse" in kiosk.page.buttons and "Connecter" in kiosk.page.buttons
    assert "Sessions de caisse" in kiosk.page.body
    assert sessions(till) == []  # nobody's session is opened by the day's opening


def test_the_day_summary_shows_the_sessions_deposit_at_opening_not_as_a_manual_deposit(app, cashier, till):
    selling_cashier(cashier, deposit="50,00")
    sale = sell(cashier, till, ["Baguette tradition"], [("ESP", "5,00", None)])  # change given back
    with app.app_context():
        day = db.session.scalars(select(RegisterDay).where(RegisterDay.state == DayState.OPEN)).one()
        manager = db.session.get(Staff, "RESP01")
        summary = point_of_sale_summary(db.session, manager, None, day.uuid, "Europe/Paris")
        db.session.remove()
    cash = summary.cash
    assert (cash.opening_deposit_cents, cash.manual_in_cents) == (5000, 0)
    assert cash.balance_cents == cash.initial_float_cents + 5000 + sale.total_cents
