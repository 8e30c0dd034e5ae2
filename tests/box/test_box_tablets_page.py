"""Tablettes: the kiosk shows the fingerprint of the box's authority, the one a tablet must
see before trusting it, and hands out the certificate (never a key)."""

import subprocess

import pytest

from app import create_app
from app.extensions import db
from tests.support.helpers import register_config


@pytest.fixture
def authority(tmp_path):
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=t",
            "-keyout",
            str(tls / "ca.key"),
            "-out",
            str(tls / "ca.crt"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    fingerprint = (
        subprocess.run(
            ["openssl", "x509", "-in", str(tls / "ca.crt"), "-noout", "-fingerprint", "-sha256"],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.split("=", 1)[1]
        .strip()
    )
    return tls, fingerprint


def tablet_app(db_path, headoffice, tls, lan):
    return create_app(
        register_config(
            db_path, HEADOFFICE_TRANSPORT=headoffice, COMPTOIR_LISTEN_LAN=lan, COMPTOIR_TLS_DIR=str(tls)
        )
    )


def test_the_kiosk_shows_the_fingerprint_and_hands_out_the_certificate(db_path, headoffice, authority):
    tls, fingerprint = authority
    app = tablet_app(db_path, headoffice, tls, True)
    client = app.test_client()
    page = client.get("/tablettes").get_data(as_text=True)
    assert fingerprint in page and ":8443/" in page
    certificate = client.get("/tablettes/comptoir-ca.crt")
    assert certificate.status_code == 200
    assert certificate.headers["Content-Type"] == "application/x-x509-ca-cert"
    assert certificate.get_data(as_text=True) == (tls / "ca.crt").read_text()
    assert b"PRIVATE KEY" not in certificate.data
    with app.app_context():
        db.engine.dispose()


def test_with_tablets_shut_out_nothing_is_handed_out(db_path, headoffice, authority):
    tls, fingerprint = authority
    app = tablet_app(db_path, headoffice, tls, False)
    client = app.test_client()
    page = client.get("/tablettes").get_data(as_text=True)
    assert "L'accès des tablettes est fermé" in page and fingerprint not in page
    assert client.get("/tablettes/comptoir-ca.crt").status_code == 404
    with app.app_context():
        db.engine.dispose()
