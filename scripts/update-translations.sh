#!/usr/bin/env bash
# Re-extract the French source strings and merge them into the English catalog; then fill
# the empty msgstr entries in app/translations/en/LC_MESSAGES/messages.po and `make translations`.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l --no-location --sort-output -w 100 -o app/translations/messages.pot .
.venv/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete -w 100
.venv/bin/python - <<'PY'
from babel.messages.pofile import read_po
with open("app/translations/en/LC_MESSAGES/messages.po", "rb") as f:
    catalog = read_po(f)
missing = [m.id for m in catalog if m.id and not m.string]
print(f"{len(missing)} untranslated")
for msgid in missing:
    print("  ", repr(msgid))
PY
