# More 4 Life Physical Therapy: the clinic's site. `make help` lists the targets.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

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

test: install ## Run the whole test suite (uses DATABASE_URL/REDIS_URL when set)
	$(BIN)/python -m pytest -q

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install ## Django system checks and missing migrations
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: install ## A Celery worker with beat (needs REDIS_URL)
	$(BIN)/celery -A cms worker --beat --loglevel=INFO

.PHONY: help install run test lint check worker
