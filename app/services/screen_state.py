"""The register's state as a screen shows it: register_state's own statement
(lifecycle.state_statement), run as plain SQL into read-only rows.

Every page and every status poll (each screen, every 10 s) reads the state. Through the ORM,
loading the box, register, shop and open day as objects cost 0.26 ms against 0.07 ms for the
same statement (bench/cash_documents.py weighs a list against its raw SQL floor). A screen
only reads them; a service that changes the box or the day reads register_state."""

from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import Box, Register, RegisterDay, Shop
from app.services.lifecycle import RegisterState, register_state, state_of, state_statement

_MODELS = (Box, Register, Shop, RegisterDay)


class Shown:
    """A row as the screen reads it: the model's attributes, valued as the ORM values them.
    Read-only, so code that meant to change the row fails here instead of writing nothing."""

    def __init__(self, values: dict):
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        raise AttributeError(f"{name}: a row read for a screen is not written (read register_state)")

    def __repr__(self) -> str:
        return f"Shown({self.__dict__!r})"


_prepared: dict = {}  # per dialect: the SQL text, and per model its attributes and readers


def _plan(session: Session):
    dialect = session.get_bind().dialect
    found = _prepared.get(dialect.name)
    if found is None:
        models = []
        for model in _MODELS:
            mapper = model.__mapper__
            models.append(
                [
                    (
                        mapper.get_property_by_column(column).key,
                        column.type.dialect_impl(dialect).result_processor(dialect, None),
                    )
                    for column in model.__table__.columns
                ]
            )
        columns = [column for model in _MODELS for column in model.__table__.columns]
        statement = state_statement(*columns).compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        found = _prepared[dialect.name] = (str(statement), models)
    return found


def _shown(values, attributes) -> Shown | None:
    if values[0] is None:  # the primary key: the outer join found no row
        return None
    return Shown({key: read(value) if read else value for (key, read), value in zip(attributes, values)})


def screen_state(session: Session) -> RegisterState:
    """register_state for reading: the same state, its box, register, shop and open day as
    Shown rows (the days and batches waiting, read only when there are some, stay objects)."""
    sql, models = _plan(session)
    if session.autoflush:  # what the session holds unwritten, as the ORM's query would see it
        session.flush()
    row = raw_cursor(session).execute(sql).fetchone()
    if row is None:  # a box that never imported: register_state says what it is
        return register_state(session)
    rows, start = [], 0
    for attributes in models:
        rows.append(_shown(row[start : start + len(attributes)], attributes))
        start += len(attributes)
    return state_of(session, *rows, tuple(row[start:]))
