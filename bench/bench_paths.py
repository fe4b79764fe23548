"""RFC 5280 path validation: suite scores, the cost of the validator of record, and a diagnosis
request under 50 concurrent clients.

Not a test: run `python bench/bench_paths.py` (or `make bench`) and read the figures.
Targets: NIST PKITS all in-scope tests right; x509-limbo in scope 0 wrong outside the one table of
S/MIME differences (tests/diagnostics/suites.py); a diagnosis request under 20 ms at the 95th
percentile with 50 concurrent clients on loopback. The machine these run on may be shared: the
server figures say how loaded it was (load average) next to the numbers.
"""
from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import setup  # noqa: E402

setup()

from asn1crypto import x509 as asn1_x509  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding  # noqa: E402
from cryptography.utils import CryptographyDeprecationWarning  # noqa: E402
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store  # noqa: E402
from pyhanko_certvalidator import CertificateValidator, ValidationContext  # noqa: E402

from smimecenter.diagnostics import TrustStore, diagnose, email_trust_store  # noqa: E402
from smimecenter.diagnostics.path_validation import run_to_end, settings_for, trust_anchor  # noqa: E402
from tests.diagnostics import suites  # noqa: E402
from tests.diagnostics.builders import NOW, make_chain, pem  # noqa: E402

CLIENTS = 50
REQUESTS_PER_CLIENT = 20


def best_ms(run: Callable[[], object], *, repeat: int) -> float:
    run()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples)


def suite_scores() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for label, cases in (("NIST PKITS", suites.pkits_cases()), ("x509-limbo", suites.limbo_cases())):
            right = sum(suites.engine_valid(c) == c.expected_valid for c in cases)
            tabled = [c for c in cases if c.name in suites.WHERE_SMIME_DIFFERS]
            wrong = suites.disagreements(cases)
            record = [suites.record_valid(c) for c in cases]
            record_right = sum(r == c.expected_valid for r, c in zip(record, cases))
            undecided = sum(r is None for r in record)
            print(f"{label}: {len(cases)} cases in scope")
            print(f"  engine right: {right}; different by S/MIME policy (the table): {len(tabled)}; "
                  f"wrong outside the table: {len(wrong)}")
            print(f"  pyhanko-certvalidator alone right: {record_right}; undecided: {undecided}")
            for name, expected, ours in wrong:
                print(f"    WRONG {name}: expected {'valid' if expected else 'invalid'}, "
                      f"engine {'valid' if ours else 'invalid'}")


def three_certificate_chain() -> None:
    email_trust_store()
    chain = make_chain()
    supplied = pem(chain.leaf, chain.intermediate)
    extra = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")

    ca_policy = ExtensionPolicy.permit_all().require_present(x509.BasicConstraints,
                                                             Criticality.AGNOSTIC, None)
    verifier = (PolicyBuilder().store(Store([chain.root.certificate])).time(NOW)
                .extension_policies(ca_policy=ca_policy, ee_policy=ExtensionPolicy.permit_all())
                .build_client_verifier())

    def cryptography_verifier() -> None:
        leaf, *intermediates = x509.load_pem_x509_certificates(supplied)
        verifier.verify(leaf, intermediates)

    root_der, intermediate_der = chain.root.der, chain.intermediate.der

    def pyhanko_alone() -> None:
        leaf, *intermediates = x509.load_pem_x509_certificates(supplied)
        load = asn1_x509.Certificate.load
        context = ValidationContext(trust_roots=[trust_anchor(load(root_der))], moment=NOW,
                                    other_certs=[load(intermediate_der)], **settings_for())
        validator = CertificateValidator(load(leaf.public_bytes(Encoding.DER)),
                                         validation_context=context)
        run_to_end(validator.async_validate_path)

    def full_diagnosis() -> None:
        report = diagnose([supplied], trust=[extra], at=NOW)
        assert report.trust["trusted"], report.summary
        report.to_dict()

    print("\nleaf + intermediate + root, one run (best of 200)")
    print(f"  cryptography's verifier (yes or no):            {best_ms(cryptography_verifier, repeat=200):7.3f} ms")
    print(f"  pyhanko-certvalidator alone (its own builder):  {best_ms(pyhanko_alone, repeat=200):7.3f} ms")
    print(f"  full diagnosis, validator of record included:   {best_ms(full_diagnosis, repeat=200):7.3f} ms")


SERVER = """
import os, sys
sys.path.insert(0, {root!r})
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
import django
django.setup()
from django.core.wsgi import get_wsgi_application

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

class Server(ThreadedWSGIServer):
    request_queue_size = 256  # 50 clients connect at once; the default backlog of 5 resets them

server = Server(("127.0.0.1", 0), Quiet)
server.set_app(get_wsgi_application())
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def concurrent_requests() -> None:
    chain = make_chain()
    body = json.dumps({"text": pem(chain.leaf, chain.intermediate).decode(),
                       "trust": [chain.root_pem.decode()]}).encode()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "smimecenter.settings", "DEBUG": "false",
                   "SECRET_KEY": "bench-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1",
                   "SECURE_SSL_REDIRECT": "false", "DIAGNOSE_RATE_LIMIT_PER_MINUTE": "0",
                   "LOG_LEVEL": "ERROR"}
    server = subprocess.Popen([sys.executable, "-W", "ignore", "-c", SERVER.format(root=str(ROOT))],
                              stdout=subprocess.PIPE, env=environment, text=True)
    try:
        port = int(server.stdout.readline())
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def client() -> None:
            # One connection per request: the server closes idle keep-alive connections.
            for _ in range(REQUESTS_PER_CLIENT):
                start = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    connection.request("POST", "/api/v1/diagnose", body=body,
                                       headers={"Content-Type": "application/json"})
                    response = connection.getresponse()
                    response.read()
                    outcome = None if response.status == 200 else str(response.status)
                except OSError as error:
                    outcome = type(error).__name__
                finally:
                    connection.close()
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    if outcome is not None:
                        failures.append(outcome)

        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(5):
            warm.request("POST", "/api/v1/diagnose", body=body, headers={"Content-Type": "application/json"})
            warm.getresponse().read()
        warm.close()
        single = []
        for _ in range(50):
            start = time.perf_counter()
            one = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            one.request("POST", "/api/v1/diagnose", body=body, headers={"Content-Type": "application/json"})
            one.getresponse().read()
            one.close()
            single.append((time.perf_counter() - start) * 1000)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"\nPOST /api/v1/diagnose, 3-certificate chain, {CLIENTS} concurrent clients x "
          f"{REQUESTS_PER_CLIENT} requests, one server process (threads) on loopback")
    print(f"  median {statistics.median(latencies):.1f} ms, 95th percentile {p95:.1f} ms "
          f"(target under 20 ms), max {latencies[-1]:.1f} ms; {len(latencies) / wall:.0f} requests/s; "
          f"failed: {len(failures)} {sorted(set(failures))}")
    print(f"  one client alone, 50 requests: median {statistics.median(single):.1f} ms, "
          f"best {min(single):.1f} ms (the service time; the rest above is queueing)")
    print(f"  {os.cpu_count()} CPU(s), load average {load_before:.1f} before the run "
          "(a shared machine makes every figure here higher)")


def main() -> None:
    suite_scores()
    three_certificate_chain()
    concurrent_requests()


if __name__ == "__main__":
    main()
