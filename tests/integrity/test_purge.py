"""`flask --app wsgi integrity purge --before DATE` (docs/integrity.md, « Purge »): only what an
archive holds leaves the box, at least INTEGRITY_KEEP_YEARS years stay, period totals stay,
and the chains still verify afterwards."""

from datetime import timedelta

import pytest

from app.extensions import db
from tests.support.past import another_day, past_day


def _sql(app, statement, **params):
    with app.app_context():
        try:
            result = db.session.execute(db.text(statement), params)
            return result.all() if result.returns_rows else None
        finally:
            db.session.remove()


def _state(app):
    """What a purge may change: tickets, signed records, where chains start, days."""
    return {
        table: _sql(app, f"SELECT * FROM {table} ORDER BY 1")
        for table in (
            "ticket",
            "ticket_line",
            "payment",
            "ticket_tax",
            "signed_record",
            "chain_start",
            "register_day",
        )
    }


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["integrity", *args])


@pytest.fixture
def history(app, client, till):
    """Sales 40 days ago (closed), 20 days ago (closed), today (open)."""
    app.config["INTEGRITY_KEEP_YEARS"] = 0  # the 7-year rule has its own test
    old, old_tickets, kiosk = past_day(app, client, till, 40, [["Croissant"], ["Baguette tradition"]])
    recent, _ = another_day(app, kiosk, till, [["Croissant", "Croissant"]], days=20)
    another_day(app, kiosk, till, [["Baguette tradition"]], closed=False)
    return old, recent


def test_purge_removes_archived_tickets_and_the_chain_still_verifies(app, history, tmp_path):
    old, recent = history
    assert (
        _cli(
            app, "archive", "--from", old.isoformat(), "--to", old.isoformat(), "--out", str(tmp_path)
        ).exit_code
        == 0
    )
    days_before = _sql(app, "SELECT * FROM register_day ORDER BY id")
    others_before = _sql(app, "SELECT * FROM signed_record WHERE chain != 'ticket' ORDER BY id")
    result = _cli(app, "purge", "--before", (old + timedelta(days=1)).isoformat())
    assert result.exit_code == 0, result.output
    assert "Purgé : ticket n°1 à n°2, 2 ticket(s)" in result.output
    assert [
        r.number for r in _sql(app, "SELECT number FROM signed_record WHERE chain = 'ticket' ORDER BY number")
    ] == [3, 4]
    assert [r.number for r in _sql(app, "SELECT number FROM ticket ORDER BY id")] == [3, 4]
    assert (
        _sql(app, "SELECT COUNT(*) FROM ticket_line WHERE ticket_id NOT IN (SELECT id FROM ticket)")[0][0]
        == 0
    )
    [start] = _sql(app, "SELECT number, source FROM chain_start WHERE chain = 'ticket'")
    assert tuple(start) == (2, "archive")
    # Days and their totals, and every other chain, stay as they were.
    assert _sql(app, "SELECT * FROM register_day ORDER BY id") == days_before
    # (the purge itself is one more signed event, after them)
    assert (
        _sql(app, "SELECT * FROM signed_record WHERE chain != 'ticket' ORDER BY id")[: len(others_before)]
        == others_before
    )
    verified = _cli(app, "verify")
    assert verified.exit_code == 0, verified.output
    assert "dernier n°4 — intègre" in verified.output
    [(outcome, details)] = _sql(app, "SELECT outcome, details FROM journal_entry WHERE action = 'purge'")
    assert outcome == "ok" and '"ticket": [1, 2]' in details


def test_purge_of_what_no_archive_holds_is_refused_and_changes_nothing(app, history, tmp_path):
    old, recent = history
    before = _state(app)
    result = _cli(app, "purge", "--before", (old + timedelta(days=1)).isoformat())
    assert result.exit_code == 1
    assert "Le document n°1 (ticket)" in result.output and "n'est dans aucune archive" in result.output
    # Archived up to the old day only: purging up to the recent one names its first ticket.
    assert (
        _cli(
            app, "archive", "--from", old.isoformat(), "--to", old.isoformat(), "--out", str(tmp_path)
        ).exit_code
        == 0
    )
    before = _state(app)
    result = _cli(app, "purge", "--before", (recent + timedelta(days=1)).isoformat())
    assert result.exit_code == 1 and "Le document n°3 (ticket)" in result.output, result.output
    assert _state(app) == before
    assert len(_sql(app, "SELECT id FROM journal_entry WHERE action = 'purge' AND outcome = 'refused'")) == 2


def test_seven_years_are_kept_by_default(app, history, tmp_path):
    old, _recent = history
    app.config["INTEGRITY_KEEP_YEARS"] = 7
    assert (
        _cli(
            app, "archive", "--from", old.isoformat(), "--to", old.isoformat(), "--out", str(tmp_path)
        ).exit_code
        == 0
    )
    before = _state(app)
    result = _cli(app, "purge", "--before", (old + timedelta(days=1)).isoformat())
    assert result.exit_code == 1 and "Les données se gardent au moins 7 ans" in result.output
    assert _state(app) == before


def test_the_default_keeps_seven_years():
    from app import settings

    assert settings.INTEGRITY_KEEP_YEARS == 7


def test_a_finished_ticket_still_cannot_be_deleted_unless_an_archive_start_covers_it(app, history, tmp_path):
    """Migration 0008 relaxes 0002's guard only for tickets a purge has put behind the chain's
    archive start: an archive alone does not open the door."""
    old, _recent = history
    assert (
        _cli(
            app, "archive", "--from", old.isoformat(), "--to", old.isoformat(), "--out", str(tmp_path)
        ).exit_code
        == 0
    )
    for statement in ("DELETE FROM payment", "DELETE FROM ticket_line", "DELETE FROM ticket"):
        with pytest.raises(Exception, match="a finished ticket cannot change"):
            _sql(app, statement)


def test_a_ticket_a_kept_return_points_to_stays_only_its_record_goes(app, client, till, tmp_path):
    """A sale purged while its return (a later period) is kept: the return still names its
    original ticket, so that ticket's rows stay; its signed record goes with the others."""
    from tests.support.past import clock_back, close

    app.config["INTEGRITY_KEEP_YEARS"] = 0
    old, [sold, other], kiosk = past_day(app, client, till, 40, [["Croissant"], ["Baguette tradition"]])
    another_day(app, kiosk, till, [], days=20, closed=False)
    with clock_back(20):
        kiosk.open("/vente?panel=return")
        kiosk.post("/vente/return", number=str(sold.number))
        kiosk.post(f"/vente/return/lines/{sold.lines[0].id}", htmx=True, quantity="1", unit="unit")
        kiosk.post("/vente/refund", method="ESP", person="RESP01", password="1234")
        close(app, kiosk)
    assert [t.kind for t in till.tickets(status="finished")] == ["sale", "sale", "return"]
    assert (
        _cli(
            app, "archive", "--from", old.isoformat(), "--to", old.isoformat(), "--out", str(tmp_path)
        ).exit_code
        == 0
    )
    result = _cli(app, "purge", "--before", (old + timedelta(days=1)).isoformat())
    assert "Purgé : ticket n°1 à n°2, 1 ticket(s)" in result.output, result.output
    assert [t.uuid for t in till.tickets()] == [sold.uuid, till.tickets(kind="return")[0].uuid]
    assert [r.number for r in _sql(app, "SELECT number FROM signed_record WHERE chain = 'ticket'")] == [3]
    assert _cli(app, "verify").exit_code == 0
