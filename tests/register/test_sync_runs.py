"""One import or export at a time, and a run always ends: a run whose
owner is alive refuses a second one; one whose work crashed is failed with a reason and
blocks nobody. (A process killed with SIGKILL: tests/register/test_sync_runs_killed.py.)"""

import pytest

from app.extensions import db
from app.models import SyncRun
from app.services.errors import StateForbids
from app.sync import run_owner
from app.sync.importing import begin_import
from app.sync.runs import background_thread, get_run, watch_run
from tests.support.helpers import dump_database, journal


def test_a_second_run_is_refused_while_the_first_ones_owner_lives(app, ctx):
    first = begin_import(db.session, "CAISSE01", "VEND01")
    before = dump_database()
    with pytest.raises(StateForbids, match="déjà en cours"):
        begin_import(db.session, "CAISSE01", "VEND01")
    assert dump_database() == before
    assert journal("import", "refused")
    # The window of the first one keeps waiting: its owner (this process) is alive.
    assert watch_run(db.session, first.uuid).status == "running"
    run_owner.release(first.uuid)
    # Its owner gone (here: the lock given back without an end written), the window says so.
    assert "Interrompu" in watch_run(db.session, first.uuid).error


def test_a_run_whose_work_crashed_is_failed_and_blocks_nobody(app, ctx):
    run = begin_import(db.session, "CAISSE01", "VEND01")

    def crashing(run_uuid):
        raise RuntimeError("a bug")

    background_thread(crashing, run.uuid).run()  # the thread's body, here and now
    db.session.rollback()
    ended = get_run(db.session, run.uuid)
    assert ended.status == "failed" and "erreur interne" in ended.error
    assert journal("import", "failed")
    second = begin_import(db.session, "CAISSE01", "VEND01")
    assert db.session.scalars(db.select(SyncRun.status).where(SyncRun.uuid == second.uuid)).one() == "running"
