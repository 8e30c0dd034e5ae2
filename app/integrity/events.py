"""The event journal (JET, docs/integrity.md « JET codes »): which journal actions are also
signed events, with their NF525 code and label. The journal's writer (app/models/journal.py)
looks here on every entry and appends the signed event in the same transaction; an action
that is not in this table costs one dictionary look-up and nothing else (finishing a ticket
is not an event: tickets have their own chain).

Codes 20, 30, 40, 50 and 90 are the référentiel's; the others are Comptoir's, in free
tens so a family can grow without renumbering."""

from dataclasses import dataclass
from typing import Callable

OK, REFUSED, FAILED = "ok", "refused", "failed"


@dataclass(frozen=True)
class Event:
    code: int
    label: str  # French, as the inspector's manual lists it (docs/controle-fiscal.md)
    when: Callable[[dict], bool] | None = None  # an extra condition on the entry's details


def _allowed_by_another(details: dict) -> bool:
    return bool(details.get("allowed_by"))


# (journal action, outcome) → the event it is. Another module journals a new action: one
# line here makes it an event.
EVENTS: dict[tuple[str, str], Event] = {
    ("app_start", OK): Event(10, "Démarrage de l'application"),
    ("app_stop", OK): Event(40, "Arrêt de l'application"),
    ("sign_in", OK): Event(11, "Identification d'un utilisateur"),
    ("connect", OK): Event(11, "Connexion d'un vendeur à la caisse"),
    ("sign_in", REFUSED): Event(12, "Échec d'identification"),
    ("lockout", OK): Event(13, "Utilisateur bloqué après des mots de passe faux"),
    ("unlock", OK): Event(14, "Utilisateur débloqué par un responsable"),
    ("sign_out", OK): Event(40, "Fin d'identification d'un utilisateur"),
    ("disconnect", OK): Event(40, "Déconnexion d'un vendeur"),
    ("archive_intermediate", OK): Event(20, "Archivage intermédiaire"),
    ("archive", OK): Event(30, "Archivage de période ou d'exercice"),
    ("purge", OK): Event(31, "Purge de données archivées"),
    ("close", OK): Event(50, "Clôture de journée"),
    ("close_month", OK): Event(50, "Clôture mensuelle"),
    ("close_year", OK): Event(50, "Clôture d'exercice"),
    ("open", OK): Event(60, "Ouverture de journée"),
    ("cashier_session_open", OK): Event(61, "Ouverture de session de caisse"),
    ("cashier_session_close", OK): Event(62, "Fermeture de session de caisse"),
    ("force_close", OK): Event(70, "Fermeture forcée (vendeurs déconnectés)"),
    ("accept_difference", OK): Event(71, "Écart de caisse accepté"),
    ("opening_difference", OK): Event(74, "Écart au comptage d'ouverture"),
    ("discount", OK): Event(72, "Remise au-delà du droit du vendeur", _allowed_by_another),
    ("refund_allowed", OK): Event(73, "Remboursement autorisé par un responsable"),
    ("cancel_ticket", OK): Event(80, "Annulation de ticket"),
    ("reprint", OK): Event(81, "Réimpression (duplicata)"),
    ("cancel_card_transaction", OK): Event(82, "Annulation d'une transaction par carte"),
    ("manual_card_refund", OK): Event(83, "Remboursement manuel par carte"),
    ("training_on", OK): Event(85, "Mode école activé"),
    ("training_off", OK): Event(86, "Mode école désactivé"),
    ("export", OK): Event(100, "Export vers le siège"),
    ("import", OK): Event(101, "Import des données du siège"),
    ("restore", OK): Event(102, "Restauration d'une sauvegarde"),
    ("clock_went_back", REFUSED): Event(110, "Horloge antérieure au dernier document signé"),
    ("key_change", OK): Event(120, "Changement de clé de signature"),
    # A box's first key (provisioning), and a replacement box taking over a register's chains
    # from head office: the register is signed by a new key from then on.
    ("signing_key_created", OK): Event(120, "Nouvelle clé de signature de la caisse"),
    ("chains_continued", OK): Event(120, "Reprise des chaînes de la caisse par un nouveau boîtier"),
    ("integrity_alert", FAILED): Event(90, "Défaut d'intégrité signalé par le siège"),
    ("integrity_failure", OK): Event(90, "Défaut d'intégrité"),
    ("integrity_failure", FAILED): Event(90, "Défaut d'intégrité"),
}
# A wrong password is journaled under the action it was typed for (open, close, connect…):
# people.authenticate marks it, and it is a failed sign-in whatever the action.
WRONG_PASSWORD = Event(12, "Échec d'identification (mot de passe faux)")


def event_for(action: str, outcome: str, details: dict) -> Event | None:
    if outcome == REFUSED and details.get("wrong_password"):
        return WRONG_PASSWORD
    event = EVENTS.get((action, outcome))
    if event is None or (event.when is not None and not event.when(details)):
        return None
    return event
