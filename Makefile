# Nastavnik: everyday commands. Each target sets up .venv when it is missing or stale.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run webhook demo test test-fast lint bench migrate clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,postgres,redis]"
	touch $(STAMP)

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

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot storage emulator

bench: $(STAMP)
	$(PY) -m benchmarks all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
