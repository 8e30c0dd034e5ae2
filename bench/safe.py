"""The safe (coffre-fort) over a year of movements (≈ 20,000): its window and its Liste des
opérations, each beside a floor measured in the same run — a bare Flask route on the same app
running the screen's own SQL, raw, over the same rows (the balance per method, and for the
list the same filter and page) and returning them as text (harness: bench/list_bench.py).

    chrt -f 20 .venv/bin/python bench/safe.py [--runs 200] [--movements 20000]

The movements are all written after the box's last import, so the balance reads every one of
them: the worst case (a box imports every morning, and reads one day's).

Target (issue 17, docs/performance.md): for each screen, the route's median ≤ 3 × its
floor's (the must: exit status 1 otherwise); the p99 ratio is printed beside it."""

import argparse
import random
import re
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from list_bench import Run, box, lines, signed_in_client, write_rows  # noqa: E402

from app.models import new_uuid  # noqa: E402
from app.services.closing.listing import PAGE, day_bounds  # noqa: E402
from app.services.closing.safe import _BASE, _SINCE  # noqa: E402
from app.states import CashMovementKind  # noqa: E402

ZONE = "Europe/Paris"
LIST_SQL = (
    "SELECT s.id, s.uuid, s.number, s.kind, p.name, s.amount_cents, s.created_at, s.created_by_name,"
    " s.payer, s.reason FROM safe_movement s"
    " LEFT OUTER JOIN payment_method p ON p.code = s.method_code {where}"
    " ORDER BY s.id DESC LIMIT {limit}"
)
METHODS = ("ESP", "ESP", "ESP", "CHQ", "TS")
INSERT = (
    "INSERT INTO safe_movement (uuid, register_code, day_id, number, kind, method_code, amount_cents,"
    " reason, payer_kind, payer, created_at, created_by_code, created_by_name, at_closing)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
)


def headoffice_with_a_safe(folder: Path) -> httpx.WSGITransport:
    """The demo head office, its shop keeping a safe (limit 1 000 €, 7 days)."""
    from headoffice import create_app as create_headoffice

    ho = create_headoffice({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'ho.sqlite'}"})
    runner = ho.test_cli_runner()
    for args in (
        ["init-db"],
        ["load-demo"],
        ["set-safe", "BOUTIQUE01", "--on", "--limit", "1000", "--limit-days", "7"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    return httpx.WSGITransport(app=ho)


def year_of_movements(count: int, day_id: int) -> list[tuple]:
    """`count` deposits and withdrawals spread over the past year, in time order, never
    taking out more than the safe holds."""
    rng = random.Random(17)
    start = datetime.now(timezone.utc) - timedelta(days=365)
    step = timedelta(days=365) / count
    held = {code: 0 for code in METHODS}
    rows = []
    for number in range(1, count + 1):
        method = rng.choice(METHODS)
        amount = rng.choice((2000, 5000, 10000, 20000)) + rng.randrange(0, 100)
        kind = CashMovementKind.OUT if held[method] >= amount and rng.random() < 0.45 else CashMovementKind.IN
        held[method] += amount if kind == CashMovementKind.IN else -amount
        at = (start + step * number).strftime("%Y-%m-%d %H:%M:%S.%f")
        cashier = rng.choice((("RESP01", "Responsable1 De Caisse"), ("VEND01", "Vendeur1 De Caisse")))
        rows.append(
            (new_uuid(), "CAISSE01", day_id, number, kind, method, amount, "Fonds", "customer", "Banque", at)
            + cashier
        )
    return rows


def list_cases(middle: date) -> dict:
    start, end = (moment.strftime("%Y-%m-%d %H:%M:%S.%f") for moment in day_bounds(middle, ZONE))
    return {
        "list, no filter": ("", "", ()),
        "list, jour (mid-year)": (
            f"?jour={middle:%d/%m/%Y}",
            "WHERE s.created_at >= ? AND s.created_at < ?",
            (start, end),
        ),
        "list, numero (part: 123)": (
            "?numero=123",
            "WHERE CAST(s.number AS VARCHAR) LIKE '%' || ? || '%'",
            ("123",),
        ),
        "list, type + montant": (
            "?type=depense&montant=50,00",
            "WHERE s.kind = ? AND s.amount_cents = ?",
            (CashMovementKind.OUT.value, 5000),
        ),
        "list, mode + caissier": (
            "?mode=CHQ&caissier=VEND01",
            "WHERE s.method_code = ? AND s.created_by_code = ?",
            ("CHQ", "VEND01"),
        ),
    }


def read_floor(connection, case) -> list[str]:
    """The balance per method (head office's figures, then this box's movements since),
    then the list's page after a "--" line."""
    where, parameters = case
    base = connection.exec_driver_sql(_BASE).fetchall()
    after = max((row[4] for row in base), default=0)
    since = connection.exec_driver_sql(_SINCE, (after,)).fetchall()
    found = lines(base + since) + ["--"]
    if where is not None:
        listed = connection.exec_driver_sql(LIST_SQL.format(where=where, limit=PAGE + 1), parameters)
        found += lines(listed.fetchall())
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--movements", type=int, default=20000)
    args = parser.parse_args()
    app, folder, day_id, floors = box(headoffice_with_a_safe, read_floor)
    write_rows(folder, INSERT, year_of_movements(args.movements, day_id))
    client = signed_in_client(app, "/caisse/coffre")

    middle = (datetime.now(timezone.utc) - timedelta(days=180)).date()
    cases = {"window (Coffre-fort)": ("/caisse/coffre", None, ())}
    cases.update(
        {
            name: ("/caisse/coffre/operations" + query, where, p)
            for name, (query, where, p) in list_cases(middle).items()
        }
    )
    run = Run(client, args.runs, f"Coffre-fort, {args.movements} movements over a year")
    for index, (name, (url, where, parameters)) in enumerate(cases.items(), start=1):
        floors[index] = (where, parameters)
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, html[:500]
        raw = client.get(f"/_bench/floor/{index}").get_data(as_text=True)
        balance, listed = raw.split("--")
        if where is None:  # one line per method of the safe
            shown = len(re.findall(r"<tr><td>", html))
            found = len({line.split("|")[0] for line in balance.splitlines() if line})
        else:
            shown = len(re.findall(r"<tr><td>\d+</td>", html))
            found = min(len([line for line in listed.splitlines() if line]), PAGE)
        assert shown == found, (name, shown, found)  # the same rows
        run.measure(name, shown, url, f"/_bench/floor/{index}")
    return run.done()


if __name__ == "__main__":
    sys.exit(main())
