"""HTTP client for the main server (docs/openapi.yaml). Every failure becomes a
HeadOfficeProblem whose message says what happened in words, never a traceback."""

import gzip
import json

import httpx
from flask import has_app_context
from flask_babel import lazy_gettext as _l

from app.services.errors import HeadOfficeProblem


class HeadOfficeClient:
    def __init__(
        self, base_url: str, token: str, timeout: float = 10.0, transport=None, compress_exports: bool = True
    ):
        self.base_url = base_url.rstrip("/")
        self.compress_exports = compress_exports
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "User-Agent": "Comptoir register",
            },
            transport=transport,
        )

    @classmethod
    def from_config(cls, config) -> "HeadOfficeClient":
        return cls(
            config["HEADOFFICE_URL"],
            config["HEADOFFICE_TOKEN"],
            config["HEADOFFICE_TIMEOUT_SECONDS"],
            config.get("HEADOFFICE_TRANSPORT"),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def list_registers(self) -> dict:
        return self._json(self._send("GET", "/api/v1/registers"))

    def get_snapshot(self, register_code: str) -> tuple[dict, str | None]:
        response = self._send(
            "GET",
            f"/api/v1/registers/{register_code}/snapshot",
            not_found=_l("Le serveur principal ne connaît pas la caisse %(code)s."),
            code=register_code,
        )
        return self._json(response), response.headers.get("ETag")

    def put_export(self, register_code: str, batch_id: str, body: str) -> dict:
        """PUT the batch, gzip-compressed (contract 1.2.0): a day of tickets is JSON that
        shrinks about tenfold, and shops' uplinks are slow. Head office judges replays on
        the JSON, so compressed and plain sends of one batch are the same batch. A head
        office older than 1.2.0 cannot read gzip (400 invalid_json, or 415): the batch is
        sent again plain, and this client sends plain from then on."""
        path = f"/api/v1/registers/{register_code}/exports/{batch_id}"
        raw = body.encode("utf-8")
        if self.compress_exports:
            try:
                return self._json(
                    self._send(
                        "PUT",
                        path,
                        content=gzip.compress(raw, compresslevel=6, mtime=0),
                        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
                        not_found=_l("Le serveur principal ne connaît pas la caisse %(code)s."),
                        code=register_code,
                        gzip_refused=True,
                    )
                )
            except _GzipRefused:
                self.compress_exports = False
        response = self._send(
            "PUT",
            path,
            content=raw,
            headers={"Content-Type": "application/json"},
            not_found=_l("Le serveur principal ne connaît pas la caisse %(code)s."),
            code=register_code,
        )
        return self._json(response)

    def _send(
        self, method, path, *, not_found=None, code=None, gzip_refused=False, **kwargs
    ) -> httpx.Response:
        refuse_open_transaction()
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise HeadOfficeProblem(
                _l("Le serveur principal (%(url)s) n'a pas répondu à temps."), url=self.base_url
            )
        except httpx.TransportError:
            raise HeadOfficeProblem(_l("Le serveur principal (%(url)s) est injoignable."), url=self.base_url)
        if gzip_refused and (
            response.status_code == 415
            or (response.status_code == 400 and _error_code(response) == "invalid_json")
        ):
            raise _GzipRefused()
        if response.status_code == 401:
            raise HeadOfficeProblem(
                _l("Le serveur principal refuse le jeton de cette caisse (401) : vérifiez HEADOFFICE_TOKEN.")
            )
        if response.status_code == 404 and not_found is not None:
            raise HeadOfficeProblem(not_found, code=code)
        if response.status_code == 409:
            if _error_code(response) in INTEGRITY_REASONS:
                refused = HeadOfficeIntegrityRefusal(
                    _l(
                        "Le serveur principal refuse ce lot : les chaînes signées de la caisse ne "
                        "suivent pas ce qu'il détient (%(reason)s). %(detail)s"
                    ),
                    reason=_error_code(response),
                    detail=_detail(response, 300),
                )
                refused.reason = _error_code(response)
                raise refused
            if _error_code(response) == "day_conflict":
                conflict = HeadOfficeConflict(
                    _l(
                        "Le serveur principal a déjà reçu ces journées avec un autre contenu "
                        "(409) : %(detail)s"
                    ),
                    detail=_detail(response),
                )
                conflict.days = _conflicting_days(response)
                raise conflict
            raise HeadOfficeConflict(
                _l(
                    "Le serveur principal a déjà reçu un autre contenu sous ce numéro d'export "
                    "(409) : %(detail)s"
                ),
                detail=_detail(response),
            )
        if response.status_code >= 400:
            raise HeadOfficeProblem(
                _l("Le serveur principal a répondu par une erreur %(status)s : %(detail)s"),
                status=response.status_code,
                detail=_detail(response),
            )
        return response

    @staticmethod
    def _json(response: httpx.Response):
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise HeadOfficeProblem(_l("Le serveur principal a répondu autre chose que du JSON."))


class _GzipRefused(Exception):
    """A head office older than contract 1.2.0 could not read a gzip body."""


class TransactionAcrossNetwork(RuntimeError):
    """A programming error: every transaction on the box is BEGIN IMMEDIATE, so one left open
    while head office answers holds SQLite's write lock for as long as the network takes —
    /healthz answers 503 and every other screen waits. Commit (or roll back) first."""


def refuse_open_transaction() -> None:
    """Called before every request to head office: the caller's database session must have
    no transaction open. Raising (rather than committing for the caller) keeps half-done
    work from being committed behind its back; the tests of every caller meet this check."""
    if not has_app_context():
        return
    from app.extensions import db

    if db.session().in_transaction():
        raise TransactionAcrossNetwork(
            "a database transaction is open while calling head office: commit or roll back "
            "before any network call (docs/sync.md, « Never across the network »)"
        )


class HeadOfficeConflict(HeadOfficeProblem):
    status = 409
    # With day_conflict (contract 1.2.0): the uuids of the days head office holds with other
    # content; empty when it did not say (an older head office, or batch_conflict).
    days: tuple[str, ...] = ()


# Head office's 409 reasons when a batch breaks the register's signed chains
# (docs/integrity.md); the box shows an integrity alert for them.
INTEGRITY_REASONS = frozenset(
    {
        "integrity_missing",
        "unknown_key",
        "signature_invalid",
        "chain_fork",
        "chain_rewound",
        "chain_gap",
        "chain_order",
        "document_mismatch",
        "document_unsigned",
    }
)


class HeadOfficeIntegrityRefusal(HeadOfficeConflict):
    """Contract 1.3.0: head office refused the batch, named why, and flagged the register."""

    reason: str = ""


def _conflicting_days(response: httpx.Response) -> tuple[str, ...]:
    try:
        days = response.json().get("days") or []
        return tuple(str(d["day_uuid"]) for d in days if isinstance(d, dict) and d.get("day_uuid"))
    except (ValueError, AttributeError, TypeError):
        return ()


def _error_code(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except (ValueError, AttributeError):
        return ""


def _detail(response: httpx.Response, length: int = 200) -> str:
    try:
        return str(response.json().get("message", ""))[:length]
    except (ValueError, AttributeError):
        return response.text[:length]
