"""How long the input reader takes on each format, and how fast it refuses what it must refuse.

Run: .venv/bin/python bench/bench_inputs.py   (prints a table; not a test, figures vary by machine)
"""

from __future__ import annotations

import base64
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs7  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs12 as crypto_pkcs12  # noqa: E402

from smimecenter.diagnostics.inputs import read_inputs  # noqa: E402
from smimecenter.diagnostics.inputs.pkcs12_structure import read_structure  # noqa: E402
from tests.diagnostics.cms_builders import attribute, changed, detached_email, signed_der  # noqa: E402
from tests.diagnostics.builders import (  # noqa: E402
    ec_key,
    make_chain,
    make_leaf,
    make_root,
    pem,
    pkcs12_bytes,
)


def measure(action: Callable[[], object], *, repeat: int = 30) -> float:
    """Median wall time in milliseconds (after one warm-up run)."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fastest(action: Callable[[], object], *, repeat: int) -> float:
    """Minimum wall time in milliseconds: for differences between two runs on a busy machine."""
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def paired_fastest(first: Callable[[], object], second: Callable[[], object], *, repeat: int) -> tuple[float, float]:
    """Minimum times of two actions run alternately, so that a busy spell slows both alike."""
    first_times, second_times = [], []
    for _ in range(repeat):
        for action, times in ((first, first_times), (second, second_times)):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
    return min(first_times), min(second_times)


def with_iterations_raised(data: bytes) -> bytes:
    """65,536 declared iterations become 8,388,607, every length kept."""
    return data.replace(b"\x02\x03\x01\x00\x00", b"\x02\x03\x7f\xff\xff")


def main() -> None:
    chain = make_chain()
    ec_chain = make_chain(key=ec_key())
    roots = [make_root(common_name=f"Unrelated Root {n}", key=ec_key()) for n in range(300)]
    bundle_300 = pem(*roots) + chain.supplied_pem
    p7b = pkcs7.serialize_certificates([chain.leaf.certificate, chain.intermediate.certificate],
                                       serialization.Encoding.DER)
    modern = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate],
                          password=b"pw", iterations=2048)
    modern_600k = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=600_000)
    legacy = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", legacy=True)
    costly = with_iterations_raised(pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw",
                                                 iterations=65_536))
    signer = make_leaf(issuer=ec_chain.intermediate, key=ec_key())
    body = b"Content-Type: text/plain\r\n\r\n" + b"Hello Bob, lunch at noon?\r\n" * 40
    rsa_mail = b"From: alice@example.com\r\n" + (
        pkcs7.PKCS7SignatureBuilder().set_data(body).add_signer(chain.leaf.certificate, chain.leaf.key,
                                                                 hashes.SHA256())
        .add_certificate(chain.intermediate.certificate)
        .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))
    ec_mail = b"From: alice@example.com\r\n" + (
        pkcs7.PKCS7SignatureBuilder().set_data(body).add_signer(signer.certificate, signer.key, hashes.SHA256())
        .sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature]))
    smime_data = Path(__file__).resolve().parent.parent / "tests" / "data" / "smime"
    thunderbird = (smime_data / "thunderbird-alice-detached-sha256.eml").read_bytes()
    two_layers = (smime_data / "thunderbird-alice-then-dave-two-signatures.eml").read_bytes()
    msg_data = Path(__file__).resolve().parent.parent / "tests" / "data" / "msg"
    outlook_signed = (msg_data / "simple-java-mail-signed.msg").read_bytes()
    outlook_encrypted = (msg_data / "simple-java-mail-encrypted.msg").read_bytes()
    crowded = detached_email(changed(signed_der(chain.leaf), chain.leaf,
                                     extra_attributes=[attribute("1.3.6.1.4.1.99999.1", b"\x05\x00")] * 30_000))
    prose = (b"Dear support, my certificate does not work in Outlook. " * 19_000)[:1_040_000]
    too_large = b"A" * 1_048_577

    rows: list[tuple[str, float, int]] = [
        ("PEM certificate", measure(lambda: read_inputs([chain.leaf.pem])), len(chain.leaf.pem)),
        ("DER certificate", measure(lambda: read_inputs([chain.leaf.der])), len(chain.leaf.der)),
        ("PEM leaf + intermediate, quoted in an email",
         measure(lambda: read_inputs([b"> " + chain.supplied_pem.replace(b"\n", b"\n> ")])),
         len(chain.supplied_pem)),
        ("base64 without armour", measure(lambda: read_inputs([base64.encodebytes(chain.leaf.der)])),
         len(base64.encodebytes(chain.leaf.der))),
        ("PEM bundle: 300 unrelated roots + chain", measure(lambda: read_inputs([bundle_300]), repeat=10),
         len(bundle_300)),
        ("PKCS#7 bundle (.p7b), 2 certificates", measure(lambda: read_inputs([p7b])), len(p7b)),
        ("PKCS#12 AES/PBKDF2, 2,048 iterations", measure(lambda: read_inputs([modern], password="pw")), len(modern)),
        ("PKCS#12 AES/PBKDF2, 600,000 iterations",
         measure(lambda: read_inputs([modern_600k], password="pw"), repeat=5), len(modern_600k)),
        ("PKCS#12 3DES/SHA-1", measure(lambda: read_inputs([legacy], password="pw")), len(legacy)),
        ("PKCS#12 wrong password", measure(lambda: read_inputs([modern], password="nope")), len(modern)),
        ("PKCS#12 over the iteration limit (refused)",
         measure(lambda: read_inputs([costly], password="pw"), repeat=100), len(costly)),
        ("signed mail, RSA 2048 + intermediate", measure(lambda: read_inputs([rsa_mail])), len(rsa_mail)),
        ("signed mail, ECDSA P-256", measure(lambda: read_inputs([ec_mail])), len(ec_mail)),
        ("Thunderbird (NSS) signed mail", measure(lambda: read_inputs([thunderbird])), len(thunderbird)),
        ("Thunderbird mail signed twice (two layers)", measure(lambda: read_inputs([two_layers])), len(two_layers)),
        ("Outlook .msg, signed (IPM.Note.SMIME.MultipartSigned)", measure(lambda: read_inputs([outlook_signed])),
         len(outlook_signed)),
        ("Outlook .msg, encrypted (IPM.Note.SMIME)", measure(lambda: read_inputs([outlook_encrypted])),
         len(outlook_encrypted)),
        ("signature with 30,000 signed attributes (not verified)", measure(lambda: read_inputs([crowded]), repeat=5),
         len(crowded)),
        ("1 MB of prose with no certificate", measure(lambda: read_inputs([prose]), repeat=5), len(prose)),
        ("over the size limit (refused)", measure(lambda: read_inputs([too_large]), repeat=100), len(too_large)),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'input':<{width}}  {'bytes':>9}  {'median ms':>10}")
    for name, milliseconds, size in rows:
        print(f"{name:<{width}}  {size:>9,}  {milliseconds:>10.3f}")

    # The .p12 inspection figure: our cost beyond cryptography's own opening (the key derivations, plus RSA
    # key checks, which is why an EC key is used here). Minimum of several runs: the least disturbed one.
    ec_leaf = ec_chain.leaf
    for iterations in (2_048, 600_000):
        data = pkcs12_bytes(key=ec_leaf.key, certificate=ec_leaf, extra=[ec_chain.intermediate], password=b"pw",
                            iterations=iterations)
        repeat = 40 if iterations < 10_000 else 6
        ours, theirs = paired_fastest(lambda data=data: read_inputs([data], password="pw"),
                                      lambda data=data: crypto_pkcs12.load_pkcs12(data, b"pw"), repeat=repeat)
        structure = fastest(lambda data=data: read_structure(data), repeat=200)
        print(f"PKCS#12 EC, {iterations:,} iterations: read_inputs {ours:.3f} ms, load_pkcs12 alone {theirs:.3f} ms,"
              f" difference {ours - theirs:+.3f} ms; structure inspection alone {structure:.3f} ms"
              " (target: at most 5 ms over the derivations)")
    refused = measure(lambda: read_inputs([costly], password="pw"), repeat=200)
    verdict = "met" if refused < 10 else "MISSED"
    print(f"refusing an over-limit .p12: {refused:.3f} ms (target under 10 ms: {verdict})")


if __name__ == "__main__":
    main()
