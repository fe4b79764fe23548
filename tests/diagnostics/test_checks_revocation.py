"""revocation.no_info: publicly trusted leaves must point to a CRL or OCSP responder."""
from __future__ import annotations

from .builders import diagnose_built, make_chain


def test_it_flags_a_publicly_trusted_leaf_without_revocation_pointers():
    chain = make_chain(crl=None, aia_ca_issuers=None)
    report = diagnose_built(chain.leaf, chain.intermediate, public_anchors=[chain.root])
    assert "revocation.no_info" in report.codes
    assert report.trust["store"] == "Mozilla email roots"


def test_it_accepts_an_ocsp_address_alone():
    chain = make_chain(crl=None, ocsp="http://ocsp.example.com")
    report = diagnose_built(chain.leaf, chain.intermediate, public_anchors=[chain.root])
    assert "revocation.no_info" not in report.codes


def test_it_does_not_ask_a_private_ca_for_revocation_pointers():
    chain = make_chain(crl=None, aia_ca_issuers=None)
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "revocation.no_info" not in report.codes
