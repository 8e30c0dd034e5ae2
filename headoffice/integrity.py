"""Head office is the anchor of each register's signed chains (docs/integrity.md).

Every batch that carries its chains (the `integrity` part of an ExportBatch) is checked
before anything is stored: the register's key (registered on first sight; a new key only
if the batch continues the chains), every record's signature with nf525, that each chain
continues exactly from the head head office holds, and that the tickets of the batch are
the tickets that were signed. A batch that does not hold is refused with 409 and a named
reason, nothing is stored, and the register is flagged until a person clears it.

Records a batch carries that head office already holds (a batch sent again, a second batch
prepared before the first was acknowledged) are fine when they are the same records."""

import json

from sqlalchemy import select

import nf525
from headoffice.chains import ChainPlan, heads, registered_keys
from headoffice.errors import ApiError
from headoffice.export_checks import bad_request
from headoffice.extensions import db
from headoffice.models import ChainRecord

# The reasons a batch is refused with (409, `error`), as docs/integrity.md explains them.
REASONS = {
    "integrity_missing": "The batch carries no signed chains, but this register signs them: "
    "an older or altered sender.",
    "unknown_key": "Records are signed with a key head office does not know for this register, "
    "and the batch does not continue its chains (a second box exporting for "
    "this register?).",
    "signature_invalid": "A record's signature does not match what it says (altered on the box "
    "or in transit).",
    "chain_fork": "The batch's records differ from records head office already holds under the "
    "same numbers, or do not continue from its head (a box restored from an old "
    "backup that sold on, or a second box for this register).",
    "chain_rewound": "The register's chain now ends before head office's head, with other "
    "records (records deleted on the box, or an old copy restored).",
    "chain_gap": "Records are missing between head office's head and the batch's records, or "
    "before the head the batch declares.",
    "chain_order": "A record is numbered twice or out of order.",
    "document_mismatch": "A ticket of the batch differs from the ticket that was signed "
    "(an amount changed after signing or in transit).",
    "document_unsigned": "A ticket of the batch has no signed record.",
}
_BY_PROBLEM = {
    "missing": "chain_gap",
    "altered": "signature_invalid",
    "wrong_key": "unknown_key",
    "broken_link": "chain_fork",
    "out_of_order": "chain_order",
    "extra": "chain_order",
}
# What a record's signed text says besides its fields (nf525.canonical's envelope).
_ENVELOPE = (("number", int), ("kind", str), ("at", str), ("key", str), ("previous", str))
_CHUNK = 500  # ids per IN (…): well under every database's limit


class IntegrityRefused(ApiError):
    def __init__(self, reason: str, detail: str, chain: str | None = None, number: int | None = None):
        extra = {k: v for k, v in (("chain", chain), ("number", number)) if v is not None}
        super().__init__(409, reason, f"{REASONS[reason]} {detail}".strip(), **extra)
        self.reason, self.detail = reason, detail


def check_chains(register_id: int, register_code: str, body: dict) -> ChainPlan | None:
    """Inside the caller's write transaction; raises IntegrityRefused (the caller rolls back
    and flags) or a 400 for a part that breaks the contract. None: a batch from a box that
    never signed (before contract 1.3.0), accepted as before."""
    part = body.get("integrity")
    keys_pem = registered_keys(register_id)
    if part is None:
        if keys_pem:
            raise IntegrityRefused("integrity_missing", "")
        return None
    key_id, pem, chains = _read_part(part)
    new_key = key_id not in keys_pem
    keys = {k: nf525.load_public_pem(p) for k, p in keys_pem.items()}
    keys[key_id] = nf525.load_public_pem(pem)
    plan = ChainPlan(
        register_id, key_id, pem, None if not new_key else "key_changed" if keys_pem else "key_registered"
    )
    held_heads = heads(register_id)
    try:
        for chain, sent in sorted(chains.items()):
            plan.records += _fresh_records(
                register_id, register_code, chain, sent, held_heads.get(chain), keys
            )
        _check_documents(register_id, body, plan.records)
    except IntegrityRefused as refused:
        if plan.key_event == "key_changed" and refused.reason not in ("document_mismatch",):
            # A new key is accepted only from a batch that continues the chains.
            raise IntegrityRefused(
                "unknown_key",
                f"Key {key_id} is new for this register and "
                f"the batch does not continue its chains: {refused.detail}",
            ) from None
        raise
    return plan


