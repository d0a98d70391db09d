# Green Shelf: `make run` serves the demo, `make test` runs every check. Both install what they need.
HOST ?= 127.0.0.1
PORT ?= 8000
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
QUICK ?=
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | sha1sum | cut -c1-12)

# Debian packages: WeasyPrint needs Pango; tag sheets print in Noto Sans / DejaVu Sans; tests decode QR codes
# with zbar, rasterise PDFs with poppler and drive Debian's Chromium.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core gettext
# The backup tests run pg_dump/pg_restore, which must be at least the server's major version.
PG_MAJOR ?= 15
TEST_DEBS := $(RUN_DEBS) libzbar0 poppler-utils chromium librsvg2-bin postgresql-client-$(PG_MAJOR) wrk
# axe-core (Deque, MPL-2.0), pinned, from the npm registry: the browser tests run it over every page type.
AXE_VERSION := 4.14.1
AXE_DIR := var/npm/axe-core-$(AXE_VERSION)
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
export GREENSHELF_AXE_JS := $(CURDIR)/$(AXE_JS)

export PYTHONDONTWRITEBYTECODE := 1
PIP_VERSION := 25.3

.PHONY: run test lint bench install axe system-deps-run system-deps-test i18n-extract i18n-update i18n-compile meili clean

$(STAMP): requirements-dev.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@# pip 23.2 (what Python 3.11 ships) resolves a dependency named with extras, e.g. httpx2[http2], to the newest
	@# release instead of the locked one, then refuses it under --require-hashes: a release upstream breaks the install.
	$(BIN)/pip install -q --disable-pip-version-check 'pip==$(PIP_VERSION)'
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) i18n-compile

system-deps-run:
	@deploy/system-deps.sh $(RUN_DEBS)

system-deps-test:
	@deploy/system-deps.sh $(TEST_DEBS)

i18n-compile: $(STAMP)
	@if [ -d service/locale ] && ls service/locale/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d service/locale -D messages; fi

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --project=greenshelf --version=0.1.0 \
		--copyright-holder="the Green Shelf authors" --msgid-bugs-address="Green Shelf issue tracker" \
		-o service/locale/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i service/locale/messages.pot -d service/locale -D messages --no-fuzzy-matching

meili:
	@deploy/meilisearch/provision.sh

# The secret key that signs sessions is generated once into var/secret.key (kept private), unless one is set.
run: install system-deps-run
	@mkdir -p var
	@test -s var/secret.key || (umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > var/secret.key)
	$(BIN)/greenshelf db upgrade
	$(BIN)/greenshelf seed --demo
	GREENSHELF_SECRET_KEY=$${GREENSHELF_SECRET_KEY:-$$(cat var/secret.key)} GREENSHELF_PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) \
		$(BIN)/greenshelf serve --local-meili --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .
	$(BIN)/lint-imports

$(AXE_JS):
	@command -v npm >/dev/null || deploy/system-deps.sh npm
	@mkdir -p $(AXE_DIR)
	npm install --prefix $(AXE_DIR) --no-save --no-package-lock --no-audit --no-fund --ignore-scripts axe-core@$(AXE_VERSION)
	@test -f $@

axe: $(AXE_JS)

test: install system-deps-test lint axe
	$(BIN)/pytest -n 2 --dist loadgroup

bench: install system-deps-run
	@deploy/system-deps.sh wrk
	$(BIN)/python -m bench $(if $(QUICK),--quick,) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
