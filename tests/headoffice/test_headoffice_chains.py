"""Head office is the anchor of each register's signed chains (docs/integrity.md): it
registers the key on first sight, stores what continues from its heads, refuses with 409
and a named reason whatever does not (nothing stored, the register flagged), accepts a key
change only from a batch that continues, and gives a replacement box its heads, last
ticket number, perpetual totals and keys in the snapshot. Every exchange is checked against
docs/openapi.yaml (ho_api)."""

import pytest

import nf525
from headoffice.extensions import db
from headoffice.models import ChainRecord, IntegrityEvent, ReceivedBatch, RegisterKey

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"
BOX_KEY = nf525.new_private_key()


def _record(key, chain, number, previous, kind, fields, at, uuid=None, register="CAISSE01"):
    envelope = {
        "register": register,
        "chain": chain,
        "number": number,
        "kind": kind,
        "at": nf525.moment(at),
        "uuid": uuid,
        "key_id": nf525.key_id(key),
        "fields": fields,
        "previous": previous,
    }
    payload = nf525.canonical(envelope)
    return {"payload": payload.decode(), "signature": nf525.sign(key, payload)}


def signed(batch, key=BOX_KEY, start=(0, ""), periods=()):
    """The batch with its ticket chain, signed as the box signs it, continuing from `start`;
    `periods`: (perpetual_cents, perpetual_abs_cents) of period records to add."""
    number, previous = start
    records = []
    for day in batch["days"]:
        for ticket in day["tickets"]:
            number += 1
            kind = "cancel" if ticket["status"] == "cancelled" else ticket["kind"]
            records.append(
                _record(
                    key,
                    "ticket",
                    number,
                    previous,
                    kind,
                    nf525.ticket_fields(ticket),
                    ticket["finished_at"],
                    ticket["uuid"],
                )
            )
            previous = records[-1]["signature"]
    chains = {"ticket": {"head": {"number": number, "signature": previous}, "records": records}}
    period_previous, period_records = "", []
    for index, (perpetual, absolute) in enumerate(periods, start=1):
        period_records.append(
            _record(
                key,
                "period",
                index,
                period_previous,
                "day",
                {"perpetual_cents": perpetual, "perpetual_abs_cents": absolute},
                batch["created_at"],
            )
        )
        period_previous = period_records[-1]["signature"]
    if period_records:
        chains["period"] = {
            "head": {"number": len(period_records), "signature": period_previous},
            "records": period_records,
        }
    batch["integrity"] = {
        "scheme": nf525.SCHEME,
        "key": {"key_id": nf525.key_id(key), "public_pem": nf525.public_pem(key)},
        "chains": chains,
        "offline_periods": [{"from": "2026-11-20T07:00:00Z", "to": batch["created_at"]}],
    }
    return batch


def _head(batch, chain="ticket"):
    head = batch["integrity"]["chains"][chain]["head"]
    return head["number"], head["signature"]


def _stored(ho_count):
    return ho_count(ReceivedBatch), ho_count(ChainRecord)


def _events(ho_app):
    with ho_app.app_context():
        return [
            (e.kind, e.reason)
            for e in db.session.scalars(db.select(IntegrityEvent).order_by(IntegrityEvent.id))
        ]


def _flag(ho_api):
    [register] = [r for r in ho_api.get("/api/v1/registers").json["registers"] if r["code"] == "CAISSE01"]
    return register["integrity"]


@pytest.fixture
def first(ho_api, ho_batch, ho_export_path):
    """CAISSE01 has sent one signed batch: four tickets, head office's head is n°4."""
    batch = signed(ho_batch("a"))
    response = ho_api.put(ho_export_path(batch), json=batch)
    assert response.status_code == 201, response.json
    return batch


def test_the_first_batch_registers_the_key_and_head_office_answers_its_heads(first, ho_app, ho_count, ho_api):
    assert ho_count(RegisterKey) == 1 and ho_count(ChainRecord) == 4
    assert _events(ho_app) == [("key_registered", "")]
    assert _flag(ho_api) == {"state": "ok"}


def test_a_batch_that_continues_is_stored_and_the_heads_move_on(
    first, ho_api, ho_batch, ho_export_path, ho_count
):
    second = signed(ho_batch("b"), start=_head(first))
    response = ho_api.put(ho_export_path(second), json=second)
    assert response.status_code == 201
    assert response.json["heads"] == {"ticket": {"number": 8, "signature": _head(second)[1]}}
    assert ho_count(ChainRecord) == 8 and ho_count(RegisterKey) == 1