def _read_part(part) -> tuple[str, str, dict]:
    """The part's shape (docs/openapi.yaml, ExportBatch.integrity), or a 400 naming the field.
    Returns each chain with its records read from their signed text: a record travels as
    its payload and signature only, whatever else it says is in the payload."""
    if (
        not isinstance(part, dict)
        or not isinstance(part.get("key"), dict)
        or not isinstance(part.get("chains"), dict)
    ):
        raise bad_request("integrity must be an object with key and chains.")
    key_id, pem = part["key"].get("key_id"), part["key"].get("public_pem")
    if not isinstance(key_id, str) or not isinstance(pem, str):
        raise bad_request("integrity.key needs key_id and public_pem strings.")
    try:
        public = nf525.load_public_pem(pem)
    except ValueError:
        raise bad_request("integrity.key.public_pem is not an ECDSA P-256 public key.") from None
    if nf525.key_id(public) != key_id:
        raise bad_request(f"integrity.key.key_id {key_id!r} is not the id of its public_pem.")
    for chain, sent in part["chains"].items():
        where = f"integrity.chains.{chain}"
        if chain not in nf525.CHAINS:
            raise bad_request(f"{where}: no such chain (one of {', '.join(nf525.CHAINS)}).")
        head = sent.get("head") if isinstance(sent, dict) else None
        if (
            not isinstance(head, dict)
            or not _is_int(head.get("number"))
            or not isinstance(head.get("signature"), str)
            or not isinstance(sent.get("records"), list)
        ):
            raise bad_request(f"{where} needs head (number, signature) and records.")
        sent["records"] = [
            _record(record, f"{where}.records[{index}]") for index, record in enumerate(sent["records"])
        ]
    return key_id, pem, part["chains"]


def _record(record, where: str) -> dict:
    """The record as nf525.check_chain reads it, from its payload (the exact signed text)."""
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("payload"), str)
        or not isinstance(record.get("signature"), str)
    ):
        raise bad_request(f"{where} needs payload and signature strings (SignedRecord).")
    try:
        signed = json.loads(record["payload"])
    except ValueError:
        signed = None
    if (
        not isinstance(signed, dict)
        or not isinstance(signed.get("fields"), dict)
        or any(
            not (_is_int(signed.get(name)) if kind is int else isinstance(signed.get(name), kind))
            for name, kind in _ENVELOPE
        )
        or not isinstance(signed.get("uuid"), str)
    ):
        raise bad_request(f"{where}.payload is not a signed record (nf525.canonical).")
    return {
        "number": signed["number"],
        "kind": signed["kind"],
        "at": signed["at"],
        "uuid": signed["uuid"] or None,
        "key_id": signed["key"],
        "previous": signed["previous"],
        "fields": signed["fields"],
        "payload": record["payload"],
        "signature": record["signature"],
    }


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _fresh_records(register_id, register_code, chain, sent, held_head, keys) -> list[dict]:
    """The records of `chain` head office does not hold yet, checked; IntegrityRefused else."""
    held_number = held_head[0] if held_head else 0
    records = [{**r, "register": register_code, "chain": chain} for r in sent["records"]]
    declared = (sent["head"]["number"], sent["head"]["signature"])
    known = [r for r in records if r["number"] <= held_number]
    numbers = {r["number"] for r in known} | ({declared[0]} if 0 < declared[0] <= held_number else set())
    held = _held_signatures(register_id, chain, numbers)
    for record in known:
        if held.get(record["number"]) != record["signature"]:
            raise IntegrityRefused(
                "chain_fork",
                f"{chain} n°{record['number']}: head office holds another record under this number.",
                chain,
                record["number"],
            )
    fresh = [r for r in records if r["number"] > held_number]
    problems = nf525.check_chain(chain, fresh, keys, start=held_head)
    if problems:
        first = problems[0]
        raise IntegrityRefused(_BY_PROBLEM[first.what], f"{first}.", chain, first.number)
    last = (fresh[-1]["number"], fresh[-1]["signature"]) if fresh else None
    if last and declared != last:
        raise IntegrityRefused(
            "chain_gap",
            f"{chain}: the batch declares n°{declared[0]} as its head, its last record is n°{last[0]}.",
            chain,
            declared[0],
        )
    if not fresh and declared[0] > held_number:
        raise IntegrityRefused(
            "chain_gap",
            f"{chain}: the batch declares n°{declared[0]} but carries nothing after n°{held_number}.",
            chain,
            held_number + 1,
        )
    if not fresh and declared[0] > 0 and held.get(declared[0]) != declared[1]:
        reason = "chain_rewound" if declared[0] < held_number else "chain_fork"
        raise IntegrityRefused(
            reason,
            f"{chain}: the register's chain ends at n°{declared[0]}, which "
            f"differs from head office's (head: n°{held_number}).",
            chain,
            declared[0],
        )
    return fresh


