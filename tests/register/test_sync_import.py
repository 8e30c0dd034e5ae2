"""Importer: pulling a register's data from head office (docs/sync.md)."""

import pytest

from app.extensions import db
from app.models import Barcode, Box, PaymentMethod, Product, Staff, TitreServiceIssuer
from app.services.errors import AuthenticationFailed, DomainError, HeadOfficeProblem, StateForbids
from app.services.lifecycle import open_register, register_state
from app.sync.importing import import_register
from tests.support.helpers import (
    close_counted,
    dump_database,
    head_office_answers,
    head_office_down,
    head_office_slow,
    journal,
)


@pytest.fixture
def do_import(app, ctx):
    from app.sync.client import HeadOfficeClient

    def run(register="CAISSE01", person="VEND01", password="1111"):
        with HeadOfficeClient.from_config(app.config) as client:
            return import_register(db.session, client, register, person, password)

    return run


def test_import_fills_the_box_and_reaches_state_b(do_import):
    assert register_state(db.session).code == "A"
    run = do_import()
    assert run.status == "done" and run.percent == 100
    state = register_state(db.session)
    assert state.code == "B"
    assert state.register.code == "CAISSE01"
    assert state.box.shop_code == "BOUTIQUE01"
    assert db.session.query(Product).count() >= 190
    assert db.session.query(Barcode).count() >= 190
    assert db.session.get(Staff, "RESP01").has_right("open")
    assert db.session.get(PaymentMethod, "TS").is_titre_service
    assert not db.session.get(PaymentMethod, "CHQ").is_titre_service
    assert db.session.get(PaymentMethod, "CB").is_card  # contract 1.5.0: the Liste des transactions
    assert not db.session.get(PaymentMethod, "ESP").is_card
    ville = db.session.get(TitreServiceIssuer, "VILLE")
    assert (ville.method_code, ville.mask, ville.grace_days) == ("TS", "27AANNNNNNC", 31)
    assert journal("import", "ok")


def test_reimport_in_state_b_switches_register(do_import):
    do_import("CAISSE01")
    do_import("CAISSE02")
    state = register_state(db.session)
    assert state.code == "B" and state.register.code == "CAISSE02"
    # Replaced, not added to.
    assert db.session.query(Staff).count() == 3


def test_wrong_password_is_refused_and_journaled(do_import):
    before = dump_database()
    with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
        do_import(password="nope")
    assert dump_database() == before
    assert journal("import", "refused")[-1].actor_code == "VEND01"


def test_person_without_import_right_is_refused(do_import):
    before = dump_database()
    with pytest.raises(AuthenticationFailed, match="pas autorisée à importer"):
        do_import(person="VEND02", password="2222")
    assert dump_database() == before


def test_unknown_register_is_refused(do_import):
    before = dump_database()
    with pytest.raises(StateForbids, match="CAISSE99 n'existe pas"):
        do_import(register="CAISSE99")
    assert dump_database() == before


def test_five_wrong_passwords_lock_the_person(do_import):
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
            do_import(password="bad")
    with pytest.raises(AuthenticationFailed, match="bloqué"):
        do_import(password="bad")
    # Even the right password waits for the lock to end.
    with pytest.raises(AuthenticationFailed, match="bloqué"):
        do_import()
    assert register_state(db.session).code == "A"


@pytest.mark.parametrize(
    "failure, message",
    [
        (head_office_down, "injoignable"),
        (head_office_slow, "pas répondu à temps"),
        (head_office_answers(500, b'{"error":"boom","message":"panne"}'), "erreur 500"),
        (head_office_answers(200, b"<html>proxy</html>", "text/html"), "autre chose que du JSON"),
        (head_office_answers(401, b'{"error":"unauthorized","message":"bad token"}'), "jeton"),
    ],
)
def test_head_office_failures_keep_previous_data(do_import, headoffice, failure, message):
    do_import("CAISSE01")
    before = dump_database()
    headoffice.override = failure
    with pytest.raises(HeadOfficeProblem, match=message):
        do_import("CAISSE02")
    assert dump_database() == before
    assert register_state(db.session).register.code == "CAISSE01"


def _corrupting(headoffice, corrupt):
    """Serve head office's real answers, with the snapshot altered by `corrupt`."""
    real = headoffice.real

    def handler(request):
        response = real.handle_request(request)
        response.read()  # httpx has already undone the gzip
        if not request.url.path.endswith("/snapshot"):
            return response
        snapshot = response.json()
        corrupt(snapshot)
        import httpx

        return httpx.Response(200, json=snapshot)

    return handler


def _negative_price(s):
    s["products"][3]["price_cents"] = -150


def _duplicate_barcode(s):
    s["barcodes"][1]["code"] = s["barcodes"][0]["code"]


def _unknown_vat(s):
    s["products"][0]["vat_code"] = "TVA99"


def _missing_field(s):
    del s["products"][5]["name"]


def _string_price(s):
    s["products"][2]["price_cents"] = "2,50"


