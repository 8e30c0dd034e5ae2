"""gunicorn settings of the box's two web units (`gunicorn --config kiosk/gunicorn.conf.py wsgi:app`).

gunicorn's TLS applies to every address it binds, so the two sides are two processes:

- `comptoir-web.service`, the kiosk's side: plain HTTP on 127.0.0.1:8000, always. Nothing
  leaves the box, and Chromium on the screen needs no certificate.
- `comptoir-web-lan.service` (`COMPTOIR_WEB_SIDE=lan` in its unit), managers' tablets on
  the shop Wi-Fi: HTTPS on every interface, port 8443, with the box's own certificate
  (`instance/tls/`, made by kiosk/provision.sh). It refuses to start unless config.py says
  COMPTOIR_LISTEN_LAN = True. There is no plain-HTTP listener on the network at all.

Both run the same app on the same database; sessions stay bound to the side they were
opened on (app/origin.py) and the tablets' session cookie is Secure (HTTPS). gunicorn tells
systemd it is ready itself (sd_notify READY=1 from the arbiter, the unit's main process):
hence Type=notify with NotifyAccess=main, and never `daemon = True`."""

import os

from flask import Config

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_instance = os.environ.get("COMPTOIR_INSTANCE") or os.path.join(_ROOT, "instance")
_config = Config(_instance)
_config.from_pyfile(os.path.join(_ROOT, "app", "settings.py"))
_config.from_pyfile("config.py", silent=True)

PORT = 8000  # the kiosk, loopback, plain HTTP
LAN_PORT = 8443  # tablets, every interface, HTTPS
SIDE = os.environ.get("COMPTOIR_WEB_SIDE", "loopback")

if SIDE == "lan":
    if not _config["COMPTOIR_LISTEN_LAN"]:
        raise SystemExit(
            "comptoir-web-lan: COMPTOIR_LISTEN_LAN is False in config.py, the "
            "shop network stays closed (kiosk/provision.sh --listen-lan opens it)."
        )
    TLS = _config.get("COMPTOIR_TLS_DIR") or os.path.join(_instance, "tls")
    certfile = os.path.join(TLS, "comptoir.crt")
    keyfile = os.path.join(TLS, "comptoir.key")
    for _path in (certfile, keyfile):
        if not os.path.exists(_path):
            raise SystemExit(
                f"comptoir-web-lan: {_path} is missing: run kiosk/provision.sh "
                "--listen-lan, which makes the box's certificate."
            )
    bind = [f"0.0.0.0:{LAN_PORT}"]
    workers = 2  # a few tablets
elif SIDE == "loopback":
    bind = [f"127.0.0.1:{PORT}"]
    workers = 2
else:
    raise SystemExit(f"COMPTOIR_WEB_SIDE={SIDE!r}: expected 'loopback' or 'lan'")
control_socket_disable = True  # gunicorn 27 opens ~/.gunicorn/gunicorn.ctl otherwise
# An import from head office runs inside a request: room for a slow answer.
timeout = 60
graceful_timeout = 20
accesslog = None
errorlog = "-"  # journald


# The event journal (JET): each worker journals the application's start once it has loaded
# it, and its stop when it exits cleanly (app/box/process.py).
def post_worker_init(worker):
    from app.box.process import journal_process

    journal_process(worker.wsgi, "app_start", SIDE)


def worker_exit(server, worker):
    from app.box.process import journal_process

    if getattr(worker, "wsgi", None) is not None:
        journal_process(worker.wsgi, "app_stop", SIDE)
