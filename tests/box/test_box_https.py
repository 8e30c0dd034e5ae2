"""The two web units of a box provisioned with --listen-lan, as real gunicorn processes on
loopback ports: the kiosk's side answers plain HTTP; the tablets' side answers only over TLS,
with the certificate provisioning made (checked against the box's own authority), and its
session cookie is Secure."""

import os
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.support.processes import BIN, free_port, stop, wait_until
from tests.support.provision import FLAGS, provision

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("systemctl") is None or shutil.which("openssl") is None,
        reason="provisioning needs systemctl and openssl",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "kiosk" / "gunicorn.conf.py"


@pytest.fixture
def instance(tmp_path):
    box = tmp_path / "box"
    result = provision(box, *FLAGS)
    assert result.returncode == 0, result.stdout + result.stderr
    return box / "var/lib/comptoir"


def serve(instance, tmp_path, side, port):
    env = {**os.environ, "COMPTOIR_INSTANCE": str(instance), "COMPTOIR_WEB_SIDE": side}
    with open(tmp_path / f"gunicorn-{side}.log", "w") as log:
        return subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(CONF), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def answers(client, url) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def test_tablets_get_https_with_the_box_certificate_and_the_kiosk_plain_http(instance, tmp_path):
    tls = instance / "tls"
    kiosk_port, lan_port = free_port(), free_port()
    kiosk_side = serve(instance, tmp_path, "loopback", kiosk_port)
    lan_side = serve(instance, tmp_path, "lan", lan_port)
    trusting = ssl.create_default_context(cafile=str(tls / "ca.crt"))  # a tablet that trusts the box
    try:
        with httpx.Client(verify=trusting, timeout=5) as tablet:
            wait_until(
                lambda: answers(tablet, f"https://127.0.0.1:{lan_port}/healthz"),
                what="the tablets' side over HTTPS",
            )
            page = tablet.get(f"https://127.0.0.1:{lan_port}/")
            assert page.status_code == 200
            cookie = page.headers["set-cookie"]
            assert "session=" in cookie and "; Secure" in cookie
            # What a tablet downloads to trust the box: its authority, as provisioned.
            served = tablet.get(f"https://127.0.0.1:{lan_port}/tablettes/comptoir-ca.crt")
            assert served.text == (tls / "ca.crt").read_text()

        # The certificate it presents is the one provisioning made.
        with socket.create_connection(("127.0.0.1", lan_port), timeout=5) as raw:
            with trusting.wrap_socket(raw, server_hostname="127.0.0.1") as tls_socket:
                presented = tls_socket.getpeercert(binary_form=True)
        assert presented == ssl.PEM_cert_to_DER_cert((tls / "comptoir.crt").read_text())

        # Plain HTTP is not served there: no page, no cookie, nothing readable.
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{lan_port}/", timeout=5)
        # A client that does not trust the box is stopped by its own TLS check.
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"https://127.0.0.1:{lan_port}/healthz", timeout=5)

        # The kiosk's side, meanwhile: plain HTTP, an ordinary cookie.
        wait_until(lambda: answers(httpx, f"http://127.0.0.1:{kiosk_port}/healthz"), what="the kiosk's side")
        page = httpx.get(f"http://127.0.0.1:{kiosk_port}/", timeout=5)
        assert page.status_code == 200 and "; Secure" not in page.headers["set-cookie"]
    finally:
        assert stop(lan_side) == 0, (tmp_path / "gunicorn-lan.log").read_text()
        assert stop(kiosk_side) == 0
