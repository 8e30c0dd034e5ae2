#!/bin/sh
# Wait until the register's web service answers /healthz.
#   wait-healthz.sh [--ok] [URL] [SECONDS]
# Without --ok any HTTP answer will do: the kiosk must start even when the web service
# answers 503 (a damaged database), because its screen tells the technician what to do.
# With --ok (provisioning) only 200 counts. Exit 1 when the time runs out. For the tablets'
# HTTPS side, CURL_CA names the box's authority (instance/tls/ca.crt) the answer must prove.
set -eu
want_ok=no
if [ "${1:-}" = "--ok" ]; then want_ok=yes; shift; fi
url="${1:-http://127.0.0.1:8000/healthz}"
limit="${2:-120}"
deadline=$(( $(date +%s) + limit ))
while :; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 ${CURL_CA:+--cacert "$CURL_CA"} "$url" || true)
  if [ "$want_ok" = yes ] && [ "$code" = 200 ]; then exit 0; fi
  if [ "$want_ok" = no ] && [ -n "$code" ] && [ "$code" != 000 ]; then exit 0; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "wait-healthz: no answer from $url after ${limit}s (last: ${code:-none})" >&2
    exit 1
  fi
  sleep 1
done
