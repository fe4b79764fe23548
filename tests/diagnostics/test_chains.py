"""Path building: re-keyed and cross-signed CAs, loops, bounds, and the rfc822Name matching rule."""
from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives import hashes

from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.chains import (
    MAX_PATHS,
    build_chains,
    pick_leaf,
    verify_signature,
)
from smimecenter.diagnostics.trust import TrustStore

from .builders import (
    NOW,
    diagnose_built,
    make_certificate,
    make_chain,
    make_intermediate,
    make_leaf,
    make_root,
    name,
    next_rsa_key,
    pem,
)


def _facts():
    cache: dict = {}
    return lambda certificate: facts_of(certificate, cache)


def test_it_picks_the_reissued_intermediate_whose_key_signed_the_leaf():
    root = make_root()
    old = make_intermediate(issuer=root)
    new = make_intermediate(issuer=root)  # same name, new key
    leaf = make_leaf(issuer=new)
    report = diagnose_built(leaf, old, new, anchors=[root])
    assert report.trust["trusted"] is True
    assert report.chain[1] == new.sha256
    assert "chain.unrelated_certificate" not in report.codes


def test_it_prefers_the_cross_signed_path_that_reaches_a_trusted_root():
    old_root = make_root(common_name="Old Root")
    new_root = make_root(common_name="New Root")
    inter_key = next_rsa_key()
    via_old = make_intermediate(issuer=old_root, key=inter_key)
    via_new = make_intermediate(issuer=new_root, key=inter_key)
    leaf = make_leaf(issuer=via_new)
    report = diagnose_built(leaf, via_old, via_new, old_root, anchors=[new_root])
    assert report.trust["trusted"] is True
    assert report.trust["anchor"]["sha256"] == new_root.sha256
    others = report.trust["other_paths"]
    assert others and "chain.untrusted_root" in others[0]["problems"]


def test_it_prefers_a_valid_cross_certificate_over_an_expired_one():
    root = make_root()
    key = next_rsa_key()
    expired = make_intermediate(issuer=root, key=key, not_after=NOW - dt.timedelta(days=5))
    current = make_intermediate(issuer=root, key=key)
    leaf = make_leaf(issuer=current)
    report = diagnose_built(leaf, expired, current, anchors=[root])
    assert report.trust["trusted"] is True
    assert report.chain[1] == current.sha256
    assert "validity.expired" not in report.codes


def test_it_survives_two_cas_that_certify_each_other():
    key_a, key_b = next_rsa_key(), next_rsa_key()
    name_a, name_b = name("CA A"), name("CA B")
    a_by_b = make_certificate(subject=name_a, key=key_a, issuer_name=name_b, signing_key=key_b,
                              ca=True, authority_key_id=False)
    b_by_a = make_certificate(subject=name_b, key=key_b, issuer_name=name_a, signing_key=key_a,
                              ca=True, authority_key_id=False)
    leaf = make_certificate(subject=name("alice@example.com"), issuer_name=name_a,
                            signing_key=key_a, emails=("alice@example.com",),
                            authority_key_id=False)
    report = diagnose_built(leaf, a_by_b, b_by_a)
    assert report.trust["trusted"] is False
    assert len(report.chain) <= 3


def test_the_search_is_bounded_with_many_candidates_for_one_name():
    root = make_root()
    key = next_rsa_key()
    copies = [make_intermediate(issuer=root, key=key, serial=i + 1, ca=True) for i in range(3)]
    upper_copies = [make_certificate(subject=root.subject, key=root.key, issuer_name=root.subject,
                                     signing_key=root.key, ca=True, serial=100 + i,
                                     key_usage={"key_cert_sign"}) for i in range(3)]
    leaf = make_leaf(issuer=copies[0])
    start = leaf.certificate
    supplied = [c.certificate for c in (*copies, *upper_copies)]
    analysis = build_chains(start, [start, *supplied], [], at=NOW, facts=_facts())
    assert analysis.best is not None
    assert len(analysis.rejected) + 1 <= MAX_PATHS


def test_it_stops_at_the_depth_bound_on_a_very_long_chain():
    issuer = make_root()
    anchors = [issuer]
    cas = []
    for level in range(14):
        issuer = make_intermediate(issuer=issuer, common_name=f"Level {level}", eku=None)
        cas.append(issuer)
    leaf = make_leaf(issuer=issuer)
    report = diagnose_built(leaf, *cas, anchors=anchors)
    assert report.trust["trusted"] is False
    assert len(report.chain) <= 10


def test_the_leaf_is_the_end_entity_with_email_protection():
    chain = make_chain()
    facts = _facts()
    certificates = [chain.root.certificate, chain.intermediate.certificate, chain.leaf.certificate]
    assert pick_leaf(certificates, facts) == chain.leaf.certificate


def test_a_preferred_signer_wins_over_other_end_entities():
    chain = make_chain()
    other = make_leaf(issuer=chain.intermediate, email="bob@example.com")
    facts = _facts()
    certificates = [chain.leaf.certificate, other.certificate]
    assert pick_leaf(certificates, facts, preferred=[other.certificate]) == other.certificate


def test_with_only_ca_certificates_the_lowest_is_explained():
    chain = make_chain()
    facts = _facts()
    assert pick_leaf([chain.root.certificate, chain.intermediate.certificate],
                     facts) == chain.intermediate.certificate


def test_weak_hash_signatures_are_verified_rather_than_called_forged():
    chain = make_chain(hash_algorithm=hashes.SHA1())
    assert verify_signature(chain.leaf.certificate, chain.intermediate.certificate) is None
    assert verify_signature(chain.leaf.certificate, chain.root.certificate) is not None


def test_a_trust_store_object_keeps_its_own_name():
    chain = make_chain()
    from smimecenter.diagnostics import diagnose

    store = TrustStore.from_pem(pem(chain.root), name="ACME's root")
    report = diagnose([chain.supplied_pem], trust=[store])
    assert report.trust["store"] == "ACME's root"


def _names_in_two_encodings():
    from cryptography import x509
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    printable_type = _ASN1Type.PrintableString
    printable = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Trust", _type=printable_type),
        x509.NameAttribute(NameOID.COMMON_NAME, "Issuing CA", _type=printable_type)])
    utf8_other_case = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "example  TRUST"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, "Issuing CA")])
    return printable, utf8_other_case


def test_an_issuer_name_in_another_string_type_and_case_still_chains():
    printable, utf8 = _names_in_two_encodings()
    root = make_root()
    inter = make_intermediate(issuer=root, subject=printable)
    leaf = make_leaf(issuer=inter, issuer_name=utf8)
    report = diagnose_built(leaf, inter, anchors=[root])
    assert report.trust["trusted"] is True
    assert report.chain[1] == inter.sha256


def test_an_anchor_named_in_another_string_type_is_found_by_key_identifier():
    printable, utf8 = _names_in_two_encodings()
    anchor = make_root(subject=printable)
    leaf = make_leaf(issuer=anchor, issuer_name=utf8)
    report = diagnose_built(leaf, anchors=[anchor])
    assert report.trust["trusted"] is True


def test_a_different_name_with_the_same_key_identifier_does_not_chain():
    root = make_root()
    inter = make_intermediate(issuer=root)
    leaf = make_leaf(issuer=inter, issuer_name=name("Another CA"))
    report = diagnose_built(leaf, inter, anchors=[root])
    assert "chain.missing_intermediate" in report.codes
