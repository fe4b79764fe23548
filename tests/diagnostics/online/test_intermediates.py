"""Missing intermediates fetched from AIA caIssuers (RFC 5280 section 4.2.2.1), DER and PKCS#7."""
from __future__ import annotations

import pytest
import urllib3.util.connection
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from smimecenter.diagnostics.online.fetch import Fetcher
from smimecenter.diagnostics.online.intermediates import fetch_missing_intermediates
from tests.diagnostics.builders import make_intermediate, make_leaf, make_root
from tests.diagnostics.online.helpers import LOCAL_ONLY, diagnose_offline, diagnose_online


def _three_levels(local_server, *, leaf_aia=None):
    """root -> upper CA -> issuing CA -> leaf; the issuing CA is served as DER, the upper one as PKCS#7."""
    root = make_root(common_name="Online Test Root")
    upper = make_intermediate(issuer=root, common_name="Online Upper CA", eku=None)
    issuing = make_intermediate(issuer=upper, common_name="Online Issuing CA",
                                aia_ca_issuers=local_server.url("/upper.p7c"))
    leaf = make_leaf(issuer=issuing, aia_ca_issuers=leaf_aia or local_server.url("/issuing.der"),
                     crl=None)
    local_server.serve("/issuing.der", issuing.der, Content_Type="application/pkix-cert")
    local_server.serve("/upper.p7c", pkcs7.serialize_certificates([upper.certificate],
                                                                  serialization.Encoding.DER),
                       Content_Type="application/pkcs7-mime")
    return root, upper, issuing, leaf


def test_missing_intermediates_are_fetched_up_to_the_root(local_server):
    root, upper, issuing, leaf = _three_levels(local_server)
    report = diagnose_online(leaf, root=root)
    assert report.trust["trusted"]
    assert report.chain == (leaf.sha256, issuing.sha256, upper.sha256, root.sha256)
    assert report.codes.count("chain.intermediate_fetched") == 2
    assert "chain.missing_intermediate" not in report.codes
    online = report.to_dict()["online"]
    assert [(f["sha256"], f["url"]) for f in online["fetched"]] == [
        (issuing.sha256, local_server.url("/issuing.der")), (upper.sha256, local_server.url("/upper.p7c"))]
    by_fingerprint = {c["sha256"]: c for c in report.to_dict()["certificates"]}
    assert by_fingerprint[issuing.sha256]["fetched_from"] == local_server.url("/issuing.der")
    assert by_fingerprint[issuing.sha256]["pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert "fetched_from" not in by_fingerprint[leaf.sha256]
    fetched = next(f for f in report.findings if f.certificate == issuing.sha256)
    assert local_server.url("/issuing.der") in fetched.explanation


def test_nothing_is_fetched_when_the_chain_is_complete(local_server):
    root, upper, issuing, leaf = _three_levels(local_server)
    report = diagnose_online(leaf, issuing, upper, root=root)
    assert report.trust["trusted"]
    assert "chain.intermediate_fetched" not in report.codes
    assert local_server.requests == []


def test_offline_nothing_is_fetched_and_the_report_says_so(local_server):
    root, upper, issuing, leaf = _three_levels(local_server)
    report = diagnose_offline(leaf, root=root)
    assert "chain.missing_intermediate" in report.codes
    assert local_server.requests == []
    online = report.to_dict()["online"]
    assert online["enabled"] is False and "revoked" in online["not_checked"]


def test_a_certificate_that_did_not_issue_the_leaf_is_not_used(local_server):
    root, upper, issuing, leaf = _three_levels(local_server)
    impostor = make_intermediate(issuer=root, common_name="Online Issuing CA")  # same name, other key
    local_server.serve("/issuing.der", impostor.der)
    report = diagnose_online(leaf, root=root)
    assert "chain.missing_intermediate" in report.codes
    assert "chain.intermediate_fetched" not in report.codes
    failed = next(f for f in report.findings if f.code == "chain.intermediate_fetch_failed")
    assert "did not issue" in failed.explanation


def test_garbage_at_the_address_is_reported_not_raised(local_server):
    root, upper, issuing, leaf = _three_levels(local_server)
    local_server.serve("/issuing.der", b"<html>not a certificate</html>")
    report = diagnose_online(leaf, root=root)
    assert "chain.intermediate_fetch_failed" in report.codes
    assert report.status == "fail"


def test_a_private_caissuers_address_is_refused_without_a_connection(monkeypatch):
    made = []
    monkeypatch.setattr(urllib3.util.connection, "create_connection",
                        lambda address, *a, **k: made.append(address))
    root = make_root(common_name="Online Test Root")
    issuing = make_intermediate(issuer=root, common_name="Online Issuing CA")
    leaf = make_leaf(issuer=issuing, aia_ca_issuers="http://169.254.169.254/latest/meta-data/")
    report = diagnose_online(leaf, root=root)
    assert made == []
    failed = next(f for f in report.findings if f.code == "chain.intermediate_fetch_failed")
    assert "169.254.169.254" in failed.explanation and "link-local" in failed.explanation


def test_depth_limit_stops_the_climb(local_server):
    root, upper, issuing, leaf = _three_levels(local_server)
    search = fetch_missing_intermediates(leaf.certificate, [leaf.certificate], [], _facts(),
                                         Fetcher(LOCAL_ONLY), max_depth=1)
    assert [f.certificate for f in search.fetched] == [issuing.certificate]
    assert len(local_server.requests) == 1


def _facts():
    from smimecenter.diagnostics.certinfo import facts_of

    cache = {}
    return lambda certificate: facts_of(certificate, cache)


@pytest.mark.parametrize("form", ["pem", "pem-pkcs7"])
def test_pem_forms_are_accepted_too(local_server, form):
    root, upper, issuing, leaf = _three_levels(local_server)
    body = (issuing.pem if form == "pem" else
            pkcs7.serialize_certificates([issuing.certificate], serialization.Encoding.PEM))
    local_server.serve("/issuing.der", body)
    report = diagnose_online(leaf, root=root)
    assert report.trust["trusted"]
