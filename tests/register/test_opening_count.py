"""Counting at opening over HTTP (docs/closing.md, « Counting at opening »): with « Comptage
obligatoire du fonds de caisse » (the demo registers' setting) Ouvrir brings the count window
for every method, the float is never typed, and a difference is recorded apart — journaled,
in the day's figures, never added to the float. Each refusal: its message, nothing changed."""

import pytest

from app.extensions import db
from app.models import CashCount, OpeningLine, RegisterDay
from tests.support.closing import begin, validate
from tests.support.screens import Kiosk
from tests.support.signed_days import problems, records
from tests.support.till import open_till, refused, sell


@pytest.fixture
def manager(app):
    return Kiosk(app.test_client())


@pytest.fixture
def closed(app, client, manager, till):
    """Day 1: 150,00 € float, 1,30 € in cash and a 3,40 € cheque; closed counted exactly with
    100,00 € of cash withdrawn: the drawer keeps 51,30 € and the cheque."""
    seller = open_till(app, client)
    sell(seller, till, ["Baguette tradition"], [("ESP", "1,30", None)])
    sell(seller, till, ["Pain aux céréales"], [("CHQ", "3,40", "1234567")])
    seller.post("/vente/disconnect")
    begin(manager)
    validate(manager, counted_ESP="151,30", withdrawal_ESP="100", items_CHQ="1", counted_CHQ="3,40")
    assert till.state() == "D", manager.page.messages
    manager.open("/")
    return manager


def day_two(till):
    def look():
        day = db.session.scalars(db.select(RegisterDay).where(RegisterDay.number == 2)).one()
        lines = {
            line.method_code: (
                line.float_cents,
                line.counted_cents,
                line.difference_cents,
                line.difference_reason,
            )
            for line in db.session.scalars(db.select(OpeningLine).where(OpeningLine.day_id == day.id))
        }
        counts = {
            c.method_code: (c.counted_cents, c.item_count, [(x.value_cents, x.quantity) for x in c.lines])
            for c in db.session.scalars(
                db.select(CashCount).where(CashCount.day_id == day.id, CashCount.moment == "opening")
            )
        }
        return day.opening_float_cents, lines, counts

    return till._run(look)


def count_window(manager):
    page = manager.open("/ouverture/comptage")
    manager.page = page
    return page


def test_ouvrir_brings_the_count_window_and_there_is_no_float_to_type(closed, till):
    page = closed.page
    assert "amount" not in page.inputs
    assert "Comptage obligatoire : Ouvrir affiche la fenêtre de comptage." in page.body
    assert page.buttons["Ouvrir"] is True
    page = count_window(closed)
    # Every method but the shop's credit note, with what the last closing left.
    assert "Espèces 51,30 €" in page.body and "Chèque 3,40 €" in page.body
    assert "Carte Bancaire 0,00 €" in page.body and "Avoir" not in page.body
    assert {"counted_ESP", "counted_CB", "counted_CHQ", "items_CHQ", "items_TS", "pieces_5000"} <= set(
        page.inputs
    )
    assert "amount" not in page.inputs


def test_an_exact_count_opens_from_what_the_closing_left(closed, till, app):
    count_window(closed)
    closed.post(
        "/open", person="RESP01", password="1234", pieces_5000="1", pieces_100="1", pieces_20="1", pieces_10="1",
        items_CHQ="1", counted_CHQ="3,40",
    )  # fmt: skip
    assert till.state() == "C", closed.page.messages
    float_cents, lines, counts = day_two(till)
    assert float_cents == 5130
    assert lines["ESP"] == (5130, 5130, 0, None) and lines["CHQ"] == (340, 340, 0, None)
    assert lines["CB"] == (0, None, None, None)
    assert counts == {"ESP": (5130, None, [(10, 1), (20, 1), (100, 1), (5000, 1)]), "CHQ": (340, 1, [])}
    assert not till.journal("opening_difference")
    # Each count is a signed record of the cash chain, and the chains verify.
    kinds = [
        (f["moment"], f["method"], f["counted_cents"])
        for _n, k, _s, f in records(till, "cash")
        if k == "count"
    ]
    assert ("opening", "ESP", 5130) in kinds and ("opening", "CHQ", 340) in kinds
    assert problems(app) == []
    # The cheque left in the drawer is in the day's figures: the closing expects it.
    begin(closed)
    assert "Chèque 3,40 € 0,00 € (0) 0,00 € 0,00 € 3,40 €" in closed.page.body


