# The two promises of the README: `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
FUZZ_STAMP := $(VENV)/.installed-fuzz

.PHONY: run test bench fuzz lock-links clean

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

test: $(TEST_STAMP) node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

bench: $(TEST_STAMP)
	for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

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
