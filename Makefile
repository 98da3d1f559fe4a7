# Two commands: `make run` (set up and serve the seeded site with a Celery worker and beat) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install install-dev messages migrate seed lint

# The worker and the beat are separate processes, as in production (README: Running on several machines).
run: setup
	@echo "Serving http://$(HOST):$(PORT)/ with a Celery worker and its beat beside it (Ctrl-C stops all three)."
	@DEBUG=$${DEBUG:-true} DEMO_NOTICE=$${DEMO_NOTICE:-true}; export DEBUG DEMO_NOTICE; \
	$(BIN)/celery -A config worker -n village-worker@%h --concurrency 2 -l INFO & worker=$$!; \
	$(BIN)/celery -A config beat -l INFO --schedule var/celerybeat-schedule & beat=$$!; \
	trap 'kill $$worker $$beat 2>/dev/null; wait $$worker $$beat 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

setup: install messages migrate seed

test: install-dev messages
	DEBUG=true VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

messages: install
	DEBUG=true $(BIN)/python manage.py compile_translations

migrate: install
	DEBUG=true $(BIN)/python manage.py migrate --noinput

seed: install
	DEBUG=true $(BIN)/python manage.py seed_demo
