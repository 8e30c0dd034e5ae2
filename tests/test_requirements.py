"""What the repository pins is what it uses: every package of requirements*.txt is imported by
the code, the tests, the benchmarks or the migrations, or is named below with the reason it is
needed without an import. A package left pinned after its last import goes is one more thing
to install, audit and upgrade on every box."""

import ast
import importlib.metadata
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("app", "headoffice", "tests", "bench", "migrations", "scripts", "kiosk", "wsgi.py")

USED_WITHOUT_IMPORT = {
    "gunicorn": "serves the register and head office (systemd units, kiosk/gunicorn.conf.py, tests/support/processes.py)",
    "pyserial": "python-escpos's serial printer imports it (PRINTER kind 'serial', docs/printers.md)",
    "psycopg-binary": "psycopg's compiled implementation, for head office on PostgreSQL",
    "pytest-playwright": "the pytest plugin that gives the browser tests their page and browser",
    "ruff": "the linter `make test` runs before pytest (configured in pyproject.toml)",
}


def pinned() -> set[str]:
    names = set()
    for path in ROOT.glob("requirements*.txt"):
        for line in path.read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                names.add(normalise(re.split(r"[=<>~!\[ ;]", line)[0]))
    return names


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> set[str]:
    modules = set()
    for source in SOURCES:
        path = ROOT / source
        for file in [path] if path.is_file() else path.rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(), str(file))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules


def test_every_pinned_package_is_used():
    by_module = importlib.metadata.packages_distributions()
    imported = {normalise(dist) for module in imported_modules() for dist in by_module.get(module, ())}
    unused = pinned() - imported - set(USED_WITHOUT_IMPORT)
    assert not unused, f"pinned but imported nowhere: {sorted(unused)}"
    # The list above stays true: each of them is still pinned.
    assert set(USED_WITHOUT_IMPORT) <= pinned()
