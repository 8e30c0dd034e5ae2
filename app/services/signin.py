"""S'identifier: a person signs in on a screen to see a page that needs a right (closed
days, the print queue, the cash movements…), with their code, as for any action."""

from sqlalchemy.orm import Session

from app.models import Staff
from app.services.journal import record
from app.services.people import authenticate, require_right


def sign_in_to_view(session: Session, person_code: str, password: str, right: str | None) -> Staff:
    """The person and their code; `right` is the one the page they asked for needs (a person
    without it is refused here rather than sent to a page that refuses them again)."""
    staff = authenticate(session, person_code, password, "sign_in")
    if right:
        require_right(session, staff, right, "sign_in")
    record(session, "sign_in", actor=staff, right=right)
    session.commit()
    return staff
