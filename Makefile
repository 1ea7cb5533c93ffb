# motcua — the README's two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := motcua.settings

.PHONY: install run demo serve test test-sqlite test-postgres lint format lock bench clean

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

# Migrate, load the Cần Thơ demo data (idempotent) and serve with gunicorn.
run: install var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/motcua migrate --noinput
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/motcua collectstatic --noinput --verbosity 0
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/motcua demo
	$(SERVE)

# The last step of `make run`, alone (`make serve`, once `make run` has installed and loaded).
# `exec`: scripts/serve.py becomes make's direct child, so make's SIGTERM reaches it; it runs
# gunicorn (src/motcua/gunicorn_conf.py) in a process group of its own and stops all it started
# on Ctrl-C, SIGTERM or make's death (docs/deployment.md, "Process supervision").
SERVE = SECRET_KEY="$$(cat var/secret_key)" exec $(BIN)/python scripts/serve.py --bind $(HOST):$(PORT)
serve: export PAYMENT_PROVIDER ?= sandbox
serve: var/secret_key
	$(SERVE)

# The whole suite: on SQLite, then on a temporary PostgreSQL server.
test: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/pytest -m "not postgres_only" -p no:cacheprovider
	@$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 97 ]; then \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! PostgreSQL binaries (initdb) not found: PostgreSQL tests SKIPPED"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	else exit $$rc; fi

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

clean:
	rm -rf $(VENV) var build src/*.egg-info
