"""gunicorn settings of the box (`gunicorn --config kiosk/gunicorn.conf.py wsgi:app`).

The address comes from the box's own config.py, so a technician switches tablet access on
with one key (COMPTOIR_LISTEN_LAN) and `systemctl restart comptoir-web`. gunicorn tells
systemd it is ready itself (sd_notify READY=1 from the arbiter, the unit's main process):
hence Type=notify with NotifyAccess=main, and never `daemon = True`."""
import os

from flask import Config

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_instance = os.environ.get("COMPTOIR_INSTANCE") or os.path.join(_ROOT, "instance")
_config = Config(_instance)
_config.from_pyfile(os.path.join(_ROOT, "app", "settings.py"))
_config.from_pyfile("config.py", silent=True)

PORT = 8000
# 0.0.0.0 covers loopback too; binding both would fail with "address in use".
bind = [f"0.0.0.0:{PORT}"] if _config["COMPTOIR_LISTEN_LAN"] else [f"127.0.0.1:{PORT}"]
workers = 2
control_socket_disable = True  # gunicorn 27 opens ~/.gunicorn/gunicorn.ctl otherwise
# An import from head office runs inside a request: room for a slow answer.
timeout = 60
graceful_timeout = 20
accesslog = None
errorlog = "-"  # journald
