#!/usr/bin/env bash
# Re-extract the French source strings and merge them into the English catalogs (the box's in
# app/translations, head office's in headoffice/translations); then fill the empty msgstr
# entries listed below and `make translations`.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l --no-location --sort-output -w 100 -o app/translations/messages.pot .
.venv/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete -w 100
.venv/bin/pybabel extract -F headoffice/babel.cfg -k _l --no-location --sort-output -w 100 -o headoffice/translations/messages.pot .
.venv/bin/pybabel update -i headoffice/translations/messages.pot -d headoffice/translations --no-fuzzy-matching --ignore-obsolete -w 100
.venv/bin/python - <<'PY'
from babel.messages.pofile import read_po
for path in ("app/translations/en/LC_MESSAGES/messages.po", "headoffice/translations/en/LC_MESSAGES/messages.po"):
    with open(path, "rb") as f:
        catalog = read_po(f)
    missing = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    print(f"{path}: {len(missing)} untranslated")
    for msgid in missing:
        print("  ", repr(msgid))
PY
