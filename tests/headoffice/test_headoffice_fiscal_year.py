"""The shop's fiscal year end, set at head office and carried in the snapshot's shop part:
the register signs a year's period totals when the first day after it closes."""

from sqlalchemy import text

from headoffice.extensions import db

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def test_the_fiscal_year_end_is_31_december_unless_head_office_sets_it(ho_api, ho_runner):
    assert ho_api.get(SNAPSHOT).json["shop"]["fiscal_year_end"] == "12-31"
    result = ho_runner.invoke(args=["set-fiscal-year-end", "BOUTIQUE01", "03-31"])
    assert result.exit_code == 0, result.output
    assert ho_api.get(SNAPSHOT).json["shop"]["fiscal_year_end"] == "03-31"


def test_a_fiscal_year_end_that_is_not_a_day_is_refused(ho_api, ho_runner):
    for wrong in ("13-01", "3-31", "02-30", "31/12", ""):
        result = ho_runner.invoke(args=["set-fiscal-year-end", "BOUTIQUE01", wrong])
        assert result.exit_code != 0 and "use MM-DD" in result.output, (wrong, result.output)
    assert ho_api.get(SNAPSHOT).json["shop"]["fiscal_year_end"] == "12-31"


def test_init_db_adds_the_column_to_an_older_database(ho_app, ho_runner, ho_api):
    with ho_app.app_context(), db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE shop DROP COLUMN fiscal_year_end"))
    with ho_app.app_context():
        db.engine.dispose()
    result = ho_runner.invoke(args=["init-db"])
    assert "Column shop.fiscal_year_end added." in result.output
    assert ho_api.get(SNAPSHOT).json["shop"]["fiscal_year_end"] == "12-31"
