#!/usr/bin/env bash
# kiosk/provision.sh — make a fresh Debian / Raspberry Pi OS box a Comptoir register, or
# upgrade one: running it again IS the upgrade, and a run with nothing to do changes
# nothing and says so. Run it as root from the release (or checkout) to install:
#
#   sudo ./kiosk/provision.sh --box-name "Caisse entrée" --terminal WEB01 \
#        --register CAISSE01 --headoffice-url https://siege.example.org \
#        --token-file /root/box-token --printer usb:04b8:0202 [--listen-lan]
#
# Order: user → packages → virtualenv → config → (stop, backup, migrate from the new code)
# → code → units → enable/restart → /healthz → summary. A failed migration puts the backup
# back and starts the old version again (its code is only replaced after the migration).
# --dry-run prints the plan and changes nothing. --root DIR installs into DIR (tests): files
# are written there, the Flask steps run against DIR/var/lib/comptoir when a virtualenv is
# given with --venv, `systemctl --root` enables the units, and what only a real box can
# do (users, apt, starting services) is printed, not run. See docs/technician.md.
set -euo pipefail
umask 022

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PACKAGES=(python3 python3-venv sqlite3 curl openssl cage chromium libusb-1.0-0 fonts-dejavu-core)
OUR_SERVICES=(comptoir-web comptoir-scheduler)   # + comptoir-devices when shipped
LAN_UNIT=comptoir-web-lan   # tablets over HTTPS, only with --listen-lan

ROOT="" DRY_RUN=no VENV_GIVEN=""
BOX_NAME="" TERMINAL="" REGISTER="" HO_URL="" TOKEN="" TOKEN_FILE="" PRINTER="" LISTEN_LAN=""

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'TXT'
Options:
  --box-name NAME         name shown on the screens (COMPTOIR_DEVICE_NAME)
  --terminal CODE         terminal code (COMPTOIR_TERMINAL), e.g. WEB01
  --register CODE         register to offer first at import (COMPTOIR_REGISTER)
  --headoffice-url URL    head office (HEADOFFICE_URL)
  --token TOKEN           this box's head-office token (prefer --token-file)
  --token-file FILE       read the token from FILE (keeps it out of `ps` and history)
  --printer SPEC          usb:VID:PID | network:HOST:PORT | file:/dev/usb/lp0 | virtual
  --listen-lan / --no-listen-lan   tablets on the shop network may reach the register
  --root DIR              install into DIR instead of / (tests)
  --venv DIR              use this existing virtualenv instead of /opt/comptoir/.venv
  --dry-run               print the plan, change nothing
Flags left out keep the value already in config.py; a first install needs
--box-name, --terminal, --headoffice-url and a token.
TXT
}

die() { echo "provision: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --box-name) BOX_NAME=${2?}; shift 2 ;;
    --terminal) TERMINAL=${2?}; shift 2 ;;
    --register) REGISTER=${2?}; shift 2 ;;
    --headoffice-url) HO_URL=${2?}; shift 2 ;;
    --token) TOKEN=${2?}; shift 2 ;;
    --token-file) TOKEN_FILE=${2?}; shift 2 ;;
    --printer) PRINTER=${2?}; shift 2 ;;
    --listen-lan) LISTEN_LAN=True; shift ;;
    --no-listen-lan) LISTEN_LAN=False; shift ;;
    --root) ROOT=$(realpath -ms "${2?}"); shift 2 ;;
    --venv) VENV_GIVEN=$(realpath -ms "${2?}"); shift 2 ;;
    --dry-run) DRY_RUN=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (--help lists them)" ;;
  esac
done

