"""Cash documents in full (issue 17, item 4; docs/cash-documents.md): Liste des DC/RC for any
day with its filters, the form with method and payer, Aperçu then Valider et imprimer, signed
in the cash chain; and what bad input gets: a message, nothing changed."""

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models.base import set_clock
from app.services.closing.cash import record_cash_movement
from app.services.integrity import verify_chains
from tests.support.helpers import close_counted
from tests.support.screens import Kiosk
from tests.support.till import open_till, refused, sell

MANAGER = {"person": "RESP01", "password": "1234"}


@pytest.fixture
def kiosk(app, client, request):
    """The kiosk's till; for the tests of the list over several days (`listed`), opened by the
    box's clock before the oldest document they write (31 December 2025): the opening count is
    the first record of the cash chain, and a chain's records never go back in time."""
    if "listed" not in request.fixturenames:
        return open_till(app, client)
    set_clock(datetime(2025, 12, 31, 22, 0, tzinfo=timezone.utc) - datetime.now(timezone.utc))
    try:
        return open_till(app, client)
    finally:
        set_clock()


@pytest.fixture
def manager(app, kiosk):
    """A manager signed in on a tablet beside the kiosk's open till, on the DC/RC form."""
    screen = Kiosk(app.test_client())
    screen.sign_in("/caisse/documents")
    screen.open("/caisse/documents/nouveau")
    return screen


def document(**fields) -> dict:
    form = {
        "kind": "in",
        "amount": "25,00",
        "method": "ESP",
        "payer_kind": "",
        "description": "Apport de monnaie",
        **MANAGER,
    }
    form.update(fields)
    return form


def validate(screen, **fields):
    fields.setdefault("document", screen.page.inputs["document"]["value"])
    return screen.post("/caisse/documents", htmx=True, **document(**fields))


def documents(till):
    return till.sql(
        "SELECT number, kind, method_code, amount_cents, payer_kind, payer, payer_code, reason"
        " FROM cash_movement ORDER BY number"
    ).all()


def test_an_rc_with_a_customer_and_a_dc_with_an_employee_are_numbered_signed_and_printed(manager, till):
    manager.post(
        "/caisse/documents/apercu", htmx=True, **document(payer_kind="customer", payer_name="Mme Durand")
    )
    assert manager.response.status_code == 200
    preview = manager.response.get_data(as_text=True)
    assert "Recette" in preview and "25,00" in preview and "Mme Durand" in preview
    assert documents(till) == []  # the preview writes nothing
    validate(manager, payer_kind="customer", payer_name="Mme Durand")
    assert manager.response.headers["HX-Redirect"].startswith("/caisse/documents/")
    manager.open("/caisse/documents/nouveau")
    validate(
        manager, kind="out", amount="10", payer_kind="employee", payer_code="VEND01", description="Achat"
    )
    rows = documents(till)
    assert [(r.number, r.kind, r.amount_cents, r.payer_kind, r.payer_code) for r in rows] == [
        (rows[0].number, "in", 2500, "customer", None),
        (rows[0].number + 1, "out", 1000, "employee", "VEND01"),
    ]
    assert rows[0].payer == "Mme Durand"
    signed = till.sql(
        "SELECT r.subject_uuid FROM signed_record r JOIN cash_movement m ON m.uuid = r.subject_uuid"
        " WHERE r.chain = 'cash'"
    ).all()
    assert len(signed) == 2
    page = manager.open(manager.response.headers.get("HX-Redirect") or "/caisse/documents")
    jobs = till.sql("SELECT payload FROM print_job WHERE kind = 'cash' ORDER BY id").scalars().all()
    assert len(jobs) == 2 and '"payer_kind": "employee"' in jobs[1]
    assert page is not None


