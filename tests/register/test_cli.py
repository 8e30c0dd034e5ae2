"""Technician commands: sync import/export/status/retry and the scheduler's one-shot run."""

from app.extensions import db
from app.models import ExportBatch
from app.services.lifecycle import open_register, register_state
from tests.support.helpers import close_counted, head_office_down


def test_import_open_close_export_from_the_command_line(app, runner):
    result = runner.invoke(args=["sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111"])
    assert result.exit_code == 0, result.output
    assert "Import terminé : caisse CAISSE01" in result.output
    with app.app_context():
        open_register(db.session, "RESP01", "1234", 5000)
        close_counted(db.session)
    result = runner.invoke(args=["sync", "status"])
    assert "État : D" in result.output and "Journées à exporter : 1" in result.output
    result = runner.invoke(args=["sync", "export", "--person", "RESP01", "--password", "1234"])
    assert result.exit_code == 0, result.output
    assert "1 lot(s), 1 journée(s)" in result.output
    with app.app_context():
        assert register_state(db.session).code == "A"


def test_password_is_prompted_without_echo(runner):
    result = runner.invoke(args=["sync", "import", "CAISSE01", "--person", "VEND01"], input="1111\n")
    assert result.exit_code == 0, result.output
    assert "1111" not in result.output


def test_refusal_exits_non_zero_with_the_reason(runner):
    result = runner.invoke(args=["sync", "import", "CAISSE01", "--person", "VEND01", "--password", "wrong"])
    assert result.exit_code == 1
    assert "Refusé : Mot de passe incorrect." in result.output


def test_scheduler_once_retries_a_pending_export(app, runner, headoffice):
    runner.invoke(args=["sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111"])
    with app.app_context():
        open_register(db.session, "RESP01", "1234", 5000)
        close_counted(db.session)
    headoffice.override = head_office_down
    result = runner.invoke(args=["sync", "export", "--person", "RESP01", "--password", "1234"])
    assert result.exit_code == 1 and "renvoyé automatiquement" in result.output
    result = runner.invoke(args=["sync", "status"])
    assert "Lot en attente" in result.output and "injoignable" in result.output

    headoffice.override = None
    with app.app_context():
        # Make the batch due now rather than waiting out its back-off.
        batch = db.session.scalars(db.select(ExportBatch)).one()
        batch.next_attempt_at = batch.created_at
        db.session.commit()
    result = runner.invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "'retry_exports': 1" in result.output
    with app.app_context():
        assert register_state(db.session).code == "A"
