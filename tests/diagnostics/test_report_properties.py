"""Property tests: whatever certificates are built, the engine returns a coherent report."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives import hashes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .builders import (
    ANY_EKU,
    CLIENT_AUTH,
    EMAIL_PROTECTION,
    KEY_USAGE_NAMES,
    NOW,
    SERVER_AUTH,
    diagnose_built,
    ec_key,
    make_intermediate,
    make_leaf,
    make_root,
    name,
)

DAY = dt.timedelta(days=1)
SAFE_USAGES = [u for u in KEY_USAGE_NAMES if u not in ("encipher_only", "decipher_only")]

validity = st.sampled_from([(-400, -10), (-10, 5), (-1, 365), (3, 300)])
ekus = st.sampled_from([None, (EMAIL_PROTECTION,), (SERVER_AUTH,), (ANY_EKU,),
                        (CLIENT_AUTH, EMAIL_PROTECTION)])
usages = st.one_of(st.none(), st.sets(st.sampled_from(SAFE_USAGES), min_size=1))

certificate_options = st.fixed_dictionaries({
    "ca": st.sampled_from([True, False, None]),
    "path_length": st.sampled_from([None, 0, 1]),
    "eku": ekus,
    "key_usage": usages,
    "validity": validity,
    "weak_hash": st.booleans(),
    "ec": st.booleans(),
})

leaf_options = st.fixed_dictionaries({
    "eku": ekus,
    "key_usage": usages,
    "validity": validity,
    "emails": st.sampled_from([(), ("alice@example.com",), ("alice@other.org", "a@example.com")]),
    "subject_email": st.booleans(),
    "ec": st.booleans(),
    "permitted": st.sampled_from([(), ("example.com",), (".example.com",)]),
})


def _common(options: dict) -> dict:
    start, end = options["validity"]
    built = {"eku": options["eku"], "key_usage": options["key_usage"],
             "not_before": NOW + start * DAY, "not_after": NOW + end * DAY}
    if options["ec"]:
        built["key"] = ec_key()
    return built


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inter=certificate_options, leaf=leaf_options,
       supply=st.sampled_from(["leaf", "leaf+inter", "inter+leaf", "all", "root+leaf"]),
       anchored=st.booleans(), email=st.sampled_from([None, "alice@example.com", "bob@x.org"]))
def test_every_combination_gives_a_coherent_report(inter, leaf, supply, anchored, email):
    root = make_root()
    inter_built = _common(inter)
    inter_built.update(ca=inter["ca"], path_length=inter["path_length"] if inter["ca"] else None,
                       permitted_emails=leaf["permitted"])
    if inter["weak_hash"]:
        inter_built["hash_algorithm"] = hashes.SHA1()
    intermediate = make_intermediate(issuer=root, **inter_built)
    leaf_built = _common(leaf)
    leaf_built["emails"] = leaf["emails"]
    if leaf["subject_email"]:
        leaf_built["subject"] = name("Alice", email="alice@example.com")
    certificate = make_leaf(issuer=intermediate, **leaf_built)
    supplied = {"leaf": [certificate], "leaf+inter": [certificate, intermediate],
                "inter+leaf": [intermediate, certificate],
                "all": [certificate, intermediate, root], "root+leaf": [root, certificate]}[supply]

    report = diagnose_built(*supplied, anchors=[root] if anchored else [], email=email)

    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    severities = {f.severity.value for f in report.findings}
    expected = "fail" if "error" in severities else "warn" if "warning" in severities else "pass"
    assert report.status == expected
    listed = {c["sha256"] for c in report.certificates}
    assert set(report.chain) <= listed
    assert {f.certificate for f in report.findings if f.certificate} <= listed
    assert report.chain[0] == certificate.sha256
    chain_errors = {f.code for f in report.findings
                    if f.code.startswith("chain.") and f.severity.value == "error"}
    if report.trust["trusted"]:
        assert "chain.trusted" in report.codes and not chain_errors
        assert anchored
    else:
        assert "chain.trusted" not in report.codes
    for finding in report.findings:
        assert finding.title[:1].isupper() and "{" not in finding.explanation


_FUZZ_CHAIN = None


def _fuzz_chain():
    global _FUZZ_CHAIN
    if _FUZZ_CHAIN is None:
        from .builders import make_chain

        _FUZZ_CHAIN = make_chain(policies=("2.23.140.1.5.1.2",), ocsp="http://ocsp.example.com",
                                 smtp_utf8_emails=("b\u00fcro@example.com",),
                                 intermediate_options={"permitted_emails": ("example.com",)})
    return _FUZZ_CHAIN


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(["leaf", "intermediate"]),
       changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                        min_size=1, max_size=4))
def test_a_damaged_certificate_that_still_loads_never_breaks_the_engine(target, changes):
    """Flip bytes of a DER certificate; whenever cryptography still loads it, the engine copes."""
    from cryptography import x509

    from smimecenter.diagnostics.engine import diagnose_parsed
    from smimecenter.diagnostics.inputs import ParsedInputs, SuppliedCertificate
    from smimecenter.diagnostics.trust import TrustStore

    chain = _fuzz_chain()
    der = bytearray(getattr(chain, target).der)
    for where, value in changes:
        der[int(where * len(der))] = value
    try:
        damaged = x509.load_der_x509_certificate(bytes(der))
    except (ValueError, x509.InvalidVersion):
        return
    others = [chain.intermediate.certificate] if target == "leaf" else [chain.leaf.certificate]
    parsed = ParsedInputs(certificates=[SuppliedCertificate(c, "the input", "der")
                                        for c in (damaged, *others)])
    store = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")
    report = diagnose_parsed(parsed, email="alice@example.com", stores=[store], public_store=store,
                             at=NOW)
    json.dumps(report.to_dict())
    assert report.status in {"fail", "warn", "pass"}