def test_records_head_office_already_holds_may_come_again_when_they_are_the_same(
    first, ho_api, ho_batch, ho_export_path, ho_count
):
    """A second batch prepared before the first was acknowledged carries its records too."""
    second = signed(ho_batch("b"), start=_head(first))
    second["integrity"]["chains"]["ticket"]["records"][:0] = first["integrity"]["chains"]["ticket"]["records"]
    assert ho_api.put(ho_export_path(second), json=second).status_code == 201
    assert ho_api.put(ho_export_path(first), json=first).status_code == 200  # a replay
    assert ho_count(ChainRecord) == 8


def _refused(ho_api, ho_export_path, ho_count, batch, reason):
    before = _stored(ho_count)
    response = ho_api.put(ho_export_path(batch), json=batch)
    assert response.status_code == 409, response.json
    assert response.json["error"] == reason, response.json
    assert _stored(ho_count) == before  # nothing of the batch
    flag = _flag(ho_api)
    assert flag["state"] == "flagged" and flag["reason"] == reason
    return response.json


def test_a_gap_is_refused(first, ho_api, ho_batch, ho_export_path, ho_count, ho_app):
    second = signed(ho_batch("b"), start=_head(first))
    del second["integrity"]["chains"]["ticket"]["records"][0]
    error = _refused(ho_api, ho_export_path, ho_count, second, "chain_gap")
    assert error["chain"] == "ticket" and error["number"] == 5
    assert _events(ho_app)[-1] == ("batch_refused", "chain_gap")


def test_a_chain_started_again_is_a_fork(first, ho_api, ho_batch, ho_export_path, ho_count):
    """A box restored from a backup taken before n°1, that sold on with the same key."""
    again = signed(ho_batch("b"))
    error = _refused(ho_api, ho_export_path, ho_count, again, "chain_fork")
    assert error["number"] == 1 and "another record" in error["message"]


def test_a_chain_that_continues_from_an_older_head_is_a_fork(
    first, ho_api, ho_batch, ho_export_path, ho_count
):
    """Records n°3 and 4 signed again after n°2 (a backup taken after n°2, restored)."""
    records = first["integrity"]["chains"]["ticket"]["records"]
    older = ho_batch("b")
    del older["days"][1]
    older = signed(older, start=(2, records[1]["signature"]))
    error = _refused(ho_api, ho_export_path, ho_count, older, "chain_fork")
    assert error["number"] == 3


def test_a_tail_deleted_and_signed_again_is_named_rewound(first, ho_api, ho_batch, ho_export_path, ho_count):
    """The box kept head office's acknowledged head (n°4) but lost n°3 and 4 and signed a new
    n°3: it sends nothing after n°4, and its head n°3 is not head office's n°3."""
    records = first["integrity"]["chains"]["ticket"]["records"]
    later = ho_batch("b")
    del later["days"][1]
    later = signed(later, start=(2, records[1]["signature"]))  # its tickets become n°3 and 4
    third = later["integrity"]["chains"]["ticket"]["records"][0]
    later["integrity"]["chains"]["ticket"] = {
        "head": {"number": 3, "signature": third["signature"]},
        "records": [],
    }
    later["days"][0]["tickets"] = []
    _refused(ho_api, ho_export_path, ho_count, later, "chain_rewound")


def test_an_amount_altered_in_transit_is_refused(first, ho_api, ho_batch, ho_export_path, ho_count):
    second = signed(ho_batch("b"), start=_head(first))
    ticket = second["days"][0]["tickets"][0]
    ticket["payments"][0]["amount_cents"] -= 100
    ticket["total_cents"] -= 100
    error = _refused(ho_api, ho_export_path, ho_count, second, "document_mismatch")
    assert "payments" in error["message"] and "total_cents" in error["message"] and error["number"] == 5


def test_a_record_altered_in_transit_is_refused(first, ho_api, ho_batch, ho_export_path, ho_count):
    second = signed(ho_batch("b"), start=_head(first))
    record = second["integrity"]["chains"]["ticket"]["records"][1]
    record["payload"] = record["payload"].replace('"total_cents":611', '"total_cents":11')
    _refused(ho_api, ho_export_path, ho_count, second, "signature_invalid")


def test_a_ticket_without_its_record_is_refused(first, ho_api, ho_batch, ho_export_path, ho_count):
    second = ho_batch("b")
    second["integrity"] = {
        **first["integrity"],
        "chains": {"ticket": {"head": {"number": 4, "signature": _head(first)[1]}, "records": []}},
    }
    _refused(ho_api, ho_export_path, ho_count, second, "document_unsigned")


def test_a_second_box_for_the_register_is_refused(first, ho_api, ho_batch, ho_export_path, ho_count, ho_app):
    other = signed(ho_batch("b"), key=nf525.new_private_key())
    _refused(ho_api, ho_export_path, ho_count, other, "unknown_key")
    assert ho_count(RegisterKey) == 1


def test_a_batch_without_chains_from_a_signing_register_is_refused(
    first, ho_api, ho_batch, ho_export_path, ho_count
):
    _refused(ho_api, ho_export_path, ho_count, ho_batch("b"), "integrity_missing")