[ -z "$TERMINAL" ] || [[ $TERMINAL =~ ^[A-Za-z0-9_-]{1,32}$ ]] || die "--terminal: letters, digits, - or _"
[ -z "$REGISTER" ] || [[ $REGISTER =~ ^[A-Za-z0-9_-]{1,32}$ ]] || die "--register: letters, digits, - or _"
[ -z "$HO_URL" ] || [[ $HO_URL =~ ^https?://[^[:space:]]+$ ]] || die "--headoffice-url: http(s)://…"
[ -z "$BOX_NAME" ] || [ ${#BOX_NAME} -le 60 ] || die "--box-name: 60 characters at most"
[ -z "$PRINTER" ] || [[ $PRINTER =~ ^(usb:[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}|network:[A-Za-z0-9.-]+:[0-9]{1,5}|file:/[^[:space:]]+|virtual)$ ]] \
  || die "--printer: usb:VID:PID, network:HOST:PORT, file:/dev/… or virtual"
if [ -n "$TOKEN_FILE" ]; then
  [ -r "$TOKEN_FILE" ] || die "--token-file: cannot read $TOKEN_FILE"
  TOKEN=$(tr -d '[:space:]' < "$TOKEN_FILE")
fi
if [ -z "$ROOT" ] && [ "$DRY_RUN" = no ] && [ "$(id -u)" != 0 ]; then
  die "run as root (or with --dry-run to see the plan)"
fi

CODE=$ROOT/opt/comptoir
INSTANCE=$ROOT/var/lib/comptoir
UNIT_DIR=$ROOT/etc/systemd/system
UDEV_DIR=$ROOT/etc/udev/rules.d
WRAPPER=$ROOT/usr/local/bin/comptoir
VENV=${VENV_GIVEN:-$CODE/.venv}
DB=$INSTANCE/comptoir.sqlite
HEALTHZ=http://127.0.0.1:8000/healthz
HEALTHZ_LAN=https://127.0.0.1:8443/healthz

if [ -n "$ROOT" ]; then MODE=root; else MODE=box; fi
[ "$DRY_RUN" = yes ] && MODE=dry

# ── reporting ────────────────────────────────────────────────────────────────────────
CHANGES=0 PLANNED=0
SUMMARY=()
step() { printf '\n== %s\n' "$1"; }
note() { printf '   %s\n' "$1"; }
changed() { CHANGES=$((CHANGES + 1)); SUMMARY+=("changé    $1"); note "changé : $1"; }
same() { SUMMARY+=("inchangé  $1"); note "inchangé : $1"; }
planned() { PLANNED=$((PLANNED + 1)); SUMMARY+=("prévu     $1"); note "prévu : $1"; }

# A command that acts on the system itself: run on a box, printed otherwise.
system() {
  if [ "$MODE" = box ]; then note "\$ $*"; "$@"; else note "(à lancer sur la caisse) $*"; fi
}

# Flask from DIR (the new code) on the instance folder. On a box it runs as root, because
# the release being installed may sit where comptoir cannot read (/root/…); what it creates
# in the instance folder is handed back to comptoir right after (own_instance).
flask_in() {
  local dir=$1; shift
  (cd "$dir" && env COMPTOIR_INSTANCE="$INSTANCE" "$VENV/bin/flask" --app wsgi "$@")
}
own_instance() {
  if [ "$MODE" = box ]; then
    # The certificate's folder stays root's (tls_owners): the services only read it.
    find "$INSTANCE" -path "$INSTANCE/tls" -prune -o -exec chown comptoir:comptoir {} +
    chown root:comptoir "$INSTANCE/config.py"
  fi
}
can_run_flask() { [ "$MODE" != dry ] && [ -x "$VENV/bin/flask" ]; }

# Write $2 (content) to $1 with mode $3 unless it is already exactly that.
put_file() {
  local path=$1 content=$2 mode=$3 label=$4
  if [ -f "$path" ] && [ "$(cat "$path"; printf x)" = "${content}x" ] \
      && [ "$(stat -c %a "$path")" = "$mode" ]; then
    same "$label"; return 1
  fi
  if [ "$MODE" = dry ]; then planned "$label"; return 0; fi
  mkdir -p "$(dirname "$path")"
  local tmp
  tmp=$(mktemp "$(dirname "$path")/.provision.XXXXXX")
  printf '%s' "$content" > "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$path"
  changed "$label"
}

copy_file() {  # copy_file SRC DEST MODE LABEL
  local content
  content=$(cat "$1"; printf x)
  put_file "$2" "${content%x}" "$3" "$4"
}

# ── 1. users ─────────────────────────────────────────────────────────────────────────
step "1. Utilisateurs"
if [ "$MODE" = box ]; then
  if id -u comptoir >/dev/null 2>&1; then same "utilisateur comptoir"; else
    system useradd --system --user-group --home-dir /var/lib/comptoir --shell /usr/sbin/nologin comptoir
    changed "utilisateur comptoir"
  fi
  # The kiosk runs as its own user: Chromium must not be able to read the database,
  # the token or the secret key.
  if id -u comptoir-kiosk >/dev/null 2>&1; then same "utilisateur comptoir-kiosk"; else
    system useradd --system --user-group --home-dir /run/comptoir-kiosk --no-create-home \
      --shell /usr/sbin/nologin comptoir-kiosk
    changed "utilisateur comptoir-kiosk"
  fi
  for group in video render input; do
    if getent group "$group" >/dev/null && ! id -nG comptoir-kiosk | tr ' ' '\n' | grep -qx "$group"; then
      system usermod -aG "$group" comptoir-kiosk; changed "comptoir-kiosk dans le groupe $group"
    fi
  done
else
  system useradd --system --user-group --home-dir /var/lib/comptoir --shell /usr/sbin/nologin comptoir
  system useradd --system --user-group --home-dir /run/comptoir-kiosk --no-create-home --shell /usr/sbin/nologin comptoir-kiosk
  system usermod -aG video,render,input comptoir-kiosk
fi

# ── 2. packages ──────────────────────────────────────────────────────────────────────
step "2. Paquets Debian"
if [ "$MODE" = box ]; then
  missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then same "paquets (${PACKAGES[*]})"; else
    system apt-get update -q
    system env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    changed "paquets installés : ${missing[*]}"
  fi
else
  system apt-get install -y --no-install-recommends "${PACKAGES[@]}"
fi

# ── 3. virtualenv ────────────────────────────────────────────────────────────────────
step "3. Environnement Python"
REQ_SUM=$(sha256sum "$SRC/requirements.txt" | cut -d' ' -f1)
if [ -n "$VENV_GIVEN" ]; then
  [ "$MODE" = dry ] || [ -x "$VENV/bin/flask" ] || die "--venv $VENV has no bin/flask"
  same "environnement fourni : $VENV"
elif [ "$MODE" = box ]; then
  [ -x "$VENV/bin/python" ] || { system python3 -m venv "$VENV"; changed "virtualenv créé"; }
  if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" = "$REQ_SUM" ]; then
    same "requirements.txt déjà installé"
  else
    system "$VENV/bin/pip" install --disable-pip-version-check -q -r "$SRC/requirements.txt"
    echo "$REQ_SUM" > "$VENV/.requirements.sha256"
    changed "requirements.txt installé"
  fi
else
  system python3 -m venv "$VENV"
  system "$VENV/bin/pip" install -r "$SRC/requirements.txt"
fi

# ── 4. configuration ─────────────────────────────────────────────────────────────────
step "4. Configuration ($INSTANCE)"
if [ "$MODE" != dry ]; then
  mkdir -p "$INSTANCE/backups"
  chmod 0750 "$INSTANCE" "$INSTANCE/backups"
  [ "$MODE" = box ] && chown comptoir:comptoir "$INSTANCE" "$INSTANCE/backups"
fi
# Rendered by Python so every value is a correct Python literal, whatever it contains.
CONFIG=$(P_NAME=$BOX_NAME P_TERMINAL=$TERMINAL P_REGISTER=$REGISTER P_URL=$HO_URL \
  P_TOKEN=$TOKEN P_PRINTER=$PRINTER P_LAN=$LISTEN_LAN python3 - "$INSTANCE/config.py" <<'PY'
import os, sys
path = sys.argv[1]
current = {}
if os.path.exists(path):  # flags left out keep what the box has
    namespace = {"__file__": path}
    with open(path) as file:
        exec(compile(file.read(), path, "exec"), namespace)
    current = {k: v for k, v in namespace.items() if k.isupper()}
def pick(key, env, default=None):
    given = os.environ[env]
    return given if given else current.get(key, default)
lan = os.environ["P_LAN"]
values = {
    "COMPTOIR_DEVICE_NAME": pick("COMPTOIR_DEVICE_NAME", "P_NAME"),
    "COMPTOIR_TERMINAL": pick("COMPTOIR_TERMINAL", "P_TERMINAL"),
    "COMPTOIR_REGISTER": pick("COMPTOIR_REGISTER", "P_REGISTER"),
    "HEADOFFICE_URL": pick("HEADOFFICE_URL", "P_URL"),
    "HEADOFFICE_TOKEN": pick("HEADOFFICE_TOKEN", "P_TOKEN"),
    "PRINTER": pick("PRINTER", "P_PRINTER", "virtual"),
    "COMPTOIR_LISTEN_LAN": (lan == "True") if lan else current.get("COMPTOIR_LISTEN_LAN", False),
}
need = {"COMPTOIR_DEVICE_NAME": "--box-name", "COMPTOIR_TERMINAL": "--terminal",
        "HEADOFFICE_URL": "--headoffice-url", "HEADOFFICE_TOKEN": "--token or --token-file"}
lacking = [flag for key, flag in need.items() if not values[key]]
if lacking:
    sys.exit("provision: first install needs " + ", ".join(lacking))
print("# Written by kiosk/provision.sh from its flags: re-run it to change a value here.")
print("# Hand-made settings (BACKUP_PUSH_COMMAND…) go in local.py beside this file, which")
print("# provision.sh never touches.")
for key, value in values.items():
    print(f"{key} = {value!r}")
print()
print("import os as _os")
print("_local = _os.path.join(_os.path.dirname(__file__), 'local.py')")
print("if _os.path.exists(_local):")
print("    with open(_local) as _file:")
print("        exec(compile(_file.read(), _local, 'exec'))")
PY
) || exit 1
if put_file "$INSTANCE/config.py" "$CONFIG"$'\n' 640 "config.py" && [ "$MODE" = box ]; then
  chown root:comptoir "$INSTANCE/config.py"
fi
if [ -f "$INSTANCE/secret_key" ]; then same "secret_key (gardée)"; elif [ "$MODE" = dry ]; then
  planned "secret_key"
else
  (umask 077; python3 -c 'import secrets; print(secrets.token_hex(32))' > "$INSTANCE/secret_key")
  [ "$MODE" = box ] && chown comptoir:comptoir "$INSTANCE/secret_key"
  changed "secret_key créée"
fi

# ── the box's certificate: tablets reach it over HTTPS ───────────────────────────────
# A small authority of the box's own (ca.key, root-only: it signs, nothing serves it) and the
# server certificate it signs (comptoir.key, readable by the comptoir group for the web unit).
# Tablets trust ca.crt once; the server certificate can then be renewed (new address,
# expiry) without touching them. The authority may only vouch for this box's names and for
# private addresses (nameConstraints): installed on a tablet, it cannot be used for any
# other site. See docs/technician.md, « Tablets on the shop Wi-Fi ».
TLS=$INSTANCE/tls
LAN_ON=no
grep -qx "COMPTOIR_LISTEN_LAN = True" <<<"$CONFIG" && LAN_ON=yes
HOST=$(hostname -s 2>/dev/null || hostname)
tls_owners() {
  [ "$MODE" = box ] || return 0
  chown root:comptoir "$TLS" "$TLS/comptoir.key"
  chown root:root "$TLS/ca.key" "$TLS/ca.crt" "$TLS/comptoir.crt"
}
tls_names() {  # the server certificate's names: host, host.local, loopback, IPv4 addresses
  local names="DNS:$HOST,DNS:$HOST.local,DNS:localhost,IP:127.0.0.1" ip
  for ip in $(hostname -I 2>/dev/null); do  # private IPv4 only: what the authority may vouch for
    [[ $ip =~ ^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)[0-9.]+$ ]] && names="$names,IP:$ip"
  done
  printf '%s' "$names"
}
make_authority() {
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
    -days 3650 -keyout "$TLS/ca.key" -out "$TLS/ca.crt" -subj "/O=Comptoir/CN=Comptoir $HOST" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "nameConstraints=critical,permitted;DNS:$HOST,permitted;DNS:$HOST.local,permitted;DNS:localhost,permitted;IP:10.0.0.0/255.0.0.0,permitted;IP:172.16.0.0/255.240.0.0,permitted;IP:192.168.0.0/255.255.0.0,permitted;IP:127.0.0.0/255.0.0.0" \
    2>/dev/null
}
make_server_certificate() {
  # 825 days: the longest Apple's tablets accept; a provisioning run renews it 30 days ahead.
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$TLS/comptoir.key" -out "$TLS/comptoir.csr" -subj "/O=Comptoir/CN=$HOST" 2>/dev/null
  openssl x509 -req -in "$TLS/comptoir.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -sha256 \
    -days 825 -set_serial "0x$(openssl rand -hex 16)" -out "$TLS/comptoir.crt" \
    -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
      "subjectAltName=$(tls_names)") 2>/dev/null
  rm -f "$TLS/comptoir.csr"
}
server_certificate_sound() {
  [ -f "$TLS/comptoir.crt" ] && [ -f "$TLS/comptoir.key" ] \
    && openssl x509 -checkend $((30 * 86400)) -noout -in "$TLS/comptoir.crt" >/dev/null 2>&1 \
    && openssl verify -CAfile "$TLS/ca.crt" "$TLS/comptoir.crt" >/dev/null 2>&1
}
if [ "$LAN_ON" = no ]; then
  same "pas de certificat (accès des tablettes fermé)"
elif [ -f "$TLS/ca.key" ] && [ -f "$TLS/ca.crt" ] && server_certificate_sound; then
  same "certificat de la caisse (gardé)"
elif [ "$MODE" = dry ]; then
  planned "certificat de la caisse ($TLS)"
else
  command -v openssl >/dev/null || die "openssl manque (apt-get install openssl)"
  (
    umask 077
    mkdir -p "$TLS"
    if [ ! -f "$TLS/ca.key" ] || [ ! -f "$TLS/ca.crt" ]; then
      make_authority || die "openssl n'a pas pu créer l'autorité de la caisse"
      note "nouvelle autorité : chaque tablette doit lui faire confiance (docs/technician.md)"
    fi
    make_server_certificate || die "openssl n'a pas pu créer le certificat de la caisse"
  )
  chmod 0750 "$TLS"
  chmod 0600 "$TLS/ca.key"
  chmod 0640 "$TLS/comptoir.key"
  chmod 0644 "$TLS/ca.crt" "$TLS/comptoir.crt"
  tls_owners
  changed "certificat de la caisse ($TLS/comptoir.crt)"
fi

# ── what this run upgrades ───────────────────────────────────────────────────────────
source_files() {
  if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$SRC" ls-files --cached --others --exclude-standard
  else
    (cd "$SRC" && find . -type f -printf '%P\n')
  fi | grep -Ev '^(\.venv|\.git|instance|tests/artifacts|bench/out)(/|$)|(^|/)__pycache__/|\.(pyc|mo)$' \
     | while IFS= read -r f; do [ -f "$SRC/$f" ] && printf '%s\n' "$f"; done | sort -u
}
installed_files() {
  [ -d "$CODE" ] || return 0
  (cd "$CODE" && find . -type f -printf '%P\n') \
    | grep -Ev '^(\.venv|instance)(/|$)|(^|/)__pycache__/|\.(pyc|mo)$' | sort -u
}
SAME_TREE=no
[ "$(realpath -m "$SRC")" = "$(realpath -m "$CODE")" ] && SAME_TREE=yes
TO_COPY=() TO_DELETE=()
if [ "$SAME_TREE" = no ]; then
  mapfile -t wanted < <(source_files)
  for f in "${wanted[@]}"; do
    cmp -s "$SRC/$f" "$CODE/$f" || TO_COPY+=("$f")
  done
  mapfile -t TO_DELETE < <(comm -13 <(printf '%s\n' "${wanted[@]}") <(installed_files))
fi
CODE_CHANGES=$(( ${#TO_COPY[@]} + ${#TO_DELETE[@]} ))

HEAD="" CURRENT=""
if [ -x "$VENV/bin/python" ]; then  # reading the migrations changes nothing: dry runs too
  HEAD=$("$VENV/bin/python" - "$SRC/migrations" <<'PY'
import sys
from alembic.config import Config
from alembic.script import ScriptDirectory
config = Config()
config.set_main_option("script_location", sys.argv[1])
print(ScriptDirectory.from_config(config).get_current_head())
PY
)
fi
if [ -f "$DB" ]; then
  # A plain connection: its close removes the -wal/-shm it made (a read-only one leaves
  # them behind), so looking leaves the instance folder as it was.
  CURRENT=$(python3 - "$DB" <<'PY' || true
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
try:
    print(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
except Exception:
    pass
finally:
    connection.close()
PY
)
fi
MIGRATE=no
{ [ ! -f "$DB" ] || [ -z "$HEAD" ] || [ "$CURRENT" != "$HEAD" ]; } && MIGRATE=yes

# ── 5. stop, back up, migrate ────────────────────────────────────────────────────────
step "5. Sauvegarde et migration (base ${CURRENT:-absente} → ${HEAD:-tête des migrations})"
STOPPED=()
BACKUP_FILE=""
restart_old() {
  own_instance
  [ ${#STOPPED[@]} -eq 0 ] && return 0
  system systemctl start "${STOPPED[@]}" comptoir-kiosk
}
if [ "$MIGRATE" = no ] && [ "$CODE_CHANGES" -eq 0 ]; then
  same "base à jour ($CURRENT), pas de sauvegarde nécessaire"
else
  # Nothing may sell between the backup and the migration: a sale made then would be
  # lost if the backup had to be put back.
  if [ "$MODE" = box ]; then
    for unit in "${OUR_SERVICES[@]}" comptoir-devices "$LAN_UNIT"; do
      if systemctl is-active --quiet "$unit"; then STOPPED+=("$unit"); fi
    done
    [ ${#STOPPED[@]} -gt 0 ] && system systemctl stop "${STOPPED[@]}"
  else
    system systemctl stop "${OUR_SERVICES[@]}" comptoir-devices "$LAN_UNIT"
  fi
  if [ -f "$DB" ]; then
    if can_run_flask; then
      note "\$ flask --app wsgi backup create --label pre-upgrade"
      if ! out=$(flask_in "$SRC" backup create --label pre-upgrade 2>&1); then
        echo "$out" >&2
        restart_old
        die "la sauvegarde avant mise à jour a échoué : rien n'a été migré ni remplacé."
      fi
      BACKUP_FILE=$(sed -n 's/^Sauvegarde vérifiée : \(.*\) ([0-9]* octets)$/\1/p' <<<"$out")
      own_instance
      changed "sauvegarde avant mise à jour : $(basename "$BACKUP_FILE")"
    else
      planned "flask --app wsgi backup create --label pre-upgrade"
    fi
  fi
  if [ "$MIGRATE" = yes ]; then
    if can_run_flask; then
      note "\$ flask --app wsgi db upgrade   (code de $SRC)"
      if ! out=$(flask_in "$SRC" db upgrade 2>&1); then
        echo "$out" >&2
        if [ -n "$BACKUP_FILE" ]; then
          note "\$ flask --app wsgi backup restore $(basename "$BACKUP_FILE") --yes"
          flask_in "$SRC" backup restore "$BACKUP_FILE" --yes >&2 \
            || echo "provision: LA RESTAURATION A ÉCHOUÉ — voir docs/technician.md, « Restaurer »." >&2
        fi
        restart_old
        die "la migration a échoué. La base d'avant est remise en place${BACKUP_FILE:+ ($(basename "$BACKUP_FILE"))}, l'ancienne version n'a pas été remplacée et redémarre. Journal ci-dessus ; rien d'autre n'a changé."
      fi
      own_instance
      changed "base migrée : ${CURRENT:-vide} → $HEAD"
    else
      planned "flask --app wsgi db upgrade"
    fi
  fi
fi

# ── the box's signing key (NF525): made once, before the box sells ───────────────────
# ECDSA P-256, instance/signing-key.pem (0600, comptoir's): every ticket, Z and event is signed
# with it, so it is never replaced by a later run (docs/integrity.md).
if [ -f "$INSTANCE/signing-key.pem" ]; then same "clé de signature (gardée)"
elif can_run_flask; then
  note "\$ flask --app wsgi integrity key"
  out=$(flask_in "$SRC" integrity key 2>&1) || { echo "$out" >&2; die "la clé de signature n'a pas pu être créée."; }
  own_instance
  changed "clé de signature créée : $(sed -n 's/^Clé de signature créée : //p' <<<"$out")"
else
  planned "flask --app wsgi integrity key"
fi

# ── 6. code ──────────────────────────────────────────────────────────────────────────
step "6. Code ($CODE)"
if [ "$SAME_TREE" = yes ]; then
  same "le code est lancé depuis $CODE lui-même"
elif [ "$CODE_CHANGES" -eq 0 ]; then
  same "code identique à $SRC"
elif [ "$MODE" = dry ]; then
  planned "code : ${#TO_COPY[@]} fichier(s) à copier, ${#TO_DELETE[@]} à supprimer"
else
  for f in "${TO_COPY[@]}"; do
    mkdir -p "$CODE/$(dirname "$f")"
    cp --preserve=mode "$SRC/$f" "$CODE/$f.provision-new"
    mv -f "$CODE/$f.provision-new" "$CODE/$f"
  done
  for f in "${TO_DELETE[@]}"; do rm -f "$CODE/$f"; done
  # Folders the release no longer has (git keeps no empty folder, so none is meant).
  find "$CODE" -mindepth 1 -depth -type d -empty -not -path "$CODE/.venv*" -delete
  changed "code : ${#TO_COPY[@]} fichier(s) copié(s), ${#TO_DELETE[@]} supprimé(s)"
fi
# Compiled catalogs are not in git: compile when one is missing or older than its .po.
stale_catalogs=no
[ -d "$CODE/app/translations" ] || stale_catalogs=yes
while IFS= read -r po; do
  [ "${po%.po}.mo" -nt "$po" ] || stale_catalogs=yes
done < <(find "$CODE/app/translations" -name '*.po' 2>/dev/null)
if [ "$stale_catalogs" = no ]; then same "traductions compilées"
elif can_run_flask && [ -d "$CODE/app/translations" ]; then
  "$VENV/bin/pybabel" compile -d "$CODE/app/translations" >/dev/null 2>&1
  changed "traductions compilées"
else
  planned "pybabel compile -d $CODE/app/translations"
fi

# ── 7. units, udev rule, technician command ──────────────────────────────────────────
step "7. Unités systemd et règle udev"
UNITS_CHANGED=no RULES_CHANGED=no
UNITS=()
for unit in "$SRC"/systemd/*.service "$SRC"/systemd/*.timer; do
  [ -f "$unit" ] || continue
  UNITS+=("$(basename "$unit")")
  copy_file "$unit" "$UNIT_DIR/$(basename "$unit")" 644 "unité $(basename "$unit")" && UNITS_CHANGED=yes
done
for rule in "$SRC"/systemd/*.rules; do
  [ -f "$rule" ] || continue
  copy_file "$rule" "$UDEV_DIR/$(basename "$rule")" 644 "règle udev $(basename "$rule")" && RULES_CHANGED=yes
done
copy_file "$SRC/kiosk/comptoir" "$WRAPPER" 755 "commande $WRAPPER" || true
if [ "$UNITS_CHANGED" = yes ]; then system systemctl daemon-reload; fi
if [ "$RULES_CHANGED" = yes ]; then
  system udevadm control --reload-rules
  system udevadm trigger --subsystem-match=usb
fi

# ── 8. enable and (re)start ──────────────────────────────────────────────────────────
step "8. Activation et démarrage"
TO_ENABLE=()
for unit in "${UNITS[@]}"; do
  case "$unit" in comptoir-backup.service) continue ;; esac  # started by its timer
  [ "$unit" = "$LAN_UNIT.service" ] && [ "$LAN_ON" = no ] && continue
  TO_ENABLE+=("$unit")
done
sysctl_root=()
[ "$MODE" != box ] && sysctl_root=(--root="$ROOT")
for unit in "${TO_ENABLE[@]}"; do
  if [ "$MODE" = dry ] && [ ! -f "$UNIT_DIR/$unit" ]; then planned "activer $unit"; continue; fi
  if [ "$(systemctl "${sysctl_root[@]}" is-enabled "$unit" 2>/dev/null)" = enabled ]; then
    same "$unit activée"
  elif [ "$MODE" = dry ]; then planned "activer $unit"
  else
    systemctl "${sysctl_root[@]}" enable --quiet "$unit" 2>/dev/null
    changed "$unit activée"
  fi
done
# The tablets' side closes with --no-listen-lan: its unit is stopped and disabled.
if [ "$LAN_ON" = no ] && [ "$(systemctl "${sysctl_root[@]}" is-enabled "$LAN_UNIT" 2>/dev/null)" = enabled ]; then
  if [ "$MODE" = dry ]; then planned "désactiver $LAN_UNIT.service"
  else
    system systemctl stop "$LAN_UNIT"
    systemctl "${sysctl_root[@]}" disable --quiet "$LAN_UNIT" 2>/dev/null
    changed "$LAN_UNIT.service désactivée (accès des tablettes fermé)"
  fi
fi
RUNNING=("${OUR_SERVICES[@]}")
[ -f "$UNIT_DIR/comptoir-devices.service" ] && RUNNING+=(comptoir-devices)
[ "$LAN_ON" = yes ] && RUNNING+=("$LAN_UNIT")
if [ "$CHANGES" -gt 0 ] || [ "$PLANNED" -gt 0 ] || [ ${#STOPPED[@]} -gt 0 ]; then
  # The kiosk follows the web service (PartOf=), and reloads its page when it comes back.
  system systemctl restart "${RUNNING[@]}"
  system systemctl start comptoir-kiosk comptoir-backup.timer
else
  same "services laissés tels quels (rien n'a changé)"
fi

# ── 9. /healthz ──────────────────────────────────────────────────────────────────────
step "9. Santé ($HEALTHZ)"
if [ "$MODE" = box ]; then
  if "$SRC/kiosk/wait-healthz.sh" --ok "$HEALTHZ" 90; then note "la caisse répond : OK"
  else die "la caisse ne répond pas OK sur $HEALTHZ : journalctl -u comptoir-web -n 100"; fi
  if [ "$LAN_ON" = yes ]; then
    if CURL_CA="$TLS/ca.crt" "$SRC/kiosk/wait-healthz.sh" --ok "$HEALTHZ_LAN" 90; then
      note "les tablettes sont servies en HTTPS : OK"
    else die "pas de réponse OK sur $HEALTHZ_LAN : journalctl -u $LAN_UNIT -n 100"; fi
  fi
else
  note "(à vérifier sur la caisse) kiosk/wait-healthz.sh --ok $HEALTHZ"
fi

# ── summary ──────────────────────────────────────────────────────────────────────────
step "Résumé"
printf '   %s\n' "${SUMMARY[@]}"
if [ "$MODE" = dry ]; then
  echo "   Simulation (--dry-run) : rien n'a été modifié."
elif [ "$CHANGES" -eq 0 ]; then
  echo "   Rien n'a changé : la caisse était déjà à jour."
else
  echo "   $CHANGES changement(s)."
fi
if [ "$LAN_ON" = yes ] && [ -f "$TLS/ca.crt" ]; then
  # What a technician compares on each tablet before trusting the box (docs/technician.md).
  echo "   Tablettes : https://$HOST.local:8443/ (ou https://<adresse de la caisse>:8443/)"
  echo "   Empreinte SHA-256 du certificat de la caisse (ca.crt) :"
  echo "     $(openssl x509 -in "$TLS/ca.crt" -noout -fingerprint -sha256 | cut -d= -f2)"
fi
