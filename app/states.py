"""The closed vocabularies of the register: states, kinds and rights, each named once.

They live in a leaf module of their own, below every layer (like app/money.py): models
(column defaults), services, devices, sync and screens all import the same names, and a
screen may use them without reaching into app.models (tests/test_layers.py). A member is a
`str`: it is stored, compared, sent to head office and shown in templates exactly as the
bare string it replaces, so the database and docs/openapi.yaml do not change. Display
labels are in app/labels.py; tests/test_states.py keeps these lists, the contract, the
columns and the labels in step."""

from enum import StrEnum


class TicketStatus(StrEnum):
    OPEN = "open"  # on a seller's screen
    SUSPENDED = "suspended"  # set aside (Mettre en attente)
    FINISHED = "finished"  # Valider: numbered, written once
    CANCELLED = "cancelled"


class TicketKind(StrEnum):
    SALE = "sale"
    RETURN = "return"


class DayState(StrEnum):
    """A register day (journée) between Ouvrir and Fermer."""

    OPEN = "open"
    CLOSED = "closed"


class RegisterStateCode(StrEnum):
    """The register's states (docs/flows.md), derived from the data (app/services/lifecycle.py)."""

    CLOSED_AWAITING_IMPORT = "A"
    IMPORTED = "B"
    OPEN = "C"
    CLOSED_NOT_EXPORTED = "D"


class Right(StrEnum):
    """What a staff member may do; the list is the `Right` enum of docs/openapi.yaml. Head
    office keeps its own copy (headoffice/rights.py): the box never imports head office, and
    the contract is what they share (tests/test_states.py checks all three agree)."""

    IMPORT = "import"
    OPEN = "open"
    CLOSE = "close"
    EXPORT = "export"
    FORCE_CLOSE = "force_close"
    ACCEPT_DIFFERENCE = "accept_difference"
    CASH_MOVEMENT = "cash_movement"
    SELL = "sell"
    DISCOUNT = "discount"
    CANCEL_TICKET = "cancel_ticket"
    REFUND = "refund"
    REPRINT = "reprint"
    OPEN_DRAWER = "open_drawer"
    MANAGE = "manage"
    SAFE = "safe"  # « Accès au solde du coffre-fort »
    # Cashier sessions (since contract 1.5.0, docs/cashier-sessions.md): « Ouvrir la session
    # en mode hors ligne » and « Fermeture des sessions de caisse d'autres opérateurs ».
    OPEN_SESSION_OFFLINE = "open_session_offline"
    CLOSE_OTHER_SESSIONS = "close_other_sessions"
    # Liste des transactions (docs/card-transactions.md): each action has its own right.
    CANCEL_CARD_TRANSACTION = "cancel_card_transaction"
    MANUAL_CARD_REFUND = "manual_card_refund"


class PrintJobState(StrEnum):
    """queued → printing → printed; a job that cannot be sent ends `failed` (a manager
    retries it); a drawer kick not fired in time ends `dropped`: a drawer must never spring
    open late."""

    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"
    DROPPED = "dropped"


class PrintJobKind(StrEnum):
    """What a print job carries; also the name of its layout (app/devices/layouts.py)."""

    RECEIPT = "receipt"
    Z_REPORT = "z_report"
    REPORT = "report"  # Rapport périodique, Récapitulatif du point de vente
    CASH = "cash"
    COUNT = "count"
    TEST = "test"
    DRAWER = "drawer"


class CashierSessionStatus(StrEnum):
    """A cashier's session (« session de caisse », docs/cashier-sessions.md): open → closed."""

    OPEN = "open"
    CLOSED = "closed"


class CashMovementKind(StrEnum):
    IN = "in"
    OUT = "out"


class CardTransactionStatus(StrEnum):
    """« Statut » of the Liste des transactions. A card payment or a return refunded on the
    card is a ticket's payment (payment, refund); the list's own documents are a cancellation
    (payment_cancel, refund_cancel) or a Remboursement manuel (refund)."""

    PAYMENT = "payment"
    PAYMENT_CANCEL = "payment_cancel"
    REFUND = "refund"
    REFUND_CANCEL = "refund_cancel"


class PayerKind(StrEnum):
    """Who hands over or receives the money of a cash document (DC/RC): « Payant »."""

    CUSTOMER = "customer"  # a name typed on the form
    EMPLOYEE = "employee"  # chosen from the staff list


class CountMoment(StrEnum):
    """When cash was counted (a cash count row)."""

    OPENING = "opening"
    CLOSING = "closing"


class SyncRunKind(StrEnum):
    IMPORT = "import"
    EXPORT = "export"


class SyncRunStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class SyncStep(StrEnum):
    """Where a running import or export is, shown in its progress window."""

    START = "start"
    CONNECT = "connect"
    CHECK = "check"
    DOWNLOAD = "download"
    VALIDATE = "validate"
    SAVE = "save"
    PREPARE = "prepare"
    SEND = "send"
    DONE = "done"


class ScheduledKind(StrEnum):
    """The scheduler's work at an hour head office sets (docs/sync.md, « Scheduled work »)."""

    AUTO_CLOSE = "auto_close"
    PLANNED_IMPORT = "planned_import"


class ScheduledStatus(StrEnum):
    """One due time of a scheduled job: running → done; waiting (the register's state or a
    ticket with payments holds it: tried again at each tick), failed (tried again later),
    skipped (a person did it first, or it no longer applies)."""

    RUNNING = "running"
    WAITING = "waiting"
    FAILED = "failed"
    DONE = "done"
    SKIPPED = "skipped"


class ExportBatchStatus(StrEnum):
    """pending → acknowledged by head office; a batch head office refuses as a conflict waits
    for a person, who may set it aside (docs/sync.md)."""

    PENDING = "pending"
    ACKNOWLEDGED = "acknowledged"
    CONFLICT = "conflict"
    SET_ASIDE = "set_aside"
