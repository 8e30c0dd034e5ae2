# Comptoir — the two commands of README.md, and the steps they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv test-deps translations chromium postgresql bench clean lint format

demo: venv translations
	bash scripts/demo.sh

test: test-deps translations chromium postgresql lint
	$(BIN)/pytest

bench: test-deps
	$(BIN)/python bench/import_snapshot.py
	$(BIN)/python bench/screens.py
	$(BIN)/python bench/selling.py
	$(BIN)/python bench/closing.py
	$(BIN)/python bench/export_size.py
	$(BIN)/python bench/verify_chains.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/headoffice_summary.py

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

test-deps: $(VENV)/.installed-test

$(VENV)/.installed-test: requirements.txt requirements-headoffice.txt requirements-test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-test.txt
	touch $(VENV)/.installed $@

translations: venv
	$(BIN)/pybabel compile -d app/translations
	$(BIN)/pybabel compile -d headoffice/translations

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -q && apt-get install -y -q chromium; }

# Head office's tests also run on PostgreSQL: a throwaway server that the tests start
# themselves (tests/support/postgres.py) from Debian's programs.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		{ apt-get update -q && apt-get install -y -q postgresql; }

# The linter (configured in pyproject.toml) runs before the tests: CI enforces it.
lint: test-deps
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: test-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) tests/artifacts
