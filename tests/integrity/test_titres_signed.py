"""A titre-service's number is on its ticket's signed record (docs/integrity.md): the archive
of the period carries it in payments.csv, the stand-alone verifier reads it back, and a
number changed in the archive afterwards is named. (The box's verifier and head office's
check of an export are in tests/register/test_selling_titres.py.)"""

import csv
import io
import zipfile
from datetime import timedelta

import nf525
from tests.support.past import clock_back, close
from tests.support.till import open_till, sell


def _number(year: int) -> str:
    body = f"27{year % 100:02d}000555"
    for digit in "0123456789":  # the Luhn digit, found by the verifier's own rule
        total = 0
        for i, ch in enumerate(reversed(body + digit)):
            value = int(ch) * (2 if i % 2 else 1)
            total += value // 10 + value % 10
        if total % 10 == 0:
            return body + digit
    raise AssertionError("no Luhn digit")


def _archive(app, day, out):
    result = app.test_cli_runner().invoke(
        args=[
            "integrity",
            "archive",
            "--from",
            (day - timedelta(days=1)).isoformat(),
            "--to",
            (day + timedelta(days=1)).isoformat(),
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    [path] = out.glob("*.zip")
    return path


def test_the_archive_carries_the_titre_number_and_a_changed_one_is_named(app, client, till, tmp_path):
    with clock_back(40) as day:
        kiosk = open_till(app, client)
        number = _number(day.year)
        sold = sell(
            kiosk, till, ["Baguette tradition", "Croissant"], [("TS", "1,30", number), ("CB", "1,20", None)]
        )
        close(app, kiosk)
    assert [p.titre_service_issuer for p in sold.payments] == ["VILLE", None]
    path = _archive(app, day, tmp_path / "out")
    assert nf525.check_archive(str(path)) == []
    with zipfile.ZipFile(path) as zipped:
        rows = list(csv.DictReader(io.TextIOWrapper(zipped.open("payments.csv"), encoding="utf-8")))
    assert [(r["method_code"], r["reference"], r["titre_service_issuer"]) for r in rows] == [
        ("TS", number, "VILLE"),
        ("CB", "", ""),
    ]

    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(forged, "w") as new:
        for member in old.namelist():
            data = old.read(member)
            if member == "payments.csv":
                data = data.replace(number.encode(), b"27000000000")
            new.writestr(member, data)
    findings = nf525.check_archive(str(forged))
    assert any("payments.csv" in f for f in findings), findings
    assert any("payments" in f and "ticket" in f for f in findings), findings
