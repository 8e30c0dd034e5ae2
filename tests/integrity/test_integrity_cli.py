"""`flask --app wsgi integrity key` and `integrity verify` (docs/integrity.md): the key made
once at provisioning and never replaced; the verification printed per chain, exit 1 naming
the first broken record after an auditor's edit, and an integrity failure (code 90) in the
journal."""

import json
import os
import stat

import nf525
from app import create_app
from app.extensions import db
from tests.support.auditor import edit_database as _edit
from tests.support.helpers import register_config
from tests.support.till import sell


def _journal(app, action):
    with app.app_context():
        try:
            return db.session.execute(
                db.text("SELECT outcome, reason, details FROM journal_entry WHERE action = :a ORDER BY id"),
                {"a": action},
            ).all()
        finally:
            db.session.remove()


def test_verify_prints_each_chain_and_exits_0_when_sound(app, kiosk, till):
    sell(kiosk, till, ["Baguette tradition"])
    sell(kiosk, till, ["Croissant"])
    result = app.test_cli_runner().invoke(args=["integrity", "verify"])
    assert result.exit_code == 0, result.output
    assert "ticket          2 enregistrement(s), dernier n°2 — intègre" in result.output
    assert "OK : toutes les chaînes sont intègres." in result.output
    assert _journal(app, "integrity_failure") == []


def test_verify_names_the_first_broken_record_exits_1_and_journals_code_90(app, kiosk, till):
    tickets = [sell(kiosk, till, ["Croissant"]) for _ in range(3)]
    _edit(app, "UPDATE ticket_line SET quantity_milli = 5000 WHERE ticket_id = ?", tickets[1].id)
    _edit(app, "DELETE FROM signed_record WHERE chain = 'ticket' AND number = 3")
    result = app.test_cli_runner().invoke(args=["integrity", "verify"])
    assert result.exit_code == 1
    assert "ticket n°2: altered — the document was changed after it was signed: lines" in result.output
    assert "ÉCHEC" in result.output
    [(outcome, reason, details)] = _journal(app, "integrity_failure")
    assert outcome == "failed" and reason.startswith("ticket n°2: altered")
    assert json.loads(details)["first_broken"] == {"ticket": reason}
    assert json.loads(details)["source"] == "cli"


def test_key_is_made_once_0600_and_never_replaced(db_path, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("COMPTOIR_INSTANCE", str(instance))
    app = create_app(register_config(db_path))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["integrity", "key"])
    assert first.exit_code == 0, first.output
    path = instance / "signing-key.pem"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    pem = path.read_bytes()
    key_id = first.output.split(" : ")[1].split()[0]
    assert first.output.startswith("Clé de signature créée") and "BEGIN PUBLIC KEY" in first.output
    public = nf525.load_public_pem(first.output[first.output.index("-----BEGIN") :])
    assert nf525.key_id(public) == key_id
    again = runner.invoke(args=["integrity", "key"])
    assert again.exit_code == 0 and again.output.startswith(f"Clé de signature déjà présente : {key_id}")
    assert path.read_bytes() == pem
    with app.app_context():
        rows = db.session.execute(db.text("SELECT key_id, source FROM signing_key")).all()
        created = db.session.execute(
            db.text("SELECT COUNT(*) FROM journal_entry WHERE action = 'signing_key_created'")
        ).scalar()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [(key_id, "box")] and created == 1


def test_verify_still_checks_the_registers_chains_once_the_box_no_longer_names_it(app, kiosk, till):
    """After an export leaves nothing to send the box forgets its register (state A): its
    signed records are still there and still checked."""
    sell(kiosk, till, ["Croissant"])
    till.sql("UPDATE box SET register_code = NULL")
    result = app.test_cli_runner().invoke(args=["integrity", "verify"])
    assert result.exit_code == 0, result.output
    assert "Caisse CAISSE01" in result.output and "ticket          1 enregistrement(s)" in result.output
