"""A right code is remembered for a shift so only the first pays the hash; the memory must
never let in a code head office has since changed, nor soften the lock-out."""

import pytest
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.services.errors import AuthenticationFailed
from app.services.passwords import forget_codes
from app.services.people import authenticate
from app.sync.client import HeadOfficeClient
from app.sync.importing import import_register
from tests.support.helpers import journal


@pytest.fixture(autouse=True)
def _fresh_memory():
    forget_codes()
    yield
    forget_codes()


@pytest.fixture
def imported(app, ctx):
    def run():
        with HeadOfficeClient.from_config(app.config) as client:
            import_register(db.session, client, "CAISSE01", "VEND01", "1111")

    run()
    return run


def _set_code_at_head_office(headoffice_app, person, code):
    from headoffice.extensions import db as ho_db
    from headoffice.models import Staff

    with headoffice_app.app_context():
        for staff in ho_db.session.query(Staff).filter_by(code=person):
            staff.password_hash = generate_password_hash(code)
        ho_db.session.commit()


def test_a_code_changed_at_head_office_is_refused_after_the_next_import(imported, headoffice_app):
    assert authenticate(db.session, "RESP01", "1234", "open").code == "RESP01"
    assert authenticate(db.session, "RESP01", "1234", "open").code == "RESP01"  # remembered
    _set_code_at_head_office(headoffice_app, "RESP01", "8765")
    imported()
    with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
        authenticate(db.session, "RESP01", "1234", "open")
    assert authenticate(db.session, "RESP01", "8765", "open").code == "RESP01"


def test_wrong_codes_still_lock_a_person_whose_right_code_is_remembered(imported):
    authenticate(db.session, "RESP01", "1234", "open")
    for _ in range(4):
        with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
            authenticate(db.session, "RESP01", "0000", "open")
    with pytest.raises(AuthenticationFailed, match="bloqué"):
        authenticate(db.session, "RESP01", "0000", "open")
    with pytest.raises(AuthenticationFailed, match="bloqué"):
        authenticate(db.session, "RESP01", "1234", "open")
    assert len(journal("open", "refused")) == 6


def test_one_persons_code_does_not_open_for_another(imported):
    authenticate(db.session, "RESP01", "1234", "open")
    with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
        authenticate(db.session, "VEND02", "1234", "open")
    with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
        authenticate(db.session, "RESP01", "", "open")
