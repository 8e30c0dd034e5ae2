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
# A file written since its last check is checked again (quick_check, in the background of
# each web worker) at most this often: damage in place is seen without a restart.
DATABASE_RECHECK_SECONDS = 60

# People: 5 wrong codes in a row lock a person for 5 minutes, each lock-out after that twice
# as long (10, 20, 40 min … at most a day) until a right code or a manager's unlock
# (Caisse → Personnes bloquées). A right code is remembered
# (an HMAC in memory, never on disk) for a shift, so only the first one pays head office's
# hash (docs/performance.md); 0 makes every code pay it.
LOGIN_MAX_FAILURES = 5
LOGIN_LOCK_MINUTES = 5
LOGIN_LOCK_MAX_MINUTES = 24 * 60
PASSWORD_MEMORY_SECONDS = 8 * 3600
# A credit note (avoir) issued by a refund can be spent for this many days.
CREDIT_NOTE_VALIDITY_DAYS = 365
# Pages with money or people ask for a person with the right (docs/access.md); once signed
# in, they stay so while they use the screen (idle minutes), never longer than the maximum.
SIGN_IN_IDLE_MINUTES = 10
SIGN_IN_MAX_MINUTES = 30

# Scheduler: how often it looks for due work; export retries back off 30 s → 1 h.
SCHEDULER_TICK_SECONDS = 15
EXPORT_RETRY_FIRST_SECONDS = 30
EXPORT_RETRY_MAX_SECONDS = 3600

# The receipt printer and the cash drawer on its kick port (docs/printers.md). Find USB ids
# with `flask --app wsgi printer list`; the default virtual printer shows receipts on screen.
# PRINTER = {"kind": "virtual"}
# PRINTER = {"kind": "usb", "vendor_id": 0x04b8, "product_id": 0x0202,
#            "in_ep": 0x82, "out_ep": 0x01, "timeout": 5, "profile": "TM-T20II"}
# PRINTER = {"kind": "network", "host": "192.168.1.50", "port": 9100, "timeout": 5}
# PRINTER = {"kind": "serial", "device": "/dev/ttyUSB0", "baudrate": 19200}   # needs pyserial
# PRINTER = {"kind": "file", "device": "/dev/usb/lp0"}
# Any kind takes "status": False for a printer that does not answer DLE EOT status requests.
PRINTER_PAPER_MM = 80  # 58 → 32 columns, 80 → 48
# PRINTER_COLUMNS = 42         # force a width instead
DRAWER_PIN = 2
# The device worker `flask --app wsgi printer serve` (systemd: comptoir-devices.service).
PRINTER_POLL_SECONDS = 0.3
PRINTER_STATUS_SECONDS = 5.0
PRINT_RETRY_FIRST_SECONDS = 2.0
PRINT_RETRY_MAX_SECONDS = 60.0
PRINT_MAX_ATTEMPTS = 5
DRAWER_KICK_MAX_AGE_SECONDS = 5.0
# Tablets: False = the kiosk only (plain HTTP on 127.0.0.1:8000); True = managers' tablets
# on the shop Wi-Fi reach the register over HTTPS on port 8443 (comptoir-web-lan.service, the
# box's certificate in instance/tls). Written by provision.sh --listen-lan, which makes the
# certificate. Sessions stay bound to their side.
COMPTOIR_LISTEN_LAN = False

# provision.sh writes the printer in its short form, which works too:
# PRINTER = "usb:04b8:0202"   # or "network:192.168.1.30:9100", "file:/dev/usb/lp0", "virtual"

# Backups (flask --app wsgi backup …, nightly timer on a box). Default folder: instance/backups.
# BACKUP_DIR = "/var/lib/comptoir/backups"
BACKUP_KEEP_NIGHTLY = 14
BACKUP_KEEP_OTHER = 10
# A command that copies each nightly backup off the box; {file} is the backup's path.
# BACKUP_PUSH_COMMAND = "rsync -t {file} backup@nas.local:comptoir/caisse1/"
BACKUP_PUSH_TIMEOUT_SECONDS = 600
