"""Head office verifying a 5,000-ticket batch (target: under 1 s).

    .venv/bin/python bench/headoffice_verify.py [--tickets 5000] [--runs 3]

A day of N tickets in the export's shape (1 to 6 lines of the demo catalog, cash with
change, card, a few returns), each signed as the box signs it (nf525: the ticket's fields,
the previous signature, ECDSA P-256), is PUT to the reference head office (SQLite, the demo
shop) after a first batch registered the register's key and head. Printed: the time of
head office's check of the signed chains alone (every signature, the continuity from its
head, every ticket against its record: headoffice/integrity.py's check_chains), and the
time of the whole PUT (JSON, the contract checks, the chains, storing the batch, its days
and records). Each run uses a fresh head office; the best and the median are printed,
with the CPU time of the check (on a machine shared with other work, wall time wanders)."""

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nf525  # noqa: E402
from headoffice import create_app  # noqa: E402
from headoffice.extensions import db  # noqa: E402
from headoffice.integrity import check_chains  # noqa: E402
from headoffice.lookups import find_register, find_shop  # noqa: E402

AUTH = {"Authorization": "Bearer demo-box-token"}
PERSON = {"code": "RESP01", "name": "Responsable1 De Caisse"}


def _catalog(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            db.text(
                "SELECT p.code, p.name, c.code, p.price_cents, v.rate_bp FROM product p"
                " JOIN category c ON c.id = p.category_id JOIN vat_rate v ON v.id = p.vat_rate_id"
            )
        ).all()


def _ticket(rng, catalog, number, at) -> dict:
    lines, by_rate = [], {}
    sign = -1 if rng.random() < 0.02 else 1
    for position in range(1, rng.randint(1, 6) + 1):
        code, name, category, price, rate = rng.choice(catalog)
        quantity = sign * rng.choice((1000, 1000, 2000, 3000))
        total = price * quantity // 1000
        lines.append(
            {
                "position": position,
                "product_code": code,
                "barcode": None,
                "label": name,
                "category_code": category,
                "quantity_milli": quantity,
                "unit_price_cents": price,
                "discount_cents": 0,
                "vat_rate_bp": rate,
                "total_cents": total,
            }
        )
        by_rate[rate] = by_rate.get(rate, 0) + total
    total = sum(line["total_cents"] for line in lines)
    taxes = []
    for rate, amount in sorted(by_rate.items()):
        base = round(amount * 10000 / (10000 + rate))
        taxes.append({"rate_bp": rate, "base_cents": base, "tax_cents": amount - base, "total_cents": amount})
    method = rng.choice((("ESP", "Espèces"), ("CB", "Carte Bancaire"), ("CB", "Carte Bancaire")))
    moment = at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {
        "uuid": str(uuid.uuid4()),
        "number": number,
        "kind": "return" if sign < 0 else "sale",
        "status": "finished",
        "original_uuid": None,
        "seller": PERSON,
        "created_at": moment,
        "finished_at": moment,
        "discount_cents": 0,
        "total_cents": total,
        "cancel_reason": None,
        "lines": lines,
        "taxes": taxes,
        "payments": [
            {
                "uuid": str(uuid.uuid4()),
                "method_code": method[0],
                "method_name": method[1],
                "amount_cents": total,
                "tendered_cents": None,
                "change_cents": None,
                "reference": None,
                "created_at": moment,
            }
        ],
    }


