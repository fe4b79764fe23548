"""CA certificates are read once per process; a person's own certificate never outlives its diagnosis."""
from __future__ import annotations

import json

import pytest

from smimecenter.diagnostics import TrustStore, diagnose
from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.inputs.der import load_certificate
from smimecenter.diagnostics.known_authorities import KnownAuthorities, known_authorities

from .builders import NOW, der, make_chain, make_intermediate, make_root, pem


@pytest.fixture(autouse=True)
def empty_memory():
    known_authorities.clear()
    yield
    known_authorities.clear()


def test_a_ca_seen_before_is_handed_back_as_the_same_object():
    chain = make_chain()
    first = load_certificate(der(chain.intermediate))
    assert known_authorities.certificate(der(chain.intermediate)) is None  # not yet explained
    facts = facts_of(first, {})
    assert known_authorities.certificate(der(chain.intermediate)) is first
    assert load_certificate(der(chain.intermediate)) is first
    assert facts_of(first, {}) is facts


def test_a_persons_certificate_is_never_kept():
    chain = make_chain()
    leaf = load_certificate(der(chain.leaf))
    facts_of(leaf, {})
    diagnose([chain.supplied_pem], trust=[chain.root_pem], at=NOW)
    assert known_authorities.certificate(der(chain.leaf)) is None
    assert not known_authorities.is_known(leaf)
    assert len(known_authorities) == 2  # the intermediate and the root


def test_the_report_is_the_same_the_first_and_the_second_time():
    chain = make_chain()
    anchors = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    first = diagnose([chain.supplied_pem], trust=[anchors], at=NOW).to_dict()
    assert len(known_authorities) == 2
    second = diagnose([chain.supplied_pem], trust=[anchors], at=NOW).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["trust"]["trusted"] is True


def test_trust_follows_the_anchors_given_not_what_was_seen_before():
    """Two roots with one name: only the one that signed the intermediate makes it trusted."""
    root = make_root()
    impostor = make_root()  # same name, another key
    intermediate = make_intermediate(issuer=root)
    for anchor, trusted in ((impostor, False), (root, True), (impostor, False)):
        report = diagnose([pem(intermediate)], trust=[pem(anchor)], at=NOW)
        assert report.to_dict()["trust"]["trusted"] is trusted


def test_one_report_cannot_change_the_next():
    chain = make_chain()
    first = diagnose([chain.supplied_pem], trust=[chain.root_pem], at=NOW).to_dict()
    intermediate = next(c for c in first["certificates"] if c["role"] == "intermediate")
    intermediate["extended_key_usage"].append("tampered")
    intermediate["key"]["size"] = 1
    intermediate["policies"].append({"oid": "1.2.3"})
    second = diagnose([chain.supplied_pem], trust=[chain.root_pem], at=NOW).to_dict()
    again = next(c for c in second["certificates"] if c["role"] == "intermediate")
    assert again["extended_key_usage"] == ["emailProtection"]
    assert again["key"]["size"] == 2048
    assert again["policies"] == []


def test_the_memory_is_bounded():
    memory = KnownAuthorities(capacity=3)
    roots = [make_root(common_name=f"Root {n}") for n in range(5)]
    for root in roots:
        memory.remember(facts_of(load_certificate(der(root))))
    assert len(memory) == 3
    assert memory.certificate(der(roots[0])) is None
    assert memory.certificate(der(roots[4])) is not None


def test_a_root_sent_again_as_a_trust_anchor_is_the_object_already_read():
    chain = make_chain()
    diagnose([chain.supplied_pem], trust=[chain.root_pem], at=NOW)
    [first] = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    [second] = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    assert first is second and known_authorities.is_known(first)


def test_the_validator_parts_kept_for_a_root_carry_nothing_from_one_path_to_the_next():
    # An intermediate that requires an explicit policy (RFC 5280 section 4.2.1.11): a leaf without
    # one is refused by the validator of record, a leaf with one is not, under the same kept root.
    from cryptography import x509

    from .builders import make_leaf

    root = make_root()
    strict = make_intermediate(issuer=root, policies=("2.23.140.1.5.1.3",), extra_extensions=[
        (x509.PolicyConstraints(require_explicit_policy=0, inhibit_policy_mapping=None), True)])
    without = make_leaf(issuer=strict)
    with_policy = make_leaf(issuer=strict, policies=("2.23.140.1.5.1.3",))
    for leaf, refused in ((without, True), (with_policy, False), (without, True), (with_policy, False)):
        report = diagnose([pem(leaf, strict)], trust=[pem(root)], at=NOW)
        assert ("chain.policy_refused" in report.codes) is refused
        assert report.to_dict()["trust"]["trusted"] is not refused


def test_a_store_of_remembered_roots_is_kept_for_its_exact_bytes():
    chain = make_chain()
    diagnose([chain.supplied_pem], trust=[chain.root_pem], at=NOW)
    first = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    assert TrustStore.from_pem(chain.root_pem, name="Extra trust anchors") is first
    # Another name, provenance or bytes is another store.
    assert TrustStore.from_pem(chain.root_pem, name="Organisation root") is not first
    assert TrustStore.from_pem(chain.root_pem, name="Extra trust anchors",
                               provenance={"source": "uploaded with this check"}) is not first
    assert TrustStore.from_pem(chain.root_pem + b"\n", name="Extra trust anchors") is not first


def test_a_store_holding_a_persons_certificate_is_never_kept():
    chain = make_chain()
    anchors = pem(chain.root, chain.leaf)
    diagnose([chain.supplied_pem], trust=[anchors], at=NOW)
    first = TrustStore.from_pem(anchors, name="Extra trust anchors")
    second = TrustStore.from_pem(anchors, name="Extra trust anchors")
    assert first is not second
    assert list(first)[1] is not list(second)[1]  # the person's certificate read afresh


def test_a_kept_store_is_forgotten_with_its_roots():
    chain = make_chain()
    diagnose([chain.supplied_pem], trust=[chain.root_pem], at=NOW)
    first = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    known_authorities.clear()
    second = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    assert second is not first and not known_authorities.is_known(next(iter(second)))
