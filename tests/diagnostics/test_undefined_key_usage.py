"""decipherOnly or encipherOnly without keyAgreement: undefined (RFC 5280 4.2.1.3), not damage."""

from __future__ import annotations

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from smimecenter.diagnostics import diagnose

from .builders import ec_key, make_chain, make_leaf, pem


def with_key_usage(leaf_der: bytes, bits: set[str], issuer_key) -> x509.Certificate:
    """The certificate with its keyUsage bits replaced and signed again by its issuer, since
    cryptography's builder refuses decipherOnly without keyAgreement."""
    parsed = asn1_x509.Certificate.load(leaf_der)
    tbs = parsed["tbs_certificate"]
    for extension in tbs["extensions"]:
        if extension["extn_id"].native == "key_usage":
            extension["extn_value"] = asn1_x509.KeyUsage(bits)
    to_sign = tbs.dump(force=True)
    signature = issuer_key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    rebuilt = asn1_x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": parsed["signature_algorithm"],
                                     "signature_value": signature})
    return x509.load_der_x509_certificate(rebuilt.dump())


def report_for(bits: set[str]):
    chain = make_chain()
    leaf = make_leaf(issuer=chain.intermediate, key=ec_key(),
                     key_usage=["digital_signature", "key_agreement", "decipher_only"])
    odd = with_key_usage(leaf.der, bits, chain.intermediate.key)
    return diagnose([pem(odd, chain.intermediate)], trust=[chain.root_pem], email="alice@example.com")


def test_decipher_only_without_key_agreement_is_read_not_called_damaged():
    report = report_for({"digital_signature", "decipher_only"})
    assert not {"input.unreadable", "input.no_certificate", "certificate.unreadable"} & set(report.codes)
    leaf = report.certificates[0]
    assert leaf["key"]["type"] == "EC" and leaf["emails"] == ["alice@example.com"]
    assert report.trust["trusted"] is True  # its signature, made over the bits as they are, verifies
    note = next(f for f in report.findings if f.code == "certificate.malformed")
    assert "RFC 5280 section 4.2.1.3 leaves undefined" in note.explanation
    assert leaf["key_usage"] == ["digitalSignature"]


def test_decipher_only_with_key_agreement_is_ordinary():
    report = report_for({"digital_signature", "key_agreement", "decipher_only"})
    assert "certificate.malformed" not in report.codes
    assert "decipherOnly" in report.certificates[0]["key_usage"]