def _held_signatures(register_id, chain, numbers) -> dict[int, str]:
    found, numbers = {}, sorted(numbers)
    for i in range(0, len(numbers), _CHUNK):
        found.update(
            db.session.execute(
                select(ChainRecord.number, ChainRecord.signature).where(
                    ChainRecord.register_id == register_id,
                    ChainRecord.chain == chain,
                    ChainRecord.number.in_(numbers[i : i + _CHUNK]),
                )
            ).all()
        )
    return found


def _check_documents(register_id: int, body: dict, fresh: list[dict]) -> None:
    """Each ticket of the batch is the ticket its record signed (nf525.ticket_fields): an
    amount changed in transit is named. A ticket finished before the register's first
    signed ticket (a box upgraded with days not yet exported) may have none."""
    tickets = [t for day in body["days"] for t in day.get("tickets") or () if isinstance(t, dict)]
    if not tickets:
        return
    signed = {r["uuid"]: (r["number"], r["fields"]) for r in fresh if r["chain"] == "ticket" and r["uuid"]}
    first_at = next((r["at"] for r in fresh if r["chain"] == "ticket" and r["number"] == 1), None)
    wanted = sorted({str(t.get("uuid")) for t in tickets} - set(signed))
    for i in range(0, len(wanted), _CHUNK):
        for uuid, number, payload in db.session.execute(
            select(ChainRecord.subject_uuid, ChainRecord.number, ChainRecord.payload).where(
                ChainRecord.register_id == register_id,
                ChainRecord.chain == "ticket",
                ChainRecord.subject_uuid.in_(wanted[i : i + _CHUNK]),
            )
        ):
            signed[uuid] = (number, json.loads(payload)["fields"])
    if first_at is None:
        first_at = db.session.scalar(
            select(ChainRecord.at).where(
                ChainRecord.register_id == register_id, ChainRecord.chain == "ticket", ChainRecord.number == 1
            )
        )
    for ticket in tickets:
        found = signed.get(ticket.get("uuid"))
        try:
            fields = nf525.ticket_fields(ticket)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise bad_request(f"Ticket {ticket.get('uuid')!r} breaks the contract (Ticket).") from None
        if found is None:
            if first_at is not None and (fields["finished_at"] or "") >= first_at:
                raise IntegrityRefused(
                    "document_unsigned",
                    f"Ticket n°{ticket.get('number')} ({ticket.get('uuid')}) has no signed record.",
                    "ticket",
                )
            continue
        number, signed_fields = found
        if signed_fields != fields:
            changed = sorted(
                k for k in set(fields) | set(signed_fields) if fields.get(k) != signed_fields.get(k)
            )
            raise IntegrityRefused(
                "document_mismatch",
                f"Ticket n°{ticket.get('number')} differs from "
                f"ticket record n°{number}: {', '.join(changed)}.",
                "ticket",
                number,
            )
