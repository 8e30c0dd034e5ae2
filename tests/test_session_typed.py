"""A database session is typed wherever it is handed over: every function of the box, head
office, the benchmarks and the scripts that takes a `session` (or `db_session`) parameter
annotates it `Session` (sqlalchemy.orm), so an editor and a reader know what it is, and a
Flask `session` or a SellerSession passed by mistake shows in the signature."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "headoffice", "bench", "scripts")
SESSION_PARAMETERS = {"session", "db_session"}
ACCEPTED = {"Session", "sqlalchemy.orm.Session", "orm.Session"}


def _sources():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def untyped_sessions(source: str, name: str) -> list[str]:
    """`file:line function(parameter: annotation)` for each session parameter not typed Session."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for argument in arguments:
            if argument.arg not in SESSION_PARAMETERS:
                continue
            annotation = argument.annotation
            if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
                written = annotation.value  # a string annotation, "Session"
            else:
                written = ast.unparse(annotation) if annotation is not None else None
            if written not in ACCEPTED:
                function = getattr(node, "name", "lambda")
                found.append(f"{name}:{node.lineno} {function}({argument.arg}: {written})")
    return found


def test_every_session_parameter_is_typed_session():
    untyped = []
    for path in _sources():
        untyped += untyped_sessions(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert untyped == [], "session parameters without `: Session`:\n" + "\n".join(untyped)


@pytest.mark.parametrize(
    "source",
    [
        "def f(session): pass",
        "def f(x, *, session=None): pass",
        "async def f(db_session, /): pass",
        "class A:\n    def m(self, session: dict): pass",
        "g = lambda session: session",
    ],
)
def test_the_guard_sees_an_untyped_session(source):
    assert untyped_sessions(source, "example.py")


@pytest.mark.parametrize(
    "source",
    [
        "def f(session: Session) -> None: pass",
        "def f(session: 'Session'): pass",
        "def f(seller_session, sessions): pass",
    ],
)
def test_the_guard_lets_typed_sessions_through(source):
    assert untyped_sessions(source, "example.py") == []
