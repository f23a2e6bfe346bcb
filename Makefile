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
LITESTAR := $(RUN) litestar --app $(APP)

.PHONY: install run migrate serve test lint format unit bench clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	touch $@

install: .venv/.installed

# The in-memory store has no schema; everything else migrates through
# advanced-alchemy's Alembic CLI before serving, never inside app start-up.
migrate: install
ifneq ($(PERSISTENCE),memory)
	$(LITESTAR) database upgrade --no-prompt
endif

serve: install
	$(LITESTAR) run --host $(HOST) --port $(PORT)

run: migrate serve

lint: install
	$(RUN) ruff check src tests
	$(RUN) ruff format --check src tests
	$(RUN) mypy
	$(RUN) lint-imports

format: install
	$(RUN) ruff format src tests
	$(RUN) ruff check --fix src tests

unit: install
	$(RUN) pytest -q

test: lint unit

clean:
	rm -rf .venv .tools .mypy_cache .pytest_cache .ruff_cache