_NOTE = {
    "code": "9912345678909",
    "balance_cents": 500,
    "issued_cents": 500,
    "issued_at": "2026-11-20T10:00:00Z",
    "expires_on": "2027-11-20",
}


def _empty_credit_note(s):
    s["credit_notes"] = [{**_NOTE, "balance_cents": 0}]


def _credit_note_bad_day(s):
    s["credit_notes"] = [{**_NOTE, "expires_on": "20/11/2027"}]


def _credit_note_twice(s):
    s["credit_notes"] = [_NOTE, _NOTE]


def _store_credit_not_a_flag(s):
    s["payment_methods"][0]["store_credit"] = "yes"


def _price_past_64_bits(s):
    s["products"][0]["price_cents"] = 10**30


def _superscript_in_a_barcode(s):
    s["barcodes"][0]["code"] = "37699990²0017"


def _ts(s) -> dict:
    return next(m for m in s["payment_methods"] if m["code"] == "TS")


def _titre_mask_unreadable(s):
    _ts(s)["titre_service_issuers"][0]["mask"] = "27NNNNNNNNC"  # no year in it


def _titre_grace_negative(s):
    _ts(s)["titre_service_issuers"][0]["grace_days"] = -1


def _titre_not_a_flag(s):
    _ts(s)["is_titre_service"] = "yes"


def _card_not_a_flag(s):
    next(m for m in s["payment_methods"] if m["code"] == "CB")["is_card"] = 1


def _titre_issuer_twice(s):
    _ts(s)["titre_service_issuers"].append(dict(_ts(s)["titre_service_issuers"][0]))


_USED = {"number": "27260000017", "issuer_code": "VILLE", "valid_until": "2027-01-31"}


def _titre_used_with_letters(s):
    s["titres_service_used"] = [{**_USED, "number": "27AB0000017"}]


def _titre_used_twice(s):
    s["titres_service_used"] = [_USED, _USED]


def _titre_used_bad_day(s):
    s["titres_service_used"] = [{**_USED, "valid_until": "31/01/2027"}]


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (_titre_mask_unreadable, "émetteur de titre-service VILLE invalide"),
        (_titre_grace_negative, "émetteur de titre-service VILLE invalide"),
        (_titre_not_a_flag, "champ « is_titre_service » de payment_methods a un mauvais type"),
        (_card_not_a_flag, "champ « is_card » de payment_methods a un mauvais type"),
        (_titre_issuer_twice, "code VILLE en double dans titre_service_issuers"),
        (_titre_used_with_letters, "titre-service 27AB0000017 invalide ou en double"),
        (_titre_used_twice, "titre-service 27260000017 invalide ou en double"),
        (_titre_used_bad_day, "date de fin du titre-service 27260000017 invalide"),
        (_price_past_64_bits, "champ « price_cents » de products a un mauvais type"),
        (_superscript_in_a_barcode, "code-barres 37699990²0017 invalide"),
        (_empty_credit_note, "avoir 9912345678909 invalide"),
        (_credit_note_bad_day, "date de fin de l'avoir 9912345678909 invalide"),
        (_credit_note_twice, "code 9912345678909 en double"),
        (_store_credit_not_a_flag, "champ « store_credit » de payment_methods a un mauvais type"),
        (_negative_price, "prix négatif"),
        (_duplicate_barcode, "code-barres .* en double"),
        (_unknown_vat, "taux de TVA inconnu TVA99"),
        (_missing_field, "champ « name » manquant"),
        (_string_price, "mauvais type"),
    ],
)
def test_snapshot_breaking_the_contract_is_refused_whole(do_import, headoffice, corrupt, message):
    do_import("CAISSE01")
    before = dump_database()
    headoffice.override = _corrupting(headoffice, corrupt)
    with pytest.raises(HeadOfficeProblem, match=message):
        do_import("CAISSE02")
    assert dump_database() == before


def test_import_refused_while_a_register_is_open(do_import):
    do_import()
    open_register(db.session, "RESP01", "1234", 15000)
    before = dump_database()
    with pytest.raises(StateForbids, match="une caisse est ouverte"):
        do_import("CAISSE02")
    assert dump_database() == before


def test_import_refused_while_a_day_awaits_export(do_import):
    do_import()
    open_register(db.session, "RESP01", "1234", 15000)
    close_counted(db.session)
    before = dump_database()
    with pytest.raises(StateForbids, match="attendent l'export"):
        do_import("CAISSE02")
    assert dump_database() == before
    assert register_state(db.session).code == "D"


def test_refusal_messages_read_in_english(app, do_import):
    with app.test_request_context():
        from flask import session

        session["lang"] = "en"
        with pytest.raises(DomainError) as caught:
            do_import(password="nope")
        assert str(caught.value) == "Wrong password."


def test_box_identity_comes_from_config(do_import):
    do_import()
    box = db.session.get(Box, 1)
    assert (box.terminal, box.device_name) == ("WEB01", "FF Gui")
