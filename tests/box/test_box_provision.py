"""kiosk/provision.sh against a scratch root: what can run here runs for real (config, code,
units, `systemctl --root` enable, backup and migration with this virtualenv); what only a box
can do (users, apt, starting services) is printed. Twice in a row gives the same tree, the
second run says nothing changed, and --dry-run changes nothing at all."""

import hashlib
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from app import create_app
from app.box.backup import list_backups
from app.box.health import expected_revision
from app.extensions import db
from tests.support.provision import FLAGS, ROOT, provision

pytestmark = pytest.mark.skipif(shutil.which("systemctl") is None, reason="no systemctl")


def tree(root: Path) -> dict:
    """Every path under root with its mode and content (or link target)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            found[rel] = ("link", str(path.readlink()))
        elif path.is_dir():
            found[rel] = ("dir", oct(path.stat().st_mode & 0o7777))
        else:
            found[rel] = (oct(path.stat().st_mode & 0o7777), hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def revision(db_path) -> str:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def dump(db_path) -> list[str]:
    connection = sqlite3.connect(db_path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def box(tmp_path):
    return tmp_path / "box"


def test_dry_run_on_a_new_box_prints_the_plan_and_writes_nothing(box):
    result = provision(box, "--dry-run", *FLAGS)
    assert result.returncode == 0, result.stderr
    assert not box.exists()
    for expected in (
        "useradd",
        "apt-get install",
        "prévu : config.py",
        "prévu : flask --app wsgi db upgrade",
        "prévu : flask --app wsgi integrity key",
        "prévu : unité comptoir-web.service",
        "activer comptoir-kiosk.service",
        "rien n'a été modifié",
    ):
        assert expected in result.stdout, expected
    assert "box-token-1" not in result.stdout


def test_provisioning_twice_gives_the_same_box(box):
    first = provision(box, *FLAGS)
    assert first.returncode == 0, first.stdout + first.stderr
    instance = box / "var/lib/comptoir"
    assert revision(instance / "comptoir.sqlite") == expected_revision()
    config = (instance / "config.py").read_text()
    for line in (
        "COMPTOIR_DEVICE_NAME = 'Caisse entrée'",
        "COMPTOIR_TERMINAL = 'WEB01'",
        "COMPTOIR_REGISTER = 'CAISSE01'",
        "HEADOFFICE_URL = 'http://siege.test'",
        "HEADOFFICE_TOKEN = 'box-token-1'",
        "PRINTER = 'usb:04b8:0202'",
        "COMPTOIR_LISTEN_LAN = True",
    ):
        assert line in config
    assert oct((instance / "config.py").stat().st_mode & 0o777) == "0o640"
    assert oct((instance / "secret_key").stat().st_mode & 0o777) == "0o600"
    # The signing key is made before the box sells, readable by its owner only (NF525).
    assert oct((instance / "signing-key.pem").stat().st_mode & 0o777) == "0o600"
    assert "changé : clé de signature créée : " in first.stdout
    assert (box / "opt/comptoir/wsgi.py").read_bytes() == (ROOT / "wsgi.py").read_bytes()
    assert (box / "opt/comptoir/app/translations/en/LC_MESSAGES/messages.mo").exists()
    units = box / "etc/systemd/system"
    assert (units / "comptoir-web.service").read_bytes() == (
        ROOT / "systemd/comptoir-web.service"
    ).read_bytes()
    assert (units / "multi-user.target.wants/comptoir-web.service").is_symlink()
    assert (units / "multi-user.target.wants/comptoir-kiosk.service").is_symlink()
    assert (units / "timers.target.wants/comptoir-backup.timer").is_symlink()
    assert (box / "usr/local/bin/comptoir").stat().st_mode & 0o111
    assert "(à lancer sur la caisse) systemctl restart comptoir-web" in first.stdout
    # --listen-lan: the tablets' HTTPS unit, and the box's certificate (test_box_https.py).
    assert (units / "multi-user.target.wants/comptoir-web-lan.service").is_symlink()
    assert "Empreinte SHA-256 du certificat de la caisse" in first.stdout
    secret = (instance / "secret_key").read_text()

    before = tree(box)
    second = provision(box, *FLAGS)
    assert second.returncode == 0, second.stdout + second.stderr
    assert tree(box) == before
    assert "Rien n'a changé : la caisse était déjà à jour." in second.stdout
    assert "   changé :" not in second.stdout and "systemctl restart" not in second.stdout

    dry = provision(box, "--dry-run")
    assert dry.returncode == 0 and tree(box) == before
    assert "prévu" not in dry.stdout
    assert (instance / "secret_key").read_text() == secret
    assert "inchangé : clé de signature (gardée)" in second.stdout


def test_flags_left_out_keep_the_box_values(box):
    assert provision(box, *FLAGS).returncode == 0
    result = provision(box, "--printer", "network:192.168.1.30:9100", "--no-listen-lan")
    assert result.returncode == 0, result.stderr
    config = (box / "var/lib/comptoir/config.py").read_text()
    assert "PRINTER = 'network:192.168.1.30:9100'" in config
    assert "COMPTOIR_LISTEN_LAN = False" in config
    assert not (box / "etc/systemd/system/multi-user.target.wants/comptoir-web-lan.service").exists()
    assert "comptoir-web-lan.service désactivée" in result.stdout
    assert (box / "etc/systemd/system/multi-user.target.wants/comptoir-web.service").is_symlink()
    assert "COMPTOIR_DEVICE_NAME = 'Caisse entrée'" in config
    assert "HEADOFFICE_TOKEN = 'box-token-1'" in config
    assert "changé : config.py" in result.stdout


def tls_modes(tls: Path) -> dict:
    return {path.name: oct(path.stat().st_mode & 0o777) for path in [tls, *tls.iterdir()]}


def openssl(*args) -> str:
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_listen_lan_makes_the_box_certificate_kept_afterwards(box):
    first = provision(box, *FLAGS)
    assert first.returncode == 0, first.stdout + first.stderr
    tls = box / "var/lib/comptoir/tls"
    assert tls_modes(tls) == {
        "tls": "0o750",
        "ca.key": "0o600",
        "ca.crt": "0o644",
        "comptoir.key": "0o640",
        "comptoir.crt": "0o644",
    }
    assert "OK" in openssl("verify", "-CAfile", str(tls / "ca.crt"), str(tls / "comptoir.crt"))
    server = openssl("x509", "-in", str(tls / "comptoir.crt"), "-noout", "-text")
    assert "IP Address:127.0.0.1" in server and "TLS Web Server Authentication" in server
    assert "CA:FALSE" in server
    authority = openssl("x509", "-in", str(tls / "ca.crt"), "-noout", "-text")
    assert "CA:TRUE, pathlen:0" in authority and "Name Constraints: critical" in authority
    assert "IP:192.168.0.0/255.255.0.0" in authority
    fingerprint = (
        openssl("x509", "-in", str(tls / "ca.crt"), "-noout", "-fingerprint", "-sha256")
        .split("=", 1)[1]
        .strip()
    )
    assert fingerprint in first.stdout

    # Closing and reopening the tablets' side keeps the authority the tablets trust.
    before = {p.name: p.read_bytes() for p in tls.iterdir()}
    assert provision(box, "--no-listen-lan").returncode == 0
    again = provision(box, "--listen-lan")
    assert again.returncode == 0 and "certificat de la caisse (gardé)" in again.stdout
    assert {p.name: p.read_bytes() for p in tls.iterdir()} == before

    # An expiring or lost server certificate is made again by the same authority.
    (tls / "comptoir.crt").unlink()
    renewed = provision(box)
    assert renewed.returncode == 0 and "changé : certificat de la caisse" in renewed.stdout
    assert (tls / "ca.crt").read_bytes() == before["ca.crt"]
    assert "OK" in openssl("verify", "-CAfile", str(tls / "ca.crt"), str(tls / "comptoir.crt"))
    assert tls_modes(tls)["comptoir.key"] == "0o640"


def test_without_listen_lan_no_certificate_and_no_tablet_unit(box):
    flags = [f for f in FLAGS if f != "--listen-lan"]
    assert provision(box, *flags).returncode == 0
    assert not (box / "var/lib/comptoir/tls").exists()
    units = box / "etc/systemd/system"
    assert (units / "comptoir-web-lan.service").exists()  # installed, not enabled
    assert not (units / "multi-user.target.wants/comptoir-web-lan.service").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--printer", "lpt1"], "--printer"),
        (["--terminal", "WEB 01"], "--terminal"),
        (["--headoffice-url", "siege.test"], "--headoffice-url"),
        (["--bogus"], "unknown option"),
    ],
)
def test_bad_flags_are_refused_before_anything(box, args, message):
    result = provision(box, *FLAGS, *args)
    assert result.returncode != 0 and message in result.stderr
    assert not box.exists()


def test_a_first_install_needs_the_identity(box):
    result = provision(box, "--box-name", "X")
    assert result.returncode != 0
    assert "--terminal" in result.stderr and "--token" in result.stderr
    assert not (box / "var/lib/comptoir/config.py").exists()


def test_local_py_settings_survive_and_reach_the_app(box):
    assert provision(box, *FLAGS).returncode == 0
    instance = box / "var/lib/comptoir"
    (instance / "local.py").write_text("BACKUP_PUSH_COMMAND = 'rsync {file} nas:/comptoir/'\n")
    assert provision(box, *FLAGS).returncode == 0
    import os

    os.environ["COMPTOIR_INSTANCE"] = str(instance)
    try:
        app = create_app()
    finally:
        del os.environ["COMPTOIR_INSTANCE"]
    assert app.config["BACKUP_PUSH_COMMAND"] == "rsync {file} nas:/comptoir/"
    assert app.config["HEADOFFICE_TOKEN"] == "box-token-1"
    with app.app_context():
        db.engine.dispose()


def release_with_migration(tmp_path, name, body) -> Path:
    """A copy of this release (not a git checkout) with one more migration."""
    src = tmp_path / name
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "instance", "__pycache__", "*.mo", "artifacts", "tests"
        ),
    )
    head = expected_revision()
    (src / "migrations/versions/0099_test.py").write_text(
        f'"""{name}"""\nfrom alembic import op\n\nrevision = "0099"\n'
        f'down_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade():\n{body}\n\n\ndef downgrade():\n"
        '    op.execute("DROP TABLE IF EXISTS upgrade_marker")\n'
    )
    return src


def test_an_upgrade_backs_up_migrates_then_replaces_the_code(tmp_path, box):
    assert provision(box, *FLAGS).returncode == 0
    src = release_with_migration(
        tmp_path, "release-2", ('    op.execute("CREATE TABLE upgrade_marker (id INTEGER PRIMARY KEY)")')
    )
    result = provision(box, src=src)
    assert result.returncode == 0, result.stdout + result.stderr
    instance = box / "var/lib/comptoir"
    [backup] = list_backups(instance / "backups")
    assert backup.label == "pre-upgrade" and revision(backup.path) == expected_revision()
    assert revision(instance / "comptoir.sqlite") == "0099"
    assert (box / "opt/comptoir/migrations/versions/0099_test.py").exists()
    assert not (box / "opt/comptoir/tests").exists()  # gone from the release, gone here
    assert f"base migrée : {expected_revision()} → 0099" in result.stdout


def test_a_failed_migration_puts_the_database_back_and_keeps_the_old_code(tmp_path, box):
    assert provision(box, *FLAGS).returncode == 0
    instance = box / "var/lib/comptoir"
    before = dump(instance / "comptoir.sqlite")
    code_before = tree(box / "opt/comptoir")
    # Half of it committed before it breaks: only the backup can undo that.
    src = release_with_migration(
        tmp_path,
        "release-broken",
        (
            '    op.execute("CREATE TABLE upgrade_marker (id INTEGER PRIMARY KEY)")\n'
            '    op.execute("COMMIT")\n'
            '    raise RuntimeError("simulated failure in the middle of a migration")'
        ),
    )
    result = provision(box, src=src)
    assert result.returncode == 1
    assert "la migration a échoué" in result.stderr and "remise en place" in result.stderr
    assert "simulated failure" in result.stderr
    # The same database, give or take the journal of the backup and the restore (and the
    # restore's signed event).
    after = dump(instance / "comptoir.sqlite")

    def journal(line):
        return "journal_entry" in line or ("signed_record" in line and ",'event'," in line)

    # (VACUUM INTO may write the schema's triggers and indexes in another order.)
    assert sorted(line for line in after if not journal(line)) == sorted(
        line for line in before if not journal(line)
    )
    assert not any("upgrade_marker" in line for line in after)
    assert revision(instance / "comptoir.sqlite") == expected_revision()
    assert tree(box / "opt/comptoir") == code_before
    replaced = list((instance / "backups/replaced").iterdir())
    assert replaced, "the half-migrated file is kept aside"
