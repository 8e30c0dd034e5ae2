"""Importer (docs/sync.md): pull one register's data from head office and replace the local
catalog, staff and settings in one transaction. Anything wrong — head office down, a snapshot
outside the contract, a refusal — leaves the previous data exactly as it was."""

from operator import itemgetter

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.models import (
    Barcode,
    Category,
    Denomination,
    PaymentMethod,
    Product,
    Register,
    Shop,
    Staff,
    StaffRight,
    SyncRun,
    VatRate,
    utcnow,
)
from app.services.errors import AuthenticationFailed, DomainError, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import check_state_fresh, get_box, register_state
from app.services.people import authenticate
from app.services.selling.credit_notes import shop_today
from app.states import RegisterStateCode, SyncRunKind, SyncStep
from app.sync.chains import continue_from_headoffice
from app.sync.credit_notes import local_moves, replace_credit_notes
from app.sync.registers import refresh_known_registers
from app.sync.runs import end_ownership, fail_run, finish_run, get_run, progress, start_run
from app.sync.safe import replace_safe
from app.sync.snapshot import validate_snapshot
from app.sync.titres import replace_titres

# Children before parents, so foreign keys hold while the old rows go.
_REPLACED_TABLES = (
    Barcode,
    Product,
    Category,
    VatRate,
    StaffRight,
    Staff,
    PaymentMethod,
    Denomination,
    Register,
    Shop,
)


def import_register(
    session: Session,
    client,
    register_code: str,
    person_code: str,
    password: str,
    *,
    run: SyncRun | None = None,
) -> SyncRun:
    register_code = (register_code or "").strip()
    run = run or get_run(session, begin_import(session, register_code, person_code).uuid)
    try:
        _progress(session, run, SyncStep.CONNECT, 5)
        listed = refresh_known_registers(session, client)
        if register_code not in listed:
            raise StateForbids(
                _l("La caisse %(code)s n'existe pas au serveur principal."), code=register_code
            )
        _progress(session, run, SyncStep.CHECK, 15)
        importer = next(
            (p for p in listed[register_code].get("importers", []) if p.get("code") == person_code), None
        )
        if importer is None:
            refuse(
                session,
                AuthenticationFailed(
                    _l("Cette personne n'est pas autorisée à importer la caisse %(code)s."),
                    code=register_code,
                ),
                "import",
                actor=person_code,
                register_code=register_code,
            )
        # The password is checked against head office's hash, the lock-out kept on the box.
        authenticate(
            session,
            person_code,
            password,
            "import",
            register_code=register_code,
            staff=Staff(
                code=importer["code"],
                name=importer.get("name", ""),
                password_hash=importer.get("password_hash", ""),
            ),
        )
    except DomainError as error:
        _fail_run(session, run, error, person_code, register_code)
        raise
    return import_snapshot(session, client, register_code, person_code, run)


def import_snapshot(session: Session, client, register_code: str, person_code: str, run: SyncRun) -> SyncRun:
    """Download, check and save the register's snapshot, once the person is checked — or by
    the scheduler's planned import (app/sync/planned_import.py), which head office set."""
    try:
        _progress(session, run, SyncStep.DOWNLOAD, 30)
        snapshot, _etag = client.get_snapshot(register_code)
        _progress(session, run, SyncStep.VALIDATE, 60)
        validate_snapshot(snapshot, register_code)
        _progress(session, run, SyncStep.SAVE, 70)
        _replace_reference_data(session, snapshot, person_code, register_code, run)
    except DomainError as error:
        _fail_run(session, run, error, person_code, register_code)
        raise
    return run


def begin_import(
    session: Session, register_code: str, person_code: str, *, posted_token: str | None = None
) -> SyncRun:
    """Check the state (and that the screen was drawn for it), then record the run the
    progress window will follow."""
    register_code = (register_code or "").strip()
    _check_state(session, person_code, register_code, posted_token)
    return start_run(session, SyncRunKind.IMPORT, register_code, person_code)


def _check_state(session: Session, person_code, register_code, posted_token=None) -> None:
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    if state.code == RegisterStateCode.OPEN:
        refuse(
            session,
            StateForbids(_l("Import impossible : une caisse est ouverte. Fermez-la et exportez d'abord.")),
            "import",
            actor=person_code,
            register_code=register_code,
        )
    if state.code == RegisterStateCode.CLOSED_NOT_EXPORTED:
        from app.sync.conflicts import conflicting_batches, export_blocked

        conflicts = conflicting_batches(session)
        if conflicts:  # "Exportez d'abord" would send the person round in circles
            refuse(
                session,
                export_blocked(conflicts[0]),
                "import",
                actor=person_code,
                register_code=register_code,
            )
        refuse(
            session,
            StateForbids(
                _l("Import impossible : des journées fermées attendent l'export. Exportez d'abord.")
            ),
            "import",
            actor=person_code,
            register_code=register_code,
        )
    session.rollback()


def _progress(session: Session, run, step, percent) -> None:
    progress(session, run, step, percent)


