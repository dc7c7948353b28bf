# The two commands of the README: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run
ROOT := $(CURDIR)
export PATH := $(HOME)/.cargo/bin:$(ROOT)/end2end/node_modules/.bin:$(PATH)
# CI runs in a fresh clone: keep the build cache outside it.
ifeq ($(CI),true)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/atlas-target
# Incremental caches are useless in a one-off build and take gigabytes.
export CARGO_INCREMENTAL ?= 0
endif
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(ROOT)/target)
export LEPTOS_SITE_ROOT ?= $(TARGET_DIR)/site
export DATABASE_URL ?= sqlite://data/atlas.db?mode=rwc
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
SHARED_TOOLS := $(ROOT)/../shared/tools/install-prebuilt

.PHONY: run test build build-e2e split-check tools audit rust-tools npm-deps py-deps browser lint unit-tests e2e bench bench-smoke load load-smoke fuzz schemathesis schemathesis-smoke bundle-check lighthouse clean

## make run: set up, build (release), migrate, seed the demo data when empty, serve on :3000
run: tools build
	@echo "First administrator: $(TARGET_DIR)/release/atlas user create --email you@example.org --role admin  (then type the password, 12 characters or more, and Enter)"
	$(TARGET_DIR)/release/atlas serve --seed-demo-if-empty

## make test: formatting, lints for both feature sets, Rust tests (SQLite, then PostgreSQL
## when it answers; under CI=true it must answer), browser tests
test: tools lint audit unit-tests e2e split-check bench-smoke load-smoke schemathesis-smoke

build: tools
	cargo leptos build --release --split

build-e2e: tools
	cargo leptos build --split

tools: rust-tools npm-deps py-deps browser

rust-tools:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! cargo-leptos --version 2>/dev/null | grep -q 0.3.11 || ! wasm-bindgen --version 2>/dev/null | grep -q 0.2.130; then \
	  if [ -x "$(SHARED_TOOLS)" ]; then "$(SHARED_TOOLS)"; fi; fi
	@cargo-leptos --version 2>/dev/null | grep -q 0.3.11 || ./scripts/install-cargo-leptos.sh
	@wasm-bindgen --version 2>/dev/null | grep -q 0.2.130 || ./scripts/install-wasm-bindgen.sh

npm-deps:
	@[ -d migrations/data/node_modules/@etalab ] || npm ci --prefix migrations/data --no-audit --no-fund
	@[ -d end2end/node_modules/@playwright ] && [ -d end2end/node_modules/@axe-core ] || npm ci --prefix end2end --no-audit --no-fund

## The Python the tests call (the Atom feed's checker): feedparser and lxml, from PyPI
PY_TOOLS := $(TARGET_DIR)/pytools
export ATLAS_PYTHON ?= $(PY_TOOLS)/bin/python
py-deps:
	@$(PY_TOOLS)/bin/python -c "import feedparser, lxml" 2>/dev/null || \
	  (python3 -m venv $(PY_TOOLS) && $(PY_TOOLS)/bin/pip install -q "feedparser==6.0.14" "lxml==6.2.0")

browser:
	@command -v chromium >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@command -v xmllint >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils)

lint:
	cargo fmt --all -- --check
	cargo clippy -p server -p migration -p allocator --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

## make audit (part of make test): cargo deny on the dependencies (deny.toml): known
## vulnerabilities (the RustSec database; ATLAS_ADVISORY_DB names a local clone where GitHub
## cannot be reached), licences, sources
audit:
	@cargo deny --version 2>/dev/null | grep -q 0.20.2 || env -u CARGO_TARGET_DIR cargo install --locked cargo-deny --version 0.20.2
	./scripts/audit.sh

# The same packages both times, so that the second run reuses the first one's build.
unit-tests:
	cargo test -p app -p server -p migration
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "PostgreSQL answers: the same tests against it"; \
	  ATLAS_TEST_DATABASE_URL=$(PG_URL) cargo test -p app -p server -p migration; \
	elif [ "$(CI)" = "true" ]; then echo "PostgreSQL not reachable on 127.0.0.1:5432: CI requires it"; exit 1; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped"; fi

