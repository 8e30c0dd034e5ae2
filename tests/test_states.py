"""The register's closed vocabularies (app/states.py) are named in one place and agree with
everything else that spells them: the columns and CHECK constraints of the schema (models and
migrations), the export contract (docs/openapi.yaml), head office's copy of the rights, the
display labels in both languages, and the code itself, where no bare string may stand in for
a member (a new state added in one place only, or a typo like "canceled", fails here)."""

import ast
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from sqlalchemy import CheckConstraint, String

from app import labels
from app.models import Base
from app.states import (
    CardTransactionStatus,
    CashierSessionStatus,
    CashMovementKind,
    CountMoment,
    DayState,
    ExportBatchStatus,
    PrintJobKind,
    PrintJobState,
    RegisterStateCode,
    Right,
    ScheduledKind,
    ScheduledStatus,
    SyncRunKind,
    SyncRunStatus,
    SyncStep,
    TicketKind,
    TicketStatus,
)
from app.sync.export_body import FINAL_STATUSES
from headoffice.rights import Right as HeadOfficeRight

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

# Every column that holds one of the vocabularies.
COLUMNS = {
    ("ticket", "status"): TicketStatus,
    ("ticket", "kind"): TicketKind,
    ("register_day", "state"): DayState,
    ("print_job", "state"): PrintJobState,
    ("print_job", "kind"): PrintJobKind,
    ("virtual_print", "kind"): PrintJobKind,
    ("cash_movement", "kind"): CashMovementKind,
    ("card_transaction", "status"): CardTransactionStatus,
    ("safe_movement", "kind"): CashMovementKind,
    ("cash_count", "moment"): CountMoment,
    ("sync_run", "status"): SyncRunStatus,
    ("sync_run", "kind"): SyncRunKind,
    ("sync_run", "step"): SyncStep,
    ("export_batch", "status"): ExportBatchStatus,
    ("staff_right", "right"): Right,
    ("scheduled_task", "kind"): ScheduledKind,
    ("scheduled_task", "status"): ScheduledStatus,
    ("cashier_session", "status"): CashierSessionStatus,
}


def _values(enum) -> list[str]:
    return [member.value for member in enum]


# --- the schema -------------------------------------------------------------------------


@pytest.mark.parametrize("table, column", sorted(COLUMNS), ids=[".".join(key) for key in sorted(COLUMNS)])
def test_every_member_fits_its_column_and_the_default_is_a_member(table, column):
    enum = COLUMNS[(table, column)]
    col = Base.metadata.tables[table].c[column]
    assert isinstance(col.type, String)
    too_long = [value for value in _values(enum) if len(value) > col.type.length]
    assert too_long == [], f"{table}.{column} is String({col.type.length})"
    if col.default is not None:
        assert col.default.arg in _values(enum)


_IN_LIST = re.compile(r"(\w+) in \(([^)]*)\)")
_EQUALS = re.compile(r"\b(state|status|kind|moment) = '([^']*)'")


def _check_lists(sql: str) -> list[tuple[str, list[str]]]:
    return [(column, re.findall(r"'([^']*)'", listed)) for column, listed in _IN_LIST.findall(sql)]


def test_check_constraints_of_the_models_list_exactly_the_members():
    checked = 0
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            for column, listed in _check_lists(str(constraint.sqltext)):
                enum = COLUMNS.get((table.name, column))
                if enum is not None:
                    assert sorted(listed) == sorted(_values(enum)), f"{table.name}.{column}"
                    checked += 1
        for index in table.indexes:
            where = index.dialect_options["sqlite"].get("where")
            for column, value in _EQUALS.findall(str(where) if where is not None else ""):
                assert value in _values(COLUMNS[(table.name, column)]), f"{index.name}"
                checked += 1
    assert checked >= 2  # cash_movement.kind, the one open day


def test_the_migrations_spell_the_same_values():
    """A state in a CHECK or a partial index of a migration is a member of its column's vocabulary."""
    enums = {column: set() for _, column in COLUMNS}
    for (_, column), enum in COLUMNS.items():
        enums[column].update(_values(enum))
    found = 0
    for path in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for column, listed in _check_lists(text):
            if column in enums:
                assert set(listed) <= enums[column], f"{path.name}: {column} in {listed}"
                found += 1
        for column, value in _EQUALS.findall(text):
            assert value in enums[column], f"{path.name}: {column} = {value!r}"
            found += 1
    assert found >= 2


# --- the contract and head office ---------------------------------------------------------


def _schemas() -> dict:
    return yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))["components"][
        "schemas"
    ]