def test_the_payer_is_part_of_the_signed_record_and_the_chain_verifies(app, manager, till):
    """What is signed says who paid: a payer changed behind the box's back would not match."""
    validate(manager, kind="out", amount="5", payer_kind="employee", payer_code="VEND01")
    [payload] = (
        till.sql("SELECT payload FROM signed_record WHERE chain = 'cash' AND kind = 'movement'")
        .scalars()
        .all()
    )
    assert '"payer_kind":"employee"' in payload.replace(" ", "") and "VEND01" in payload
    with app.app_context():
        report = verify_chains(db.session)
        db.session.remove()
    assert report.sound, report


def test_the_document_page_shows_the_slip_as_printed(manager, till):
    validate(manager, kind="in", amount="12,5", payer_kind="customer", payer_name="M. Martin")
    page = manager.open(manager.response.headers["HX-Redirect"])
    assert manager.response.status_code == 200
    assert "RC N°" in page.body and "Recette" in page.body and "12,50" in page.body
    assert "M. Martin" in page.body and "Signature" in page.body


def test_a_double_tap_writes_one_document(manager, till):
    validate(manager)
    first = manager.response.headers["HX-Redirect"]
    validate(manager)  # the same form sent again: same document uuid
    assert manager.response.headers["HX-Redirect"] == first
    assert len(documents(till)) == 1
    assert till.sql("SELECT count(*) FROM print_job WHERE kind = 'cash'").scalar() == 1


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"amount": "-5"}, 422, "Le montant ne peut pas être négatif."),
        ({"amount": "0"}, 422, "Le montant doit être entre 0,01 € et"),
        ({"amount": "0,00"}, 422, "Le montant doit être entre 0,01 € et"),
        ({"amount": "99999999"}, 422, "Le montant doit être entre 0,01 € et"),
        ({"amount": "999999999999"}, 422, "n'est pas un montant"),
        ({"amount": "10,005"}, 422, "n'est pas un montant"),
        ({"amount": "1e3"}, 422, "n'est pas un montant"),
        ({"method": "AV"}, 422, "Avoir ne peut pas être utilisé dans un document de caisse."),
        ({"method": "XX"}, 422, "Mode de paiement inconnu."),
        (
            {"kind": "out", "method": "TS", "amount": "1"},
            422,
            "Ce type de bon d'achat ne peut pas être utilisé dans le document DC",
        ),
        ({"kind": "out", "amount": "150,01"}, 422, "il n'y a que 150,00"),
        ({"kind": "out", "method": "CHQ", "amount": "1"}, 422, "il n'y a que 0,00"),
        ({"kind": "other"}, 422, "Choisissez une entrée ou une sortie."),
        ({"description": ""}, 422, "Donnez le motif du mouvement."),
        ({"payer_kind": "customer", "payer_name": " "}, 422, "Saisissez le nom du client."),
        ({"payer_kind": "employee", "payer_code": "NOBODY"}, 422, "Choisissez un employé de la liste."),
        ({"payer_kind": "robot"}, 422, "Choisissez un client ou un employé."),
        ({"password": "0000"}, 403, "Mot de passe incorrect."),
        ({"person": "VEND02", "password": "2222"}, 403, "(entrées et sorties d'espèces)"),
        ({"document": "not-a-uuid"}, 422, "Ce formulaire est incomplet"),
    ],
)
def test_bad_cash_documents(manager, till, fields, status, message):
    refused(manager, till, lambda: validate(manager, **fields), status, message)


def test_a_titre_service_is_accepted_in_an_rc(manager, till):
    validate(manager, kind="in", method="TS", amount="15")
    assert [(r.kind, r.method_code) for r in documents(till)] == [("in", "TS")]