def test_a_new_key_that_continues_the_chains_is_a_recorded_key_change(
    first, ho_api, ho_batch, ho_export_path, ho_count, ho_app
):
    """A replacement box: its own key, continuing from the snapshot's heads."""
    replacement = nf525.new_private_key()
    second = signed(ho_batch("b"), key=replacement, start=_head(first))
    assert ho_api.put(ho_export_path(second), json=second).status_code == 201
    assert ho_count(RegisterKey) == 2
    assert [kind for kind, _ in _events(ho_app)] == ["key_registered", "key_changed"]
    # The old box, if it comes back, does not continue any more.
    old = signed(ho_batch("c"), start=_head(first))
    _refused(ho_api, ho_export_path, ho_count, old, "chain_fork")


@pytest.mark.parametrize(
    "break_it, named",
    [
        (lambda part: part["key"].update(key_id="0000000000000000"), "key_id"),
        (lambda part: part["chains"]["ticket"]["records"][0].update(payload="{}"), "records[0].payload"),
        (lambda part: part["chains"]["ticket"]["records"][1].pop("signature"), "records[1]"),
        (lambda part: part["chains"].update(ledger=part["chains"]["ticket"]), "no such chain"),
    ],
)
def test_a_malformed_integrity_part_is_a_400_and_flags_nothing(
    first, ho_api, ho_batch, ho_export_path, ho_count, break_it, named
):
    second = signed(ho_batch("b"), start=_head(first))
    break_it(second["integrity"])
    before = _stored(ho_count)
    response = ho_api.put(ho_export_path(second), json=second, request_valid=None)
    assert response.status_code == 400 and named in response.json["message"], response.json
    assert _stored(ho_count) == before and _flag(ho_api) == {"state": "ok"}


def test_a_register_that_never_signed_is_accepted_as_before(ho_api, ho_batch, ho_export_path, ho_count):
    assert ho_api.put(ho_export_path(ho_batch("a")), json=ho_batch("a")).status_code == 201
    assert ho_count(ChainRecord) == 0 and "integrity" not in ho_api.get(SNAPSHOT).json


def test_the_snapshot_carries_what_a_replacement_box_continues_from(ho_api, ho_batch, ho_export_path):
    batch = signed(ho_batch("a"), periods=[(1656, 1656), (2156, 3126)])
    assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
    part = ho_api.get(SNAPSHOT).json["integrity"]
    assert part["heads"] == {
        "ticket": {"number": 4, "signature": _head(batch)[1]},
        "period": {"number": 2, "signature": _head(batch, "period")[1]},
    }
    assert part["ticket_number"] == 4  # the last ticket's number, as signed
    assert (part["perpetual_cents"], part["perpetual_abs_cents"]) == (2156, 3126)
    assert part["keys"] == [{"key_id": nf525.key_id(BOX_KEY), "public_pem": nf525.public_pem(BOX_KEY)}]


def test_a_person_clears_the_flag_and_it_is_kept(
    first, ho_api, ho_batch, ho_export_path, ho_count, ho_runner, ho_app
):
    _refused(ho_api, ho_export_path, ho_count, signed(ho_batch("b")), "chain_fork")
    result = ho_runner.invoke(
        args=[
            "clear-integrity-flag",
            "BOUTIQUE01",
            "CAISSE01",
            "--reason",
            "box restored by mistake, replaced",
        ]
    )
    assert result.exit_code == 0 and "chain_fork cleared" in result.output
    assert _flag(ho_api) == {"state": "ok"}
    assert _events(ho_app)[-1] == ("flag_cleared", "chain_fork")
    again = ho_runner.invoke(args=["clear-integrity-flag", "BOUTIQUE01", "CAISSE01", "--reason", "x"])
    assert again.exit_code == 1 and "not flagged" in again.output


def test_init_db_gives_a_1_2_database_the_chain_tables_and_the_flag_columns(
    ho_app, ho_runner, ho_api, ho_batch, ho_export_path
):
    with ho_app.app_context(), db.engine.begin() as connection:
        for table in ("integrity_event", "chain_record", "register_key"):
            connection.execute(db.text(f"DROP TABLE {table}"))
        for column in ("integrity_flag", "integrity_flagged_at", "integrity_detail"):
            connection.execute(db.text(f"ALTER TABLE register DROP COLUMN {column}"))
    with ho_app.app_context():
        db.engine.dispose()

    result = ho_runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert "Column register.integrity_flag added." in result.output
    batch = signed(ho_batch("a"))
    assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
    again = signed(ho_batch("b"))
    assert ho_api.put(ho_export_path(again), json=again).json["error"] == "chain_fork"
    assert _flag(ho_api)["reason"] == "chain_fork"
