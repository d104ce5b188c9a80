# Nastavnik: everyday commands. Each target sets up .venv when it is missing or stale,
# with what it needs: the bot alone (run, webhook, migrate, demo), the test and lint
# tools (test, lint: extra `dev`), the benchmarks' tools (bench: extra `bench`).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
RUN_EXTRAS := postgres,redis
DEV_EXTRAS := dev,postgres,redis
BENCH_EXTRAS := bench,postgres,redis

.PHONY: install run webhook demo test test-fast lint bench migrate clean

define pip_install
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(1)]"
endef

$(STAMP): pyproject.toml
	$(call pip_install,$(RUN_EXTRAS))
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(call pip_install,$(DEV_EXTRAS))
	touch $(DEV_STAMP)

$(BENCH_STAMP): $(STAMP)
	$(call pip_install,$(BENCH_EXTRAS))
	touch $(BENCH_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

# Webhook mode needs WEBHOOK_SECRET: taken from the environment (docker-compose passes
# it), else from .env, where a new one is written when there is none.
webhook: $(STAMP)
	@test -n "$$WEBHOOK_SECRET" || $(PY) -m bot webhook-secret .env
	$(PY) -m bot webhook

migrate: $(STAMP)
	$(PY) -m bot migrate

demo: $(STAMP)
	$(PY) -m bot demo --fast

# The tests run side by side in TEST_WORKERS processes (pytest-xdist), each taking whole
# files (a module's shared fixtures run once), the long folders first (tests/conftest.py);
# TEST_WORKERS=0 runs them all in this one process.
TEST_WORKERS ?= 2

test: $(DEV_STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot storage emulator

bench: $(BENCH_STAMP)
	$(PY) -m benchmarks all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