def test_a_dc_may_take_what_the_day_brought_in_that_method(kiosk, manager, till):
    price = till.product("Croissant").price_cents
    euros = f"{price // 100},{price % 100:02d}"
    sold = sell(kiosk, till, ["Croissant"], [("CHQ", euros, "0001234")])  # a cheque in the drawer
    assert sold.status == "finished"
    more = f"{(price + 1) // 100},{(price + 1) % 100:02d}"
    refused(manager, till, lambda: validate(manager, kind="out", method="CHQ", amount=more), 422, euros)
    validate(manager, kind="out", method="CHQ", amount=euros)
    assert [(r.kind, r.method_code, r.amount_cents) for r in documents(till)] == [("out", "CHQ", price)]


def test_preview_refuses_what_valider_would_refuse(manager, till):
    refused(
        manager,
        till,
        lambda: manager.post("/caisse/documents/apercu", htmx=True, **document(kind="out", method="TS")),
        422,
        "Ce type de bon d'achat ne peut pas être utilisé dans le document DC",
    )


# --- the list ---------------------------------------------------------------------------


@pytest.fixture
def listed(manager, till, clock):
    """Three documents of three days, in the order the box's clock saw them: RC 7,50 at 23:30
    UTC on 31 December 2025 (1 January in Paris), DC 10,00 on 14 March 2026, RC 25,00 now."""
    for moment, kind, amount in (
        (datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc), "in", "7,5"),
        (datetime(2026, 3, 14, 10, 0, tzinfo=timezone.utc), "out", "10"),
        (None, "in", "25"),
    ):
        clock.at(moment) if moment else set_clock()
        manager.open("/caisse/documents/nouveau")
        validate(manager, kind=kind, amount=amount)
    return [r.number for r in documents(till)][::-1]  # newest first: [RC 25, DC 10, RC 7,50]


def listing(manager, query=""):
    page = manager.open("/caisse/documents" + query)
    assert manager.response.status_code == 200, page.messages
    return re.findall(r"\b([DR]C) (\d+)\b", page.body)


def test_the_list_shows_every_day_newest_first(manager, listed):
    assert listing(manager) == [("RC", str(listed[0])), ("DC", str(listed[1])), ("RC", str(listed[2]))]


