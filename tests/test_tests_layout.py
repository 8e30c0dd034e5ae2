"""How the tests themselves are laid out (issue 15, item 9), so that any folder, or any
folders together, can be run in one pytest command and a helper is found in one place:
helpers live in tests/support/, fixtures are loaded by tests/conftest.py (pytest_plugins)
and never imported, no test imports a conftest or another test module, and no lint finding
is silenced in the tests instead of fixed."""

import ast
import re
from pathlib import Path

import pytest

from tests import conftest

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"
NOQA = re.compile(r"#\s*noqa\b")


def sources():
    return sorted(path for path in TESTS.rglob("*.py") if "artifacts" not in path.parts)


def imported_modules(tree):
    """(module, names) of every import, top level or nested."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def fixtures_of(path: Path) -> set[str]:
    """Names of the functions decorated with @pytest.fixture (called or not)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    names.add(node.name)
    return names


def test_every_module_outside_support_is_a_test_a_conftest_or_a_package_marker():
    loose = [
        str(path.relative_to(TESTS))
        for path in sources()
        if SUPPORT not in path.parents
        and not (path.name.startswith("test_") or path.name in ("conftest.py", "__init__.py"))
    ]
    assert not loose, f"helpers belong in tests/support/: {loose}"


def test_every_folder_is_a_package_so_conftests_never_shadow_each_other():
    folders = {path.parent for path in sources()}
    missing = [
        str(folder.relative_to(TESTS.parent)) for folder in folders if not (folder / "__init__.py").exists()
    ]
    assert not missing, f"add an __init__.py: {missing}"


def test_no_test_imports_a_conftest_or_another_test_module():
    wrong = []
    for path in sources():
        for module, _ in imported_modules(ast.parse(path.read_text())):
            last = (module or "").rsplit(".", 1)[-1]
            if last == "conftest" or last.startswith("test_"):
                wrong.append(f"{path.relative_to(TESTS)} imports {module}")
    assert not wrong, wrong


def test_fixtures_are_loaded_as_plugins_never_imported():
    plugins = {name: TESTS.parent / (name.replace(".", "/") + ".py") for name in conftest.pytest_plugins}
    assert all(path.exists() for path in plugins.values()), plugins
    fixtures = set().union(*(fixtures_of(path) for path in plugins.values()))
    assert {"app", "client", "till", "kiosk"} <= fixtures
    imported = []
    for path in sources():
        for module, names in imported_modules(ast.parse(path.read_text())):
            if module in plugins:
                imported += [f"{path.relative_to(TESTS)}: {name}" for name in names if name in fixtures]
    assert not imported, f"name the fixture as a parameter instead: {imported}"


@pytest.mark.parametrize(
    "path",
    [p for p in sources() if p.name == "conftest.py" and p.parent != TESTS],
    ids=lambda path: str(path.relative_to(TESTS)),
)
def test_only_the_top_conftest_loads_plugins(path):
    # pytest reads pytest_plugins only from the first conftest it loads.
    assert "pytest_plugins" not in path.read_text()


def test_no_finding_is_silenced_in_the_tests():
    silenced = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sources()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if NOQA.search(line)
    ]
    assert not silenced, silenced
