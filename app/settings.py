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
# Each web worker checks the database file (PRAGMA quick_check) at its first request and when
# the file is replaced; once it has been written since, again in the background at most this
# often (app/box/health.py). A request never waits for it.
DATABASE_RECHECK_SECONDS = 60

# Web sessions expire: a till left alone must not stay logged in.
PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
# A person signed in to view a page that needs a right (« S'identifier », docs/access.md)
# stays signed in while they use the screen, at most this long.
SIGN_IN_IDLE_MINUTES = 10
SIGN_IN_MAX_MINUTES = 30

BABEL_DEFAULT_LOCALE = "fr"
BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
LANGUAGES = ("fr", "en")

# Five wrong passwords in a row lock the person for LOGIN_LOCK_MINUTES; each lock-out after
# that lasts twice the one before, up to LOGIN_LOCK_MAX_MINUTES, until a right code (or a
# manager's unlock) starts again from the first.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 5
LOGIN_LOCK_MAX_MINUTES = 24 * 60
# A right code is remembered (as an HMAC, in memory) for a shift, so only a person's first
# code in a process pays head office's scrypt hash (app/services/passwords.py). 0: never.
PASSWORD_MEMORY_SECONDS = 8 * 3600

# A credit note (avoir) issued by a refund can be spent for this many days.
CREDIT_NOTE_VALIDITY_DAYS = 365

# Peripherals (docs/printers.md). The virtual printer keeps what it prints for the screens:
# the demo, the tests and a box without a printer. Other kinds:
#   {"kind": "usb", "vendor_id": 0x04b8, "product_id": 0x0202, "in_ep": 0x82, "out_ep": 0x01, "timeout": 5}
#   {"kind": "network", "host": "192.168.1.50", "port": 9100, "timeout": 5}
#   {"kind": "serial", "device": "/dev/ttyUSB0", "baudrate": 19200}
#   {"kind": "file", "device": "/dev/usb/lp0"}
PRINTER = {"kind": "virtual"}
PRINTER_PAPER_MM = 80  # 58 → 32 columns, 80 → 48
PRINTER_COLUMNS = None  # set it to force a width (42 for an 80 mm printer in font B, say)
DRAWER_PIN = 2  # the kick connector's pin: 2 on most drawers, 5 for a second drawer
# The device worker (`flask --app wsgi printer serve`, one per box).
PRINTER_POLL_SECONDS = 0.3  # how often it looks at the queue
PRINTER_STATUS_SECONDS = 5.0  # how often it asks an idle printer for its status
PRINT_RETRY_FIRST_SECONDS = 2.0  # a printer that fails is asked again after 2 s, 4 s … 60 s
PRINT_RETRY_MAX_SECONDS = 60.0
PRINT_MAX_ATTEMPTS = 5  # sends cut off mid-job before a job is set aside as failed
DRAWER_KICK_MAX_AGE_SECONDS = 5.0  # an older kick is dropped: never open the drawer late
VIRTUAL_PRINTS_KEPT = 50
PRINTER_LOCK_FILE = None  # default: instance/printer.lock
# Backups (flask --app wsgi backup …): the folder (default: instance/backups), how many
# nightly backups to keep, how many of each other kind (manual, pre-upgrade), and an
# optional command that copies each nightly backup off the box ({file} is its path).
BACKUP_DIR = None
BACKUP_KEEP_NIGHTLY = 14
BACKUP_KEEP_OTHER = 10
BACKUP_PUSH_COMMAND = None
BACKUP_PUSH_TIMEOUT_SECONDS = 600
# Fiscal archives (flask --app wsgi integrity archive|purge, docs/integrity.md): the folder
# archives are written to (default: instance/archives), and how many whole years of tickets
# a purge always leaves on the box (French law: 6 years; 7 keeps a margin).
INTEGRITY_ARCHIVE_DIR = None
INTEGRITY_KEEP_YEARS = 7

# Tablets on the shop Wi-Fi (kiosk/gunicorn.conf.py): False, the kiosk only (plain HTTP on
# 127.0.0.1:8000); True, comptoir-web-lan.service also serves every interface over HTTPS on
# port 8443 with the box's own certificate (COMPTOIR_TLS_DIR, default instance/tls, made by
# kiosk/provision.sh --listen-lan). Sessions stay bound to their side (app/origin.py).
COMPTOIR_LISTEN_LAN = False
COMPTOIR_TLS_DIR = None
# PRINTER may also be written as provision.sh's --printer flag writes it: "usb:04b8:0202",
# "network:192.168.1.50:9100", "file:/dev/usb/lp0" or "virtual" (app/devices/connections.py).
