"""Export batches head office refused for good (409): what the opening page shows, and the
technician's way out that loses nothing.

A batch is in conflict when head office already holds one of its days with *other* content
(typically: a backup taken while that day was open was restored, and the day was closed
again) or its id with another body. Retrying cannot help, and while its days wait the box
stays in state D: Importer is refused. `flask --app wsgi sync set-aside` sets the batch
aside — its row, exact body and days stay on the box, journaled — so the box can import
again; head office's people settle the difference from the kept body (`sync batch`)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from app.models import ExportBatch, RegisterDay
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import release_register_when_all_sent
from app.states import ExportBatchStatus
from app.sync.client import HeadOfficeConflict

_CONFLICTS = (
    select(ExportBatch)
    .options(defer(ExportBatch.body))
    .where(ExportBatch.status == ExportBatchStatus.CONFLICT)
    .order_by(ExportBatch.created_at)
)


class ExportBlocked(HeadOfficeConflict):
    """Exporter cannot finish: a batch is in conflict. Never reported as a success."""


def conflicting_batches(session: Session) -> list[ExportBatch]:
    return list(session.scalars(_CONFLICTS))


def export_blocked(batch: ExportBatch, problem=None) -> ExportBlocked:
    return ExportBlocked(
        _l(
            "Export bloqué : %(problem)s Rien n'est perdu, les journées restent sur la caisse, "
            "mais Exporter et Importer restent bloqués. Appelez le technicien : il met le lot "
            "de côté (« sudo comptoir sync set-aside %(batch)s », docs/technician.md)."
        ),
        problem=str(problem or batch.last_error or _l("le serveur principal refuse ce lot.")),
        batch=batch.id,
    )


def set_aside_batch(session: Session, batch_id: str, reason: str, *, actor: str | None = None) -> ExportBatch:
    """Set a batch in conflict aside: kept whole on the box, no longer waiting for export.
    When nothing else waits and no day is open, the box goes back to state A, as after an
    export: a fresh import comes next."""
    batch_id, reason = (batch_id or "").strip(), (reason or "").strip()
    batch = session.get(ExportBatch, batch_id)
    if batch is None:
        refuse(
            session,
            InvalidInput(_l("Aucun lot d'export %(batch)s sur cette caisse."), batch=batch_id),
            "export_set_aside",
            actor=actor,
        )
    if batch.status != ExportBatchStatus.CONFLICT:
        refuse(
            session,
            StateForbids(
                _l(
                    "Le lot %(batch)s n'est pas en conflit (état : %(status)s) : seul un lot que le "
                    "serveur principal a refusé (409) peut être mis de côté."
                ),
                batch=batch_id,
                status=batch.status,
            ),
            "export_set_aside",
            actor=actor,
            register_code=batch.register_code,
        )
    if not reason:
        refuse(
            session,
            InvalidInput(_l("Dites pourquoi le lot est mis de côté (--reason).")),
            "export_set_aside",
            actor=actor,
            register_code=batch.register_code,
        )
    batch.status = ExportBatchStatus.SET_ASIDE
    days = list(
        session.scalars(
            select(RegisterDay.uuid)
            .where(RegisterDay.export_batch_id == batch_id)
            .order_by(RegisterDay.number)
        )
    )
    record(
        session,
        "export_set_aside",
        actor=actor,
        register_code=batch.register_code,
        subject_uuid=batch_id,
        reason=reason,
        days=days,
        head_office_said=batch.last_error,
    )
    release_register_when_all_sent(session)
    session.commit()
    return batch
