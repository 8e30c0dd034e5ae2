"""provision.sh --register writes COMPTOIR_REGISTER: the opening screen offers that register
first, until one is imported."""

from app import create_app
from app.extensions import db
from tests.support.helpers import register_config


def test_the_provisioned_register_is_chosen_in_advance(db_path, headoffice):
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice, COMPTOIR_REGISTER="CAISSE02"))
    page = app.test_client().get("/").get_data(as_text=True)
    assert 'value="CAISSE02" selected' in page
    assert 'value="CAISSE01" selected' not in page
    with app.app_context():
        db.engine.dispose()
