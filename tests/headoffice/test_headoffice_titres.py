"""Titres-service at head office (docs/headoffice.md, « Titres-service »): issuers' numbering
schemes set from the CLI and sent in the snapshot, numbers booked from received exports and
listed until their last valid day, what cannot be booked refused with nothing stored.

Assertions are on the snapshot JSON, what a box imports."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from headoffice.models import ReceivedBatch, TitreServiceIssuer, TitreServiceUse

SNAPSHOT = "/api/v1/registers/{}/snapshot"
VILLE = {"code": "VILLE", "name": "Titre-service de la ville", "mask": "27AANNNNNNC", "grace_days": 31}


def _today():
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def _snapshot(ho_api, register="CAISSE01") -> dict:
    response = ho_api.get(SNAPSHOT.format(register))
    assert response.status_code == 200
    return response.json


def _methods(ho_api) -> dict[str, dict]:
    return {method["code"]: method for method in _snapshot(ho_api)["payment_methods"]}


def _titre_batch(ho_credit_batch, seed, uses, register_code="CAISSE01") -> dict:
    """One closed day whose sales are each paid with one titre-service: (number, valid_until)."""
    batch = ho_credit_batch(seed, [("spend", "9900000000000", 500) for _ in uses], register_code)
    for ticket, (number, valid_until) in zip(batch["days"][0]["tickets"], uses):
        [payment] = ticket["payments"]
        payment.update(
            method_code="TS",
            method_name="Titre-service",
            reference=number,
            titre_service_issuer="VILLE",
            expires_on=valid_until,
        )
    return batch


def _send(ho_api, ho_export_path, batch, status=201, request_valid=True):
    response = ho_api.put(ho_export_path(batch), json=batch, request_valid=request_valid)
    assert response.status_code == status, response.json
    return response


def test_the_demo_titre_service_method_carries_its_issuer_and_others_keep_their_shape(ho_api):
    methods = _methods(ho_api)
    assert methods["TS"]["is_titre_service"] is True
    assert methods["TS"]["titre_service_issuers"] == [VILLE]
    assert not methods["TS"]["gives_change"] and methods["TS"]["counted_as_items"]
    # Backward compatible: the other methods look as they did before 1.4.0.
    assert all(
        "is_titre_service" not in m and "titre_service_issuers" not in m
        for c, m in methods.items()
        if c != "TS"
    )
    assert "titres_service_used" not in _snapshot(ho_api)


def test_the_cli_adds_an_issuer_the_snapshot_sends(ho_api, ho_runner):
    result = ho_runner.invoke(
        args=[
            "set-titre-issuer",
            "BOUTIQUE01",
            "TS",
            "CESU",
            "--name",
            "CESU",
            "--mask",
            "18AAAANNNNNNNC",
            "--grace-days",
            "0",
        ]
    )
    assert result.exit_code == 0, result.output
    assert [i["code"] for i in _methods(ho_api)["TS"]["titre_service_issuers"]] == ["CESU", "VILLE"]
    # Changed in place: same code, new grace days.
    ho_runner.invoke(
        args=[
            "set-titre-issuer",
            "BOUTIQUE01",
            "TS",
            "CESU",
            "--mask",
            "18AAAANNNNNNNC",
            "--grace-days",
            "15",
        ]
    )
    [cesu] = [i for i in _methods(ho_api)["TS"]["titre_service_issuers"] if i["code"] == "CESU"]
    assert cesu == {"code": "CESU", "name": "CESU", "mask": "18AAAANNNNNNNC", "grace_days": 15}


def test_bad_schemes_are_refused_and_change_nothing(ho_api, ho_runner, ho_count):
    before = _snapshot(ho_api)["version"]
    cases = [
        (["TS", "X1", "--mask", "27NNNNNNNNC"], "one run of AA or AAAA"),  # no year
        (["TS", "X1", "--mask", "27AAANNNNNC"], "one run of AA or AAAA"),  # a 3-digit year
        (["TS", "X1", "--mask", "27AANNCNNNN"], "one run of AA or AAAA"),  # check digit not last
        (["TS", "X1", "--mask", "NNAANNNNNNC"], "no literal digit"),
        (["TS", "X1", "--mask", "2NAANNNNNNC"], "overlaps issuer VILLE"),  # 27… would fit both
        (["TS", "X1", "--mask", "28AANNNNNNC", "--grace-days", "4000"], "Grace days"),
        (["CB", "X1", "--mask", "28AANNNNNNC"], "not a titre-service method"),
        (["ZZ", "X1", "--mask", "28AANNNNNNC"], "No payment method 'ZZ'"),
    ]
    for args, message in cases:
        result = ho_runner.invoke(args=["set-titre-issuer", "BOUTIQUE01", *args])
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert ho_count(TitreServiceIssuer) == 1
    assert _snapshot(ho_api)["version"] == before


def test_make_titre_service_flags_a_method_without_change(ho_api, ho_runner):
    result = ho_runner.invoke(args=["make-titre-service", "BOUTIQUE01", "CHQ"])
    assert result.exit_code == 0, result.output
    chq = _methods(ho_api)["CHQ"]
    assert (chq["is_titre_service"], chq["titre_service_issuers"], chq["gives_change"]) == (True, [], False)
    refused = ho_runner.invoke(args=["make-titre-service", "BOUTIQUE01", "AV"])
    assert refused.exit_code != 0 and "credit note" in refused.output


def test_used_numbers_are_listed_until_their_last_day(ho_api, ho_credit_batch, ho_export_path):
    today = _today()
    before = _snapshot(ho_api)["version"]
    batch = _titre_batch(
        ho_credit_batch,
        "t1",
        [("27260000017", today.isoformat()), ("27240000019", (today - timedelta(days=1)).isoformat())],
    )
    _send(ho_api, ho_export_path, batch)
    snap = _snapshot(ho_api, "CAISSE02")  # every register of the shop is told
    assert snap["titres_service_used"] == [
        {
            "number": "27260000017",
            "issuer_code": "VILLE",
            "register_code": "CAISSE01",
            "used_at": "2026-11-22T10:00:00Z",
            "valid_until": today.isoformat(),
        }
    ]
    assert snap["version"] != before


def test_a_number_taken_twice_keeps_the_first_use_and_is_logged(
    ho_api, ho_credit_batch, ho_export_path, ho_count, caplog
):
    until = (_today() + timedelta(days=30)).isoformat()
    _send(ho_api, ho_export_path, _titre_batch(ho_credit_batch, "t1", [("27260000017", until)]))
    with caplog.at_level(logging.WARNING, logger="headoffice.titres"):
        _send(
            ho_api, ho_export_path, _titre_batch(ho_credit_batch, "t2", [("27260000017", until)], "CAISSE02")
        )
    assert any("27260000017" in r.getMessage() and "used again" in r.getMessage() for r in caplog.records)
    [used] = _snapshot(ho_api)["titres_service_used"]
    assert used["register_code"] == "CAISSE01"
    assert ho_count(TitreServiceUse) == 1 and ho_count(ReceivedBatch) == 2


def test_a_titre_payment_head_office_cannot_book_is_refused_with_nothing_stored(
    ho_api, ho_credit_batch, ho_export_path, ho_count
):
    until = (_today() + timedelta(days=30)).isoformat()
    for number, valid_until, field, by_spec in (
        ("27-26-0000017", until, "reference must be its number", None),
        ("27260000017", None, "expires_on must be the titre-service's last valid day", None),
        ("27260000017", "2026-02-30", "is no such day", False),
    ):
        batch = _titre_batch(ho_credit_batch, "bad", [(number, valid_until)])
        response = _send(ho_api, ho_export_path, batch, status=400, request_valid=by_spec)
        assert response.json["error"] == "invalid_batch" and field in response.json["message"]
    assert ho_count(ReceivedBatch) == 0 and ho_count(TitreServiceUse) == 0