def _batch(tickets: list[dict], key, start: tuple[int, str], opened: datetime) -> dict:
    """One closed day with its tickets, and the ticket chain signed from `start`."""
    number, previous = start
    records = []
    for ticket in tickets:
        number += 1
        envelope = {
            "register": "CAISSE01",
            "chain": "ticket",
            "number": number,
            "kind": ticket["kind"],
            "at": ticket["finished_at"],
            "uuid": ticket["uuid"],
            "key_id": nf525.key_id(key),
            "fields": nf525.ticket_fields(ticket),
            "previous": previous,
        }
        payload = nf525.canonical(envelope)
        signature = nf525.sign(key, payload)
        records.append({"payload": payload.decode(), "signature": signature})
        previous = signature
    total = sum(t["total_cents"] for t in tickets)
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    day = {
        "uuid": str(uuid.uuid4()),
        "number": 1,
        "opened_at": stamp(opened),
        "opened_by": PERSON,
        "opening_float_cents": 0,
        "closed_at": stamp(opened + timedelta(hours=12)),
        "closed_by": PERSON,
        "forced": False,
        "ticket_count": len(tickets),
        "sales_total_cents": total,
        "withdrawal_cents": 0,
        "grand_total_cents": total,
        "tickets": tickets,
        "cash_movements": [],
        "cash_counts": [],
        "closing_lines": [],
    }
    return {
        "batch_id": str(uuid.uuid4()),
        "register_code": "CAISSE01",
        "shop_code": "BOUTIQUE01",
        "box": {"terminal": "BENCH", "device": "bench"},
        "created_at": stamp(opened + timedelta(hours=12)),
        "created_by": PERSON,
        "days": [day],
        "integrity": {
            "scheme": nf525.SCHEME,
            "key": {"key_id": nf525.key_id(key), "public_pem": nf525.public_pem(key)},
            "chains": {"ticket": {"head": {"number": number, "signature": previous}, "records": records}},
            "offline_periods": [],
        },
    }


def run(count: int, template: Path, folder: Path, rng) -> tuple[float, float, float]:
    path = folder / f"ho-{rng.random()}.sqlite"
    shutil.copy(template, path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    client, catalog, key = app.test_client(), _catalog(app), nf525.new_private_key()
    opened = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
    first = _batch([_ticket(rng, catalog, 1, opened + timedelta(minutes=5))], key, (0, ""), opened)
    path = f"/api/v1/registers/CAISSE01/exports/{first['batch_id']}"
    assert client.put(path, json=first, headers=AUTH).status_code == 201
    head = first["integrity"]["chains"]["ticket"]["head"]
    day = opened + timedelta(days=1)
    tickets = [_ticket(rng, catalog, n + 1, day + timedelta(seconds=8 * n)) for n in range(1, count + 1)]
    batch = _batch(tickets, key, (head["number"], head["signature"]), day)
    body = json.dumps(batch).encode()
    with app.app_context():
        register = find_register(find_shop("BOUTIQUE01").id, "CAISSE01")
        register_id = register.id
        started, cpu = time.perf_counter(), time.process_time()
        plan = check_chains(register_id, "CAISSE01", json.loads(body))
        checked, checked_cpu = time.perf_counter() - started, time.process_time() - cpu
        db.session.rollback()
        assert len(plan.records) == count
    started = time.perf_counter()
    response = client.put(
        f"/api/v1/registers/CAISSE01/exports/{batch['batch_id']}",
        data=body,
        headers={**AUTH, "Content-Type": "application/json"},
    )
    put = time.perf_counter() - started
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        db.engine.dispose()
    return checked, checked_cpu, put


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="comptoir-bench-"))
    try:
        template = folder / "template.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}"})
        runner = app.test_cli_runner()
        for command in (["init-db"], ["load-demo"]):
            assert runner.invoke(args=command).exit_code == 0
        with app.app_context():
            db.engine.dispose()
        rng = random.Random(16)
        results = [run(args.tickets, template, folder, rng) for _ in range(args.runs)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    checks, cpus, puts = ([r[i] for r in results] for i in range(3))
    print(
        f"Head office, a batch of {args.tickets} signed tickets continuing the register's chain "
        f"({args.runs} runs):"
    )
    print(
        f"  check of the signed chains (signatures, continuity, tickets vs records): "
        f"best {min(checks):.3f} s, median {statistics.median(checks):.3f} s (target < 1 s);"
        f" CPU time best {min(cpus):.3f} s, median {statistics.median(cpus):.3f} s"
    )
    print(
        f"  whole PUT (JSON, contract checks, chains, storing batch, days and records): "
        f"best {min(puts):.3f} s, median {statistics.median(puts):.3f} s"
    )


if __name__ == "__main__":
    main()