def test_a_difference_at_opening_is_kept_apart_journaled_and_in_the_days_figures(closed, till, app):
    count_window(closed)
    closed.post("/open", person="RESP01", password="1234", counted_ESP="50", reason_ESP="Pièce tombée")
    assert till.state() == "C", closed.page.messages
    float_cents, lines, _ = day_two(till)
    assert float_cents == 5130  # not added to the float
    assert lines["ESP"] == (5130, 5000, -130, "Pièce tombée")
    assert lines["CHQ"] == (340, None, None, None)  # not counted: taken as left
    [entry] = till.journal("opening_difference", "ok")
    assert (entry.reason, entry.actor_code) == ("Pièce tombée", "RESP01")
    # A signed event of the journal (JET code 74).
    events = [f for _n, _k, _s, f in records(till, "event") if f["action"] == "opening_difference"]
    assert [e["code"] for e in events] == [74]
    # The day's figures: the float, the difference beside it, the closing expects what is there.
    begin(closed)
    assert "Espèces 51,30 € écart à l'ouverture -1,30 € 0,00 € 0,00 € 0,00 € 50,00 €" in closed.page.body
    validate(closed, counted_ESP="50", counted_CHQ="3,40", items_CHQ="1")
    assert till.state() == "D", closed.page.messages  # no difference at closing: counted once
    uuid = till.sql("SELECT uuid FROM register_day WHERE number = 2").scalar()
    z = " ".join(closed.open(f"/journees/{uuid}").body.split())
    assert "Fonds de caisse 51,30 €" in z and "Écart à l'ouverture Espèces -1,30 €" in z
    assert "Motif de l'écart : Pièce tombée" in z
    assert problems(app) == []


def test_a_typed_amount_is_a_count_never_the_float(closed, till):
    """An amount sent all the same (a tool, an older screen) counts the cash as one total."""
    closed.post("/open", person="RESP01", password="1234", amount="200")
    float_cents, lines, _ = day_two(till)
    assert float_cents == 5130 and lines["ESP"] == (5130, 20000, 14870, None)


def test_an_amount_and_a_count_together_are_refused(closed, till):
    count_window(closed)
    refused(
        closed,
        till,
        lambda: closed.post(
            "/open", htmx=True, person="RESP01", password="1234", amount="51,30", counted_ESP="51,30"
        ),
        422,
        "Le comptage est obligatoire : le fonds de caisse ne se saisit pas, il se compte.",
    )


def test_the_cash_must_be_counted_when_the_closing_left_some(closed, till):
    count_window(closed)
    refused(
        closed,
        till,
        lambda: closed.post(
            "/open", htmx=True, person="RESP01", password="1234", items_CHQ="1", counted_CHQ="3,40"
        ),
        422,
        "Le comptage du fonds de caisse est obligatoire.",
    )


