# More 4 Life Physical Therapy: the clinic's site. `make help` lists the targets.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate ## Create .venv and install the requirements

run: install ## Run the site on 127.0.0.1:8000 with demo content (SQLite, no Redis needed)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py runserver_with_banner $(HOST):$(PORT)

# The tests use the real services: PostgreSQL and Redis on this machine unless the environment
# names others (the Celery worker tests need PostgreSQL to share the test database).
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/m4l
test: export REDIS_URL ?= redis://127.0.0.1:6379/9
test: install ## Run the whole test suite against PostgreSQL and Redis (DATABASE_URL, REDIS_URL)
	$(BIN)/python -m pytest -q

demo: install ## Load the demo content (idempotent; demo login only under DEBUG)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content

e2e: install ## Run only the browser tests (Debian chromium via Playwright)
	$(BIN)/python -m pytest -q tests/e2e

bench: install ## Throughput: wrk against gunicorn + PostgreSQL (see docs/benchmarks.md)
	$(BIN)/python benchmarks/pages.py

bench-quality: install ## Bytes on first view and Lighthouse scores of the demo article
	$(BIN)/python benchmarks/page_quality.py

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install ## Django system checks and missing migrations
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: install ## A Celery worker with beat (needs REDIS_URL)
	$(BIN)/celery -A cms worker --beat --loglevel=INFO

.PHONY: help install run demo test e2e bench bench-quality lint check worker
