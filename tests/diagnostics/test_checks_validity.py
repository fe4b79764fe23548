"""validity.* findings: expired, not yet valid, expiring within 30 days."""
from __future__ import annotations

import datetime as dt

from .builders import NOW, diagnose_built, make_chain, make_intermediate, make_leaf, make_root
from .test_checks_chain import finding


def test_it_flags_an_expired_leaf_and_names_the_date():
    chain = make_chain(not_before=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
                       not_after=dt.datetime(2021, 3, 5, 12, 0, tzinfo=dt.timezone.utc))
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    expired = finding(report, "validity.expired")
    assert "5 March 2021" in expired.explanation
    assert expired.certificate == chain.leaf.sha256
    assert report.status == "fail"


def test_it_does_not_flag_a_leaf_within_its_validity():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert not {"validity.expired", "validity.not_yet_valid", "validity.expiring_soon"} & set(report.codes)


def test_it_checks_validity_at_the_moment_asked_for():
    chain = make_chain()
    later = NOW + dt.timedelta(days=400)
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root], at=later)
    assert "validity.expired" in report.codes
    assert report.trust["trusted"] is False


def test_it_flags_a_certificate_that_is_not_valid_yet():
    chain = make_chain(not_before=NOW + dt.timedelta(days=3), not_after=NOW + dt.timedelta(days=300))
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    early = finding(report, "validity.not_yet_valid")
    assert early.certificate == chain.leaf.sha256
    start = (NOW + dt.timedelta(days=3)).astimezone(dt.timezone.utc)
    assert f"{start.day} {start:%B %Y}, {start:%H:%M} UTC" in early.explanation


def test_it_warns_about_a_certificate_expiring_within_30_days():
    chain = make_chain(not_after=NOW + dt.timedelta(days=10))
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    soon = finding(report, "validity.expiring_soon")
    assert soon.severity.value == "warning"
    assert report.status == "warn"
    assert report.trust["trusted"] is True


def test_it_does_not_warn_about_a_certificate_expiring_in_two_months():
    chain = make_chain(not_after=NOW + dt.timedelta(days=60))
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "validity.expiring_soon" not in report.codes


def test_it_flags_an_expired_intermediate_with_ca_advice():
    root = make_root()
    inter = make_intermediate(issuer=root, not_before=NOW - dt.timedelta(days=900),
                              not_after=NOW - dt.timedelta(days=1))
    leaf = make_leaf(issuer=inter)
    report = diagnose_built(leaf, inter, anchors=[root])
    expired = finding(report, "validity.expired")
    assert expired.certificate == inter.sha256
    assert "CA certificate" in expired.fix
