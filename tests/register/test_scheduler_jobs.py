"""The scheduler's wiring: every job is registered on the scheduler's tick, and each reads
the hours head office set on the register from the database at each tick (a new hour from an
import counts at once, a missed hour is caught up). `flask --app wsgi scheduler --once` runs
them as the process does."""

from apscheduler.triggers.interval import IntervalTrigger

from app.sync.jobs import JOBS, auto_close_job, build_scheduler, planned_import_job, retry_exports_job
from tests.support.schedule import paris, set_schedule
from tests.support.till import open_till


def test_every_job_is_registered_on_the_tick(app):
    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"retry_exports", "auto_close", "planned_import"}
    assert jobs["auto_close"].func is auto_close_job
    assert jobs["planned_import"].func is planned_import_job
    assert jobs["retry_exports"].func is retry_exports_job
    for job in jobs.values():
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval.total_seconds() == app.config["SCHEDULER_TICK_SECONDS"]
        assert (job.args, job.coalesce, job.max_instances) == ((app,), True, 1)
    # Closing before importing: at a tick where both are due the import finds the day closed.
    assert list(JOBS) == ["retry_exports", "auto_close", "planned_import"]


def test_the_registered_jobs_follow_the_hours_head_office_set(app, client, headoffice_app, clock, runner):
    set_schedule(headoffice_app, auto_close="21:30", planned_import="06:30")
    clock.at(paris("2026-12-01 09:00"))
    open_till(app, client)  # imports the hours with the register's data
    jobs = {job.id: job for job in build_scheduler(app).get_jobs()}
    clock.at(paris("2026-12-01 21:29"))
    assert jobs["auto_close"].func(*jobs["auto_close"].args) == "not_due"
    clock.at(paris("2026-12-01 21:30:10"))
    result = runner.invoke(args=["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "'auto_close': <AutoClose.CLOSED: 'closed'>" in result.output
    # Imported at 09:00, after that morning's 06:30: nothing to import until the next one.
    assert "'planned_import': <PlannedImport.NOT_DUE: 'not_due'>" in result.output
    clock.at(paris("2026-12-02 06:30:10"))
    result = runner.invoke(args=["scheduler", "--once"])
    # The day closed last night waits for export: the planned import waits behind it.
    assert "'planned_import': <PlannedImport.WAITING: 'waiting'>" in result.output, result.output


def test_sync_retry_only_retries_exports(app, client, headoffice_app, clock, runner):
    set_schedule(headoffice_app, auto_close="21:30")
    clock.at(paris("2026-12-01 09:00"))
    open_till(app, client)
    clock.at(paris("2026-12-01 21:31"))
    result = runner.invoke(args=["sync", "retry"])
    assert result.exit_code == 0 and "Lots acquittés : 0" in result.output
    result = runner.invoke(args=["sync", "status"])
    assert "C" in result.output  # still open: the technician's retry closes nothing


def test_the_hour_is_the_shops_clock_through_summer_time():
    from datetime import datetime, timezone

    from app.services.scheduled import last_due

    def utc(text):
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)

    # 22:00 in Paris is 21:00 UTC in winter, 20:00 UTC from the night of 28 to 29 March 2026.
    assert last_due("22:00", "Europe/Paris", utc("2026-03-28 21:30")) == utc("2026-03-28 21:00")
    assert last_due("22:00", "Europe/Paris", utc("2026-03-29 20:30")) == utc("2026-03-29 20:00")
    assert last_due("22:00", "Europe/Paris", utc("2026-03-29 19:59")) == utc("2026-03-28 21:00")
    assert last_due(None, "Europe/Paris", utc("2026-03-29 19:59")) is None
    assert last_due("06:30", "America/Montreal", utc("2026-12-01 11:00")) == utc("2026-11-30 11:30")
