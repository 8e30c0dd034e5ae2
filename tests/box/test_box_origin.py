"""The kiosk's loopback session cannot be reused from the shop LAN, nor the other way round."""

import pytest

from app import create_app
from app.extensions import db
from app.origin import origin_of
from tests.support.helpers import journal, register_config

KIOSK = {"REMOTE_ADDR": "127.0.0.1"}
TABLET = {"REMOTE_ADDR": "192.168.1.50"}


@pytest.fixture
def web(app, selling, db_path, headoffice):
    """The register as gunicorn serves it, forms without CSRF so the test posts plainly."""
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice, WTF_CSRF_ENABLED=False))
    yield app
    with app.app_context():
        db.engine.dispose()


def connect(client, environ):
    response = client.post(
        "/caisse/connect", data={"person": "VEND01", "password": "1111"}, environ_base=environ
    )
    assert response.status_code == 303 and response.location.endswith("/vente"), response.data
    assert client.get("/vente", environ_base=environ).status_code == 200


def test_a_kiosk_cookie_replayed_from_the_lan_carries_no_seller(web):
    kiosk = web.test_client()
    connect(kiosk, KIOSK)
    stolen = kiosk.get_cookie("session").value

    intruder = web.test_client()
    intruder.set_cookie("session", stolen)
    response = intruder.get("/vente", environ_base=TABLET)
    assert response.status_code == 303 and response.location.endswith("/caisse")
    assert intruder.get_cookie("session").value != stolen
    with web.app_context():
        [entry] = journal("session_origin", "refused")
        db.session.remove()
    # The kiosk itself is not logged out by the attempt.
    assert kiosk.get("/vente", environ_base=KIOSK).status_code == 200


def test_a_tablet_cookie_replayed_on_loopback_carries_no_seller(web):
    tablet = web.test_client()
    connect(tablet, TABLET)
    other = web.test_client()
    other.set_cookie("session", tablet.get_cookie("session").value)
    assert other.get("/vente", environ_base=KIOSK).status_code == 303
    assert tablet.get("/vente", environ_base=TABLET).status_code == 200


def test_the_csrf_token_does_not_cross_either(app, client):
    client.get("/", environ_base=KIOSK)
    with client.session_transaction() as kiosk_session:
        kiosk_session["csrf_token"] = "kiosk-token"
    client.get("/", environ_base=TABLET)
    with client.session_transaction() as now:
        assert "csrf_token" not in now or now["csrf_token"] != "kiosk-token"
        assert now["_origin"] == "lan"


@pytest.mark.parametrize(
    "address, origin",
    [
        ("127.0.0.1", "loopback"),
        ("127.0.1.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("192.168.1.50", "lan"),
        ("10.0.0.7", "lan"),
        ("fe80::1", "lan"),
        (None, "lan"),
        ("", "lan"),
        ("unix:/run/x", "lan"),
    ],
)
def test_origin_of(address, origin):
    assert origin_of(address) == origin


def test_the_tablets_https_side_gets_a_secure_cookie_the_kiosk_a_plain_one(web):
    tablet = web.test_client()
    response = tablet.get("/", base_url="https://192.168.1.10:8443", environ_base=TABLET)
    cookie = response.headers["Set-Cookie"]
    assert "; Secure" in cookie and "HttpOnly" in cookie
    kiosk = web.test_client()
    response = kiosk.get("/", environ_base=KIOSK)
    assert "; Secure" not in response.headers["Set-Cookie"]
