"""Integrity alerts on the box (docs/integrity.md): head office refused a batch because the
register's signed chains do not continue from what it holds (409 with a named reason). The
opening page and the status strip show it until head office accepts a batch again; the
journal keeps both ends."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import IntegrityAlert, utcnow
from app.services.journal import record

# Head office's reasons (headoffice/integrity.py), in the manager's words: what it means.
REASONS = {
    "chain_fork": _l(
        "Les ventes de cette caisse ne suivent plus celles que le serveur principal a "
        "déjà reçues : la caisse a été restaurée depuis une ancienne sauvegarde, ou une "
        "autre caisse exporte sous le même nom."
    ),
    "chain_rewound": _l(
        "Des enregistrements signés ont disparu de cette caisse depuis le dernier "
        "export (effacés, ou une ancienne copie restaurée)."
    ),
    "chain_gap": _l(
        "Des enregistrements signés manquent dans l'export : la base de la caisse a été modifiée."
    ),
    "chain_order": _l(
        "Des enregistrements signés sont en double ou dans le désordre : la base de la caisse a été modifiée."
    ),
    "signature_invalid": _l(
        "Une signature ne correspond plus à ce qu'elle signe : un document a "
        "été modifié sur la caisse ou pendant l'envoi."
    ),
    "document_mismatch": _l(
        "Un ticket envoyé diffère du ticket signé : un montant a été modifié "
        "après la vente ou pendant l'envoi."
    ),
    "document_unsigned": _l("Un ticket envoyé n'a pas d'enregistrement signé."),
    "unknown_key": _l(
        "Cette caisse signe avec une clé que le serveur principal ne connaît pas pour "
        "ce numéro de caisse : une autre caisse exporte déjà sous ce nom."
    ),
    "integrity_missing": _l("L'export ne contient pas les chaînes signées de la caisse."),
}


def reason_label(reason: str) -> str:
    return str(
        REASONS.get(reason, _l("Le serveur principal refuse l'export (%(reason)s).") % {"reason": reason})
    )


def raise_alert(session: Session, register_code: str, reason: str, detail: str, batch_id: str) -> None:
    """Head office refused a batch because the chains do not hold (409 with a reason of
    docs/integrity.md): shown on the opening page and the status strip, journaled."""
    session.add(
        IntegrityAlert(
            register_code=register_code,
            reason=reason[:32],
            detail=detail[:400],
            batch_id=batch_id,
            raised_at=utcnow(),
        )
    )
    record(
        session,
        "integrity_alert",
        outcome="failed",
        register_code=register_code,
        subject_uuid=batch_id,
        reason=detail[:400],
        code=reason,
    )


def clear_alerts(session: Session, register_code: str, batch_id: str) -> None:
    """A batch accepted: the chains hold again at head office (a person settled it there)."""
    cleared = session.execute(
        update(IntegrityAlert).where(IntegrityAlert.cleared_at.is_(None)).values(cleared_at=utcnow())
    ).rowcount
    if cleared:
        record(
            session,
            "integrity_alert_cleared",
            register_code=register_code,
            subject_uuid=batch_id,
            alerts=cleared,
        )


def open_alerts(session: Session) -> list[IntegrityAlert]:
    return list(
        session.scalars(
            select(IntegrityAlert).where(IntegrityAlert.cleared_at.is_(None)).order_by(IntegrityAlert.id)
        )
    )


def shown_alerts(session: Session) -> list[dict]:
    """The open alerts as the opening page shows them, in the screen's language."""
    return [
        {
            "reason": a.reason,
            "meaning": reason_label(a.reason),
            "detail": a.detail,
            "batch_id": a.batch_id,
            "raised_at": a.raised_at,
        }
        for a in open_alerts(session)
    ]
