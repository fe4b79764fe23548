"""Name constraints of every form (RFC 5280 section 4.2.1.10, RFC 9598 section 6): each one
refuses a name outside it and lets a name inside it pass; a constraint that cannot be read or
checked fails rather than passes; nothing raises."""
from __future__ import annotations

import ipaddress
import json

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from smimecenter.diagnostics.name_constraints import _mailbox_matches

from .builders import diagnose_built, make_intermediate, make_leaf, make_root, name, pem
from .test_cli import run


def constrained(permitted=(), excluded=(), *, critical=True, root=None):
    root = root or make_root()
    constraints = x509.NameConstraints(permitted_subtrees=list(permitted) or None,
                                       excluded_subtrees=list(excluded) or None)
    return root, make_intermediate(issuer=root, extra_extensions=[(constraints, critical)])


def verdict(intermediate, root, leaf) -> list[str]:
    report = diagnose_built(leaf, intermediate, anchors=[root])
    return [f.code for f in report.findings if f.code == "chain.name_constraints_violation"]


def leaf_with(issuer, names=(), subject=None):
    extra = [(x509.SubjectAlternativeName(list(names)), False)] if names else []
    return make_leaf(issuer=issuer, subject=subject, emails=(), extra_extensions=extra)


@pytest.mark.parametrize("constraint, inside, outside", [
    (x509.DNSName("example.com"), x509.DNSName("mail.example.com"), x509.DNSName("example.org")),
    (x509.IPAddress(ipaddress.ip_network("192.0.2.0/24")), x509.IPAddress(ipaddress.ip_address("192.0.2.7")),
     x509.IPAddress(ipaddress.ip_address("198.51.100.7"))),
    (x509.IPAddress(ipaddress.ip_network("2001:db8::/32")), x509.IPAddress(ipaddress.ip_address("2001:db8::1")),
     x509.IPAddress(ipaddress.ip_address("2001:db9::1"))),
    (x509.UniformResourceIdentifier(".example.com"),
     x509.UniformResourceIdentifier("https://www.example.com/alice"),
     x509.UniformResourceIdentifier("https://www.example.org/alice")),
], ids=["dNSName", "iPAddress v4", "iPAddress v6", "URI"])
def test_each_form_refuses_names_outside_its_permitted_subtree(constraint, inside, outside):
    root, intermediate = constrained(permitted=[constraint])
    assert verdict(intermediate, root, leaf_with(intermediate, [x509.RFC822Name("a@example.com"), inside])) == []
    assert verdict(intermediate, root, leaf_with(intermediate, [x509.RFC822Name("a@example.com"), outside]))


def test_an_excluded_subtree_refuses_only_the_names_inside_it():
    root, intermediate = constrained(excluded=[x509.DNSName("bad.example.com")])
    assert verdict(intermediate, root, leaf_with(intermediate, [x509.DNSName("bad.example.com")]))
    assert verdict(intermediate, root, leaf_with(intermediate, [x509.DNSName("good.example.com")])) == []


def test_a_directory_name_constraint_applies_to_the_subject():
    permitted = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Org")])
    root, intermediate = constrained(permitted=[x509.DirectoryName(permitted)])
    inside = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Org"),
                        x509.NameAttribute(NameOID.COMMON_NAME, "Alice")])
    assert verdict(intermediate, root, make_leaf(issuer=intermediate, subject=inside)) == []
    problems = verdict(intermediate, root, make_leaf(issuer=intermediate, subject=name("Alice")))
    assert problems


def test_rfc822_constraints_also_govern_smtp_utf8_mailboxes():
    root, intermediate = constrained(permitted=[x509.RFC822Name("example.de")])
    inside = make_leaf(issuer=intermediate, emails=(), smtp_utf8_emails=("j\u00f6rg@example.de",))
    outside = make_leaf(issuer=intermediate, emails=(), smtp_utf8_emails=("j\u00f6rg@example.com",))
    assert verdict(intermediate, root, inside) == []
    assert verdict(intermediate, root, outside)


