"""identity.* findings: whose mailbox the leaf carries."""
from __future__ import annotations

from cryptography import x509

from smimecenter.diagnostics.checks.identity import same_mailbox

from .builders import diagnose_built, make_chain, make_leaf, make_root, name
from .test_checks_chain import finding


def test_it_flags_a_certificate_for_another_address():
    chain = make_chain(email="alice@example.com")
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root],
                            email="bob@example.com")
    mismatch = finding(report, "identity.email_mismatch")
    assert "bob@example.com" in mismatch.explanation and "alice@example.com" in mismatch.explanation


def test_it_compares_the_domain_without_case():
    chain = make_chain(email="alice@example.com")
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root],
                            email="alice@EXAMPLE.Com")
    assert "identity.email_mismatch" not in report.codes


def test_it_compares_the_local_part_exactly_as_rfc_5321_says():
    assert same_mailbox("alice@example.com", "alice@Example.COM")
    assert not same_mailbox("Alice@example.com", "alice@example.com")


def test_it_finds_the_address_in_an_smtp_utf8_mailbox():
    root = make_root()
    leaf = make_leaf(issuer=root, emails=(), smtp_utf8_emails=("j\u00f6rg@example.de",))
    report = diagnose_built(leaf, anchors=[root], email="j\u00f6rg@example.de")
    assert not {"identity.email_mismatch", "identity.no_email",
                "identity.email_only_in_subject"} & set(report.codes)


def test_it_warns_when_the_address_is_only_in_the_subject():
    root = make_root()
    leaf = make_leaf(issuer=root, emails=(), subject=name("Alice", email="alice@example.com"))
    report = diagnose_built(leaf, anchors=[root], email="alice@example.com")
    only = finding(report, "identity.email_only_in_subject")
    assert only.severity.value == "warning" and "alice@example.com" in only.explanation
    assert "identity.email_mismatch" not in report.codes


def test_it_does_not_warn_when_the_address_is_also_in_the_san():
    root = make_root()
    leaf = make_leaf(issuer=root, subject=name("Alice", email="alice@example.com"))
    report = diagnose_built(leaf, anchors=[root])
    assert "identity.email_only_in_subject" not in report.codes


def test_it_flags_a_certificate_with_no_address_at_all():
    root = make_root()
    leaf = make_leaf(issuer=root, emails=(), subject=name("Alice Example"))
    report = diagnose_built(leaf, anchors=[root])
    assert finding(report, "identity.no_email").certificate == leaf.sha256


def test_it_does_not_flag_a_certificate_with_an_address():
    chain = make_chain()
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "identity.no_email" not in report.codes


def test_an_address_differing_only_in_case_is_a_note_not_an_error():
    chain = make_chain(email="Alice@example.com")
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root],
                            email="alice@example.com")
    assert "identity.email_mismatch" not in report.codes
    note = finding(report, "identity.email_case_differs")
    assert note.severity.value == "info" and "Alice@example.com" in note.explanation


def test_another_address_is_still_an_error_and_not_a_case_note():
    chain = make_chain(email="Alice@example.com")
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root],
                            email="alicia@example.com")
    assert "identity.email_mismatch" in report.codes
    assert "identity.email_case_differs" not in report.codes


def test_malformed_addresses_are_errors_of_their_own():
    root = make_root()
    long_domain = ".".join(["a" * 60] * 5) + ".example"  # 304 characters
    for address, reason in (("alice@bob@example.com", "more than one @"),
                            ("alice.example.com", "no @"),
                            (f"alice@{long_domain}", "longer than 253")):
        # cryptography's builder refuses some of these, as a CA should; write them as found.
        san = x509.SubjectAlternativeName([x509.RFC822Name._init_without_validation(address)])
        leaf = make_leaf(issuer=root, emails=(), extra_extensions=[(san, False)])
        report = diagnose_built(leaf, anchors=[root])
        malformed = finding(report, "identity.malformed_address")
        assert reason in malformed.explanation, address


def test_a_well_formed_address_is_not_called_malformed():
    chain = make_chain(email="alice@mail.example.com")
    report = diagnose_built(chain.leaf, chain.intermediate, anchors=[chain.root])
    assert "identity.malformed_address" not in report.codes
