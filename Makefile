# The two promises of the README: `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
FUZZ_STAMP := $(VENV)/.installed-fuzz

.PHONY: run serve test bench bench-load fuzz lock-links clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The site needs requirements.txt; the tests also need requirements-dev.txt.
$(RUN_STAMP): $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(TEST_STAMP)

$(FUZZ_STAMP): $(TEST_STAMP) requirements-fuzz.txt
	$(BIN)/pip install --quiet -r requirements-fuzz.txt
	touch $(FUZZ_STAMP)

run: $(RUN_STAMP)
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

# The site as production runs it, on this machine: DEBUG off, static files collected, migrations
# applied, gunicorn (gunicorn.conf.py) on 127.0.0.1:8000. Without CACHE_URL, one worker (a per-process
# cache is only right for one); without SECRET_KEY, one kept in .cache/ for this checkout. No TLS here,
# so no HTTPS redirect; every other setting is the production one (see docs/deploy.md).
serve: $(RUN_STAMP) .cache/serve-secret-key
	@set -e; \
	export DEBUG=false; \
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .cache/serve-secret-key)}"; \
	export ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}"; \
	export SITE_URL="$${SITE_URL:-http://127.0.0.1:8000}"; \
	export SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}"; \
	if [ -z "$$CACHE_URL" ] && [ -z "$$WEB_CONCURRENCY" ]; then export WEB_CONCURRENCY=1; fi; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0; \
	$(BIN)/python manage.py migrate --noinput; \
	exec $(BIN)/gunicorn

.cache/serve-secret-key:
	mkdir -p .cache
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: $(TEST_STAMP) node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

bench: $(TEST_STAMP)
	for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

# 50 clients for 60 s through nginx in front of two gunicorn instances (bench/bench_load.py); the
# stack is started on free loopback ports and stopped again (.ci/deployed-stack).
bench-load: $(TEST_STAMP)
	bash -c 'set -euo pipefail; source .ci/deployed-stack; stack_install; trap stack_stop EXIT; stack_start; \
	  $(BIN)/python bench/bench_load.py'

# Coverage-guided fuzzing, niced: `make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="diagnose mime"` runs each target
# for that many seconds from the seeds in tests/fuzz/seeds/; the corpus grows in .fuzz/corpus/, and an input
# that crashes lands in .fuzz/crashes/ (copy it to tests/fuzz/found/ with the fix: it becomes a test).
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= diagnose csr pkcs12 mime
fuzz: $(FUZZ_STAMP)
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p .fuzz/corpus/$$t .fuzz/crashes/$$t && \
	  nice -n 19 $(BIN)/python tests/fuzz/fuzz_engine.py $$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix=.fuzz/crashes/$$t/ .fuzz/corpus/$$t tests/fuzz/seeds \
	    || exit 1; \
	done

lock-links: $(RUN_STAMP)
	DEBUG=true $(BIN)/python manage.py lock_links

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# axe-core (pinned in package.json) for the accessibility checks of the browser tests; skipped without npm,
# in which case those checks skip themselves.
node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund && touch $@; else echo "npm not found: accessibility checks will be skipped"; fi
