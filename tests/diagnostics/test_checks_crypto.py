"""crypto.* findings: key sizes, key types and signature hashes."""
from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.asymmetric import ec

from .builders import (
    diagnose_built,
    dsa_key,
    ec_key,
    make_chain,
    make_intermediate,
    make_leaf,
    make_root,
    rsa_key,
)
from .test_checks_chain import finding


def test_it_flags_an_rsa_key_under_2048_bits():
    root = make_root()
    leaf = make_leaf(issuer=root, key=rsa_key(1024))
    weak = finding(diagnose_built(leaf, anchors=[root]), "crypto.weak_key")
    assert "1024-bit" in weak.explanation and weak.certificate == leaf.sha256


def test_it_accepts_a_2048_bit_rsa_key():
    chain = make_chain()
    assert "crypto.weak_key" not in diagnose_built(chain.leaf, chain.intermediate,
                                                   anchors=[chain.root]).codes


def test_it_flags_a_sha1_signature_without_calling_it_forged():
    chain = make_chain(hash_algorithm=hashes.SHA1())
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "SHA-1" in finding(report, "crypto.weak_signature").explanation
    assert "chain.bad_signature" not in report.codes


def test_it_flags_an_md5_signature_without_calling_it_forged():
    chain = make_chain(hash_algorithm=hashes.MD5())
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "MD5" in finding(report, "crypto.weak_signature").explanation
    assert "chain.bad_signature" not in report.codes


def test_a_genuine_ecdsa_with_sha1_signature_is_weak_not_forged():
    root = make_root(key=ec_key())
    leaf = make_leaf(issuer=root, hash_algorithm=hashes.SHA1())
    report = diagnose_built(leaf, anchors=[root])
    assert "SHA-1" in finding(report, "crypto.weak_signature").explanation
    assert "chain.bad_signature" not in report.codes


def test_a_changed_md5_or_ecdsa_sha1_certificate_is_still_called_forged():
    for key, weak_hash in ((None, hashes.MD5()), (ec_key(), hashes.SHA1())):
        root = make_root(key=key) if key is not None else make_root()
        genuine = make_leaf(issuer=root, hash_algorithm=weak_hash).certificate
        data = bytearray(genuine.public_bytes(Encoding.DER))
        data[-3] ^= 0x01  # inside the signature value
        forged = x509.load_der_x509_certificate(bytes(data))
        report = diagnose_built(forged, anchors=[root])
        assert "chain.bad_signature" in report.codes, weak_hash.name


def test_it_ignores_the_signature_of_a_trust_anchor():
    root = make_root(hash_algorithm=hashes.SHA1())
    inter = make_intermediate(issuer=root)
    leaf = make_leaf(issuer=inter)
    report = diagnose_built(leaf, inter, anchors=[root])
    assert "crypto.weak_signature" not in report.codes
    assert report.trust["trusted"] is True


def test_it_flags_keys_mail_clients_do_not_accept():
    for key, label in ((dsa_key(), "DSA"), (ec_key(ec.SECP256K1()), "secp256k1")):
        root = make_root()
        report = diagnose_built(make_leaf(issuer=root, key=key), anchors=[root])
        assert label in finding(report, "crypto.unsupported_key").explanation


def test_it_accepts_p256_and_p384_keys():
    for curve in (ec.SECP256R1(), ec.SECP384R1()):
        root = make_root()
        report = diagnose_built(make_leaf(issuer=root, key=ec_key(curve)), anchors=[root])
        assert "crypto.unsupported_key" not in report.codes


def _with_extension(critical: bool):
    from cryptography import x509

    root = make_root()
    private = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.7"), b"\x05\x00")
    leaf = make_leaf(issuer=root, extra_extensions=[(private, critical)])
    return diagnose_built(leaf, anchors=[root])


def test_it_flags_a_critical_extension_nobody_understands():
    report = _with_extension(True)
    flagged = finding(report, "certificate.unknown_critical_extension")
    assert "1.3.6.1.4.1.99999.7" in flagged.explanation
    assert report.trust["trusted"] is False


def test_an_unknown_non_critical_extension_is_fine():
    assert "certificate.unknown_critical_extension" not in _with_extension(False).codes
