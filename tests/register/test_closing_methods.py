"""Closing per payment method over HTTP (docs/closing.md, « Per method »): a withdrawal and what
remains for every method, a reason per method, an automatic DC/RC for each accepted
difference (signed in the cash chain, in the Liste des DC/RC), and a blind count with nothing
on the page that adds up to what is expected. Each refusal: its message, nothing changed."""

import re

import pytest

from app.extensions import db
from app.models import CashMovement, ClosingLine
from app.services.closing import summarise_day
from app.services.lifecycle import register_state
from tests.support.closing import begin, validate
from tests.support.screens import Kiosk
from tests.support.signed_days import problems, records
from tests.support.till import open_till, refused, sell


@pytest.fixture
def manager(app):
    return Kiosk(app.test_client())


@pytest.fixture
def sold(app, client, till):
    """150,00 € float; 1,30 € cash, 2,55 € card, 3,40 € cheque; the seller leaves."""
    seller = open_till(app, client)
    sell(seller, till, ["Baguette tradition"], [("ESP", "2", None)])
    sell(seller, till, ["Croissant", "Pain au chocolat"], [("CB", "2,55", None)])
    sell(seller, till, ["Pain aux céréales"], [("CHQ", "3,40", "1234567")])
    seller.post("/vente/disconnect")
    return seller


def movements(till):
    return till._run(
        lambda: [
            (
                m.number,
                m.kind,
                m.method_code,
                m.amount_cents,
                m.reason,
                m.closing_withdrawal,
                m.closing_difference,
            )
            for m in db.session.scalars(db.select(CashMovement).order_by(CashMovement.number))
        ]
    )


def lines(till):
    return till._run(
        lambda: {
            line.method_code: (
                line.counted_cents,
                line.difference_cents,
                line.withdrawal_cents,
                line.remaining_cents,
            )
            for line in db.session.scalars(db.select(ClosingLine))
        }
    )


def test_every_method_has_its_withdrawal_and_what_remains(sold, manager, till, app):
    page = begin(manager)
    assert {"withdrawal_ESP", "withdrawal_CB", "withdrawal_CHQ", "withdrawal_TS"} <= set(page.inputs)
    assert "withdrawal_AV" not in page.inputs  # the credit note is not in the drawer
    validate(
        manager,
        counted_ESP="151,30",
        withdrawal_ESP="100",
        counted_CB="2,55",
        withdrawal_CB="2,55",
        items_CHQ="1",
        counted_CHQ="3,40",
        withdrawal_CHQ="3,40",
    )
    assert till.state() == "D", manager.page.messages
    assert [m[1:] for m in movements(till)] == [
        ("out", "ESP", 10000, "Retrait à la clôture de la journée", True, False),
        ("out", "CB", 255, "Retrait à la clôture de la journée", True, False),
        ("out", "CHQ", 340, "Retrait à la clôture de la journée", True, False),
    ]
    assert lines(till)["ESP"] == (15130, 0, 10000, 5130)
    assert lines(till)["CHQ"] == (340, 0, 340, 0) and lines(till)["TS"] == (None, None, 0, 0)
    assert problems(app) == []
    # What remains is where the next opening starts.
    page = manager.open("/ouverture/comptage")
    assert "Espèces 51,30 €" in page.body and "Chèque 0,00 €" in page.body


def test_an_accepted_difference_writes_a_dc_or_an_rc_signed_and_listed(sold, manager, till, app):
    begin(manager)
    validate(
        manager,
        counted_ESP="150,80",  # 0,50 € short: a DC
        reason_ESP="Erreur de rendu",
        items_CHQ="2",
        counted_CHQ="5,40",  # a 2,00 € cheque more than the day took: an RC
        reason_CHQ="Chèque du matin",
        counted_CB="2,55",
    )
    assert till.state() == "D", manager.page.messages
    documents = [m for m in movements(till) if m[6]]
    assert [m[1:6] for m in documents] == [
        ("out", "ESP", 50, "Erreur de rendu", False),
        ("in", "CHQ", 200, "Chèque du matin", False),
    ]
    # Each a signed document of the cash chain; the chains verify.
    signed = {s: f for _n, kind, s, f in records(till, "cash") if kind == "movement"}
    uuids = (
        till.sql("SELECT uuid FROM cash_movement WHERE closing_difference ORDER BY number").scalars().all()
    )
    assert [signed[u]["closing_difference"] for u in uuids] == [True, True]
    assert problems(app) == []
    assert lines(till)["ESP"][:2] == (15080, -50) and lines(till)["CHQ"][:2] == (540, 200)
    assert [j.reason for j in till.journal("accept_difference", "ok")] == [
        "Erreur de rendu",
        "Chèque du matin",
    ]
    # The Liste des DC/RC shows them, with their reason.
    manager.open("/caisse/documents")
    if manager.response.status_code in (401, 403):
        manager.sign_in("/caisse/documents")
    body = manager.page.body
    assert f"DC {documents[0][0]} Dépense 0,50 €" in body and "Erreur de rendu" in body
    assert f"RC {documents[1][0]} Recette 2,00 €" in body and "Chèque du matin" in body
    # The day's figures stay the ones compared: the Z's expected amounts and movements.
    uuid = till.sql("SELECT uuid FROM register_day").scalar()
    z = " ".join(manager.open(f"/journees/{uuid}").body.split())
    assert "Espèces attendu 151,30 €" in z and "Espèces écart -0,50 €" in z
    assert "Chèque attendu 3,40 €" in z and "Chèque écart 2,00 €" in z
    assert "Entrées" not in z and "Sorties" not in z


