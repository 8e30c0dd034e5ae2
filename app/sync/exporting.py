"""Exporter (docs/sync.md): send every closed, not-yet-exported day to head office.

The batch — its id and its exact body — is committed *before* it is sent. Whatever happens
next (time-out, crash, power cut), a retry sends the same id with the same body, and head
office's idempotent PUT keeps exactly one copy. Only its acknowledgement marks the days
exported; when nothing is left to send the box goes back to state A."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ExportBatch, RegisterDay, SyncRun, new_uuid, utcnow
from app.services.errors import DomainError, HeadOfficeProblem, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import check_state_fresh, get_box, register_state, release_register_when_all_sent
from app.services.people import authorise
from app.states import DayState, ExportBatchStatus, RegisterStateCode, Right, SyncRunKind, SyncStep
from app.sync.alerts import clear_alerts, raise_alert
from app.sync.chains import integrity_part, remember_heads
from app.sync.client import HeadOfficeConflict, HeadOfficeIntegrityRefusal
from app.sync.conflicts import conflicting_batches, export_blocked
from app.sync.export_body import build_batch, canonical_json, sha256
from app.sync.runs import end_ownership, fail_run, finish_run, get_run, progress, start_run


class ExportPending(HeadOfficeProblem):
    """The batch is safe on the box; the scheduler will send it again."""


def begin_export(session: Session, person_code: str, *, posted_token: str | None = None) -> SyncRun:
    """Check the state (and that the screen was drawn for it), then record the run the
    synchronisation window will follow."""
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    register_code = state.box.register_code
    if state.code == RegisterStateCode.OPEN:
        refuse(
            session,
            StateForbids(_l("Export impossible : la caisse est ouverte. Fermez-la d'abord.")),
            "export",
            actor=person_code,
            register_code=register_code,
        )
    if not state.days_to_export:
        refuse(
            session,
            StateForbids(_l("Aucune journée fermée n'attend l'export.")),
            "export",
            actor=person_code,
            register_code=register_code,
        )
    if not state.pending_batches and all(day.export_batch_id for day in state.days_to_export):
        # Every waiting day is in a batch head office refused for good: nothing to try.
        conflicts = conflicting_batches(session)
        if conflicts:
            refuse(
                session,
                export_blocked(conflicts[0]),
                "export",
                actor=person_code,
                register_code=register_code,
            )
    return start_run(session, SyncRunKind.EXPORT, register_code, person_code)


def export_days(
    session: Session, client, person_code: str, password: str, *, run: SyncRun | None = None
) -> list[ExportBatch]:
    run = run or get_run(session, begin_export(session, person_code).uuid)
    register_code = run.register_code
    try:
        staff = authorise(session, person_code, password, Right.EXPORT, "export", register_code=register_code)
        progress(session, run, SyncStep.PREPARE, 20)
        prepare_batch(session, staff)
        progress(session, run, SyncStep.SEND, 50)
        sent = send_pending_batches(session, client, raise_on_failure=True)
        if prepare_batch(session, staff):  # days a conflict left free (_record_failure)
            sent += send_pending_batches(session, client, raise_on_failure=True)
        # "Export terminé" only when nothing is left behind: a batch in conflict is not sent.
        conflicts = conflicting_batches(session)
        if conflicts:
            raise export_blocked(conflicts[0])
    except DomainError as error:
        fail_run(session, run, error)
        raise
    finish_run(run)
    run_uuid = run.uuid  # read before the commit expires it: reading after would BEGIN again
    session.commit()
    end_ownership(run_uuid)
    return sent


def prepare_batch(session: Session, person) -> ExportBatch | None:
    """Gather the closed days that no batch holds yet into a new batch, stored before sending."""
    days = list(
        session.scalars(
            select(RegisterDay)
            .where(RegisterDay.state == DayState.CLOSED, RegisterDay.export_batch_id.is_(None))
            .order_by(RegisterDay.number)
        )
    )
    if not days:
        session.commit()
        return None
    box = get_box(session)
    now = utcnow()
    batch_id = new_uuid()
    content = build_batch(session, batch_id, box, box.register_code, box.shop_code, days, person, now)
    content["integrity"] = integrity_part(session, box.register_code, now)
    body = canonical_json(content)
    batch = ExportBatch(
        id=batch_id,
        register_code=box.register_code,
        status=ExportBatchStatus.PENDING,
        created_at=now,
        created_by_code=person.code,
        body=body,
        body_sha256=sha256(body),
        day_count=len(days),
        next_attempt_at=now,
    )
    session.add(batch)
    session.flush()
    for day in days:
        day.export_batch_id = batch_id
    record(
        session,
        "export_prepared",
        actor=person,
        register_code=box.register_code,
        subject_uuid=batch_id,
        days=[d.uuid for d in days],
    )
    session.commit()
    return batch


def send_pending_batches(session: Session, client, *, raise_on_failure=False, now=None) -> list[ExportBatch]:
    """Send every pending batch whose retry time has come (all of them when a person asks)."""
    query = (
        select(ExportBatch)
        .where(ExportBatch.status == ExportBatchStatus.PENDING)
        .order_by(ExportBatch.created_at)
    )
    if now is not None:
        query = query.where(ExportBatch.next_attempt_at <= now)
    batch_ids = list(session.scalars(query.with_only_columns(ExportBatch.id)))
    session.commit()
    sent = []
    for batch_id in batch_ids:
        batch = session.get(ExportBatch, batch_id)
        if batch is None or batch.status != ExportBatchStatus.PENDING:  # another process got there first
            session.commit()
            continue
        register_code, body = batch.register_code, batch.body
        session.commit()  # never hold the write lock while waiting on the network
        try:
            ack = client.put_export(register_code, batch_id, body)
        except HeadOfficeProblem as error:
            _record_failure(session, batch_id, error)
            if isinstance(error, HeadOfficeConflict):
                continue  # the others still go; export_days reports the conflict at the end
            if raise_on_failure:
                raise ExportPending(
                    _l("%(problem)s L'export est gardé sur la caisse et sera renvoyé automatiquement."),
                    problem=str(error),
                )
            continue
        sent.append(_acknowledge(session, batch_id, ack))
    return sent


def _acknowledge(session: Session, batch_id, ack=None) -> ExportBatch:
    batch = session.get(ExportBatch, batch_id)
    # Days head office already held with the same content (a box restored from a backup
    # taken before its last export): acknowledged all the same, and said in the journal.
    held = ack.get("already_held") if isinstance(ack, dict) else None
    now = utcnow()
    if batch.status != ExportBatchStatus.ACKNOWLEDGED:
        batch.status, batch.acknowledged_at, batch.last_error = ExportBatchStatus.ACKNOWLEDGED, now, None
        batch.attempts += 1
        batch.last_attempt_at = now
        for day in session.scalars(select(RegisterDay).where(RegisterDay.export_batch_id == batch_id)):
            day.exported_at = now
        if isinstance(ack, dict) and ack.get("heads"):
            remember_heads(session, batch.register_code, ack["heads"], batch_id)
            clear_alerts(session, batch.register_code, batch_id)
        extra = {"already_held": held} if held else {}
        record(
            session,
            "export",
            register_code=batch.register_code,
            subject_uuid=batch_id,
            actor=batch.created_by_code,
            days=batch.day_count,
            attempts=batch.attempts,
            **extra,
        )
        release_register_when_all_sent(session)
    session.commit()
    return batch


def _record_failure(session: Session, batch_id, error) -> None:
    batch = session.get(ExportBatch, batch_id)
    now = utcnow()
    batch.attempts += 1
    batch.last_attempt_at = now
    batch.last_error = str(error)[:400]
    config = current_app.config
    delay = min(
        config["EXPORT_RETRY_FIRST_SECONDS"] * 2 ** (batch.attempts - 1), config["EXPORT_RETRY_MAX_SECONDS"]
    )
    batch.next_attempt_at = now + timedelta(seconds=delay)
    if isinstance(error, HeadOfficeConflict):
        # Head office holds other content for this id or its days: retrying cannot help;
        # the opening page says so and a technician sets it aside (app/sync/conflicts.py).
        batch.status = ExportBatchStatus.CONFLICT
        _free_days_not_in_conflict(session, batch_id, getattr(error, "days", ()))
    if isinstance(error, HeadOfficeIntegrityRefusal):
        raise_alert(session, batch.register_code, error.reason, str(error), batch_id)
    record(
        session,
        "export",
        outcome="failed",
        register_code=batch.register_code,
        subject_uuid=batch_id,
        reason=str(error)[:400],
        attempts=batch.attempts,
    )
    session.commit()


def _free_days_not_in_conflict(session: Session, batch_id, conflicting) -> None:
    """Head office named the days it holds with other content: the batch's other days leave
    it and go into the next batch, so one conflicting day blocks only itself. The batch
    keeps its body as it was sent, for the technician and head office."""
    days = list(session.scalars(select(RegisterDay).where(RegisterDay.export_batch_id == batch_id)))
    named = set(conflicting) & {day.uuid for day in days}
    if not named:  # head office did not say which (or named none of ours): keep them together
        return
    freed = [day for day in days if day.uuid not in named]
    for day in freed:
        day.export_batch_id = None
    if freed:
        record(
            session,
            "export_days_freed",
            register_code=get_box(session).register_code,
            subject_uuid=batch_id,
            conflicting=sorted(named),
            freed=[d.uuid for d in freed],
        )


def retry_pending_exports(session: Session, client, now=None) -> list[ExportBatch]:
    """The scheduler's job: send what is due, quietly; failures wait for their next turn."""
    return send_pending_batches(session, client, now=now or utcnow())
