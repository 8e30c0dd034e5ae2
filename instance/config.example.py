# instance/config.py — one box's settings. Copy this file, fill it in; never commit the copy.
# kiosk/provision.sh writes it from its flags on a real box.

# Identity shown on the open-register page: "Terminal WEB01 sur appareil 'FF Gui'".
COMPTOIR_TERMINAL = "WEB01"
COMPTOIR_DEVICE_NAME = "FF Gui"

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