def test_a_critical_constraint_of_a_form_nobody_checks_fails_when_the_name_is_present():
    other = x509.OtherName(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x0c\x03abc")
    root, intermediate = constrained(excluded=[other])
    with_name = leaf_with(intermediate, [x509.RFC822Name("a@example.com"), other])
    without = leaf_with(intermediate, [x509.RFC822Name("a@example.com")])
    report = diagnose_built(with_name, intermediate, anchors=[root])
    assert "cannot be checked" in " ".join(f.explanation for f in report.findings)
    assert verdict(intermediate, root, without) == []


def test_mailbox_constraints_follow_rfc_5280_section_4_2_1_10():
    assert _mailbox_matches("alice@example.com", "example.com")
    assert _mailbox_matches("alice@EXAMPLE.com", "example.com")
    assert not _mailbox_matches("alice@mail.example.com", "example.com")
    assert _mailbox_matches("alice@mail.example.com", ".example.com")
    assert not _mailbox_matches("alice@example.com", ".example.com")
    assert _mailbox_matches("alice@example.com", "alice@example.com")
    assert not _mailbox_matches("bob@example.com", "alice@example.com")
    # An address that is not a mailbox is within no subtree (so a permitted one refuses it).
    assert not _mailbox_matches("alice@bob@example.com", "example.com")


# --- a constraint cryptography cannot read (an iPAddress without its mask) -------------------------

def _ip_constraint_without_mask() -> x509.UnrecognizedExtension:
    """permittedSubtrees { iPAddress 192.0.2.1 } with 4 octets where RFC 5280 wants 8: the form
    cryptography refuses with TypeError when the extensions are read."""
    general_name = bytes([0x87, 4, 192, 0, 2, 1])
    subtree = bytes([0x30, len(general_name)]) + general_name
    permitted = bytes([0xA0, len(subtree)]) + subtree
    return x509.UnrecognizedExtension(ExtensionOID.NAME_CONSTRAINTS,
                                      bytes([0x30, len(permitted)]) + permitted)


@pytest.fixture
def root_with_unmasked_ip_constraint():
    root = make_root(extra_extensions=[(_ip_constraint_without_mask(), True)])
    intermediate = make_intermediate(issuer=root)
    leaf = make_leaf(issuer=intermediate)
    with pytest.raises(TypeError):
        x509.load_der_x509_certificate(root.der).extensions  # noqa: B018  (the defect's cause)
    return root, intermediate, leaf


def test_an_unreadable_critical_constraint_fails_the_path_without_raising(root_with_unmasked_ip_constraint):
    root, intermediate, leaf = root_with_unmasked_ip_constraint
    report = diagnose_built(leaf, intermediate, anchors=[root])
    assert report.trust["trusted"] is False
    assert "certificate.unknown_critical_extension" in report.codes


def test_the_api_answers_a_trust_anchor_with_an_unmasked_ip_constraint(client, root_with_unmasked_ip_constraint):
    root, intermediate, leaf = root_with_unmasked_ip_constraint
    response = client.post("/api/v1/diagnose", data=json.dumps({
        "text": pem(leaf, intermediate).decode(), "trust": [pem(root).decode()]}),
        content_type="application/json")
    assert response.status_code == 200
    assert response.json()["trust"]["trusted"] is False


def test_the_command_line_answers_it_without_a_traceback(tmp_path, capsys, root_with_unmasked_ip_constraint):
    root, intermediate, leaf = root_with_unmasked_ip_constraint
    (tmp_path / "root.pem").write_bytes(pem(root))
    (tmp_path / "chain.pem").write_bytes(pem(leaf, intermediate))
    code, out = run(str(tmp_path / "chain.pem"), "--trust-file", str(tmp_path / "root.pem"))
    assert code == 1 and "Traceback" not in out + capsys.readouterr().err


# --- one unreadable extension does not hide the others ---------------------------------------------

def test_one_malformed_extension_is_reported_and_the_name_constraints_still_apply():
    root = make_root()
    broken_policies = x509.UnrecognizedExtension(ExtensionOID.CERTIFICATE_POLICIES, b"\x30\x03\x02\x01\x01")
    intermediate = make_intermediate(issuer=root, permitted_emails=("example.com",),
                                     extra_extensions=[(broken_policies, False)])
    with pytest.raises(ValueError):
        x509.load_der_x509_certificate(intermediate.der).extensions  # noqa: B018
    outside = make_leaf(issuer=intermediate, email="alice@example.org")
    report = diagnose_built(outside, intermediate, anchors=[root])
    assert "chain.name_constraints_violation" in report.codes
    described = [c for c in report.certificates if c["sha256"] == intermediate.sha256][0]
    assert any("certificatePolicies" in p and "malformed" in p for p in described["problems"])
    assert described["is_ca"] is True  # basicConstraints, read on its own, still counts
