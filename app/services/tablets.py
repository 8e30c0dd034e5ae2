"""What a technician needs to let a tablet trust the box once: the address of the tablets'
HTTPS side and the fingerprint of the box's own authority (instance/tls/ca.crt, made by
kiosk/provision.sh --listen-lan). The certificate is public; its key never leaves root."""

import hashlib
import os
import socket
import ssl
from dataclasses import dataclass

LAN_PORT = 8443  # kiosk/gunicorn.conf.py


@dataclass(frozen=True)
class BoxAuthority:
    pem: str
    fingerprint: str  # SHA-256, as `openssl x509 -fingerprint -sha256` and tablets show it
    url: str


def tls_dir(app) -> str:
    return app.config.get("COMPTOIR_TLS_DIR") or os.path.join(app.instance_path, "tls")


def box_authority(app) -> BoxAuthority | None:
    """None while tablets are not let in (COMPTOIR_LISTEN_LAN) or before provisioning."""
    if not app.config["COMPTOIR_LISTEN_LAN"]:
        return None
    try:
        with open(os.path.join(tls_dir(app), "ca.crt")) as file:
            pem = file.read()
        der = ssl.PEM_cert_to_DER_cert(pem)
    except (OSError, ValueError):
        return None
    digest = hashlib.sha256(der).hexdigest().upper()
    host = socket.gethostname().split(".")[0]
    return BoxAuthority(
        pem,
        ":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        f"https://{host}.local:{LAN_PORT}/",
    )