def test_the_export_contract_lists_the_same_values():
    schemas = _schemas()
    ticket = schemas["Ticket"]["properties"]
    assert ticket["kind"]["enum"] == _values(TicketKind)
    # Only finished and cancelled tickets leave the box, and the export sends exactly those.
    assert ticket["status"]["enum"] == list(FINAL_STATUSES)
    assert set(FINAL_STATUSES) <= set(TicketStatus)
    assert schemas["CashMovement"]["properties"]["kind"]["enum"] == _values(CashMovementKind)
    assert schemas["CashCount"]["properties"]["moment"]["enum"] == _values(CountMoment)


def test_rights_are_the_same_on_the_box_in_the_contract_and_at_head_office():
    """The box never imports head office: the contract is what they share, and both copies follow it."""
    assert _schemas()["Right"]["enum"] == _values(Right) == _values(HeadOfficeRight)


# --- display labels ---------------------------------------------------------------------


def _english() -> dict:
    with open(APP / "translations" / "en" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return {message.id: message.string for message in read_po(po) if message.id}


@pytest.mark.parametrize("enum", list(labels.LABELS), ids=lambda enum: enum.__name__)
def test_every_member_has_a_label_in_french_and_english(enum):
    shown = labels.LABELS[enum]
    assert set(shown) == set(enum), f"{enum.__name__}: a member without a label, or a label for nothing"
    english = _english()
    missing = [member.value for member, label in shown.items() if not english.get(label._args[0])]
    assert missing == [], f"{enum.__name__}: no English in messages.po"


def test_labels_are_read_in_the_language_of_the_screen(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask import session

        session["lang"] = "en"
        from flask_babel import refresh

        refresh()
        english = labels.job_state_label(PrintJobState.FAILED)
    with app.test_request_context():
        french = labels.job_state_label("failed")  # what a row holds: a plain string
    assert french == "En échec"
    assert english != french and english


def test_a_value_no_vocabulary_knows_is_shown_as_it_is():
    assert labels.label(PrintJobState, "melted") == "melted"


def test_every_vocabulary_a_screen_shows_has_labels():
    assert {
        RegisterStateCode,
        Right,
        PrintJobKind,
        PrintJobState,
        SyncStep,
        TicketStatus,
        CashMovementKind,
    } <= set(labels.LABELS)


# --- the code -----------------------------------------------------------------------------

_ATTRIBUTES = {"status", "state", "kind", "moment", "step"}
_RIGHT_ARGUMENT = {"needs": 0, "has_right": 0, "authorise": 3, "require_right": 2, "require_viewer": 2}
_ALL_VALUES = {value for enum in set(COLUMNS.values()) | {RegisterStateCode} for value in _values(enum)}
# Raw SQL comparing a state column with a literal: the literal is written from the member (f-string).
_SQL_LITERAL = re.compile(r"\b(status|state|kind)\s*(?:=|!=|IN|NOT IN)\s*\(?\s*'\w+'", re.IGNORECASE)


def _is_vocabulary_target(node) -> bool:
    """`x.status`, `row["status"]`, `Ticket.kind`: where a state or kind is read or written."""
    if isinstance(node, ast.Attribute):
        return node.attr in _ATTRIBUTES
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value in _ATTRIBUTES
    return False


def _bare(node) -> list[str]:
    """String constants in a compared value: "open", or ("open", "suspended")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [v for element in node.elts for v in _bare(element)]
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "in_":
        return [v for arg in node.args for v in _bare(arg)]
    return []


def _bare_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    in_f_strings = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_vocabulary_target(side) for side in sides):
                found += [
                    f"{where}:{node.lineno} compares with {v!r}"
                    for side in sides
                    for v in _bare(side)
                    if v in _ALL_VALUES
                ]
        elif isinstance(node, ast.Call):
            if getattr(node.func, "attr", None) == "in_" and _is_vocabulary_target(node.func.value):
                found += [f"{where}:{node.lineno} in_ {v!r}" for v in _bare(node) if v in _ALL_VALUES]
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            position = _RIGHT_ARGUMENT.get(name)
            if position is not None and len(node.args) > position and _bare(node.args[position]):
                found.append(f"{where}:{node.lineno} right {_bare(node.args[position])[0]!r}")
            found += [
                f"{where}:{node.lineno} {kw.arg}={kw.value.value!r}"
                for kw in node.keywords
                if kw.arg in _ATTRIBUTES
                and isinstance(kw.value, ast.Constant)
                and kw.value.value in _ALL_VALUES
            ]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (
                    zip(target.elts, node.value.elts)
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                    else [(target, node.value)]
                )
                found += [
                    f"{where}:{node.lineno} sets {v!r}"
                    for t, value in pairs
                    if _is_vocabulary_target(t)
                    for v in _bare(value)
                    if v in _ALL_VALUES
                ]
        elif isinstance(node, ast.Dict):
            found += [
                f"{where}:{node.lineno} {k.value}: {v.value!r}"
                for k, v in zip(node.keys, node.values)
                if isinstance(k, ast.Constant)
                and k.value in _ATTRIBUTES
                and isinstance(v, ast.Constant)
                and v.value in _ALL_VALUES
            ]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in in_f_strings
            and _SQL_LITERAL.search(node.value)
        ):
            found.append(f"{where}:{getattr(node, 'lineno', '?')} SQL literal {node.value.strip()[:60]!r}")
    return found


# The schema's own text (a CHECK, a partial index) is checked against the members above.
_SCHEMA = {
    APP / "models" / "cash.py",
    APP / "models" / "day.py",
    APP / "models" / "catalog.py",
    APP / "models" / "cashier_session.py",
    APP / "models" / "card.py",
    APP / "models" / "day.py",
    APP / "models" / "catalog.py",
}


def test_the_code_names_states_kinds_and_rights_by_their_members():
    found = [
        line for path in sorted(APP.rglob("*.py")) if path not in _SCHEMA for line in _bare_strings(path)
    ]
    assert found == []


def test_the_source_check_sees_each_way_of_writing_a_bare_state(tmp_path):
    """The check above cannot pass by not looking: each form it must catch is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'ticket.status == "finished"\n'
        'Ticket.status.in_(("open", "suspended"))\n'
        'job.state, job.attempts = "queued", 0\n'
        'Ticket(kind="sale")\n'
        'row["status"] != "open"\n'
        'authorise(session, code, password, "sell", "connect")\n'
        '@needs("close")\ndef view(): pass\n'
        'values = {"state": "queued"}\n'
        "SQL = \"UPDATE ticket SET status = 'finished'\"\n"
        "FROM_MEMBER = f\"UPDATE ticket SET status = '{TicketStatus.FINISHED}'\"\n"
        'label = "open"; panel == "return"; record(session, "open")\n',
        encoding="utf-8",
    )
    lines = sorted(int(line.split(" ", 1)[0].rsplit(":", 1)[1]) for line in _bare_strings(sample))
    assert lines == [1, 2, 2, 3, 4, 5, 6, 7, 9, 10]


# Templates keep comparing with the stored strings (a template draws on the scan's hot path and
# reads rows as they are); each string they compare with must still be a member.
_TEMPLATE_VALUES = {
    "ticket.kind": TicketKind,
    "ticket.status": TicketStatus,
    "job.kind": PrintJobKind,
    "job.state": PrintJobState,
    "run.status": SyncRunStatus,
    "run.kind": SyncRunKind,
    "state.code": RegisterStateCode,
    "t.status": TicketStatus,
    "m.kind": CashMovementKind,
    "planned_import.status": ScheduledStatus,
    "cashier_session.status": CashierSessionStatus,
    "s.status": CashierSessionStatus,
}
_TEMPLATE_COMPARISON = re.compile(r"\b(\w+\.(?:status|state|kind|code))\s*(?:==|!=)\s*[\"']([^\"']+)[\"']")


def test_templates_compare_states_only_with_members():
    compared, wrong = 0, []
    for path in sorted((APP / "templates").rglob("*.html")):
        for target, value in _TEMPLATE_COMPARISON.findall(path.read_text(encoding="utf-8")):
            enum = _TEMPLATE_VALUES.get(target)
            if enum is None:
                wrong.append(f"{path.name}: {target} has no known vocabulary (add it to _TEMPLATE_VALUES)")
            elif value not in _values(enum):
                wrong.append(f"{path.name}: {target} == {value!r} is not a {enum.__name__}")
            compared += 1
    assert wrong == []
    assert compared >= 10


def test_screens_show_the_labels_of_a_ticket_set_aside_and_of_a_cash_movement(app, client):
    """The in-progress list of Fermer la caisse and the movements page read their words from
    app/labels.py, not from their own copies."""
    from tests.support.screens import Kiosk
    from tests.support.till import Till, open_till

    seller, manager, till = open_till(app, client), Kiosk(app.test_client()), Till(app)
    seller.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    seller.post("/vente/suspend")
    manager.open("/caisse")
    manager.post("/caisse/close", person="RESP01", password="1234")
    assert manager.response.status_code == 409
    assert "1,30 € — en attente" in manager.page.body, manager.page.body
    manager.open("/caisse/mouvements")
    manager.post(
        "/caisse/mouvements", kind="out", amount="20", reason="Monnaie", person="RESP01", password="1234"
    )
    page = manager.sign_in("/caisse/mouvements")  # the list of the day is for a signed-in manager
    assert "Sortie 20,00 € Monnaie" in page.body, page.body
