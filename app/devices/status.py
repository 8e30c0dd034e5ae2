"""What the printer says about itself (ESC/POS real-time status, DLE EOT n) and what a
failed connection means, as one status code with a message a cashier understands."""

import errno as errno_codes
import socket
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# DLE EOT n: every answer byte has bit 1 and bit 4 set, bits 0 and 7 clear.
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
OFFLINE = 0x08  # n=1: printer offline
COVER_OPEN = 0x04  # n=2: cover open
PAPER_STOPPED = 0x20  # n=2: printing stopped, paper end
ERROR = 0x40  # n=2: error
NEAR_END = 0x0C  # n=4: paper roll near end
PAPER_END = 0x60  # n=4: paper roll end

MESSAGES = {
    "ok": _l("Imprimante prête"),
    "virtual": _l("Imprimante virtuelle"),
    "paper_near_end": _l("Papier bientôt épuisé"),
    "paper_out": _l("Plus de papier"),
    "cover_open": _l("Capot de l'imprimante ouvert"),
    "offline": _l("Imprimante hors ligne"),
    "error": _l("Imprimante en erreur"),
    "no_answer": _l("L'imprimante ne répond pas"),
    "not_found": _l("Imprimante introuvable (débranchée, éteinte ou mauvais identifiants)"),
    "permission": _l("Accès à l'imprimante refusé (droits sur le périphérique)"),
    "refused": _l("L'imprimante réseau refuse la connexion"),
    "no_backend": _l("Pilote USB absent (libusb-1.0)"),
    "unavailable": _l("Imprimante indisponible"),
    "worker_down": _l("Service d'impression arrêté"),
    "unknown": _l("État de l'imprimante inconnu"),
}
# The printer takes jobs in these states; the others leave the queue waiting.
READY = ("ok", "virtual", "paper_near_end", "unknown")
WARNING = ("paper_near_end", "unknown")


@dataclass(frozen=True)
class Status:
    code: str
    detail: str | None = None

    @property
    def ready(self) -> bool:
        return self.code in READY

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, self.code))

    @property
    def level(self) -> str:
        if self.code in WARNING:
            return "warning"
        return "ok" if self.ready else "error"


def decode(online: int, offline_cause: int | None = None, paper: int | None = None) -> Status:
    """The answers to DLE EOT 1, 2 (asked when offline) and 4."""
    for byte in (online, offline_cause, paper):
        if byte is not None and byte & _FIXED_MASK != _FIXED_BITS:
            return Status("error", f"réponse d'état invalide 0x{byte:02x}")
    if paper is not None and paper & PAPER_END:
        return Status("paper_out")
    if online & OFFLINE:
        cause = offline_cause or 0
        if cause & COVER_OPEN:
            return Status("cover_open")
        if cause & PAPER_STOPPED:
            return Status("paper_out")
        if cause & ERROR:
            return Status("error")
        return Status("offline")
    if paper is not None and paper & NEAR_END:
        return Status("paper_near_end")
    return Status("ok")


def from_error(error: BaseException) -> Status:
    """Name the trouble behind an exception from python-escpos, pyusb, a socket or a file.
    python-escpos wraps the cause in DeviceNotFoundError: look at the chain too."""
    chain, seen = [], error
    while seen is not None and len(chain) < 5:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    detail = " ".join(str(error).split())[:300] or type(error).__name__
    for cause in chain:
        code = _code_of(cause)
        if code:
            return Status(code, detail)
    text = detail.lower()
    if "access denied" in text or "permission" in text:
        return Status("permission", detail)
    if "not found" in text or "no such" in text:
        return Status("not_found", detail)
    return Status("unavailable", detail)


def _code_of(error: BaseException) -> str | None:
    name = type(error).__name__
    if name == "NoBackendError":
        return "no_backend"
    if name == "USBTimeoutError" or isinstance(error, (socket.timeout, TimeoutError)):
        return "no_answer"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, PermissionError):
        return "permission"
    if isinstance(error, FileNotFoundError):
        return "not_found"
    number = getattr(error, "errno", None) or getattr(error, "backend_error_code", None)
    if number in (errno_codes.EACCES, errno_codes.EPERM):
        return "permission"
    if number in (errno_codes.ENODEV, errno_codes.ENOENT, errno_codes.ENXIO):
        return "not_found"
    if number == errno_codes.ETIMEDOUT:
        return "no_answer"
    if number == errno_codes.ECONNREFUSED:
        return "refused"
    if isinstance(error, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "unavailable"
    return None