def test_no_count_is_needed_for_a_float_of_zero(app, client, manager, till):
    seller = open_till(app, client)
    seller.post("/vente/disconnect")
    begin(manager)
    validate(manager, counted_ESP="150", withdrawal_ESP="150")
    count_window(manager)
    manager.post("/open", person="RESP01", password="1234")
    assert till.state() == "C", manager.page.messages
    float_cents, lines, counts = day_two(till)
    assert float_cents == 0 and lines["ESP"] == (0, None, None, None) and counts == {}


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"counted_ESP": "-5"}, "Le montant ne peut pas être négatif."),
        ({"counted_ESP": "abc"}, "« abc » n'est pas un montant"),
        ({"counted_ESP": "51,305"}, "« 51,305 » n'est pas un montant"),
        ({"counted_ESP": "1000,01"}, "Le fonds de caisse doit être entre 0,00 € et 1 000,00 €."),
        ({"counted_ESP": "99999999999"}, "n'est pas un montant"),
        ({"pieces_200": "-1"}, "ne peut pas être négatif"),
        ({"pieces_200": "1,5"}, "doit être un nombre entier"),
        ({"pieces_200": "10001"}, "vérifiez le comptage (au plus 10000)"),
        ({"counted_ESP": "51,30", "pieces_5000": "3"}, "ne concordent pas"),
        ({"counted_ESP": "51,30", "items_CHQ": "-1"}, "doit être un nombre entier positif"),
        ({"counted_ESP": "51,30", "counted_CHQ": "-3,40"}, "Le montant ne peut pas être négatif."),
    ],
)
def test_bad_opening_counts_are_refused(closed, till, fields, message):
    count_window(closed)
    page = refused(
        closed,
        till,
        lambda: closed.post("/open", htmx=True, person="RESP01", password="1234", **fields),
        422,
        message,
    )
    assert closed.response.headers["HX-Retarget"] == "#messages", page.messages


def test_ouvrir_tapped_twice_opens_one_day_with_one_count(closed, till):
    count_window(closed)
    closed.post("/open", htmx=True, person="RESP01", password="1234", counted_ESP="51,30")
    assert till.state() == "C"
    before = till.dump()
    # The second tap of the same window: its screen is stale, the fresh one is shown.
    closed.post("/open", htmx=True, person="RESP01", password="1234", counted_ESP="51,30")
    assert closed.response.headers["HX-Redirect"] == "/"
    assert till.dump() == before
    # Sent again without the window's token (a script): refused, nothing written.
    del closed.page.inputs["screen_token"]
    page = closed.post("/open", htmx=True, person="RESP01", password="1234", counted_ESP="51,30")
    assert closed.response.status_code == 409 and page.messages == ["La caisse est déjà ouverte."]
    assert till.dump() == before
    assert till.sql("SELECT COUNT(*) FROM cash_count WHERE moment = 'opening'").scalar() == 2  # day 1, day 2


def test_a_blind_count_shows_nothing_of_what_the_drawer_should_hold(closed, till):
    till.sql("UPDATE register SET blind_count = 1")
    html = closed.client.get("/ouverture/comptage").get_data(as_text=True)
    assert "counted_ESP" in html
    for figure in ("51,30", "51.30", "5130", "3,40", "340"):
        assert figure not in html, figure


def test_without_mandatory_counting_the_float_is_typed_and_the_rest_carried(closed, till):
    till.sql("UPDATE register SET counting_mandatory = 0")
    page = closed.open("/")
    assert page.inputs["amount"]["value"] == "51,30"
    closed.open("/ouverture/comptage")
    assert closed.response.request.path == "/"  # no count window
    closed.post("/open", person="RESP01", password="1234", amount="80")
    float_cents, lines, counts = day_two(till)
    assert float_cents == 8000 and counts == {}
    assert lines["ESP"] == (8000, None, None, None) and lines["CHQ"] == (340, None, None, None)


def test_a_closing_that_left_more_than_the_maximum_float_does_not_keep_the_shop_shut(closed, till):
    till.sql("UPDATE register SET max_float_cents = 5000")  # the closing left 51,30 €
    count_window(closed)
    refused(
        closed,
        till,
        lambda: closed.post("/open", htmx=True, person="RESP01", password="1234", counted_ESP="51,31"),
        422,
        "Le fonds de caisse doit être entre 0,00 € et 51,30 €.",
    )
    closed.post("/open", person="RESP01", password="1234", counted_ESP="51,30")
    assert till.state() == "C", closed.page.messages


def test_the_first_opening_has_no_difference_to_explain(app, client, till):
    screen = Kiosk(client)
    screen.open("/")
    screen.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    page = count_window(screen)
    assert "Espèces —" in page.body  # nothing computed yet: the count is the float
    assert "reason_ESP" not in page.inputs
    screen.post("/open", person="RESP01", password="1234", counted_ESP="120")
    float_cents = till.sql("SELECT opening_float_cents FROM register_day").scalar()
    assert float_cents == 12000
