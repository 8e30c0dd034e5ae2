"""The systemd units: `systemd-analyze verify` says nothing about any of them, and the web
service's sandbox keeps its exposure at 3.0 or below.

verify runs with --root on a scratch tree holding the system's own units, ours in
/etc/systemd/system, the repository's scripts at their /opt/comptoir paths and empty
executables for what only a real box has (the virtualenv, cage), because verify also
checks that every ExecStart= program exists."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "systemd"
ANALYZE = shutil.which("systemd-analyze")
OURS = (
    "comptoir-web.service",
    "comptoir-scheduler.service",
    "comptoir-kiosk.service",
    "comptoir-backup.service",
    "comptoir-backup.timer",
)
# The device worker's unit comes with the peripherals work; checked whenever it is here.
UNIT_FILES = sorted(
    {
        *OURS,
        *(p.name for p in UNITS.glob("comptoir-*.service")),
        *(p.name for p in UNITS.glob("comptoir-*.timer")),
    }
)

pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")


def executables(unit_text: str) -> set[str]:
    """The program of every Exec*= line (after systemd's -@:+! prefixes)."""
    found = set()
    for match in re.finditer(r"^Exec\w+=(.*)$", unit_text, re.M):
        found.add(match[1].split()[0].lstrip("-@:+!"))
    return found


@pytest.fixture(scope="module")
def system_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("sysroot")
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    target = root / "etc/systemd/system"
    target.mkdir(parents=True)
    for name in UNIT_FILES:
        text = (UNITS / name).read_text()
        (target / name).write_text(text)
        for program in executables(text):
            placed = root / program.lstrip("/")
            placed.parent.mkdir(parents=True, exist_ok=True)
            ours = ROOT / program.removeprefix("/opt/comptoir/")
            if program.startswith("/opt/comptoir/") and ours.exists():
                shutil.copy2(ours, placed)  # the real script, as provisioning installs it
            elif not placed.exists():
                placed.write_text("#!/bin/sh\n")
                placed.chmod(0o755)
    return root


def test_every_unit_we_ship_is_there():
    for name in OURS:
        assert (UNITS / name).is_file(), name


def test_scripts_the_units_run_exist_in_the_repository():
    for name in UNIT_FILES:
        for program in executables((UNITS / name).read_text()):
            if program.startswith("/opt/comptoir/") and "/.venv/" not in program:
                script = ROOT / program.removeprefix("/opt/comptoir/")
                assert script.is_file() and script.stat().st_mode & 0o111, program


@pytest.mark.parametrize("name", UNIT_FILES)
def test_systemd_analyze_verify_prints_nothing(system_root, name):
    result = subprocess.run(
        [ANALYZE, "verify", "--man=no", f"--root={system_root}", name],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify exits 0 on warnings: any output at all is a failure.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def exposure(name: str) -> float:
    result = subprocess.run(
        [ANALYZE, "security", "--offline=yes", "--no-pager", str(UNITS / name)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d)", result.stdout)
    assert match, result.stdout + result.stderr
    return float(match[1])


def test_web_unit_exposure_is_at_most_3(capsys):
    figures = {name: exposure(name) for name in UNIT_FILES if name.endswith(".service")}
    with capsys.disabled():
        print(
            "\nsystemd-analyze security --offline=yes: "
            + ", ".join(f"{name} {value}" for name, value in figures.items())
        )
    assert figures["comptoir-web.service"] <= 3.0
    assert figures["comptoir-scheduler.service"] <= 3.0
    assert figures["comptoir-backup.service"] <= 3.0


def directives(name: str) -> dict[str, list[str]]:
    text = re.sub(r"\\\n\s*", " ", (UNITS / name).read_text())
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_web_unit_is_the_one_the_issue_describes():
    web = directives("comptoir-web.service")
    for key, value in {
        "Type": "notify",
        "NotifyAccess": "main",
        "User": "comptoir",
        "ProtectSystem": "strict",
        "ReadWritePaths": "/var/lib/comptoir",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "Restart": "on-failure",
        "PrivateDevices": "yes",
        "DevicePolicy": "closed",
    }.items():
        assert web[key] == [value], key
    assert "--config /opt/comptoir/kiosk/gunicorn.conf.py" in web["ExecStart"][0]
    assert "DeviceAllow" not in web  # the printer is the device worker's


def test_kiosk_unit_runs_chromium_in_cage_on_tty1():
    kiosk = directives("comptoir-kiosk.service")
    command = kiosk["ExecStart"][0]
    assert command.startswith("/usr/bin/cage ") and " -- /usr/bin/chromium " in command
    for flag in (
        "--kiosk",
        "--disable-pinch",
        "--disable-features=Translate",
        "--no-first-run",
        "--noerrdialogs",
        "--disable-infobars",
        "--disable-session-crashed-bubble",
        "--user-data-dir=/run/comptoir-kiosk/",
    ):
        assert flag in command, flag
    assert kiosk["TTYPath"] == ["/dev/tty1"] and kiosk["PAMName"] == ["login"]
    assert kiosk["Conflicts"] == ["getty@tty1.service"]
    assert kiosk["Restart"] == ["always"] and kiosk["User"] == ["comptoir-kiosk"]
    assert kiosk["ExecStartPre"][0].startswith("/opt/comptoir/kiosk/wait-healthz.sh ")
    assert any("comptoir-web.service" in after for after in kiosk["After"])


def test_backup_timer_is_nightly_and_catches_up():
    timer = directives("comptoir-backup.timer")
    assert timer["Persistent"] == ["true"] and timer["RandomizedDelaySec"]
    assert timer["OnCalendar"][0].startswith("*-*-* ")
    service = directives("comptoir-backup.service")
    assert "backup create --label nightly --prune --push" in service["ExecStart"][0]


def test_udev_rule_if_the_device_worker_brought_one():
    rule = UNITS / "99-comptoir-printer.rules"
    if not rule.exists():
        pytest.skip("the peripherals work has not brought its udev rule yet")
    text = rule.read_text()
    assert "SUBSYSTEM" in text and "comptoir" in text


def test_the_harness_would_see_a_mistake(system_root):
    """verify must really read our files: a misspelt directive has to produce output."""
    broken = system_root / "etc/systemd/system/comptoir-broken.service"
    broken.write_text(
        (UNITS / "comptoir-web.service").read_text().replace("PrivateTmp=yes", "PrivateTnp=yes")
    )
    result = subprocess.run(
        [ANALYZE, "verify", "--man=no", f"--root={system_root}", broken.name],
        capture_output=True,
        text=True,
        timeout=60,
    )
    broken.unlink()
    assert "Unknown key 'PrivateTnp'" in result.stdout + result.stderr


def test_the_tablets_unit_is_the_web_unit_over_https():
    """Same program, same sandbox; only its side (HTTPS on the network) and its condition differ."""
    web, lan = directives("comptoir-web.service"), directives("comptoir-web-lan.service")
    assert "COMPTOIR_WEB_SIDE=lan" in lan["Environment"]
    assert lan["ConditionPathExists"] == ["/var/lib/comptoir/tls/comptoir.crt"]
    differ = {"Description", "Environment", "After", "ConditionPathExists"}
    assert {k: v for k, v in lan.items() if k not in differ} == {
        k: v for k, v in web.items() if k not in differ
    }
    assert exposure("comptoir-web-lan.service") <= 3.0