e2e: build-e2e
	cd end2end && ATLAS_BIN=$(TARGET_DIR)/debug/atlas npx playwright test

## make bench: seed 130,000 partnerships, measure the search and the pages over HTTP beside
## Datasette on the same data (docs/PERFORMANCE.md); results in $(TARGET_DIR)/bench/results.md
bench: tools build
	TARGET_DIR=$(TARGET_DIR) ./scripts/bench/run.sh

## make bench-smoke (part of make test): the same script on 2,000 partnerships with the debug
## build, a second per measure and 20 writes, so that the benchmark itself keeps working
bench-smoke: build-e2e
	TARGET_DIR=$(TARGET_DIR) BENCH_DIR=$(TARGET_DIR)/bench-smoke ATLAS_BIN=$(TARGET_DIR)/debug/atlas \
	  BENCH_COUNT=2000 BENCH_SKIP_DATASETTE=1 BENCH_DURATION=1s BENCH_PAGE_DURATION=1s \
	  BENCH_WRITES=20 BENCH_STRICT=1 BENCH_QUIET_MAX=3 BENCH_ATLAS_PORT=3911 ./scripts/bench/run.sh > /dev/null

## make load: 200 connections for 60 s on the search, pages, exports and drafts saved signed in,
## at 130,000 partnerships, with the release build; fails on any error (docs/PERFORMANCE.md).
## On PostgreSQL: LOAD_POSTGRES=postgres://postgres@127.0.0.1:5432 make load
load: tools build
	TARGET_DIR=$(TARGET_DIR) ./scripts/load/run.sh

## make load-smoke (part of make test): the same on 2,000 partnerships with the debug build,
## 20 connections for 5 s
load-smoke: build-e2e
	TARGET_DIR=$(TARGET_DIR) LOAD_DIR=$(TARGET_DIR)/load-smoke ATLAS_BIN=$(TARGET_DIR)/debug/atlas \
	  LOAD_COUNT=2000 LOAD_DURATION=5s LOAD_CONNECTIONS=20 LOAD_PORT=3932 ./scripts/load/run.sh > /dev/null

## make fuzz: the property tests of the parsers (legacy pages, the search's query string and
## words, the declaration form's fields) with FUZZ_CASES cases each instead of 256
FUZZ_CASES ?= 50000
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) cargo test -p app -p server -p migration --lib properties

## make schemathesis: requests generated from /api/v1/openapi.json, anonymous and with a staff
## member's token, 50 examples per operation (ST_EXAMPLES); fails on a server error or an answer
## the description does not allow (ST_CHECKS=all adds what should be accepted or refused)
schemathesis: build-e2e
	TARGET_DIR=$(TARGET_DIR) ./scripts/schemathesis.sh

## make schemathesis-smoke (part of make test): the same with 5 examples per operation
schemathesis-smoke: build-e2e
	TARGET_DIR=$(TARGET_DIR) ST_DIR=$(TARGET_DIR)/schemathesis-smoke ST_EXAMPLES=5 ST_PORT=3943 ./scripts/schemathesis.sh

## make bundle-check: the release build, then fails when what every page loads (the
## hydration bundle: the main WebAssembly module and its JavaScript) passes 200 KB brotli
## or when a lazy island's module lost its texts to it (as make split-check)
bundle-check: build
	python3 scripts/bundle.py $(LEPTOS_SITE_ROOT)/pkg --max-public-brotli 200000

## make split-check (part of make test): the bundle's table for the build the browser tests
## ran, failing when a lazy island's module lost its texts to the main module (scripts/bundle.py)
split-check: build-e2e
	python3 scripts/bundle.py $(LEPTOS_SITE_ROOT)/pkg

## make lighthouse: Lighthouse (mobile) on the search, a partnership and a country page of the
## Atlas running at BASE (default http://127.0.0.1:3000, e.g. `make run`); fails below
## performance 95 or SEO 100
lighthouse: browser
	BASE=$(or $(BASE),http://127.0.0.1:3000) LIGHTHOUSE_DIR=$(TARGET_DIR)/lighthouse ./scripts/lighthouse.sh

clean:
	cargo clean
