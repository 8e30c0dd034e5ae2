"""What a person reads for each state, kind and right (app/states.py): the one place
display labels are written. French is the source, English is in messages.po; the helpers
below are the template globals and what refusal messages use. tests/test_states.py checks
every member has a label in both languages.

Labels are keyed by enum class, because members of different vocabularies share a value
(a day and a ticket are both "open")."""

from flask_babel import lazy_gettext as _l

from app.states import (
    CardTransactionStatus,
    CashierSessionStatus,
    CashMovementKind,
    PayerKind,
    PrintJobKind,
    PrintJobState,
    RegisterStateCode,
    Right,
    SyncStep,
    TicketStatus,
)

LABELS = {
    RegisterStateCode: {
        RegisterStateCode.CLOSED_AWAITING_IMPORT: _l("Fermée, en attente d'import"),
        RegisterStateCode.IMPORTED: _l("Fermée, données importées"),
        RegisterStateCode.OPEN: _l("Ouverte"),
        RegisterStateCode.CLOSED_NOT_EXPORTED: _l("Fermée, non exportée"),
    },
    Right: {
        Right.IMPORT: _l("importer"),
        Right.OPEN: _l("ouvrir la caisse"),
        Right.CLOSE: _l("fermer la caisse"),
        Right.EXPORT: _l("exporter"),
        Right.FORCE_CLOSE: _l("forcer la fermeture"),
        Right.ACCEPT_DIFFERENCE: _l("accepter un écart de caisse"),
        Right.CASH_MOVEMENT: _l("entrées et sorties d'espèces"),
        Right.SELL: _l("vendre"),
        Right.DISCOUNT: _l("remises"),
        Right.CANCEL_TICKET: _l("annuler un ticket"),
        Right.REFUND: _l("rembourser"),
        Right.REPRINT: _l("réimprimer"),
        Right.OPEN_DRAWER: _l("ouvrir le tiroir"),
        Right.MANAGE: _l("gérer"),
        Right.SAFE: _l("accès au solde du coffre-fort"),
        Right.OPEN_SESSION_OFFLINE: _l("ouvrir la session en mode hors ligne"),
        Right.CLOSE_OTHER_SESSIONS: _l("fermeture des sessions de caisse d'autres opérateurs"),
        Right.CANCEL_CARD_TRANSACTION: _l("annuler une transaction par carte"),
        Right.MANUAL_CARD_REFUND: _l("remboursement manuel par carte"),
    },
    CashierSessionStatus: {
        CashierSessionStatus.OPEN: _l("Ouverte"),
        CashierSessionStatus.CLOSED: _l("Fermée"),
    },
    # The manual's words (Liste des transactions, « Statut »).
    CardTransactionStatus: {
        CardTransactionStatus.PAYMENT: _l("Paiement"),
        CardTransactionStatus.PAYMENT_CANCEL: _l("Annulation du paiement"),
        CardTransactionStatus.REFUND: _l("Remboursement"),
        CardTransactionStatus.REFUND_CANCEL: _l("Annulation du remboursement"),
    },
    TicketStatus: {
        TicketStatus.OPEN: _l("à l'écran"),
        TicketStatus.SUSPENDED: _l("en attente"),
        TicketStatus.FINISHED: _l("validé"),
        TicketStatus.CANCELLED: _l("annulé"),
    },
    CashMovementKind: {
        CashMovementKind.IN: _l("Entrée"),
        CashMovementKind.OUT: _l("Sortie"),
    },
    PayerKind: {
        PayerKind.CUSTOMER: _l("Client"),
        PayerKind.EMPLOYEE: _l("Employé"),
    },
    PrintJobKind: {
        PrintJobKind.RECEIPT: _l("Ticket"),
        PrintJobKind.Z_REPORT: _l("Ticket Z"),
        PrintJobKind.REPORT: _l("Rapport de caisse"),
        PrintJobKind.CASH: _l("Mouvement d'espèces"),
        PrintJobKind.COUNT: _l("Comptage"),
        PrintJobKind.TEST: _l("Page de test"),
        PrintJobKind.DRAWER: _l("Ouverture du tiroir"),
    },
    PrintJobState: {
        PrintJobState.QUEUED: _l("En attente"),
        PrintJobState.PRINTING: _l("En cours"),
        PrintJobState.PRINTED: _l("Imprimé"),
        PrintJobState.FAILED: _l("En échec"),
        PrintJobState.DROPPED: _l("Abandonné"),
    },
    SyncStep: {
        SyncStep.START: _l("Démarrage…"),
        SyncStep.CONNECT: _l("Connexion au serveur principal…"),
        SyncStep.CHECK: _l("Vérification de la personne…"),
        SyncStep.DOWNLOAD: _l("Téléchargement des données…"),
        SyncStep.VALIDATE: _l("Contrôle des données…"),
        SyncStep.SAVE: _l("Enregistrement sur la caisse…"),
        SyncStep.PREPARE: _l("Préparation des journées…"),
        SyncStep.SEND: _l("Envoi au serveur principal…"),
        SyncStep.DONE: _l("Terminé."),
    },
}


def label(vocabulary: type, value: str) -> str:
    """The label of `value` (a member or the string stored in a row); an unknown value is
    shown as it is rather than hidden."""
    return str(LABELS[vocabulary].get(value, value))


def state_label(code: str) -> str:
    return label(RegisterStateCode, code)


def right_label(right: str) -> str:
    return label(Right, right)


def ticket_status_label(status: str) -> str:
    return label(TicketStatus, status)


def movement_kind_label(kind: str) -> str:
    return label(CashMovementKind, kind)


# A cash document's type as the manual's Liste des DC/RC names it: DC (Dépense, money out of
# the drawer) and RC (Recette, money in). The codes stay French in every language.
CASH_DOCUMENT_CODES = {CashMovementKind.OUT: "DC", CashMovementKind.IN: "RC"}
CASH_DOCUMENT_TYPES = {CashMovementKind.OUT: _l("Dépense"), CashMovementKind.IN: _l("Recette")}


def cash_document_code(kind: str) -> str:
    return CASH_DOCUMENT_CODES.get(kind, kind)


def cash_document_type_label(kind: str) -> str:
    return str(CASH_DOCUMENT_TYPES.get(kind, kind))


def card_status_label(status: str) -> str:
    return label(CardTransactionStatus, status)


def payer_kind_label(kind: str | None) -> str:
    return label(PayerKind, kind) if kind else ""


def session_status_label(status: str) -> str:
    return label(CashierSessionStatus, status)


def kind_label(kind: str) -> str:
    """A print job's kind."""
    return label(PrintJobKind, kind)


def job_state_label(state: str) -> str:
    return label(PrintJobState, state)


def step_label(step: str) -> str:
    return label(SyncStep, step)


TEMPLATE_GLOBALS = (
    state_label,
    right_label,
    ticket_status_label,
    movement_kind_label,
    cash_document_code,
    cash_document_type_label,
    card_status_label,
    payer_kind_label,
    session_status_label,
    kind_label,
    job_state_label,
    step_label,
)
