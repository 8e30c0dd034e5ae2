"""kiosk/provision.sh run against a scratch root with this virtualenv, and the flags of a
typical box (the provisioning and HTTPS tests of tests/box)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
FLAGS = [
    "--box-name",
    "Caisse entrée",
    "--terminal",
    "WEB01",
    "--register",
    "CAISSE01",
    "--headoffice-url",
    "http://siege.test",
    "--token",
    "box-token-1",
    "--printer",
    "usb:04b8:0202",
    "--listen-lan",
]


def provision(root, *args, src=ROOT):
    script = Path(src) / "kiosk" / "provision.sh"
    return subprocess.run(
        ["bash", str(script), "--root", str(root), "--venv", str(VENV), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
