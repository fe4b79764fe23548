"""What the validator of record may take from CAs seen before, and what it must do afresh every time.

pyhanko-certvalidator is handed the parsed subject of a remembered issuer and skips a signature
it already verified on a remembered CA; neither may change its answer, and nothing of a person's
own certificate may be kept.
"""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from smimecenter.diagnostics import path_validation
from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.inputs.der import load_certificate
from smimecenter.diagnostics.known_authorities import known_authorities
from smimecenter.diagnostics.path_validation import rfc5280_refusal

from .builders import NOW, der, make_chain, make_intermediate, make_leaf, make_root, next_rsa_key


@pytest.fixture(autouse=True)
def empty_memory():
    known_authorities.clear()
    path_validation._VERIFIED_AUTHORITY_SIGNATURES.clear()
    yield
    known_authorities.clear()
    path_validation._VERIFIED_AUTHORITY_SIGNATURES.clear()


def _remembered(*issued) -> list[x509.Certificate]:
    """The CA certificates as a diagnosis leaves them: read once, their facts kept."""
    certificates = [load_certificate(der(item)) for item in issued]
    for certificate in certificates:
        facts_of(certificate, {})
        assert known_authorities.is_known(certificate)
    return certificates


def _fresh(issued) -> x509.Certificate:
    return x509.load_der_x509_certificate(der(issued))


def test_only_signatures_on_remembered_cas_are_kept():
    chain = make_chain()
    intermediate, root = _remembered(chain.intermediate, chain.root)
    for _ in range(2):
        assert rfc5280_refusal([_fresh(chain.leaf), intermediate, root], at=NOW) is None
    kept = {key[0] for key in path_validation._VERIFIED_AUTHORITY_SIGNATURES}
    assert kept == {intermediate.tbs_certificate_bytes}
    assert chain.leaf.certificate.tbs_certificate_bytes not in kept


def test_a_forged_leaf_is_refused_every_time_after_a_genuine_one():
    chain = make_chain()
    intermediate, root = _remembered(chain.intermediate, chain.root)
    forged = make_leaf(issuer=chain.intermediate, signing_key=next_rsa_key())
    assert rfc5280_refusal([_fresh(chain.leaf), intermediate, root], at=NOW) is None
    for _ in range(2):
        assert "signature" in rfc5280_refusal([_fresh(forged), intermediate, root], at=NOW)


def test_a_remembered_ca_with_a_bad_signature_is_refused_every_time_and_never_kept():
    root = make_root()
    other_root = make_root(key=next_rsa_key())  # same name, another key
    intermediate = make_intermediate(issuer=other_root)
    leaf = make_leaf(issuer=intermediate)
    kept_intermediate, kept_root = _remembered(intermediate, root)
    for _ in range(2):
        assert "signature" in rfc5280_refusal([_fresh(leaf), kept_intermediate, kept_root], at=NOW)
    assert not path_validation._VERIFIED_AUTHORITY_SIGNATURES


def test_an_issuer_name_of_the_same_bytes_shares_the_issuers_parsed_subject():
    chain = make_chain()
    parsed_leaf = path_validation._library().asn1_x509.Certificate.load(der(chain.leaf))
    parsed_intermediate = path_validation._remembered_asn1(der(chain.intermediate))
    path_validation._share_issuer_name(parsed_leaf, parsed_intermediate)
    assert parsed_leaf.issuer is parsed_intermediate.subject
    # The certificate's own bytes (what its signature covers) are untouched.
    assert parsed_leaf.dump() == der(chain.leaf)
    assert parsed_leaf["tbs_certificate"].dump() == chain.leaf.certificate.tbs_certificate_bytes


def test_an_issuer_name_written_differently_is_compared_in_full():
    # RFC 5280 section 7.1 and RFC 4518: names match without regard to case. The leaf's issuer is
    # the intermediate's name in capitals: other bytes, so nothing is shared, and still a match.
    chain = make_chain()
    shouting = x509.Name([x509.NameAttribute(attribute.oid, str(attribute.value).upper())
                          for attribute in chain.intermediate.certificate.subject])
    leaf = make_leaf(issuer=chain.intermediate, issuer_name=shouting)
    parsed_leaf = path_validation._library().asn1_x509.Certificate.load(der(leaf))
    parsed_intermediate = path_validation._remembered_asn1(der(chain.intermediate))
    path_validation._share_issuer_name(parsed_leaf, parsed_intermediate)
    assert parsed_leaf.issuer is not parsed_intermediate.subject
    intermediate, root = _remembered(chain.intermediate, chain.root)
    assert rfc5280_refusal([_fresh(leaf), intermediate, root], at=NOW) is None


def test_an_issuer_name_that_differs_is_refused_as_before():
    chain = make_chain()
    elsewhere = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Another Issuing CA")])
    leaf = make_leaf(issuer=chain.intermediate, issuer_name=elsewhere)
    intermediate, root = _remembered(chain.intermediate, chain.root)
    for _ in range(2):
        assert "issuer name could not be matched" in rfc5280_refusal([_fresh(leaf), intermediate, root],
                                                                      at=NOW)


def test_the_leaf_keeps_its_own_bytes_after_validation():
    chain = make_chain()
    intermediate, root = _remembered(chain.intermediate, chain.root)
    leaf = _fresh(chain.leaf)
    assert rfc5280_refusal([leaf, intermediate, root], at=NOW) is None
    assert leaf.public_bytes(Encoding.DER) == der(chain.leaf)
