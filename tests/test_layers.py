"""Layers point one way: screens → services → models/devices. Every module under
app/ is parsed (ast, nothing imported) and its imports are checked against the rule, so a
new import that points up, or a circle between services, fails here."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, package: str | None = None) -> set[str]:
    """Every module this one imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = {_module_name(path): _imports(path) for path in sorted(APP.rglob("*.py"))}


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# (the layer, what it must not import, why)
RULES = [
    ("app.models", ("app.services", "app.blueprints", "app.devices", "app.box", "app.sync"), "tables only"),
    ("app.devices", ("app.services", "app.blueprints"), "printer and drawer, no shop rules"),
    ("app.box", ("app.services", "app.blueprints"), "box plumbing, no shop rules"),
    ("app.services", ("app.blueprints",), "rules never reach back into screens"),
]


@pytest.mark.parametrize("layer, forbidden, why", RULES, ids=[rule[0] for rule in RULES])
def test_lower_layers_never_import_upper_ones(layer, forbidden, why):
    wrong = sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if _under(module, layer)
        for name in names
        if any(_under(name, up) for up in forbidden)
    )
    assert wrong == [], f"{layer}: {why}"


def test_screens_go_through_services():
    """A blueprint parses, calls a service, renders: it reads no table and no device itself,
    and no blueprint imports another one (shared screen helpers: screens, errors)."""
    shared = ("app.blueprints.screens", "app.blueprints.errors", "app.blueprints")
    wrong = []
    for module, names in MODULES.items():
        if not _under(module, "app.blueprints"):
            continue
        own = ".".join(module.split(".")[:3])
        for name in names:
            if any(_under(name, low) for low in ("app.models", "app.devices", "app.database")) or name in (
                "sqlalchemy.select",
                "sqlalchemy.text",
            ):
                wrong.append(f"{module} imports {name}")
            elif (
                _under(name, "app.blueprints")
                and not _under(name, own)
                and name not in shared
                and not any(_under(name, s) for s in shared[:2])
            ):
                wrong.append(f"{module} imports {name}")
    assert sorted(wrong) == []


def _service_graph() -> dict[str, set[str]]:
    services = {m for m in MODULES if _under(m, "app.services")}
    graph = {}
    for module in services:
        targets = set()
        for name in MODULES[module]:
            # `from app.services.closing import close_day` names a module or a name in one
            target = name if name in services else name.rpartition(".")[0]
            if target in services and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def _package(module: str) -> str:
    """app.services.closing.zreport → app.services.closing; app.services.journal stays."""
    parts = module.split(".")
    return ".".join(parts[:3])


def test_no_import_cycle_between_services():
    """Between the packages and modules of app/services (closing, selling, lifecycle…), imports
    go one way: a cycle means two rules that cannot be read apart."""
    graph: dict[str, set[str]] = {}
    for module, targets in _service_graph().items():
        graph.setdefault(_package(module), set()).update(
            _package(t) for t in targets if _package(t) != _package(module)
        )
    cycles = []

    def visit(node, path):
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append(" → ".join(path[path.index(nxt) :] + [nxt]))
            elif len(path) < len(graph):
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []


def test_the_parser_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """The rules cannot pass by not seeing an import: one inside a function, and a relative
    one, are both found."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from app.services.closing import close_day\nfrom ..models import Staff\n")
    found = _imports(probe, package="app.devices")
    assert "app.services.closing" in found and "app.models.Staff" in found


# Statements, not physical lines: the formatter lays a long call out one argument per line,
# which makes a function taller without giving it more to read. 60 statements is what the
# 70-line screen held before the repository was formatted.
LONGEST_FUNCTION = 60


def _statements(function) -> int:
    """The lines on which a statement of the function's body starts (nested ones included)."""
    return len({node.lineno for node in ast.walk(function) if isinstance(node, ast.stmt)} - {function.lineno})


def test_no_function_under_app_is_longer_than_a_screen():
    """Long functions are split along their own comments (close_day, validate_snapshot…):
    a new one that grows past a screen fails here, with where it is."""
    too_long = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = _statements(node)
                if length > LONGEST_FUNCTION:
                    too_long.append(
                        f"{path.relative_to(APP.parent)}:{node.lineno} {node.name} ({length} statements)"
                    )
    assert too_long == []