def test_the_list_filters_on_type_amount_part_of_the_number_and_the_shops_day(manager, listed):
    assert listing(manager, "?type=DC") == [("DC", str(listed[1]))]
    assert listing(manager, "?type=rc&montant=7,50") == [("RC", str(listed[2]))]
    assert listing(manager, f"?numero={listed[1]}") == [("DC", str(listed[1]))]
    assert listing(manager, "?jour=14,03,2026") == [("DC", str(listed[1]))]
    assert listing(manager, "?jour=14/03/2026") == [("DC", str(listed[1]))]
    # 23:30 UTC on 31 December is 1 January in Paris: the shop's day, not UTC's.
    assert listing(manager, "?jour=2026-01-01") == [("RC", str(listed[2]))]
    assert listing(manager, "?jour=31122025") == []
    today = datetime.now(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y")
    assert listing(manager, f"?jour={today}") == [("RC", str(listed[0]))]


@pytest.mark.parametrize(
    "query, message",
    [
        ("?numero=12a", "n'est pas un numéro de document"),
        ("?numero=-1", "n'est pas un numéro de document"),
        ("?numero=9999999999", "n'est pas un numéro de document"),
        ("?montant=abc", "n'est pas un montant"),
        ("?montant=1,001", "n'est pas un montant"),
        ("?jour=31/02/2026", "n'est pas une date"),
        ("?jour=demain", "n'est pas une date"),
        ("?type=XX", "Type inconnu : choisissez DC ou RC."),
    ],
)
def test_the_list_refuses_filters_it_cannot_read(manager, listed, till, query, message):
    before = till.dump()
    page = manager.open("/caisse/documents" + query)
    assert manager.response.status_code == 422
    assert any(message in m for m in page.messages), page.messages
    assert till.dump() == before


def test_the_number_filter_finds_any_part_of_the_number(app, manager, till):
    with app.app_context():
        for _ in range(12):
            record_cash_movement(db.session, "RESP01", "1234", "in", 100, "Monnaie")
        db.session.remove()
    assert [n for _, n in listing(manager, "?numero=1")] == ["12", "11", "10", "1"]
    assert [n for _, n in listing(manager, "?numero=01")] == [
        "12",
        "11",
        "10",
        "1",
    ]  # leading zero: as typed 1


def test_the_list_shows_typed_text_as_text(app, manager, till):
    """The rows' cells are escaped by hand (the list's loop is not autoescaped): what a person
    typed as a description is shown as they typed it, never read as markup."""
    with app.app_context():
        record_cash_movement(db.session, "RESP01", "1234", "in", 100, '<b>Monnaie</b> & "co"')
        db.session.remove()
    html = manager.client.get("/caisse/documents").get_data(as_text=True)
    assert "&lt;b&gt;Monnaie&lt;/b&gt; &amp; &#34;co&#34;" in html
    assert "<b>Monnaie</b>" not in html


def test_the_list_pages_through_older_documents(manager, till, listed, monkeypatch):
    monkeypatch.setattr("app.services.closing.listing.PAGE", 2)
    first = listing(manager)
    assert len(first) == 2 and "Documents plus anciens" in manager.page.body
    older = re.search(r'href="(/caisse/documents\?avant=[^"]+)"', manager.response.get_data(as_text=True))
    assert listing(manager, older.group(1).replace("&amp;", "&").removeprefix("/caisse/documents")) == [
        ("RC", str(listed[2]))
    ]


def test_the_list_needs_the_right(app, kiosk, till):
    seller = Kiosk(app.test_client())
    seller.open("/caisse/documents")
    assert seller.response.status_code in (401, 403)
    assert "S'identifier" in seller.page.buttons


def test_the_list_is_reached_from_the_register_the_days_summary_and_a_closed_day(app, kiosk, manager, till):
    """From the menu and from the day's summary, and still there once the day is closed."""
    validate(manager, kind="in", amount="3")
    [number] = [r.number for r in documents(till)]
    today = datetime.now(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d")
    assert 'href="/caisse/documents"' in manager.client.get("/caisse").get_data(as_text=True)
    manager.open("/caisse")
    closing = manager.post("/caisse/close", **MANAGER)  # Fermer la caisse: the day's figures
    assert manager.response.request.path == "/fermeture", closing.messages
    assert "Liste des DC/RC" in closing.body
    assert f'href="/caisse/documents?jour={today}"' in manager.response.get_data(as_text=True)
    kiosk.post("/vente/disconnect")
    with app.app_context():
        close_counted(db.session)
        db.session.remove()
    assert till.state() == "D"
    assert listing(manager, f"?jour={today}") == [("RC", str(number))]
    day = till.sql("SELECT uuid FROM register_day").scalar()
    manager.open(f"/journees/{day}")
    assert f'href="/caisse/documents?jour={today}"' in manager.response.get_data(as_text=True)
    assert 'href="/caisse/documents"' in manager.client.get("/").get_data(as_text=True)
    # No new document on a closed register: the form says why and sends back to the list.
    page = manager.open("/caisse/documents/nouveau")
    assert manager.response.request.path == "/caisse/documents"
    assert any("La caisse n'est pas ouverte." in m for m in page.messages), page.messages


def test_the_list_reads_in_the_language_chosen_each_time(manager):
    """Its texts are worked out once per language (app/i18n.py): switching back and forth
    shows each language's own, fixed texts and texts with a value alike."""
    seen = []
    for lang in ("fr", "en", "fr", "en"):
        manager.post("/lang", lang=lang, next="/caisse/documents?jour=14/03/2026")
        html = manager.response.get_data(as_text=True)
        seen.append(("Liste des DC/RC" in html, "DC/RC list" in html, "Documents du 14/03/2026" in html))
        assert ("Documents of 14/03/2026" in html) is (lang == "en")
    assert seen == [(True, False, True), (False, True, False)] * 2