def test_each_difference_needs_its_own_reason(sold, manager, till):
    begin(manager)
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="150,80", reason_ESP="Erreur de rendu", counted_CHQ="5,40"),
        422,
        "Écart de caisse de Chèque 2,00 € : donnez-en le motif pour valider.",
    )


def test_a_difference_is_not_accepted_without_the_right(sold, manager, till):
    till.sql("DELETE FROM staff_right WHERE staff_code = 'RESP01' AND \"right\" = 'accept_difference'")
    begin(manager)
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="151,30", counted_CHQ="5,40", reason_CHQ="Chèque du matin"),
        403,
        "(accepter un écart de caisse)",
    )
    assert till.journal("close", "refused")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"withdrawal_CHQ": "5"}, "Le retrait de Chèque (5,00 €) dépasse ce qui est présent (3,40 €)."),
        ({"withdrawal_CB": "-1"}, "Le montant ne peut pas être négatif."),
        ({"withdrawal_CB": "1,234"}, "« 1,234 » n'est pas un montant"),
        ({"withdrawal_CB": "abc"}, "« abc » n'est pas un montant"),
        ({"withdrawal_CB": "99999999999"}, "n'est pas un montant"),
        ({"withdrawal_ESP": "151,31"}, "Le retrait (151,31 €) dépasse les espèces présentes (151,30 €)."),
        (
            {"withdrawal_TS": "0,01"},
            "Le retrait de Titre-service (0,01 €) dépasse ce qui est présent (0,00 €).",
        ),
        ({"withdrawal_AV": "1"}, "Avoir n'est pas dans le tiroir : rien à retirer."),
        ({"counted_CHQ": "3,40", "items_CHQ": "1,5"}, "doit être un nombre entier positif"),
        ({"counted_CB": "-2,55"}, "Le montant ne peut pas être négatif."),
    ],
)
def test_bad_withdrawals_and_counts_are_refused(sold, manager, till, fields, message):
    begin(manager)
    refused(manager, till, lambda: validate(manager, **{"counted_ESP": "151,30", **fields}), 422, message)


def test_valider_twice_writes_the_documents_once(sold, manager, till):
    begin(manager)
    fields = {"counted_ESP": "150,80", "reason_ESP": "Erreur de rendu", "withdrawal_ESP": "100"}
    validate(manager, **fields)
    assert till.state() == "D"
    before = till.dump()
    page = validate(manager, **fields)
    assert manager.response.status_code == 409, page.messages
    assert page.messages == ["La caisse vient d'être fermée depuis un autre écran."]
    assert till.dump() == before
    assert len(movements(till)) == 2  # the DC of the difference, the withdrawal


def expected_figures(till) -> set[str]:
    """Every figure of the day a blind count must not show, in every way a page could write
    it: each method's float, payments, movements and expected amount (« 151,30 », « 151.30 »,
    « 15130 »)."""
    rows = till._run(
        lambda: [
            (m.opening_cents, m.payments_cents, m.cash_in_cents, m.cash_out_cents, m.expected_cents)
            for m in summarise_day(db.session, register_state(db.session).open_day).methods
        ]
    )
    figures = set()
    for cents in {c for row in rows for c in row if c}:
        figures |= {f"{cents // 100},{cents % 100:02d}", f"{cents // 100}.{cents % 100:02d}", str(cents)}
    return figures


def shown(html: str, figures: set[str]) -> list[str]:
    """The figures found in the page's HTML, as a number on its own (not inside a token)."""
    return [
        f for f in figures if re.search(rf"(?<![0-9A-Za-z_,.]){re.escape(f)}(?![0-9A-Za-z_]|[,.][0-9])", html)
    ]


def test_a_blind_count_shows_nothing_that_adds_up_to_the_expected_amount(sold, manager, till):
    till.sql("UPDATE register SET blind_count = 1")
    manager.open("/caisse/mouvements")
    manager.post(
        "/caisse/mouvements", kind="out", amount="12,34", reason="Timbres", person="RESP01", password="1234"
    )
    figures = expected_figures(till)
    assert {"150,00", "1,30", "2,55", "3,40", "12,34", "138,96"} <= figures
    begin(manager)
    html = manager.response.get_data(as_text=True)
    assert "counted_ESP" in html and "Comparer avec le montant attendu" in html
    assert shown(html, figures) == []
    # Once compared, the figures are there (so this test can see them when they leak).
    manager.post("/fermeture/comparer", counted_ESP="138,96", counted_CB="2,55", counted_CHQ="3,40")
    html = manager.client.get("/fermeture").get_data(as_text=True)
    assert {"138,96", "2,55", "3,40", "12,34"} <= set(shown(html, figures))
