"""Sellers connected to the open register (Connecter / Déconnecter, manual 000 §2.3)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.models import RegisterDay, SellerSession, utcnow
from app.services.errors import StaleScreen, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import OPEN, register_state
from app.services.people import authorise


def connect_seller(session, person_code: str, password: str) -> SellerSession:
    state = register_state(session)
    register_code = state.box.register_code
    if state.code != OPEN:
        refuse(session, StateForbids(_l("La caisse n'est pas ouverte.")), "connect",
               actor=person_code, register_code=register_code)
    staff = authorise(session, person_code, password, "sell", "connect",
                      register_code=register_code)
    # Reconnecting (after a session expired, or from the tablet) reuses the open session.
    seller = session.scalars(select(SellerSession).where(
        SellerSession.day_id == state.open_day.id, SellerSession.staff_code == staff.code,
        SellerSession.disconnected_at.is_(None))).first()
    if seller is None:
        seller = SellerSession(day_id=state.open_day.id, staff_code=staff.code,
                               staff_name=staff.name, connected_at=utcnow())
        session.add(seller)
        session.flush()
    record(session, "connect", actor=staff, register_code=register_code, subject_uuid=seller.uuid)
    session.commit()
    return seller


def disconnect_seller(session, seller_uuid: str) -> None:
    seller = session.scalars(select(SellerSession).where(SellerSession.uuid == seller_uuid)).first()
    if seller is None or seller.disconnected_at is not None:
        session.rollback()
        return  # already out (closed meanwhile, or a second tap): nothing to do
    day = session.get(RegisterDay, seller.day_id)
    if day is not None and day.state == "open":
        from app.services.selling.aside import leave_till  # selling builds on sessions
        from app.services.selling.context import AtWork
        leave_till(session, AtWork(seller, day))
    seller.disconnected_at = utcnow()
    record(session, "disconnect", actor=seller.staff_code, subject_uuid=seller.uuid)
    session.commit()


def active_seller(session, seller_uuid: str | None) -> SellerSession | None:
    if not seller_uuid:
        return None
    seller = session.scalars(select(SellerSession).where(SellerSession.uuid == seller_uuid)).first()
    if seller is None or seller.disconnected_at is not None:
        return None
    return seller


def screen_token(state) -> str:
    """What a page was drawn for; a form posted from an older state is stale."""
    day = state.open_day.id if state.open_day else ""
    return f"{state.code}:{state.box.register_code or ''}:{day}:{len(state.days_to_export)}"


def check_screen_fresh(session, posted_token: str | None) -> None:
    if posted_token is None:
        return  # tools (CLI, API) do not draw screens
    if posted_token != screen_token(register_state(session)):
        session.rollback()
        raise StaleScreen(_l("L'état de la caisse a changé depuis un autre écran : "
                             "voici l'écran à jour."))
