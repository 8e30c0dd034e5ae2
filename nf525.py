"""Comptoir's signed chains (NF525): the text each record signs, its signature, and how a chain
is checked. The box signs with it, head office and the box's verifier check with it, and a tax
inspector runs it alone on an archive:

    python3 nf525.py archive.zip

so it needs nothing but the standard library and the `cryptography` package, and imports
nothing from Comptoir. The scheme is described in docs/integrity.md.
"""

import base64
import csv
import hashlib
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

SCHEME = "comptoir-nf525-1"
# One chain per register and per family, each numbered from 1 without gaps.
CHAINS = ("ticket", "copy", "period", "cash", "event", "training", "safe", "card")
_ECDSA = ec.ECDSA(hashes.SHA256())
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
# json.dumps builds an encoder for every call; Valider signs a record per sale, so the signed
# text's encoder is built once. The C encoder when there is one (CPython), json's own otherwise:
# the same text either way (tests/integrity/test_canonical.py holds them to json.dumps).
_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ONE_SHOT = (
    _C_ENCODER(None, _JSON.default, json.encoder.encode_basestring, None, ":", ",", True, False, True)
    if _C_ENCODER is not None
    else None
)


# --- The signed text -------------------------------------------------------------------------


def moment(value) -> str | None:
    """One spelling of a UTC date-time for every side: 2026-11-27T16:05:09.123456Z. Reads a
    datetime, SQLite's "2026-11-27 16:05:09.123456" and the export's ISO text alike."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        return value  # already this spelling (every record's `at`): checking 5,000 of them
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def canonical(record: dict) -> bytes:
    """The bytes a record signs: its envelope (register, chain, number, kind, date-time, the
    document's UUID, the key), its legally relevant fields, and the previous record's
    signature, as JSON with sorted keys and no spaces, in UTF-8."""
    envelope = {
        "scheme": SCHEME,
        "register": record["register"],
        "chain": record["chain"],
        "number": int(record["number"]),
        "kind": record["kind"],
        "at": moment(record["at"]),
        "uuid": record.get("uuid") or "",
        "key": record["key_id"],
        "fields": record["fields"],
        "previous": record.get("previous") or "",
    }
    return canonical_json(envelope).encode("utf-8")


def canonical_json(value) -> str:
    """JSON with sorted keys and no spaces, not escaping what is not ASCII: json.dumps(value,
    sort_keys=True, separators=(",", ":"), ensure_ascii=False), the same text."""
    return "".join(_ONE_SHOT(value, 0)) if _ONE_SHOT is not None else _JSON.encode(value)


def ticket_fields(ticket: dict) -> dict:
    """A sale, a return or a cancellation, from the export's ticket shape (docs/openapi.yaml):
    amounts per VAT rate, total, every line, every payment with method and amount, people."""
    return {
        "number": ticket["number"],
        "kind": ticket["kind"],
        "status": ticket["status"],
        "finished_at": moment(ticket.get("finished_at")),
        "original_uuid": ticket.get("original_uuid"),
        "seller": (ticket.get("seller") or {}).get("code"),
        "total_cents": ticket["total_cents"],
        "discount_cents": ticket.get("discount_cents") or 0,
        "cancel_reason": ticket.get("cancel_reason"),
        "taxes": sorted(
            [t["rate_bp"], t["base_cents"], t["tax_cents"], t["total_cents"]]
            for t in ticket.get("taxes") or ()
        ),
        "payments": [_payment(p) for p in ticket.get("payments") or ()],
        "lines": [
            [
                line["position"],
                line["product_code"],
                line["label"],
                line["quantity_milli"],
                line["unit_price_cents"],
                line["discount_cents"] or 0,
                line["vat_rate_bp"],
                line["total_cents"],
            ]
            for line in ticket.get("lines") or ()
        ],
    }


def _payment(payment: dict) -> list:
    """Method and amount; a titre-service adds its issuer and number (the voucher taken is
    part of what the ticket says). Only then: every other payment signs as it always did."""
    signed = [payment["method_code"], payment["amount_cents"]]
    if payment.get("titre_service_issuer"):
        signed += [payment["titre_service_issuer"], payment.get("reference")]
    return signed


def period_fields(period: dict) -> dict:
    """A period closing (kind day, month or year): its dates, the totals per VAT rate, the
    period's total, and the perpetual grand totals — of amounts (sales + returns, returns
    being negative) and of absolute values (sales + |returns|) — which never reset."""
    return {
        "period": period["period"],
        "from": period["from"],
        "to": period["to"],
        "day_number": period.get("day_number"),
        "day_uuid": period.get("day_uuid"),
        "opened_at": moment(period.get("opened_at")),
        "closed_at": moment(period.get("closed_at")),
        "days": int(period.get("days") or 0),
        "ticket_count": int(period["ticket_count"]),
        "sales_cents": int(period["sales_cents"]),
        "returns_cents": int(period["returns_cents"]),
        "total_cents": int(period["total_cents"]),
        "taxes": sorted([int(t[0]), int(t[1]), int(t[2]), int(t[3])] for t in period.get("taxes") or ()),
        "perpetual_cents": int(period["perpetual_cents"]),
        "perpetual_abs_cents": int(period["perpetual_abs_cents"]),
    }


def copy_fields(copy: dict) -> dict:
    """A reprint: which document (its UUID, kind and number), which copy (k of DUPLICATA
    n°k), who asked for it."""
    return {
        "original_uuid": copy["original_uuid"],
        "document": copy["document"],
        "original_number": copy.get("original_number"),
        "copy_number": int(copy["copy_number"]),
        "by": copy.get("by"),
        "by_name": copy.get("by_name"),
    }


def cash_movement_fields(movement: dict) -> dict:
    """A cash-in or cash-out (a withdrawal at closing included)."""
    return {
        "number": int(movement["number"]),
        "kind": movement["kind"],
        "method": movement["method_code"],
        "amount_cents": int(movement["amount_cents"]),
        "reason": movement["reason"],
        "closing_withdrawal": bool(movement["closing_withdrawal"]),
        "day_uuid": movement.get("day_uuid"),
        "created_at": moment(movement["created_at"]),
        "by": movement["created_by_code"],
        # « Payant » of a DC/RC, signed when there is one: documents signed before it existed
        # keep the fields they were signed with.
        **(
            {
                "payer_kind": movement["payer_kind"],
                "payer": movement.get("payer"),
                "payer_code": movement.get("payer_code"),
            }
            if movement.get("payer_kind")
            else {}
        ),
        # The DC/RC a closing writes for an accepted difference, signed as such (and only then,
        # so the documents signed before it existed keep their fields).
        **({"closing_difference": True} if movement.get("closing_difference") else {}),
    }


def safe_movement_fields(movement: dict) -> dict:
    """A deposit into or a withdrawal from the shop's safe (coffre-fort), with its payer and,
    for an employee's, the DC/RC that moved the drawer with it."""
    return {
        "number": int(movement["number"]),
        "kind": movement["kind"],
        "method": movement["method_code"],
        "amount_cents": int(movement["amount_cents"]),
        "reason": movement["reason"],
        "payer_kind": movement.get("payer_kind"),
        "payer": movement.get("payer"),
        "payer_code": movement.get("payer_code"),
        "cash_movement_uuid": movement.get("cash_movement_uuid"),
        "at_closing": bool(movement.get("at_closing")),
        "day_uuid": movement.get("day_uuid"),
        "created_at": moment(movement["created_at"]),
        "by": movement["created_by_code"],
    }


