"""Import a generated 100,000-product snapshot and compare it with a floor measured in the
same run: plain sqlite3 executemany of the same rows into the same migrated schema.

    .venv/bin/python bench/import_snapshot.py [--products 100000] [--repeat 3]

Target (docs/performance.md): import time / floor ≤ 2."""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.sync.client import HeadOfficeClient  # noqa: E402
from app.sync.importing import import_register  # noqa: E402


def make_snapshot(products: int) -> dict:
    categories = [{"code": f"C{i:02d}", "name": f"Catégorie {i}"} for i in range(12)]
    vat = [
        {"code": "TVA20", "rate_bp": 2000, "label": "TVA 20 %"},
        {"code": "TVA55", "rate_bp": 550, "label": "TVA 5,5 %"},
    ]
    items = [
        {
            "code": f"P{i:06d}",
            "name": f"Produit numéro {i}",
            "category_code": f"C{i % 12:02d}",
            "vat_code": "TVA20" if i % 3 else "TVA55",
            "price_cents": 50 + (i * 37) % 5000,
            "unit": "kg" if i % 50 == 0 else "unit",
            "active": True,
        }
        for i in range(products)
    ]
    barcodes = [{"code": f"376{i:09d}0", "product_code": f"P{i:06d}"} for i in range(products)]
    staff_hash = generate_password_hash("bench1234")
    return {
        "version": "bench",
        "generated_at": "2026-11-23T00:00:00Z",
        "shop": {"code": "B1", "name": "Bench", "timezone": "Europe/Paris", "currency": "EUR"},
        "register": {
            "code": "CAISSE01",
            "name": "Caisse 1",
            "settings": {"max_float_cents": 100000, "counting_mandatory": False, "blind_count": False},
        },
        "staff": [
            {"code": "RESP01", "name": "Bench", "password_hash": staff_hash, "rights": ["import", "open"]}
        ],
        "vat_rates": vat,
        "categories": categories,
        "payment_methods": [
            {
                "code": "ESP",
                "name": "Espèces",
                "gives_change": True,
                "counted_in_drawer": True,
                "goes_to_safe": False,
                "counted_as_items": False,
            }
        ],
        "products": items,
        "barcodes": barcodes,
        "denominations": [{"value_cents": v, "kind": "coin"} for v in (1, 2, 5, 10, 20, 50)],
    }


def fake_headoffice(snapshot: dict) -> httpx.MockTransport:
    body = json.dumps(snapshot).encode()
    registers = json.dumps(
        {
            "shop": snapshot["shop"],
            "registers": [
                {
                    "code": "CAISSE01",
                    "name": "Caisse 1",
                    "importers": [
                        {
                            "code": "RESP01",
                            "name": "Bench",
                            "password_hash": snapshot["staff"][0]["password_hash"],
                        }
                    ],
                }
            ],
        }
    ).encode()

    def handler(request):
        if request.url.path.endswith("/snapshot"):
            return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
        return httpx.Response(200, content=registers, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def migrated_database(folder: Path) -> Path:
    from flask_migrate import upgrade

    path = folder / "template.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


def time_import(template: Path, folder: Path, snapshot: dict) -> float:
    path = folder / "import.sqlite"
    shutil.copy(template, path)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "HEADOFFICE_TRANSPORT": fake_headoffice(snapshot),
        }
    )
    with app.app_context():
        with HeadOfficeClient.from_config(app.config) as client:
            start = time.perf_counter()
            import_register(db.session, client, "CAISSE01", "RESP01", "bench1234")
            elapsed = time.perf_counter() - start
        db.session.remove()
        db.engine.dispose()
    return elapsed


def time_floor(template: Path, folder: Path, snapshot: dict) -> float:
    path = folder / "floor.sqlite"
    shutil.copy(template, path)
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO vat_rate (code, rate_bp, label) VALUES (?, ?, ?)",
        [(v["code"], v["rate_bp"], v["label"]) for v in snapshot["vat_rates"]],
    )
    connection.executemany(
        "INSERT INTO category (code, name, position, color) VALUES (?, ?, 0, '')",
        [(c["code"], c["name"]) for c in snapshot["categories"]],
    )
    connection.executemany(
        "INSERT INTO product (code, name, category_code, vat_code, price_cents, unit, active) "
        "VALUES (?, ?, ?, ?, ?, ?, 1)",
        [
            (p["code"], p["name"], p["category_code"], p["vat_code"], p["price_cents"], p["unit"])
            for p in snapshot["products"]
        ],
    )
    connection.executemany(
        "INSERT INTO barcode (code, product_code) VALUES (?, ?)",
        [(b["code"], b["product_code"]) for b in snapshot["barcodes"]],
    )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    snapshot = make_snapshot(args.products)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["COMPTOIR_INSTANCE"] = str(folder / "instance")
        template = migrated_database(folder)
        imports = [time_import(template, folder, snapshot) for _ in range(args.repeat)]
        floors = [time_floor(template, folder, snapshot) for _ in range(args.repeat)]
    best_import, best_floor = min(imports), min(floors)
    print(f"products: {args.products}  runs: {args.repeat}")
    print(f"import_register: best {best_import:.3f} s  median {statistics.median(imports):.3f} s")
    print(
        f"floor (sqlite3 executemany, same rows, same schema): best {best_floor:.3f} s  "
        f"median {statistics.median(floors):.3f} s"
    )
    print(f"ratio (best/best): {best_import / best_floor:.2f}  target ≤ 2")


if __name__ == "__main__":
    main()
