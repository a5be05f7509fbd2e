# Every target builds what it needs from a fresh clone: a venv with hash-pinned dependencies, the
# pinned npm runtime and dev tools, Debian's Chromium and firefox-esr for the browser tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: start test lint check build serve bench node chromium firefox clean snapshots docs schema

$(STAMP): pyproject.toml requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The npm packages as locked (web/package-lock.json, integrity-checked by `npm ci`): the runtime the build
# ships and the dev tools (ESLint, web-ext); npm ci stamps node_modules/.package-lock.json.
NPM_STAMP := web/node_modules/.package-lock.json
$(NPM_STAMP): web/package-lock.json | node
	cd web && npm ci --no-audit --no-fund --loglevel=error

# Node.js/npm fetch the pinned Pyodide and PyScript at build time, and web-ext for the
# tests (Debian packages if missing).
node:
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)

# Chromium for the browser tests, and a CJK font so Chinese screenshots show characters.
chromium:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/truetype/wqy || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei)

# Firefox ESR for the Firefox build's browser test (tests/e2e/test_firefox.py, driven over WebDriver BiDi),
# and openssl for the throwaway certificate of its local proxy.
firefox:
	@test -x /usr/bin/firefox-esr -a -x /usr/bin/openssl || \
		(apt-get update -qq && apt-get install -y -qq firefox-esr openssl)

build: $(STAMP) node
	$(BIN)/python -m simexit.build --out dist

serve:
	$(BIN)/python web/serve.py --port $(PORT)

start: build
	@echo "Browser extension, unpacked: $(CURDIR)/dist/extension-chromium"
	@echo "  (Chromium: chrome://extensions > Developer mode > Load unpacked; zips: dist/extension-*.zip)"
	@echo "Static page: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python web/serve.py --port $(PORT)

# ESLint covers every shipped JavaScript file (web/*.js, manifest/*.js; web/eslint.config.mjs).
lint: $(STAMP) $(NPM_STAMP)
	$(BIN)/ruff check py tests web
	$(BIN)/ruff format --check py tests web
	web/node_modules/.bin/eslint --config web/eslint.config.mjs

check: $(STAMP)
	$(BIN)/simexit check

test: lint check build chromium firefox
	$(BIN)/python -m pytest

bench: build chromium
	$(BIN)/python tests/bench.py
	$(BIN)/python tests/bench_page.py
	$(BIN)/python tests/bench_extension.py

# Reviewed outputs regenerated from the data: golden plans and the verification log (review the diff).
snapshots: $(STAMP)
	$(BIN)/python tests/golden.py

# JSON Schema of the carrier files (schema/) and the generated tables of docs/data.md, from the models.
schema: $(STAMP)
	$(BIN)/python -m simexit.schema

docs: schema
	$(BIN)/simexit verification > docs/verification.md

clean:
	rm -rf $(VENV) dist build web/node_modules .pytest_cache .hypothesis
