"""Cashier sessions in tests: the shop's setting and the cashiers' right switched on at head
office (as its CLI does), a day opened with sessions on, and a cashier connecting and opening
their session on a screen (docs/cashier-sessions.md)."""

from sqlalchemy import select

from app.extensions import db
from app.models import CashierSession, CashMovement
from app.services.lifecycle import open_register
from tests.support.screens import Kiosk

CASHIERS = {"VEND01": "1111", "VEND02": "2222"}


def sessions_at_head_office(headoffice_app, on=True, offline_right=("VEND01", "VEND02")):
    from headoffice.admin import grant_rights, set_cashier_sessions
    from headoffice.extensions import db as ho_db

    with headoffice_app.app_context():
        set_cashier_sessions("BOUTIQUE01", on)
        for code in offline_right:
            grant_rights("BOUTIQUE01", code, ["open_session_offline"])
        ho_db.session.commit()
        ho_db.session.remove()


def day_with_sessions(app, client, headoffice_app, float_cents=0, **rights) -> Kiosk:
    """Sessions on at head office, CAISSE01 imported and opened by RESP01; the kiosk on the
    register page, nobody connected."""
    sessions_at_head_office(headoffice_app, **rights)
    kiosk = Kiosk(client)
    kiosk.open("/")
    kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    with app.app_context():
        open_register(db.session, "RESP01", "1234", float_cents)
        db.session.remove()
    kiosk.open("/caisse")
    return kiosk


def connect(kiosk, person, password=None):
    kiosk.open("/caisse")
    return kiosk.post("/caisse/connect", person=person, password=password or CASHIERS[person])


def open_session(kiosk, deposit="", htmx=False, **fields):
    """Valider in the opening window the kiosk shows (htmx: as the screen sends it, the
    answer in the message area)."""
    return kiosk.post(
        "/sessions/ouverture",
        htmx=htmx,
        deposit=deposit,
        session_uuid=kiosk.page.inputs["session_uuid"]["value"],
        **fields,
    )


def sessions(till):
    return till._run(
        lambda: [
            (s.number, s.staff_code, s.status, s.initial_cents, s.deposit_cents)
            for s in db.session.scalars(select(CashierSession).order_by(CashierSession.number))
        ]
    )


def session_uuid(till, number):
    return till._run(
        lambda: db.session.scalar(select(CashierSession.uuid).where(CashierSession.number == number))
    )


def session_lines(till, number):
    def look():
        s = db.session.scalar(select(CashierSession).where(CashierSession.number == number))
        return {
            line.method_code: (line.final_cents, line.real_cents, line.withdrawal_cents, line.remaining_cents)
            for line in s.lines
        }

    return till._run(look)


def session_documents(till):
    """(number, kind, method, amount, reason, session number) of the cash documents."""

    def look():
        numbers = dict(db.session.execute(select(CashierSession.id, CashierSession.number)).all())
        return [
            (m.number, m.kind, m.method_code, m.amount_cents, m.reason, numbers.get(m.cashier_session_id))
            for m in db.session.scalars(select(CashMovement).order_by(CashMovement.number))
        ]

    return till._run(look)