def _fail_run(session: Session, run, error, person_code, register_code) -> None:
    fail_run(session, run, error)
    record(
        session,
        "import",
        outcome="failed",
        actor=person_code,
        register_code=register_code,
        reason=str(error)[:400],
        run=run.uuid,
    )
    session.commit()


def _replace_reference_data(session: Session, snapshot, person_code, register_code, run) -> None:
    """One transaction: the state is checked again under the write lock, old data goes, the
    new data comes in with executemany — all of it, or none of it."""
    session.rollback()
    connection = session.connection()  # BEGIN IMMEDIATE: nobody opens a register meanwhile
    state = register_state(session)
    if state.code in (RegisterStateCode.OPEN, RegisterStateCode.CLOSED_NOT_EXPORTED):
        raise StateForbids(_l("Import impossible : la caisse a changé d'état pendant l'import."))
    cursor = raw_cursor(session)
    moves = local_moves(cursor)  # before the payment methods that say which are avoirs go
    for model in _REPLACED_TABLES:
        connection.execute(delete(model))
    shop, register = snapshot["shop"], snapshot["register"]
    settings = register["settings"]
    connection.execute(
        insert(Shop),
        [
            {
                "code": shop["code"],
                "name": shop["name"],
                "address": shop.get("address", ""),
                "vat_number": shop.get("vat_number", ""),
                "timezone": shop["timezone"],
                "currency": shop.get("currency", "EUR"),
                "fiscal_year_end": shop.get("fiscal_year_end") or "12-31",
                # « Travail par session » (contract 1.5.0); absent from an older head office = off.
                "cashier_sessions": bool(shop.get("cashier_sessions", False)),
            }
        ],
    )
    connection.execute(
        insert(Register),
        [
            {
                "code": register["code"],
                "name": register["name"],
                "max_float_cents": settings["max_float_cents"],
                "counting_mandatory": settings["counting_mandatory"],
                "blind_count": settings["blind_count"],
                "max_discount_percent": settings.get("max_discount_percent", 0),
                "receipt_header": settings.get("receipt_header", ""),
                "receipt_footer": settings.get("receipt_footer", ""),
                # Scheduled work (contract 1.4.0); absent from an older head office = off.
                "auto_close_time": settings.get("auto_close_time") or None,
                "planned_import_time": settings.get("planned_import_time") or None,
            }
        ],
    )
    _insert(connection, VatRate, snapshot["vat_rates"], ("code", "rate_bp", "label"))
    _insert(
        connection,
        PaymentMethod,
        snapshot["payment_methods"],
        ("code", "name", "gives_change", "counted_in_drawer", "goes_to_safe", "counted_as_items"),
        store_credit=False,
        is_titre_service=False,
        is_card=False,
        position=0,
    )
    _insert(
        connection, Category, snapshot["categories"], ("code", "name"), parent_code=None, position=0, color=""
    )
    _insert(connection, Staff, snapshot["staff"], ("code", "name", "password_hash"))
    _insert(
        connection,
        StaffRight,
        [
            {"staff_code": person["code"], "right": right}
            for person in snapshot["staff"]
            for right in person["rights"]
        ],
        ("staff_code", "right"),
    )
    _insert(
        connection,
        Product,
        snapshot["products"],
        ("code", "name", "category_code", "vat_code", "price_cents", "unit"),
        active=True,
    )
    _insert(connection, Barcode, snapshot["barcodes"], ("code", "product_code"))
    _insert(connection, Denomination, snapshot["denominations"], ("value_cents", "kind"))
    replace_credit_notes(cursor, snapshot.get("credit_notes") or [], moves, shop_today(cursor))
    replace_titres(cursor, snapshot)
    replace_safe(cursor, snapshot.get("safe"))

    continue_from_headoffice(session, snapshot.get("integrity"), register["code"], person_code)

    box = get_box(session)
    box.shop_code, box.register_code = shop["code"], register["code"]
    box.imported_at, box.imported_by_code = utcnow(), person_code
    box.snapshot_version = snapshot["version"]
    finish_run(run)
    run.snapshot_version = snapshot["version"]
    record(
        session,
        "import",
        actor=person_code,
        register_code=register_code,
        run=run.uuid,
        version=snapshot["version"],
        products=len(snapshot["products"]),
    )
    run_uuid = run.uuid  # read before the commit expires it: reading after would BEGIN again
    session.commit()
    end_ownership(run_uuid)


def _insert(connection, model, items, required, **optional):
    """executemany straight to the driver with tuples: the ORM's per-row parameter handling
    costs more than SQLite itself on a 100,000-product catalog."""
    if not items:
        return
    columns = (*required, *optional)
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) VALUES ({placeholders})"
    if optional:
        defaults = tuple(optional.items())
        take = itemgetter(*required) if len(required) > 1 else (lambda i: (i[required[0]],))
        rows = [(*take(item), *(item.get(k, d) for k, d in defaults)) for item in items]
    elif len(required) > 1:
        rows = list(map(itemgetter(*required), items))
    else:
        rows = [(item[required[0]],) for item in items]
    connection.exec_driver_sql(sql, rows)
