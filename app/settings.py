"""Defaults; each box overrides them in instance/config.py (see instance/config.example.py)."""
from datetime import timedelta

# Identity of this box, as shown on the open-register page.
COMPTOIR_TERMINAL = "WEB01"
COMPTOIR_DEVICE_NAME = "Comptoir"
# The register this box is meant to be (provision.sh --register): chosen in advance on the
# opening screen until a register is imported. None: the first one head office lists.
COMPTOIR_REGISTER = None

# The main server (head office).
HEADOFFICE_URL = "http://127.0.0.1:5001"
HEADOFFICE_TOKEN = ""
HEADOFFICE_TIMEOUT_SECONDS = 10.0

# Scheduler: how often it looks for work; export retries back off from 30 s to 1 h.
SCHEDULER_TICK_SECONDS = 15
EXPORT_RETRY_FIRST_SECONDS = 30
EXPORT_RETRY_MAX_SECONDS = 3600

SQLITE_BUSY_TIMEOUT_MS = 5000

# Web sessions expire: a till left alone must not stay logged in.
PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

BABEL_DEFAULT_LOCALE = "fr"
BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
LANGUAGES = ("fr", "en")

# Five wrong passwords in a row lock the person for this long.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 5

# Backups (flask --app wsgi backup …): the folder (default: instance/backups), how many
# nightly backups to keep, how many of each other kind (manual, pre-upgrade), and an
# optional command that copies each nightly backup off the box ({file} is its path).
BACKUP_DIR = None
BACKUP_KEEP_NIGHTLY = 14
BACKUP_KEEP_OTHER = 10
BACKUP_PUSH_COMMAND = None
BACKUP_PUSH_TIMEOUT_SECONDS = 600

# Where gunicorn listens (kiosk/gunicorn.conf.py reads it), always on port 8000: False,
# loopback only (the kiosk); True, every interface, so managers' tablets on the shop Wi-Fi
# reach the register too. Sessions stay bound to their side (app/origin.py).
COMPTOIR_LISTEN_LAN = False

# The receipt printer, as the devices worker reads it: "usb:VENDOR:PRODUCT",
# "network:HOST:PORT", "file:/dev/usb/lp0" or "virtual" (no printer: receipts on screen).
PRINTER = "virtual"
