"""Keys outside RSA and ECDSA: read, named, and explained from the S/MIME BR (section 6.1.5) rather than
called damaged. Ed25519/Ed448 and ML-DSA/ML-KEM are allowed there; DSA and other curves are not."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, mldsa, mlkem

from .builders import diagnose_built, dsa_key, ec_key, ed448_key, ed25519_key, make_leaf, make_root
from .test_checks_chain import finding


def report_for(key, **options):
    root = make_root()
    return diagnose_built(make_leaf(issuer=root, key=key, **options), anchors=[root])


@pytest.mark.parametrize("key, name", [
    (lambda: mldsa.MLDSA44PrivateKey.generate(), "ML-DSA-44"),
    (lambda: mldsa.MLDSA65PrivateKey.generate(), "ML-DSA-65"),
    (lambda: mldsa.MLDSA87PrivateKey.generate(), "ML-DSA-87"),
])
def test_an_ml_dsa_certificate_is_read_named_and_explained(key, name):
    report = report_for(key())
    assert report.certificates[0]["key"]["type"] == name
    pq = finding(report, "crypto.post_quantum_key")
    assert name in pq.explanation and "FIPS 204" in pq.explanation and "1.0.11" in pq.explanation
    assert "check your signatures" in pq.explanation
    assert "SMC013" in pq.reference
    assert pq.severity.value == "warning"
    assert not {"input.no_certificate", "input.unreadable", "crypto.unsupported_key"} & set(report.codes)


@pytest.mark.parametrize("key, name", [
    (lambda: mlkem.MLKEM768PrivateKey.generate(), "ML-KEM-768"),
    (lambda: mlkem.MLKEM1024PrivateKey.generate(), "ML-KEM-1024"),
])
def test_an_ml_kem_certificate_is_read_named_and_explained(key, name):
    report = report_for(key(), key_usage=["key_encipherment"])
    assert report.certificates[0]["key"]["type"] == name
    pq = finding(report, "crypto.post_quantum_key")
    assert "FIPS 203" in pq.explanation and "encrypt mail to you" in pq.explanation
    assert f"an {name} key, which mail apps do not yet use to encrypt" in \
        finding(report, "usage.cannot_encrypt").explanation
    assert not {"input.no_certificate", "input.unreadable", "crypto.unsupported_key"} & set(report.codes)


@pytest.mark.parametrize("key, name", [(ed25519_key, "Ed25519"), (ed448_key, "Ed448")])
def test_an_eddsa_key_is_not_said_to_be_forbidden_by_the_baseline_requirements(key, name):
    report = report_for(key())
    eddsa = finding(report, "crypto.eddsa_key")
    assert name in eddsa.explanation
    assert "allow EdDSA keys" in eddsa.explanation and "allows EdDSA" in eddsa.reference
    assert "crypto.unsupported_key" not in report.codes


@pytest.mark.parametrize("key", [lambda: ec_key(), lambda: ec_key(ec.SECP384R1())])
def test_rsa_and_nist_curve_keys_get_no_key_type_finding(key):
    report = report_for(key())
    assert not {"crypto.post_quantum_key", "crypto.eddsa_key", "crypto.unsupported_key"} & set(report.codes)


def test_a_dsa_key_is_still_outside_the_baseline_requirements():
    unsupported = finding(report_for(dsa_key()), "crypto.unsupported_key")
    assert "a DSA key" in unsupported.explanation and "ML-DSA" in unsupported.explanation
