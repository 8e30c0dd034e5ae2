"""Titres-service (docs/selling.md, « Titre-service »): the number read with its issuer's
scheme (the demo's VILLE: 27 + year + six digits + a Luhn digit, 31 grace days), refused when
malformed, expired, not yet valid or already used — on this box or, through the snapshot, on
another register — never giving change, never refunded in; the number is on the signed ticket
and in the export."""

import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.services.integrity import verify_chains
from app.services.lifecycle import open_register
from app.sync.client import HeadOfficeClient
from app.sync.exporting import export_days
from app.sync.importing import import_register
from tests.support.auditor import edit_database
from tests.support.helpers import DEMO_BOX_TOKEN, close_counted
from tests.support.screens import Kiosk
from tests.support.signed_days import utc
from tests.support.till import open_till, refused, sell

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def luhn_digit(body: str) -> str:
    """The digit that makes body + digit pass Luhn (written here, not taken from the app)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    return str((10 - total % 10) % 10)


def titre(year: int, serial: int = 123) -> str:
    body = f"27{year % 100:02d}{serial:06d}"
    return body + luhn_digit(body)


def this_year() -> int:
    return datetime.now(ZoneInfo("Europe/Paris")).year


def pay(kiosk, amount, number, method="TS"):
    return kiosk.post("/vente/pay", htmx=True, method=method, amount=amount, reference=number)


def scan(kiosk, till, *names):
    for name in names:
        kiosk.post("/vente/scan", htmx=True, code=till.barcode(name))


def due(till) -> str:
    [ticket] = till.tickets(status="open")
    left = ticket.total_cents - sum(p.amount_cents for p in ticket.payments)
    return f"{left // 100},{left % 100:02d}"


def test_the_luhn_digit_of_the_tests_is_right():
    assert luhn_digit("7992739871") == "3"  # the textbook example


def test_a_titre_service_pays_and_its_number_is_signed_and_exported(app, kiosk, till, headoffice_app):
    number = titre(this_year(), 42)
    scan(kiosk, till, "Baguette tradition", "Croissant")
    grouped = f"{number[:2]} {number[2:4]} {number[4:10]}-{number[10:]}"  # as printed
    pay(kiosk, "2,00", grouped)
    assert kiosk.response.status_code == 200, kiosk.page.messages
    pay(kiosk, due(till), None, method="CB")
    [ticket] = till.tickets(status="open")
    kiosk.open("/vente?panel=pay")
    assert f"Titre-service 2,00 € — {number}" in kiosk.page.body
    kiosk.post("/vente/finish", ticket=ticket.uuid)
    [done] = till.tickets(uuid=ticket.uuid)
    assert done.status == "finished"
    titre_payment = done.payments[0]
    assert (titre_payment.reference, titre_payment.titre_service_issuer, titre_payment.expires_on) == (
        number,
        "VILLE",
        date(this_year() + 1, 1, 31),
    )
    [payload] = till.sql("SELECT payload FROM signed_record WHERE subject_uuid = :u", u=ticket.uuid).scalars()
    assert json.loads(payload)["fields"]["payments"] == [
        ["TS", 200, "VILLE", number],
        ["CB", ticket.total_cents - 200],
    ]
    # The number is part of what is signed: changing it on the row is named by the verifier.
    with app.app_context():
        assert verify_chains(db.session).sound
        db.session.remove()
    edit_database(app, "UPDATE payment SET reference = '27000000000' WHERE ticket_id = ?", done.id)
    with app.app_context():
        problems = verify_chains(db.session).problems
        db.session.remove()
    assert [(p.chain, p.what) for p in problems] == [("ticket", "altered")]
    assert "payments" in problems[0].detail


def _refusal(kiosk, till, amount, number, status, message):
    scan(kiosk, till, "Baguette tradition")  # 1,30 €
    refused(kiosk, till, lambda: pay(kiosk, amount, number), status, message)


@pytest.mark.parametrize(
    "number, status, message",
    [
        ("", 422, "Scannez ou tapez le numéro du titre-service."),
        ("28260001234", 422, "aucun émetteur ne numérote ainsi"),  # another issuer's mark
        ("2726000123", 422, "aucun émetteur ne numérote ainsi"),  # a digit short
        ("27AB0001234", 422, "aucun émetteur ne numérote ainsi"),  # letters
        ("٢٧٢٦٠٠٠١٢٣٤", 422, "aucun émetteur ne numérote ainsi"),  # digits of another script
    ],
)
def test_a_malformed_number_is_refused(kiosk, till, number, status, message):
    _refusal(kiosk, till, "1,30", number, status, message)


def test_a_wrong_check_digit_is_a_typing_slip(kiosk, till):
    good = titre(this_year())
    slip = good[:-1] + str((int(good[-1]) + 1) % 10)
    _refusal(kiosk, till, "1,30", slip, 422, f"Le numéro de titre-service {slip} est mal saisi")


def test_an_expired_titre_is_refused(kiosk, till):
    old = titre(this_year() - 2)
    last_day = date(this_year() - 1, 1, 31)
    _refusal(kiosk, till, "1,30", old, 409, f"Le titre-service n° {old} a expiré le {last_day:%d/%m/%Y}.")


def test_a_titre_of_next_year_is_not_valid_yet(kiosk, till):
    early = titre(this_year() + 1)
    _refusal(
        kiosk, till, "1,30", early, 422, f"est de l'année {this_year() + 1} : il n'est pas encore valable"
    )


def test_the_grace_days_end_on_their_last_day(app, client, clock, till):
    """A 2026 voucher of VILLE (31 grace days) is taken on 31 January 2027, not on 1 February."""
    clock.at(utc("2027-01-31 10:00"))
    kiosk = open_till(app, client)
    scan(kiosk, till, "Baguette tradition")
    pay(kiosk, "1,30", titre(2026, 1))
    assert kiosk.response.status_code == 200, kiosk.page.messages
    kiosk.post("/vente/finish", ticket=till.tickets(status="open")[0].uuid)
    clock.at(utc("2027-02-01 10:00"))
    _refusal(kiosk, till, "1,30", titre(2026, 2), 409, "a expiré le 31/01/2027")


@pytest.mark.parametrize("gives_change", [False, True])
def test_a_titre_never_gives_change(kiosk, till, gives_change):
    """Even a method head office flagged as giving change by mistake gives none as a titre."""
    till.sql("UPDATE payment_method SET gives_change = :g WHERE code = 'TS'", g=gives_change)
    _refusal(kiosk, till, "10,00", titre(this_year()), 422, "Un titre-service ne rend pas la monnaie")


def test_a_number_already_taken_on_this_box_is_refused(app, kiosk, till):
    number = titre(this_year(), 7)
    sold = sell(kiosk, till, ["Baguette tradition"], [("TS", "1,30", number)])
    assert sold.payments[0].reference == number
    _refusal(
        kiosk, till, "1,30", number, 409, f"a déjà été utilisé sur cette caisse (ticket n° {sold.number})"
    )


def test_a_number_on_a_ticket_in_progress_is_refused_until_taken_off(app, kiosk, till):
    number = titre(this_year(), 8)
    scan(kiosk, till, "Baguette tradition", "Croissant")
    pay(kiosk, "1,00", number)
    # The same voucher typed again, here or on the tablet: one paper, one payment.
    refused(kiosk, till, lambda: pay(kiosk, "1,00", number), 409, "est déjà sur un ticket en cours")
    tablet = Kiosk(app.test_client())
    tablet.open("/caisse")
    tablet.post("/caisse/connect", person="VEND02", password="2222")
    scan(tablet, till, "Croissant")
    refused(tablet, till, lambda: pay(tablet, "1,00", number), 409, "est déjà sur un ticket en cours")
    [payment] = [t for t in till.tickets(status="open") if t.seller_code == "VEND01"][0].payments
    kiosk.post(f"/vente/payments/{payment.uuid}/remove", htmx=True)
    pay(tablet, "1,00", number)
    assert tablet.response.status_code == 200, tablet.page.messages


def test_refunds_are_never_in_titre_service(kiosk, till):
    sold = sell(kiosk, till, ["Baguette tradition"], [("TS", "1,30", titre(this_year(), 9))])
    kiosk.open("/vente?panel=return")
    kiosk.post("/vente/return", number=str(sold.number))
    kiosk.post(f"/vente/return/lines/{sold.lines[0].id}", htmx=True, quantity="1", unit="unit")
    kiosk.open("/vente?panel=return")
    html = kiosk.response.get_data(as_text=True)
    assert 'name="method" value="TS"' not in html and 'name="method" value="ESP"' in html
    refused(
        kiosk,
        till,
        lambda: kiosk.post("/vente/refund", htmx=True, method="TS", person="RESP01", password="1234"),
        422,
        "On ne rembourse jamais en titre-service : remboursez en espèces ou sur la carte.",
    )
    kiosk.post("/vente/refund", method="ESP", person="RESP01", password="1234")
    [refund] = till.tickets(kind="return")
    assert [(p.method_code, p.amount_cents) for p in refund.payments] == [("ESP", -130)]


def test_a_number_another_register_took_is_refused_after_the_import(app, kiosk, till, headoffice_app, clock):
    """Exported here, booked by head office, listed in the snapshot: refused on the next day
    with where and when it was used — also on a box that never saw it (the payment rows of
    this box are not what refuses it: the snapshot is). Used at 23:30 UTC, which is already
    the next day in Paris: the refusal names the shop's day, not UTC's."""
    now = datetime.now(timezone.utc)
    used_at = datetime.combine(now.date(), time(23, 30), tzinfo=timezone.utc)
    if used_at < now + timedelta(minutes=5):  # the fixtures have signed: the clock only goes on
        used_at += timedelta(days=1)
    clock.at(used_at)
    number = titre(this_year(), 10)
    sell(kiosk, till, ["Baguette tradition"], [("TS", "1,30", number)])
    kiosk.post("/vente/disconnect")
    with app.app_context():
        close_counted(db.session)
        with HeadOfficeClient.from_config(app.config) as ho:
            export_days(db.session, ho, "RESP01", "1234")
        db.session.remove()
    snapshot = (
        headoffice_app.test_client()
        .get(SNAPSHOT, headers={"Authorization": f"Bearer {DEMO_BOX_TOKEN}"})
        .get_json()
    )
    [used] = snapshot["titres_service_used"]
    assert (used["number"], used["issuer_code"], used["register_code"], used["valid_until"]) == (
        number,
        "VILLE",
        "CAISSE01",
        f"{this_year() + 1}-01-31",
    )
    with app.app_context():
        with HeadOfficeClient.from_config(app.config) as ho:
            import_register(db.session, ho, "CAISSE01", "VEND01", "1111")
        open_register(db.session, "RESP01", "1234", 15000)
        db.session.remove()
    # As on another box: this box's own payment forgotten, only head office's list remains.
    edit_database(app, "UPDATE payment SET titre_service_issuer = NULL WHERE reference = ?", number)
    kiosk.open("/caisse")
    kiosk.post("/caisse/connect", person="VEND01", password="1111")
    shop_day = used_at.date() + timedelta(days=1)  # 00:30 or 01:30 in Paris
    _refusal(
        kiosk, till, "1,30", number, 409, f"a déjà été utilisé (caisse CAISSE01, le {shop_day:%d/%m/%Y})"
    )


def test_titre_refusals_read_in_english(kiosk, till):
    kiosk.post("/lang", lang="en", next="/vente")
    _refusal(kiosk, till, "1,30", "123", 422, "is not a titre-service number")
