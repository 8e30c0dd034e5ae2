#!/usr/bin/env bash
# make demo: the reference head office with demo data on 127.0.0.1:5001, the register under
# gunicorn on 127.0.0.1:8000, the scheduler and the printer worker (virtual printer), all on
# this machine. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DEMO="$PWD/instance/demo"
mkdir -p "$DEMO"
export COMPTOIR_INSTANCE="$DEMO"
export HEADOFFICE_DATABASE_URL="sqlite:///$DEMO/headoffice.sqlite"

if [ ! -f "$DEMO/config.py" ]; then
  cat > "$DEMO/config.py" <<CONF
# Demo box — written by make demo; a real box gets its own from kiosk/provision.sh.
COMPTOIR_TERMINAL = "WEB01"
COMPTOIR_DEVICE_NAME = "Démo"
HEADOFFICE_URL = "http://127.0.0.1:5001"
HEADOFFICE_TOKEN = "demo-box-token"
SCHEDULER_TICK_SECONDS = 10
CONF
fi

$BIN/flask --app headoffice init-db
$BIN/flask --app headoffice load-demo
# The screens' first administrator (refused, harmlessly, when the demo already has it).
$BIN/flask --app headoffice create-user admin "Admin Démo" --password "demo-admin-password" 2>/dev/null || true
$BIN/flask --app wsgi db upgrade
$BIN/flask --app wsgi integrity key   # the box's signing key (NF525), made once

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Arrêt de la démo…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

$BIN/gunicorn --no-control-socket -w 2 -b 127.0.0.1:5001 headoffice.wsgi:app &
pids+=($!)
$BIN/gunicorn --no-control-socket -w 2 -b 127.0.0.1:8000 wsgi:app &
pids+=($!)
$BIN/flask --app wsgi scheduler &
pids+=($!)
$BIN/flask --app wsgi printer serve &   # the virtual printer: receipts show on /imprimante
pids+=($!)

cat <<TXT

  Comptoir — démo
  Caisse (register)      http://127.0.0.1:8000        (santé : /healthz)
  Siège (head office)    http://127.0.0.1:5001/api/v1 (jeton siège : demo-headoffice-token)
  Écrans du siège        http://127.0.0.1:5001/       (admin / demo-admin-password)

  Personnes de démo (code / mot de passe) :
    RESP01  Responsable1 De Caisse   1234   tous les droits
    VEND01  Vendeur1 De Caisse       1111   vendre, remises, importer
    VEND02  Vendeur2 De Caisse       2222   vendre

  Importer la caisse en ligne de commande :
    COMPTOIR_INSTANCE=$DEMO $BIN/flask --app wsgi sync import CAISSE01 --person VEND01

  Ctrl-C arrête les quatre processus.
TXT
wait -n "${pids[@]}"
