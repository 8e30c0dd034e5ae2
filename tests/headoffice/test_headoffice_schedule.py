"""The register's scheduled work set at head office (contract 1.4.0): the hour of the
« Clôture automatique de la journée » and of the planned import, carried in the snapshot's
register settings only when set, so an older box reads the same snapshot as before."""

from sqlalchemy import text

from headoffice.extensions import db

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def settings(ho_api) -> dict:
    return ho_api.get(SNAPSHOT).json["register"]["settings"]


def test_both_are_off_unless_head_office_sets_them(ho_api, ho_runner):
    assert "auto_close_time" not in settings(ho_api) and "planned_import_time" not in settings(ho_api)
    result = ho_runner.invoke(
        args=[
            "set-register-schedule",
            "BOUTIQUE01",
            "CAISSE01",
            "--auto-close",
            "22:00",
            "--planned-import",
            "06:30",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "automatic closing 22:00, planned import 06:30" in result.output
    assert settings(ho_api)["auto_close_time"] == "22:00"
    assert settings(ho_api)["planned_import_time"] == "06:30"
    result = ho_runner.invoke(args=["set-register-schedule", "BOUTIQUE01", "CAISSE01", "--auto-close", "off"])
    assert result.exit_code == 0, result.output
    assert "auto_close_time" not in settings(ho_api)
    assert settings(ho_api)["planned_import_time"] == "06:30"  # left as it was


def test_an_hour_that_is_not_one_is_refused_and_changes_nothing(ho_api, ho_runner):
    ho_runner.invoke(args=["set-register-schedule", "BOUTIQUE01", "CAISSE01", "--auto-close", "21:30"])
    for wrong in ("24:00", "9:00", "22h00", "22:60", "", "tonight"):
        result = ho_runner.invoke(
            args=["set-register-schedule", "BOUTIQUE01", "CAISSE01", "--auto-close", wrong]
        )
        assert result.exit_code != 0 and "use HH:MM" in result.output, (wrong, result.output)
    assert settings(ho_api)["auto_close_time"] == "21:30"
    result = ho_runner.invoke(args=["set-register-schedule", "BOUTIQUE01", "NOPE", "--auto-close", "22:00"])
    assert result.exit_code != 0 and "No register 'NOPE'" in result.output
    result = ho_runner.invoke(args=["set-register-schedule", "BOUTIQUE01", "CAISSE01"])
    assert result.exit_code != 0 and "--auto-close" in result.output


def test_init_db_adds_the_columns_to_an_older_database(ho_app, ho_runner, ho_api):
    with ho_app.app_context(), db.engine.begin() as connection:
        for column in ("auto_close_time", "planned_import_time"):
            connection.execute(text(f"ALTER TABLE register DROP COLUMN {column}"))
    with ho_app.app_context():
        db.engine.dispose()
    result = ho_runner.invoke(args=["init-db"])
    assert "Column register.auto_close_time added." in result.output
    assert "Column register.planned_import_time added." in result.output
    assert "auto_close_time" not in settings(ho_api)
