"""Name constraints of every form (RFC 5280 section 4.2.1.10, RFC 9598 section 6).

`violations(constraints, subject)` lists, in words, each name of `subject` that a CA's
NameConstraints extension does not allow. The validator of record gives the verdict; this module
says which name broke which rule, so a person knows what to ask the CA for.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509

from .certinfo import SMTP_UTF8_MAILBOX, CertificateFacts, canonical_name

__all__ = ["Violation", "address_defect", "violations"]

MAX_DOMAIN_LENGTH = 253  # RFC 1035 section 2.3.4: 255 octets on the wire, 253 characters written


@dataclass(frozen=True)
class Violation:
    name: str  # the name as a person reads it
    rule: str  # what the constraint says, in words


def address_defect(address: str) -> str | None:
    """Why `address` is not a mailbox (RFC 5321 section 4.1.2: local-part "@" domain), or None."""
    if "@" not in address:
        return "it has no @"
    if address.count("@") > 1 and not address.startswith('"'):
        return "it has more than one @"
    local, _, domain = address.rpartition("@")
    if not local:
        return "nothing comes before the @"
    if not domain or "." not in domain.strip(".") and domain.lower() != "localhost":
        return "the part after the @ is not a domain"
    if len(domain) > MAX_DOMAIN_LENGTH:
        return f"its domain is longer than {MAX_DOMAIN_LENGTH} characters"
    return None


def violations(constraints: x509.NameConstraints, subject: CertificateFacts, *,
               critical: bool) -> Iterator[Violation]:
    permitted = _by_form(constraints.permitted_subtrees or ())
    excluded = _by_form(constraints.excluded_subtrees or ())
    names = _names_of(subject)
    for form, values in names.items():
        allowed, refused = permitted.get(form, []), excluded.get(form, [])
        if not allowed and not refused:
            continue
        match = _MATCHERS.get(form)
        for shown, value in values:
            if match is None:
                # Section 4.2.1.10: a form the validator cannot process, in a critical
                # extension, must fail the certificate rather than be skipped.
                if critical:
                    yield Violation(shown, f"the CA constrains {form} names, which cannot be checked")
                continue
            if allowed and not any(match(value, c) for c in allowed):
                yield Violation(shown, "only " + ", ".join(_show(c) for c in allowed) + " may be used")
            elif any(match(value, c) for c in refused):
                yield Violation(shown, ", ".join(_show(c) for c in refused) + " may not be used")


# --- the names a certificate carries, by form ----------------------------------------------------

_FORM_OF = {
    x509.RFC822Name: "rfc822Name", x509.DNSName: "dNSName", x509.IPAddress: "iPAddress",
    x509.UniformResourceIdentifier: "uniformResourceIdentifier",
    x509.DirectoryName: "directoryName", x509.RegisteredID: "registeredID",
}


def _form(name: x509.GeneralName) -> str:
    if isinstance(name, x509.OtherName):
        return "SmtpUTF8Mailbox" if name.type_id == SMTP_UTF8_MAILBOX else f"otherName {name.type_id.dotted_string}"
    return _FORM_OF.get(type(name), type(name).__name__)


def _by_form(subtrees: Sequence[x509.GeneralName]) -> dict[str, list[object]]:
    grouped: dict[str, list[object]] = {}
    for name in subtrees:
        form = _form(name)
        if form == "SmtpUTF8Mailbox":
            continue  # RFC 9598 section 6: mailbox constraints are written as rfc822Name
        grouped.setdefault(form, []).append(name.value)
    # RFC 9598 section 6: rfc822Name constraints also govern SmtpUTF8Mailbox names.
    if "rfc822Name" in grouped:
        grouped["SmtpUTF8Mailbox"] = grouped["rfc822Name"]
    return grouped


def _names_of(subject: CertificateFacts) -> dict[str, list[tuple[str, object]]]:
    names: dict[str, list[tuple[str, object]]] = {}
    san = subject.extension(x509.SubjectAlternativeName)
    for name in (san or ()):
        form = _form(name)
        if form == "SmtpUTF8Mailbox":
            continue  # decoded by the facts below
        names.setdefault(form, []).append((_show(name.value), name.value))
    for address in subject.smtp_utf8_emails:
        names.setdefault("SmtpUTF8Mailbox", []).append((address, address))
    # Section 6.1.3 (b): emailAddress attributes of the subject are checked as rfc822Names.
    for address in subject.subject_emails:
        names.setdefault("rfc822Name", []).append((address, address))
    # Section 6.1.3 (b): the subject name itself is a directoryName (an empty one names nothing).
    if subject.subject_name.rdns:
        names.setdefault("directoryName", []).append((subject.subject, subject.subject_name))
    return names


def _show(value: object) -> str:
    if isinstance(value, x509.Name):
        try:
            return value.rfc4514_string() or "(the empty name)"
        except ValueError:
            return "(a name that cannot be displayed)"
    return str(value) if str(value) else "(empty)"


# --- matching, one function per form --------------------------------------------------------------

def _mailbox_matches(address: object, constraint: object) -> bool:
    """rfc822Name (4.2.1.10): a mailbox, a host (all its mailboxes), or ".domain" (subdomains).
    A string that is not a mailbox matches nothing, so a permitted subtree refuses it."""
    if not isinstance(address, str) or not isinstance(constraint, str) or address_defect(address):
        return False
    local, _, domain = address.rpartition("@")
    domain = _ascii_domain(domain)
    if "@" in constraint:
        c_local, _, c_domain = constraint.rpartition("@")
        return c_local == local and _ascii_domain(c_domain) == domain
    constraint = _ascii_domain(constraint)
    if constraint.startswith("."):
        return domain.endswith(constraint)
    return domain == constraint


def _dns_matches(name: object, constraint: object) -> bool:
    """dNSName: the constraint and any name made by adding labels on its left."""
    if not isinstance(name, str) or not isinstance(constraint, str):
        return False
    name, constraint = name.lower().rstrip("."), constraint.lower().rstrip(".")
    if not constraint:
        return True
    if constraint.startswith("."):
        return name.endswith(constraint)
    return name == constraint or name.endswith("." + constraint)


def _ip_matches(address: object, network: object) -> bool:
    if isinstance(address, (ipaddress.IPv4Address, ipaddress.IPv6Address)) and \
            isinstance(network, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return address.version == network.version and address in network
    return False


def _uri_matches(uri: object, constraint: object) -> bool:
    """uniformResourceIdentifier: the constraint names the URI's host (".domain": any host under
    it). A URI without a host cannot be within a subtree."""
    if not isinstance(uri, str) or not isinstance(constraint, str):
        return False
    try:
        host = urlsplit(uri).hostname or ""
    except ValueError:
        return False
    if not host:
        return False
    constraint = constraint.lower()
    if constraint.startswith("."):
        return host.endswith(constraint)
    return host == constraint


def _directory_matches(name: object, constraint: object) -> bool:
    """directoryName: the constraint's RDNs begin the name (compared as section 7.1 says)."""
    if not isinstance(name, x509.Name) or not isinstance(constraint, x509.Name):
        return False
    whole, prefix = canonical_name(name), canonical_name(constraint)
    return whole[:len(prefix)] == prefix


def _ascii_domain(domain: str) -> str:
    """RFC 9598 section 6: domains compare as A-labels, without case."""
    domain = domain.lower()
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


_MATCHERS = {
    "rfc822Name": _mailbox_matches,
    "SmtpUTF8Mailbox": _mailbox_matches,
    "dNSName": _dns_matches,
    "iPAddress": _ip_matches,
    "uniformResourceIdentifier": _uri_matches,
    "directoryName": _directory_matches,
}
