"""Verifying signed records: how long `flask --app wsgi integrity verify` (and the Intégrité
screen's Vérifier maintenant) takes per record, and so for 1,000,000 records.

    .venv/bin/python bench/verify_chains.py [--records 20000]

N signed events are written into the event chain of a fresh box database, in one transaction,
through the journal's writer as the app writes them (app.models.journal.record: a journal
line and its signed record, real ECDSA P-256 signatures, details the size of a three-line
ticket). Then timed: the box's whole verification (verify_chains: read the rows, rebuild each
canonical text, check each signature and link, compare each event with its journal line),
and nf525.check_chain alone on rows already in memory (the floor: the signature checks)."""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nf525  # noqa: E402
from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Box, SignedRecord  # noqa: E402
from app.models.journal import record  # noqa: E402
from app.services.integrity import _as_dict, trusted_keys, verify_chains  # noqa: E402

MILLION = 1_000_000
CHAIN = "event"  # each record signs a journal line (a reprint: a JET event, code 81)


def fields(number: int) -> dict:
    """As large as a three-line sale's signed fields."""
    return {
        "number": number,
        "kind": "sale",
        "status": "finished",
        "finished_at": None,
        "original_uuid": None,
        "seller": "VEND01",
        "total_cents": 1234,
        "discount_cents": 0,
        "cancel_reason": None,
        "taxes": [[550, 1170, 64, 1234]],
        "payments": [["CB", 1234]],
        "lines": [[i, f"P{i}", "Baguette tradition", 1000, 411, 0, 550, 411] for i in (1, 2, 3)],
    }


def build(app, count: int) -> float:
    with app.app_context():
        db.session.merge(Box(id=1, register_code="CAISSE01", terminal="WEB01", device_name="bench"))
        db.session.flush()
        started = time.perf_counter()
        for number in range(1, count + 1):
            record(db.session, "reprint", actor="RESP01", register_code="CAISSE01", document=fields(number))
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'box.sqlite'}", "SECRET_KEY": "bench"})
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    signing = build(app, args.records)

    with app.app_context():
        started = time.perf_counter()
        verification = verify_chains(db.session)
        whole = time.perf_counter() - started
        assert verification.sound and verification.counts[CHAIN] == args.records, verification.problems[:3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the rows are held below
        rows = [
            _as_dict(r)
            for r in db.session.query(SignedRecord).filter_by(chain=CHAIN).order_by(SignedRecord.id)
        ]
        keys = trusted_keys(db.session)
        started = time.perf_counter()
        assert nf525.check_chain(CHAIN, rows, keys) == []
        floor = time.perf_counter() - started
        db.session.remove()

    n = args.records
    print(f"records: {n:,} in one chain, signed in {signing:.1f} s ({n / signing:,.0f} records/s)")
    for label, seconds in (
        ("verify_chains (box: read + check)", whole),
        ("nf525.check_chain (in memory)", floor),
    ):
        rate = n / seconds
        print(
            f"{label:<36} {seconds:6.2f} s  {rate:8,.0f} records/s  → 1,000,000 records: "
            f"{MILLION / rate:,.0f} s ({MILLION / rate / 60:.1f} min)"
        )
    print(f"peak memory up to the end of verify_chains: {peak:,.0f} MiB (it streams {CHAIN} rows in batches)")


if __name__ == "__main__":
    main()
