# motcua — the README's two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := motcua.settings

.PHONY: install run static demo serve test test-sqlite test-postgres lint format lock bench loadtest clean

$(BIN)/motcua: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

install: $(BIN)/motcua

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The demo pays through the built-in sandbox gateway; elsewhere, with DEBUG off, online payment
# stays off until PAYMENT_PROVIDER names a real provider (docs/security.md, "Payments").
run: export PAYMENT_PROVIDER ?= sandbox

# collectstatic only when a static file or the installed packages changed: first the hashed
# files and their manifest (enough to serve), then, in the background, their gzip/brotli copies
# (compressing Django admin's files takes most of collectstatic's time).
STATIC_FILES := $(shell find src/motcua -path '*/static/*' -type f 2>/dev/null)
var/static/.collected: $(BIN)/motcua $(STATIC_FILES)
	$(BIN)/motcua demo_static
	@touch $@

var/static/.compressed: var/static/.collected
	$(BIN)/motcua demo_static --compress
	@touch $@

static: install var/secret_key var/static/.collected

# Migrate and load the demo's reference data (agencies, procedures, users; one process) while
# collectstatic runs beside them, then serve with gunicorn while the demo's 2021 history
# (dossiers, 1022 feedback) and the compressed static files are made in the background at a
# lower priority (log: var/demo-history.log). Everything is idempotent: a second run loads
# nothing twice, and an interrupted history load resumes. Every motcua command reads the
# SECRET_KEY from var/secret_key (SECRET_KEY_FILE).
run: install var/secret_key
	@$(MAKE) --no-print-directory static & static=$$!; \
	$(BIN)/motcua demo --migrate --part reference; loaded=$$?; \
	wait $$static && test $$loaded -eq 0
	@echo "Dữ liệu 2021 (hồ sơ, phản ánh 1022) đang được nạp nền: var/demo-history.log"
	$(SERVE) --background 'nice -n 10 $(BIN)/motcua demo --part history; nice -n 10 $(MAKE) --no-print-directory var/static/.compressed' \
		--background-log var/demo-history.log $(TASK_SERVICES) -- --preload

# The last step of `make run`, alone (`make serve`, once `make run` has installed and loaded).
# `exec`: scripts/serve.py becomes make's direct child, so make's SIGTERM reaches it; it runs
# gunicorn (src/motcua/gunicorn_conf.py) in a process group of its own and stops all it started
# on Ctrl-C, SIGTERM or make's death (docs/deployment.md, "Process supervision").
SERVE = exec $(BIN)/python scripts/serve.py --bind $(HOST):$(PORT)
# Beside the web server, under the same supervisor: the background-task worker and the
# scheduler of periodic jobs (docs/tasks.md; logs in var/worker.log and var/scheduler.log).
TASK_SERVICES = --background '$(BIN)/motcua worker' --background-log var/worker.log \
	--background '$(BIN)/motcua scheduler' --background-log var/scheduler.log
serve: export PAYMENT_PROVIDER ?= sandbox
serve: var/secret_key
	$(SERVE) $(TASK_SERVICES)

# The whole suite: on SQLite and on a temporary PostgreSQL server, side by side
# (scripts/test_both.py; each pass's log in var/test-logs/).
test: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python scripts/test_both.py

test-sqlite: install
	$(BIN)/pytest -m "not postgres_only"

test-postgres: install
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: install
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

# Re-pin every dependency after editing pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# The load-test suite (issue 11): its own PostgreSQL cluster (kept in $(MOTCUA_LOAD_DIR),
# one database per size, generated once), Redis and gunicorn as production runs them, wrk,
# locust and pgbench on 127.0.0.1; results in $(MOTCUA_LOAD_DIR)/results-*.md
# (benchmarks/README.md, "Load tests"). `make loadtest SIZES=1M,10M DURATION=15 ARGS=--docs`
SIZES ?= 1M
DURATION ?= 15
MOTCUA_LOAD_DIR ?= var/loadtest
loadtest: install
	MOTCUA_LOAD_DIR=$(MOTCUA_LOAD_DIR) $(BIN)/python benchmarks/loadtest.py --sizes $(SIZES) --duration $(DURATION) $(ARGS)

clean:
	rm -rf $(VENV) var build src/*.egg-info
