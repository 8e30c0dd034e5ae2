# instance/config.py — one box's settings. Copy this file, fill it in; never commit the copy.
# kiosk/provision.sh writes it from its flags on a real box.

# Identity shown on the open-register page: "Terminal WEB01 sur appareil 'FF Gui'".
COMPTOIR_TERMINAL = "WEB01"
COMPTOIR_DEVICE_NAME = "FF Gui"
# The register this box is for, offered first on the import screen (None: head office's first).
COMPTOIR_REGISTER = "CAISSE01"

# The main server (head office) and this box's token there.
HEADOFFICE_URL = "https://siege.example.org"
HEADOFFICE_TOKEN = "paste-the-box-token-here"
HEADOFFICE_TIMEOUT_SECONDS = 10.0

# Left unset, a random key is created once in instance/secret_key.
# SECRET_KEY = "..."

# The database; the default is instance/comptoir.sqlite.
# SQLALCHEMY_DATABASE_URI = "sqlite:////var/lib/comptoir/comptoir.sqlite"

# Scheduler: how often it looks for due work; export retries back off 30 s → 1 h.
SCHEDULER_TICK_SECONDS = 15
EXPORT_RETRY_FIRST_SECONDS = 30
EXPORT_RETRY_MAX_SECONDS = 3600

# Tablets: False = loopback only (the kiosk); True = gunicorn on 0.0.0.0:8000 so managers'
# tablets on the shop Wi-Fi reach the register. Sessions stay bound to their side.
COMPTOIR_LISTEN_LAN = False

# The receipt printer: "usb:04b8:0202", "network:192.168.1.30:9100", "file:/dev/usb/lp0"
# or "virtual".
PRINTER = "virtual"

# Backups (flask --app wsgi backup …, nightly timer on a box). Default folder: instance/backups.
# BACKUP_DIR = "/var/lib/comptoir/backups"
BACKUP_KEEP_NIGHTLY = 14
BACKUP_KEEP_OTHER = 10
# A command that copies each nightly backup off the box; {file} is the backup's path.
# BACKUP_PUSH_COMMAND = "rsync -t {file} backup@nas.local:comptoir/caisse1/"
BACKUP_PUSH_TIMEOUT_SECONDS = 600
