"""What online checks add to a diagnosis once the answers are cached.

Not a test: run `python bench/bench_online.py` (or `make bench`) and read the figures.
A 3-certificate chain (leaf, intermediate, root) whose leaf has an OCSP responder and whose
intermediate has a CRL, both on a local server; the first online diagnosis fills Django's cache
(locmem here, as in a single process), later ones read it. Target: a warm online check adds
under 1 ms to the same diagnosis offline.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _django import setup  # noqa: E402

setup()

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.x509 import ocsp  # noqa: E402
from django.core.cache import cache  # noqa: E402

from smimecenter.diagnostics import TrustStore, diagnose  # noqa: E402
from smimecenter.diagnostics.online.fetch import FetchPolicy, parse_allow_list  # noqa: E402
from smimecenter.diagnostics.online.session import OnlineChecks  # noqa: E402
from smimecenter.tools.online import DjangoResponseCache  # noqa: E402
from tests.diagnostics.builders import NOW, make_intermediate, make_leaf, make_root, pem  # noqa: E402
from tests.diagnostics.online.server import start_local_server  # noqa: E402

import datetime as dt  # noqa: E402

ROUNDS = 200


def main() -> None:
    server = start_local_server()
    root = make_root(common_name="Bench Online Root")
    intermediate = make_intermediate(issuer=root, common_name="Bench Online CA", crl=server.url("/root.crl"))
    leaf = make_leaf(issuer=intermediate, aia_ca_issuers=None, ocsp=server.url("/ocsp"), crl=None)
    crl = (x509.CertificateRevocationListBuilder().issuer_name(root.subject)
           .last_update(NOW - dt.timedelta(hours=1)).next_update(NOW + dt.timedelta(days=1))
           .sign(root.key, hashes.SHA256()))
    server.serve("/root.crl", crl.public_bytes(serialization.Encoding.DER))

    def answer(body: bytes):
        response = (ocsp.OCSPResponseBuilder()
                    .add_response(cert=leaf.certificate, issuer=intermediate.certificate, algorithm=hashes.SHA1(),
                                  cert_status=ocsp.OCSPCertStatus.GOOD, this_update=NOW - dt.timedelta(hours=1),
                                  next_update=NOW + dt.timedelta(days=1), revocation_time=None,
                                  revocation_reason=None)
                    .responder_id(ocsp.OCSPResponderEncoding.HASH, intermediate.certificate)
                    .sign(intermediate.key, hashes.SHA256()))
        return 200, {}, response.public_bytes(serialization.Encoding.DER)

    server.routes["/ocsp"] = answer
    cache.clear()
    online = OnlineChecks(policy=FetchPolicy(allow=parse_allow_list(["127.0.0.1"])), cache=DjangoResponseCache())
    inputs = [pem(leaf, intermediate)]
    trust = [TrustStore.from_pem(pem(root), name="Bench root")]

    started = time.perf_counter()
    cold = diagnose(inputs, trust=trust, online=online)
    cold_ms = (time.perf_counter() - started) * 1000
    codes = sorted(c for c in cold.codes if c.startswith("revocation."))
    assert codes == ["revocation.good", "revocation.good"], codes
    requests = len(server.requests)

    def timed(checks) -> list[float]:
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            diagnose(inputs, trust=trust, online=checks)
            samples.append((time.perf_counter() - start) * 1000)
        return sorted(samples)

    offline, warm = [], []
    for _ in range(3):  # interleaved, so both see the same load on a shared machine
        offline += timed(None)
        warm += timed(online)
    assert len(server.requests) == requests, "a warm check made a request"
    server.stop()
    off_med, warm_med = statistics.median(offline), statistics.median(warm)
    off_min, warm_min = min(offline), min(warm)
    print("Online checks, 3-certificate chain (OCSP for the leaf, CRL for the intermediate)")
    print(f"  cold online diagnosis (2 requests to a local server): {cold_ms:8.2f} ms")
    print(f"  offline diagnosis:      best {off_min:6.3f} ms, median {off_med:6.3f} ms")
    print(f"  warm online diagnosis:  best {warm_min:6.3f} ms, median {warm_med:6.3f} ms")
    print(f"  added by online checks: best {warm_min - off_min:6.3f} ms, median {warm_med - off_med:6.3f} ms "
          f"(target under 1 ms); requests made while warm: 0")


if __name__ == "__main__":
    main()