def card_transaction_fields(document: dict) -> dict:
    """A document of the Liste des transactions: a card payment or refund cancelled (which
    one it cancels), or a Remboursement manuel."""
    return {
        "number": int(document["number"]),
        "status": document["status"],
        "method": document["method_code"],
        "amount_cents": int(document["amount_cents"]),
        "cancels_uuid": document.get("cancels_uuid"),
        "reason": document.get("reason") or "",
        "day_uuid": document.get("day_uuid"),
        "created_at": moment(document["created_at"]),
        "by": document["created_by_code"],
    }


def cash_count_fields(count: dict) -> dict:
    """A count of one payment method, with its grid of coins and notes."""
    return {
        "moment": count["moment"],
        "method": count["method_code"],
        "counted_cents": int(count["counted_cents"]),
        "item_count": count.get("item_count"),
        "day_uuid": count.get("day_uuid"),
        "counted_at": moment(count["counted_at"]),
        "by": count["counted_by_code"],
        "grid": sorted([int(v), int(q)] for v, q in count.get("grid") or ()),
    }


def cashier_session_fields(cashier_session: dict, kind: str) -> dict:
    """A cashier's session (docs/cashier-sessions.md), signed in the cash chain twice: what it
    opened with (kind "session_open"), then, at « Saisir la recette », what it was closed
    with per payment method (kind "session_close")."""
    fields = {
        "number": int(cashier_session["number"]),
        "day_uuid": cashier_session.get("day_uuid"),
        "cashier": cashier_session["staff_code"],
        "currency": cashier_session["currency"],
        "opened_at": moment(cashier_session["opened_at"]),
        "initial_cents": int(cashier_session["initial_cents"]),
        "deposit_cents": int(cashier_session["deposit_cents"]),
    }
    if kind == "session_close":
        fields["closed_at"] = moment(cashier_session["closed_at"])
        fields["by"] = cashier_session["closed_by_code"]
        fields["lines"] = sorted(
            [
                line["method_code"],
                int(line["initial_cents"]),
                int(line["payments_cents"]),
                int(line["real_cents"]),
                int(line["withdrawal_cents"]),
                int(line["remaining_cents"]),
            ]
            for line in cashier_session.get("lines") or ()
        )
    return fields


