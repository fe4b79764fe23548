"""How long the embedded email trust store takes to load in a fresh process, and to answer lookups.

The store is read on the first diagnosis a process serves, so its load time is paid by one visitor per worker;
the target is under 50 ms. Lookups run for every certificate of every chain, so they must stay in microseconds.
Run: .venv/bin/python bench/bench_trust_store.py
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOAD_TARGET_MS = 50.0
FRESH_PROCESSES = 7
LOOKUP_ROUNDS = 200

# Runs in a new interpreter: times the imports and the first load separately, then prints them as JSON.
_PROBE = """
import json, time
start = time.perf_counter()
import cryptography.x509
after_cryptography = time.perf_counter()
from smimecenter.diagnostics.trust import email_trust_store
after_import = time.perf_counter()
store = email_trust_store()
after_load = time.perf_counter()
print(json.dumps({"cryptography_import": after_cryptography - start, "trust_import": after_import - after_cryptography,
                  "load": after_load - after_import, "roots": len(store)}))
"""


def fresh_process_figures() -> list[dict[str, float]]:
    runs = []
    for _ in range(FRESH_PROCESSES):
        output = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True,
                                timeout=120, check=True).stdout
        runs.append(json.loads(output))
    return runs


def lookup_figures() -> dict[str, float]:
    from cryptography import x509

    from smimecenter.diagnostics.trust import email_trust_store

    store = email_trust_store()
    certificates = list(store)
    queries = []
    for certificate in certificates:
        try:
            key_id = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        except x509.ExtensionNotFound:
            key_id = None
        queries.append((certificate.subject, key_id))
    unknown = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Nobody's Root")])

    def per_call(action, count: int) -> float:
        start = time.perf_counter()
        action()
        return (time.perf_counter() - start) / count * 1e6

    hits = per_call(lambda: [store.candidates(subject, key_id) for _ in range(LOOKUP_ROUNDS)
                             for subject, key_id in queries], LOOKUP_ROUNDS * len(queries))
    misses = per_call(lambda: [store.candidates(unknown, None) for _ in range(LOOKUP_ROUNDS * 100)],
                      LOOKUP_ROUNDS * 100)
    contains = per_call(lambda: [store.contains(certificate) for _ in range(LOOKUP_ROUNDS)
                                 for certificate in certificates], LOOKUP_ROUNDS * len(certificates))
    return {"candidates_hit_us": hits, "candidates_miss_us": misses, "contains_us": contains}


def main() -> int:
    runs = fresh_process_figures()
    load_ms = statistics.median(run["load"] for run in runs) * 1e3
    trust_import_ms = statistics.median(run["trust_import"] for run in runs) * 1e3
    cryptography_ms = statistics.median(run["cryptography_import"] for run in runs) * 1e3
    roots = int(runs[0]["roots"])
    print(f"Embedded email trust store: {roots} roots; medians over {FRESH_PROCESSES} fresh processes")
    print(f"  first load (parse + index)     {load_ms:7.1f} ms   target < {LOAD_TARGET_MS:.0f} ms: "
          f"{'met' if load_ms < LOAD_TARGET_MS else 'MISSED'}")
    print(f"  load + import of trust.py      {load_ms + trust_import_ms:7.1f} ms")
    print(f"  import of cryptography.x509    {cryptography_ms:7.1f} ms   (shared with the rest of the engine)")
    lookups = lookup_figures()
    print(f"  candidates(), name found       {lookups['candidates_hit_us']:7.2f} us per call")
    print(f"  candidates(), unknown name     {lookups['candidates_miss_us']:7.2f} us per call")
    print(f"  contains()                     {lookups['contains_us']:7.2f} us per call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
