# Every target installs what it needs first, so a fresh clone needs only `make run`
# or `make test`. uv is bootstrapped through pip when the machine lacks it.
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
APP := interfaces.app:create_app

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif
RUN := $(UV) run --frozen --no-sync
# Serving runs from its own environment, installed as production installs it: without the
# dev tools, whose pydantic Litestar would import in every server (8 MiB of its RSS).
SERVE_ENV := .venv-serve
# Not an activated .venv either (uv would warn that it ignores it).
IN_SERVE_ENV := env -u VIRTUAL_ENV UV_PROJECT_ENVIRONMENT=$(SERVE_ENV)
SERVE := $(IN_SERVE_ENV) $(RUN) litestar --app $(APP)

.PHONY: install install-serve run migrate serve worker client test lint format unit system-packages bench bench-keys bench-read-path bench-memory clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --extra otel
	touch $@

$(SERVE_ENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(IN_SERVE_ENV) $(UV) sync --frozen --no-dev --compile-bytecode --extra otel
	touch $@

install: .venv/.installed
install-serve: $(SERVE_ENV)/.installed

# The in-memory store has no schema; everything else migrates through
# advanced-alchemy's Alembic CLI before serving, never inside app start-up.
migrate: install-serve
ifneq ($(PERSISTENCE),memory)
	$(SERVE) database upgrade --no-prompt
endif

# Worker processes (uvicorn's --workers past 1), each with its own pool: keep
# WEB_CONCURRENCY x (pool size + overflow) within the database's connection budget.
WEB_CONCURRENCY ?= 1
serve: install-serve
	$(SERVE) run --host $(HOST) --port $(PORT) --wc $(WEB_CONCURRENCY)

run: migrate serve

worker: install-serve
	$(SERVE) jobs worker --count $(or $(JOB_WORKERS),1)

# The typed Python client (clients/python), generated from the service's OpenAPI document
# by the openapi-python-client pinned in pyproject.toml; tests fail when it is stale.
client: install
	$(RUN) python clients/generate.py

lint: install
	$(RUN) ruff check src tests bench clients/generate.py
	$(RUN) ruff format --check src tests bench clients/generate.py
	$(RUN) mypy
	$(RUN) lint-imports

format: install
	$(RUN) ruff format src tests bench clients/generate.py
	$(RUN) ruff check --fix src tests bench clients/generate.py

# Debian packages some tests drive: headless Chromium (the docs page) and PgBouncer (the
# PostgreSQL suites through a transaction pooler). Installed here when missing and the
# machine allows it (root with apt-get); otherwise those tests skip (and fail in CI).
SYSTEM_PACKAGES := chromium:chromium pgbouncer:/usr/sbin/pgbouncer
system-packages:
	@for entry in $(SYSTEM_PACKAGES); do \
	  package=$${entry%%:*}; binary=$${entry#*:}; \
	  command -v $$binary >/dev/null || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null \
	    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$package </dev/null; } \
	    || echo "could not install $$package: the tests that need it will skip"; \
	done

# install-serve too: some tests start `make run`, whose first install would print.
unit: install install-serve system-packages
	$(RUN) pytest -q

test: lint unit

# The hot paths over real HTTP, side by side with the raw-asyncpg ceiling (and the
# FastAPI peer with BENCH_PEER=1, the ceiling writing in transactions with
# BENCH_CEILING_TX=1) through the shared harness; figures, not a test.
BENCH_HARNESS ?= ../shared/bench
bench: install
	@test -x $(BENCH_HARNESS)/run.sh || { echo "make bench: no harness at $(BENCH_HARNESS)/run.sh (set BENCH_HARNESS)" >&2; exit 2; }
	$(BENCH_HARNESS)/run.sh ceiling=$(BENCH_HARNESS)/ceiling/run.sh tasklane='make -s run' \
	  $(if $(filter 1,$(BENCH_PEER)),peer=$(BENCH_HARNESS)/peer_fastapi/run.sh) \
	  $(if $(filter 1,$(BENCH_CEILING_TX)),ceiling_tx='$(PYTHON) -m bench.ceiling_tx $(BENCH_HARNESS)')
	$(MAKE) -s bench-keys

# What an Idempotency-Key costs POST /tasks (the harness has no keyed scenario).
bench-keys: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(RUN) python -m bench.keyed_create

# Where a cached read's database time goes, layer by layer, in process (bench/read_path.py).
bench-read-path: install
	$(RUN) python -m bench.read_path

# The serving process's RSS after start, a sign-in and a mix of requests, and its peak,
# beside the FastAPI peer's when the harness's venv exists (bench/memory.py); under a minute.
bench-memory: install
	$(RUN) python -m bench.memory

clean:
	rm -rf .venv $(SERVE_ENV) .tools .mypy_cache .pytest_cache .ruff_cache