def event_fields(entry: dict, code: int, label: str) -> dict:
    """An event of the journal (JET): its NF525 code and label, and the journal entry as
    written (action, outcome, who, why, details as their JSON text)."""
    return {
        "code": int(code),
        "label": label,
        "journal_id": entry.get("id"),
        "action": entry["action"],
        "outcome": entry["outcome"],
        "actor": entry.get("actor_code"),
        "actor_name": entry.get("actor_name"),
        "reason": entry.get("reason"),
        "details": entry.get("details"),
    }


# --- Keys and signatures ---------------------------------------------------------------------


def new_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key) -> str:
    public = key.public_key() if hasattr(key, "public_key") else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_pem(text: str) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(text.encode("ascii"))
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise ValueError("not an ECDSA P-256 public key")
    return key


def key_id(key) -> str:
    """The first 16 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo, DER)."""
    public = key.public_key() if hasattr(key, "public_key") else key
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def sign(private_key, payload: bytes) -> str:
    """ECDSA P-256 over SHA-256; the DER signature in URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(private_key.sign(payload, _ECDSA)).rstrip(b"=").decode("ascii")


def signature_ok(public_key, payload: bytes, signature: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        public_key.verify(raw, payload, _ECDSA)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def extract(signature: str) -> str:
    """What the receipt prints: characters 3, 7, 13 and 19 of the signature."""
    return "".join(signature[i - 1] for i in (3, 7, 13, 19) if i <= len(signature))


# --- Checking a chain ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    chain: str
    number: int | None
    what: str  # altered | missing | extra | out_of_order | wrong_key | broken_link
    detail: str

    def __str__(self):
        where = f"{self.chain} n°{self.number}" if self.number is not None else self.chain
        return f"{where}: {self.what} — {self.detail}"


def check_chain(
    chain: str,
    records: list[dict],
    keys: dict,
    start: tuple[int, str] | None = None,
    head: tuple[int, str] | None = None,
) -> list[Problem]:
    """One register's chain, records in the order they were written. `keys` maps key ids to
    public keys; `start` is where the chain continues from (number, signature: an anchor
    from head office or an archive), `head` the last record someone outside the box already
    holds (so a deleted tail is named). Each record dict carries the columns of
    signed_record, `payload` being the exact signed text."""
    problems = []
    expected_number, previous = (start[0] + 1, start[1]) if start else (1, "")
    seen = set()
    for record in records:
        number = int(record["number"])
        if number in seen:
            problems.append(Problem(chain, number, "extra", "this number is signed twice"))
            continue
        seen.add(number)
        if number < expected_number:
            problems.append(Problem(chain, number, "out_of_order", f"after n°{expected_number - 1}"))
        elif number > expected_number:
            problems.append(
                Problem(
                    chain, expected_number, "missing", f"n°{expected_number} to n°{number - 1} are not there"
                )
            )
        public = keys.get(record["key_id"])
        payload = (
            record["payload"].encode("utf-8") if isinstance(record["payload"], str) else record["payload"]
        )
        if public is None:
            problems.append(Problem(chain, number, "wrong_key", f"key {record['key_id']} is not registered"))
        elif not signature_ok(public, payload, record["signature"]):
            problems.append(Problem(chain, number, "altered", "the signature does not match the record"))
        elif payload != canonical({**record, "fields": _signed(payload)}):
            problems.append(Problem(chain, number, "altered", "the record differs from what was signed"))
        elif "document" in record and record["document"] != _signed(payload):
            problems.append(
                Problem(chain, number, "altered", _difference(record["document"], _signed(payload)))
            )
        elif (record.get("previous") or "") != previous and number >= expected_number:
            problems.append(
                Problem(chain, number, "broken_link", "it does not continue from the record before it")
            )
        expected_number, previous = max(expected_number, number + 1), record["signature"]
    if head and head[0] >= expected_number:
        problems.append(
            Problem(
                chain,
                expected_number,
                "missing",
                f"the chain stops at n°{expected_number - 1}, n°{head[0]} was signed",
            )
        )
    return problems


def _signed(payload: bytes) -> dict | None:
    try:
        return json.loads(payload)["fields"]
    except (ValueError, KeyError, TypeError):
        return None


def _difference(now: dict | None, signed: dict | None) -> str:
    """Names what changed in a document since it was signed: a person reads this."""
    if now is None:
        return "the signed document is no longer there"
    changed = sorted(k for k in set(now) | set(signed or {}) if (signed or {}).get(k) != now.get(k))
    return "the document was changed after it was signed: " + ", ".join(changed)


# --- The stand-alone check of an archive -----------------------------------------------------
# An archive (docs/integrity.md, « Archives ») is a ZIP: signed_records.csv (every column of
# the box's signed_record table, payload being the exact signed text), readable CSVs of the
# documents (tickets.csv, ticket_lines.csv, payments.csv, ticket_taxes.csv, days.csv…),
# public_key.pem, manifest.json (each file's SHA-256, the key, the period, and per chain where
# the archive starts from and the last record it holds) and manifest.sig (the manifest signed
# with the register's key).

MANIFEST, MANIFEST_SIG, PUBLIC_KEY = "manifest.json", "manifest.sig", "public_key.pem"
# The signed_record columns as check_chain reads them.
_RECORD_NAMES = {"register_code": "register", "subject_uuid": "uuid"}


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    with archive.open(name) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def _record(row: dict) -> dict:
    return {_RECORD_NAMES.get(k, k): v for k, v in row.items()}


def _int(value):
    return None if value in (None, "") else int(value)


def _text(value):
    return None if value in (None, "") else value


def archived_tickets(tickets: list[dict], lines: list[dict], payments: list[dict], taxes: list[dict]) -> dict:
    """The readable ticket CSVs put back into the export's ticket shape, by UUID, so that
    ticket_fields reads them as it read the ticket when it was signed."""
    by_uuid = {}
    for row in tickets:
        by_uuid[row["uuid"]] = {
            "uuid": row["uuid"],
            "number": _int(row["number"]),
            "kind": row["kind"],
            "status": row["status"],
            "finished_at": _text(row["finished_at"]),
            "original_uuid": _text(row["original_uuid"]),
            "seller": {"code": _text(row["seller_code"])},
            "total_cents": _int(row["total_cents"]),
            "discount_cents": _int(row["discount_cents"]),
            "cancel_reason": _text(row["cancel_reason"]),
            "lines": [],
            "payments": [],
            "taxes": [],
        }
    for row in sorted(lines, key=lambda r: int(r["position"])):
        if row["ticket_uuid"] in by_uuid:
            by_uuid[row["ticket_uuid"]]["lines"].append(
                {
                    "position": int(row["position"]),
                    "product_code": row["product_code"],
                    "label": row["label"],
                    "quantity_milli": int(row["quantity_milli"]),
                    "unit_price_cents": int(row["unit_price_cents"]),
                    "discount_cents": _int(row["discount_cents"]),
                    "vat_rate_bp": int(row["vat_rate_bp"]),
                    "total_cents": int(row["total_cents"]),
                }
            )
    for row in sorted(payments, key=lambda r: int(r["position"])):
        if row["ticket_uuid"] in by_uuid:
            by_uuid[row["ticket_uuid"]]["payments"].append(
                {
                    "method_code": row["method_code"],
                    "amount_cents": int(row["amount_cents"]),
                    # Archives made before titres-service have neither column.
                    "titre_service_issuer": _text(row.get("titre_service_issuer")),
                    "reference": _text(row.get("reference")),
                }
            )
    for row in taxes:
        if row["ticket_uuid"] in by_uuid:
            by_uuid[row["ticket_uuid"]]["taxes"].append(
                {k: int(row[k]) for k in ("rate_bp", "base_cents", "tax_cents", "total_cents")}
            )
    return by_uuid


_TICKET_FILES = ("tickets.csv", "ticket_lines.csv", "payments.csv", "ticket_taxes.csv")


def check_archive(path: str, expected_key: str | None = None) -> list[str]:
    """Every check an inspector needs on a Comptoir archive; [] means sound. The manifest
    lists each file's SHA-256 and is signed with the register's key (manifest.sig); the key
    is checked against `expected_key` (a PEM the inspector obtained elsewhere) when given.
    Then each chain is checked from where the archive starts to the last record it holds,
    and each readable ticket against what its record signed."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        return [f"{path}: not a readable ZIP archive ({error})"]
    with archive:
        names = set(archive.namelist())
        lacking = [n for n in (MANIFEST, MANIFEST_SIG, PUBLIC_KEY, "signed_records.csv") if n not in names]
        if lacking:
            return [f"{name}: missing from the archive" for name in lacking]
        findings = []
        manifest_bytes = archive.read(MANIFEST)
        try:
            manifest = json.loads(manifest_bytes)
            public = load_public_pem(archive.read(PUBLIC_KEY).decode("ascii"))
        except (ValueError, UnicodeDecodeError) as error:
            return [f"{MANIFEST} or {PUBLIC_KEY}: unreadable ({error})"]
        if expected_key is not None and key_id(load_public_pem(expected_key)) != key_id(public):
            findings.append(
                f"{PUBLIC_KEY}: not the register's key you were given "
                f"({key_id(public)} instead of {key_id(load_public_pem(expected_key))})"
            )
        if key_id(public) != manifest.get("key_id"):
            findings.append(f"{PUBLIC_KEY}: not the key the manifest names")
        if not signature_ok(public, manifest_bytes, archive.read(MANIFEST_SIG).decode("ascii").strip()):
            findings.append(
                f"{MANIFEST}: its signature ({MANIFEST_SIG}) does not match: "
                "the manifest was changed after the register signed it"
            )
        listed = manifest.get("files", {})
        for name, digest in sorted(listed.items()):
            if name not in names:
                findings.append(f"{name}: listed in the manifest but missing")
            elif hashlib.sha256(archive.read(name)).hexdigest() != digest:
                findings.append(f"{name}: its SHA-256 differs from the manifest (the file was changed)")
        for name in sorted(names - set(listed) - {MANIFEST, MANIFEST_SIG}):
            findings.append(f"{name}: in the archive but not in the manifest")
        keys = {key_id(public): public}
        for extra in manifest.get("other_keys", []):
            other = load_public_pem(extra)
            keys[key_id(other)] = other
        records = [_record(r) for r in _rows(archive, "signed_records.csv")]
        tickets = (
            archived_tickets(*(_rows(archive, name) for name in _TICKET_FILES))
            if all(name in names for name in _TICKET_FILES)
            else None
        )
    if tickets is not None:
        for record in records:
            if record["chain"] in ("ticket", "training"):
                found = tickets.get(record["uuid"])
                record["document"] = ticket_fields(found) if found else None
        signed = {r["uuid"] for r in records}
        findings += [
            f"tickets.csv: ticket {t['number']} ({uuid}) has no signed record in the archive"
            for uuid, t in tickets.items()
            if uuid not in signed
        ]
    starts, heads = manifest.get("starts", {}), manifest.get("heads", {})
    for chain in sorted({r["chain"] for r in records} | set(heads)):
        start, last = starts.get(chain), heads.get(chain)
        findings += [
            str(p)
            for p in check_chain(
                chain,
                [r for r in records if r["chain"] == chain],
                keys,
                start=(int(start["number"]), start["signature"]) if start else None,
                head=(int(last["number"]), last["signature"]) if last else None,
            )
        ]
    return findings


def main(argv: list[str]) -> int:
    args = argv[1:]
    expected_key = None
    if len(args) == 3 and args[0] == "--key":
        with open(args[1], encoding="ascii") as handle:
            expected_key = handle.read()
        args = args[2:]
    if len(args) != 1:
        print("usage: python3 nf525.py [--key PUBLIC_KEY.pem] ARCHIVE.zip", file=sys.stderr)
        return 2
    findings = check_archive(args[0], expected_key)
    for finding in findings:
        print(finding)
    print("OK: every chain and file is intact" if not findings else f"{len(findings)} problem(s)")
    return 0 if not findings else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
