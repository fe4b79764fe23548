"""Costs of a diagnosis, printed side by side with cryptography's own path verifier.

Not a test: run `python bench/bench_engine.py` (or `make bench`) and read the figures.
The leaf is read afresh on every run (a person's certificate is never kept); the intermediate and
root are CAs, which the engine remembers between diagnoses; "first time" clears that memory.
Targets: a full diagnosis of leaf + intermediate + root within 2x the verifier; 300 unrelated CA
certificates plus the real chain under 50 ms; cost growing about linearly from 50 to 1,000.
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography import x509  # noqa: E402

from bench._verifiers import email_verifier  # noqa: E402
from smimecenter.diagnostics import Limits, TrustStore, diagnose, email_trust_store  # noqa: E402
from smimecenter.diagnostics.certinfo import facts_of  # noqa: E402
from smimecenter.diagnostics.chains import build_chains  # noqa: E402
from smimecenter.diagnostics.inputs import read_inputs  # noqa: E402
from smimecenter.diagnostics.known_authorities import known_authorities  # noqa: E402
from tests.diagnostics.builders import NOW, ec_key, make_chain, make_root, pem  # noqa: E402

BIG_LIMITS = Limits(max_input_bytes=16 * 1024 * 1024, max_certificates=5000)


def best_ms(run: Callable[[], object], *, repeat: int) -> float:
    """The fastest of `repeat` runs: on a shared machine the minimum is the stable figure
    (other processes only ever add time); the median is printed next to it where it matters."""
    return _samples(run, repeat)[0]


def median_ms(run: Callable[[], object], *, repeat: int) -> float:
    return statistics.median(_samples(run, repeat))


def _samples(run: Callable[[], object], repeat: int) -> list[float]:
    run()  # warm caches (trust store, imports) outside the measurement
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)


def cpu_ms(run: Callable[[], object], *, repeat: int, rounds: int = 7) -> float:
    """Process CPU time per run, the best of `rounds` rounds of `repeat` runs: what one request
    costs the server's cores, whatever else the machine is doing (wall time counts waiting too)."""
    run()
    rounds_ms = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            run()
        rounds_ms.append((time.process_time() - start) * 1000 / repeat)
    return min(rounds_ms)


def unrelated_cas(count: int) -> list:
    # EC keys: unique and quick to make; names differ so none is a candidate issuer.
    return [make_root(common_name=f"Unrelated CA {i}", organization="Elsewhere", key=ec_key())
            for i in range(count)]


def main() -> None:
    email_trust_store()  # loaded once per process; its cost is measured by bench_trust_store.py
    chain = make_chain()
    supplied = pem(chain.leaf, chain.intermediate)
    extra = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")

    # cryptography's verifier is given the same chain, parsed from the same PEM.
    verifier = email_verifier([chain.root.certificate], NOW)

    def verify_only() -> None:
        leaf, *intermediates = x509.load_pem_x509_certificates(supplied)
        verifier.verify(leaf, intermediates)

    anchors = [*email_trust_store(), chain.root.certificate]

    def verify_one_shot() -> None:
        # What a caller without a long-lived verifier pays: store and policy built per call.
        one_shot = email_verifier(anchors, NOW)
        leaf, *intermediates = x509.load_pem_x509_certificates(supplied)
        one_shot.verify(leaf, intermediates)

    def full_diagnosis() -> None:
        diagnose([supplied], trust=[extra], at=NOW).to_dict()

    def root_sent_along() -> None:
        # What POST /api/v1/diagnose and the page do: the organisation's root arrives as bytes
        # with every request, beside the pasted chain.
        diagnose([supplied], trust=[chain.root_pem], at=NOW).to_dict()

    def first_sight() -> None:
        # As if the intermediate and the root had never been met by this process.
        known_authorities.clear()
        diagnose([supplied], trust=[extra], at=NOW).to_dict()

    stores = [email_trust_store(), extra]

    def path_only() -> None:
        # Read by the engine's own reader, as diagnose() reads them: a CA met before comes back as the
        # object the validator already knows (read with cryptography's loader, every CA is new to it).
        certificates = [item.certificate for item in read_inputs([supplied]).certificates]
        cache: dict = {}
        build_chains(certificates[0], certificates, stores, at=NOW, facts=lambda c: facts_of(c, cache))

    ours = best_ms(full_diagnosis, repeat=200)
    sent_along = best_ms(root_sent_along, repeat=200)
    cpu = cpu_ms(root_sent_along, repeat=200)
    cold = best_ms(first_sight, repeat=200)
    paths = best_ms(path_only, repeat=200)
    theirs = best_ms(verify_only, repeat=200)
    one_shot = best_ms(verify_one_shot, repeat=200)
    print("leaf + intermediate + root (best of 200)")
    print(f"  cryptography PolicyBuilder verifier:      {theirs:8.3f} ms")
    print(f"  the same, store of {len(anchors)} anchors built per call: {one_shot:8.3f} ms")
    print(f"  reading, path building and validation:    {paths:8.3f} ms   ratio "
          f"{paths / theirs:.2f}x")
    print(f"  full diagnosis (sniffing, checks, report): {ours:8.3f} ms   ratio "
          f"{ours / theirs:.2f}x (target at most 2x)")
    print(f"    the root sent as bytes with the request:  {sent_along:8.3f} ms   ratio "
          f"{sent_along / theirs:.2f}x (as the API and the page send it)")
    print(f"      CPU time of that, best of 7 x 200:     {cpu:8.3f} ms")
    print(f"    CAs met for the first time:              {cold:8.3f} ms   ratio {cold / theirs:.2f}x")
    print(f"  full diagnosis against the per-call verifier: ratio {ours / one_shot:.2f}x")

    bundle = pem(chain.leaf, chain.intermediate, *unrelated_cas(300))
    def big_bundle() -> None:
        known_authorities.clear()  # every CA of the bundle met for the first time: the worst case
        diagnose([bundle], trust=[extra], at=NOW).to_dict()

    print("\n300 unrelated CA certificates + the real chain, all met for the first time (20 runs)")
    print(f"  full diagnosis: best {best_ms(big_bundle, repeat=20):.2f} ms, median "
          f"{median_ms(big_bundle, repeat=20):.2f} ms   (target under 50 ms)")

    print("\nscaling (unrelated CA certificates + the real chain, best of 5)")
    pool = unrelated_cas(1000)
    previous = None
    for count in (50, 100, 250, 500, 1000):
        data = pem(chain.leaf, chain.intermediate, *pool[:count])
        def run(data: bytes = data) -> None:
            known_authorities.clear()
            diagnose([data], trust=[extra], at=NOW, limits=BIG_LIMITS).to_dict()

        cost = best_ms(run, repeat=5)
        per = cost / (count + 2) * 1000
        note = f"  x{cost / previous[1]:.1f} for x{count / previous[0]:.1f} certs" if previous else ""
        print(f"  {count:5d} certificates: {cost:8.2f} ms  ({per:6.1f} us per certificate){note}")
        previous = (count, cost)


if __name__ == "__main__":
    main()
