"""Coverage-guided fuzzing (atheris/libFuzzer) of the engine's entry points: `make fuzz`.

    .venv/bin/python tests/fuzz/fuzz_engine.py TARGET [libFuzzer options] CORPUS_DIR tests/fuzz/seeds

libFuzzer writes what it finds into the FIRST directory: give a working one (make fuzz uses .fuzz/corpus/),
never tests/fuzz/seeds alone.

TARGET is diagnose, csr, pkcs12 or mime (tests/fuzz/targets.py). A crash is any exception that escapes,
and also any reader or check failure the engine caught and logged: those lose part of a person's report.
Copy an input that crashed into tests/fuzz/found/ with its fix: test_found_inputs.py runs it from then on.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports(include=["smimecenter", "asn1crypto", "email", "tests.fuzz"]):
    from tests.fuzz.targets import TARGETS, run_one

logging.getLogger("smimecenter.diagnostics").propagate = False  # the harness reads them; no need to print


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] CORPUS...")
    target = sys.argv.pop(1)
    atheris.Setup(sys.argv, lambda data: run_one(target, data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
