# Waardecoach: `make run` to chat, `make test` to run every test. `make help` lists all targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/waardecoach.tar.gz
CONFIG ?= config.yml
ACTIONS_PORT ?= 5055
RASA_PORT ?= 5005
WEB_PORT ?= 8000
WEB_ASSETS := web/node_modules/.installed

export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
# Every conversation is stored here (an SQLite file by default; PostgreSQL: see README).
export WAARDECOACH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/waardecoach.db
export WAARDECOACH_RASA_URL ?= http://127.0.0.1:$(RASA_PORT)
export WAARDECOACH_ALLOWED_ORIGINS ?= http://127.0.0.1:$(WEB_PORT),http://localhost:$(WEB_PORT)
# The action server (rasa-sdk) listens on all interfaces unless SANIC_HOST says otherwise.
export SANIC_HOST ?= 127.0.0.1
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

TRAINING_DATA := $(shell find data -name '*.yml') domain.yml $(CONFIG)

.PHONY: help venv web-assets system-deps train run shell actions validate lint evaluate tune-nlu test test-unit test-stories test-e2e test-reliability test-browser test-scaleout bench clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt .python-version
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 10), "Rasa 3.6 needs Python 3.10 (see .python-version), got " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.2
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/.installed ## Create the virtual environment and install the pinned requirements

$(WEB_ASSETS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web-assets: $(WEB_ASSETS) ## Install the widget's browser libraries (npm, pinned in web/package-lock.json)

system-deps: ## Install the Debian packages the tests need (Chromium, PostgreSQL, nginx, Redis) when missing
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(MODEL): $(BIN)/.installed $(TRAINING_DATA)
	$(BIN)/rasa train --config $(CONFIG) --domain domain.yml --data data --out models --fixed-model-name waardecoach
	touch $@

train: $(MODEL) ## Train the model (only when it is missing or older than the data)

actions: venv ## Run the action server in the foreground
	$(BIN)/rasa run actions --actions actions --port $(ACTIONS_PORT)

run: $(MODEL) $(WEB_ASSETS) ## Start everything (action server, Rasa, web app) and print the URLs
	@bash scripts/run.sh $(MODEL)

shell: $(MODEL) ## Chat with the bot in the terminal instead (action server + rasa shell)
	@bash scripts/shell.sh $(MODEL)

lint: venv ## Lint and check the formatting of the Python code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

validate: venv ## Check the training data, the domain, the coaching rules and the roleplay files
	$(BIN)/rasa data validate --config $(CONFIG) --domain domain.yml --data data
	$(BIN)/python -c "from bot.coaching import load_rules; print(len(load_rules()), 'coaching rules OK')"
	$(BIN)/python -c "from bot.personas import load_personas; from bot.roleplay_moves import load_moves; from bot.scorecard import load_rubric; print(len(load_personas()), 'personas,', len(load_moves()), 'moves and the rubric OK')"

test-unit: venv ## Unit tests of bot/, the actions and the web app
	$(BIN)/python -m pytest tests/unit tests/actions tests/web tests/offpath tests/moves

test-stories: $(MODEL) ## Story tests (every prediction must be right)
	$(BIN)/rasa test core --model $(MODEL) --stories tests/stories --out results/stories --fail-on-prediction-errors

test-e2e: $(MODEL) system-deps ## End-to-end tests against real servers on loopback (SQLite, PostgreSQL), and the NLU
	$(BIN)/python -m pytest tests/e2e tests/storage tests/nlu

test-browser: $(MODEL) $(WEB_ASSETS) system-deps ## Browser tests of the widget and the review page (headless Chromium)
	$(BIN)/python -m pytest tests/browser

test-reliability: $(MODEL) system-deps ## Hostile inputs, killed servers, a stopped database, security (docs/reliability.md)
	$(BIN)/python -m pytest tests/reliability

test-scaleout: $(MODEL) system-deps ## Two Rasa instances behind nginx, PostgreSQL and Redis: 50 concurrent conversations
	$(BIN)/python -m pytest -s tests/scaleout

test: lint test-unit validate test-stories test-e2e test-reliability test-browser test-scaleout ## Every test: lint, unit, data, stories, end to end, reliability, browser, scale-out

evaluate: $(MODEL) ## Off-path understanding (also through the real bot), rehearsal moves, NLU; reports/offpath*.md, moves.md, nlu_evaluation.md
	$(BIN)/python scripts/evaluate_offpath.py
	$(BIN)/python scripts/evaluate_offpath_rest.py
	$(BIN)/python scripts/evaluate_moves.py
	$(BIN)/python scripts/evaluate_nlu.py

tune-nlu: venv ## How the NLU pipeline was chosen: variants on splits of the training data, seeds on the held-out set
	$(BIN)/python scripts/tune_nlu.py

bench: venv ## Benchmark (not a test): trains, serves, replays conversations; writes reports/bench.{json,md}
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_long.py
	$(BIN)/python scripts/bench_mix.py
	$(BIN)/python scripts/bench_trainer.py

clean: ## Remove the trained models, test results and artefacts (not the transcripts in var/)
	rm -rf models results tests/artefacts
