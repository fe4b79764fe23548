"""What a certificate signing request (PKCS#10, RFC 2986) asks for, and what a CA will make of it.

The request is found by the input reader (one parser per format); this module only reads the parsed
request. Problems are returned as (code, details) pairs; the words live with each code in
checks/csr.py, like every other finding.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtensionOID, NameOID

from .decoding import decoded
from .public_keys import key_shape

__all__ = ["CsrProblem", "CsrSummary", "examine", "summarise"]

MIN_RSA_BITS = 2048  # CA/B Forum S/MIME BR section 6.1.5
ACCEPTED_CURVES = {"secp256r1", "secp384r1", "secp521r1"}  # S/MIME BR section 6.1.5
WEAK_HASHES = {"md5", "sha1", "md2", "md4"}
CHALLENGE_PASSWORD = x509.ObjectIdentifier("1.2.840.113549.1.9.7")  # RFC 2985 section 5.4.1
SMTP_UTF8_MAILBOX = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.9")  # RFC 8398 section 3

# Subject attributes a mailbox-validated certificate may carry (S/MIME BR section 7.1.4.2.2): anything
# else in a request is either dropped or replaced by what the CA validated.
MAILBOX_SUBJECT = {NameOID.COMMON_NAME, NameOID.EMAIL_ADDRESS, NameOID.SERIAL_NUMBER}
ATTRIBUTE_NAMES = {
    NameOID.COMMON_NAME: "commonName", NameOID.EMAIL_ADDRESS: "emailAddress",
    NameOID.ORGANIZATION_NAME: "organizationName", NameOID.ORGANIZATIONAL_UNIT_NAME: "organizationalUnitName",
    NameOID.COUNTRY_NAME: "countryName", NameOID.STATE_OR_PROVINCE_NAME: "stateOrProvinceName",
    NameOID.LOCALITY_NAME: "localityName", NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.GIVEN_NAME: "givenName", NameOID.SURNAME: "surname", NameOID.TITLE: "title",
    NameOID.PSEUDONYM: "pseudonym", NameOID.STREET_ADDRESS: "streetAddress",
}
# Extensions the CA writes from its own certificate profile (S/MIME BR section 7.1.2.3), whatever the
# request asks for; subjectAltName is the one whose content a CA takes (after validating it).
CA_DECIDES = {
    ExtensionOID.KEY_USAGE: "keyUsage", ExtensionOID.EXTENDED_KEY_USAGE: "extendedKeyUsage",
    ExtensionOID.BASIC_CONSTRAINTS: "basicConstraints", ExtensionOID.CERTIFICATE_POLICIES: "certificatePolicies",
    ExtensionOID.CRL_DISTRIBUTION_POINTS: "cRLDistributionPoints",
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS: "authorityInformationAccess",
    ExtensionOID.NAME_CONSTRAINTS: "nameConstraints", ExtensionOID.SUBJECT_KEY_IDENTIFIER: "subjectKeyIdentifier",
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER: "authorityKeyIdentifier",
}


@dataclass(frozen=True)
class CsrProblem:
    code: str
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CsrSummary:
    """What the request says, for the page: subject, key, requested extensions, signature."""

    subject: str
    san_emails: tuple[str, ...]
    subject_emails: tuple[str, ...]
    key_type: str
    key_size: int | None
    curve: str | None
    public_key_pem: str
    public_key_sha256: str
    signature_algorithm: str
    signature_hash: str | None
    signature_valid: bool | None  # None when the algorithm cannot be checked here
    extensions: tuple[dict[str, object], ...]
    attributes: tuple[str, ...]
    problems: tuple[str, ...]  # parts that could not be read

    def to_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject, "san_emails": list(self.san_emails),
            "subject_emails": list(self.subject_emails),
            "key": {"type": self.key_type, "size": self.key_size, "curve": self.curve,
                    "spki_sha256": self.public_key_sha256, "pem": self.public_key_pem},
            "signature_algorithm": self.signature_algorithm, "signature_hash": self.signature_hash,
            "signature_valid": self.signature_valid, "extensions": [dict(e) for e in self.extensions],
            "attributes": list(self.attributes), "problems": list(self.problems),
        }


def summarise(request: x509.CertificateSigningRequest) -> CsrSummary:
    problems: list[str] = []
    key = _public_key(request, problems)
    key_type, size, curve = key_shape(key)
    spki = (key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            if key is not None else b"")
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    subject = _subject(request, problems)
    return CsrSummary(
        subject=_rfc4514(subject) if subject is not None else "(a subject that cannot be decoded)",
        san_emails=_san_emails(request, problems),
        subject_emails=tuple(str(a.value) for a in (subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)
                                                    if subject is not None else ())),
        key_type=key_type, key_size=size, curve=curve,
        public_key_pem=(key.public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
                        if key is not None else ""),
        public_key_sha256=digest.finalize().hex() if spki else "",
        signature_algorithm=_signature_name(request),
        signature_hash=_signature_hash(request),
        signature_valid=_signature_valid(request),
        extensions=tuple(_extensions(request, problems)),
        attributes=tuple(_attribute_names(request)),
        problems=tuple(dict.fromkeys(problems)),
    )


def examine(request: x509.CertificateSigningRequest, *, email: str | None = None,
            summary: CsrSummary | None = None) -> list[CsrProblem]:
    """Everything a CA would reject, ignore or replace in this request, as (code, details)."""
    info = summary or summarise(request)
    return list(_problems(request, info, email))


def _problems(request: x509.CertificateSigningRequest, info: CsrSummary, email: str | None
              ) -> Iterator[CsrProblem]:
    subject = info.subject or "(an empty subject)"
    # RFC 2986 section 3: the request is signed with the private key of the key it carries.
    if info.signature_valid is False:
        yield CsrProblem("csr.bad_signature", {"subject": subject})
    if info.signature_hash in WEAK_HASHES:
        yield CsrProblem("csr.weak_signature", {"subject": subject, "algorithm": info.signature_algorithm})
    yield from _key_problems(info, subject)
    yield from _email_problems(info, subject, email)
    yield from _replaced_fields(request, info, subject)
    if _requests_ca(request):
        # S/MIME BR section 7.1.2.3 (d): a subscriber certificate SHALL NOT have cA true.
        yield CsrProblem("csr.requests_ca", {"subject": subject})
    if "challengePassword" in info.attributes:
        yield CsrProblem("csr.challenge_password", {"subject": subject})


def _key_problems(info: CsrSummary, subject: str) -> Iterator[CsrProblem]:
    # CA/B Forum S/MIME BR section 6.1.5: RSA of 2048 bits or more with a modulus divisible by 8,
    # ECDSA on P-256, P-384 or P-521, or EdDSA; "no other algorithms or key sizes are permitted".
    if info.key_type == "RSA" and info.key_size is not None:
        if info.key_size < MIN_RSA_BITS:
            yield CsrProblem("csr.weak_key", {"subject": subject, "bits": info.key_size})
        elif info.key_size % 8:
            yield CsrProblem("csr.unsupported_key", {"subject": subject,
                                                     "key": f"RSA with a {info.key_size}-bit modulus "
                                                            "(not a multiple of 8)"})
    elif info.key_type == "EC" and info.curve not in ACCEPTED_CURVES:
        yield CsrProblem("csr.unsupported_key", {"subject": subject, "key": f"EC on the curve {info.curve}"})
    elif info.key_type in ("DSA", "unknown"):
        yield CsrProblem("csr.unsupported_key", {"subject": subject, "key": info.key_type})
    elif info.key_type in ("Ed25519", "Ed448"):
        yield CsrProblem("csr.eddsa_key", {"subject": subject, "key": info.key_type})


def _email_problems(info: CsrSummary, subject: str, email: str | None) -> Iterator[CsrProblem]:
    # S/MIME BR section 1.1 and 7.1.2.3 (h): the mailbox address goes in subjectAltName.
    addresses = [*info.san_emails, *info.subject_emails]
    if not addresses:
        yield CsrProblem("csr.no_email", {"subject": subject})
    elif not info.san_emails:
        yield CsrProblem("csr.email_only_in_subject", {"subject": subject,
                                                       "addresses": list(info.subject_emails)})
    wanted = (email or "").strip()
    if wanted and addresses and not any(_same_address(wanted, a) for a in addresses):
        yield CsrProblem("csr.email_mismatch", {"subject": subject, "expected": wanted,
                                                "addresses": list(dict.fromkeys(addresses))})


def _replaced_fields(request: x509.CertificateSigningRequest, info: CsrSummary, subject: str
                     ) -> Iterator[CsrProblem]:
    attributes = []
    for attribute in (_subject(request, None) or ()):
        if attribute.oid not in MAILBOX_SUBJECT:
            attributes.append(ATTRIBUTE_NAMES.get(attribute.oid, attribute.oid.dotted_string))
    extensions = [str(e["name"]) for e in info.extensions if e["oid"] in {o.dotted_string for o in CA_DECIDES}]
    if attributes or extensions:
        yield CsrProblem("csr.fields_replaced", {
            "subject": subject,
            "attributes": list(dict.fromkeys(attributes)) or ["none"],
            "extensions": list(dict.fromkeys(extensions)) or ["none"],
        })


def _same_address(a: str, b: str) -> bool:
    """Local parts as written, domains case-insensitively (RFC 5321 section 2.4)."""
    local_a, _, domain_a = a.rpartition("@")
    local_b, _, domain_b = b.rpartition("@")
    return local_a == local_b and domain_a.lower() == domain_b.lower()


def _requests_ca(request: x509.CertificateSigningRequest) -> bool:
    constraints = _extension(request, x509.BasicConstraints, None)
    return bool(constraints is not None and constraints.ca)


# --- reading the request, never raising: every lazy decode goes through decoding.decoded ------------

def _subject(request: x509.CertificateSigningRequest, problems: list[str] | None) -> x509.Name | None:
    return decoded(lambda: request.subject, default=None, what="its subject", problems=problems)


def _extension(request: x509.CertificateSigningRequest, kind: type, problems: list[str] | None):
    extensions = decoded(lambda: request.extensions, default=None,
                         what="its requested extensions", problems=problems)
    if extensions is None:
        return None
    try:
        return extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _public_key(request: x509.CertificateSigningRequest, problems: list[str]):
    return decoded(request.public_key, default=None, what="its public key", problems=problems)


def _signature_name(request: x509.CertificateSigningRequest) -> str:
    oid = decoded(lambda: request.signature_algorithm_oid, default=None, what="its algorithm")
    if oid is None:
        return "(unreadable)"
    name = getattr(oid, "_name", None)
    return oid.dotted_string if not name or name == "Unknown OID" else name


def _signature_hash(request: x509.CertificateSigningRequest) -> str | None:
    algorithm = decoded(lambda: request.signature_hash_algorithm, default="unknown", what="its hash")
    if isinstance(algorithm, str):
        return algorithm
    return algorithm.name if algorithm is not None else None


def _signature_valid(request: x509.CertificateSigningRequest) -> bool | None:
    return decoded(lambda: bool(request.is_signature_valid), default=None, what="its signature")


def _san_emails(request: x509.CertificateSigningRequest, problems: list[str]) -> tuple[str, ...]:
    san = _extension(request, x509.SubjectAlternativeName, problems)
    if san is None:
        return ()
    found = list(san.get_values_for_type(x509.RFC822Name))
    found += [_utf8(o.value) for o in san.get_values_for_type(x509.OtherName) if o.type_id == SMTP_UTF8_MAILBOX]
    return tuple(a for a in found if a)


def _utf8(der: bytes) -> str:
    """The text of a short DER UTF8String (tag 12), or "" when it is not one."""
    if len(der) >= 2 and der[0] == 0x0C and der[1] == len(der) - 2:
        return der[2:].decode("utf-8", errors="replace")
    return ""


def _extensions(request: x509.CertificateSigningRequest, problems: list[str]) -> Iterator[dict[str, object]]:
    extensions = decoded(lambda: list(request.extensions), default=None,
                         what="its requested extensions", problems=problems)
    if extensions is None:
        return
    for extension in extensions:
        name = getattr(extension.oid, "_name", None)
        yield {
            "oid": extension.oid.dotted_string,
            "name": CA_DECIDES.get(extension.oid) or (name if name and name != "Unknown OID"
                                                      else extension.oid.dotted_string),
            "critical": extension.critical,
            "value": _extension_value(extension.value),
        }


def _extension_value(value: x509.ExtensionType) -> str:
    if isinstance(value, x509.SubjectAlternativeName):
        return ", ".join(f"{type(n).__name__}: {n.value}" if not isinstance(n, x509.OtherName)
                         else f"otherName {n.type_id.dotted_string}" for n in value)
    if isinstance(value, x509.KeyUsage):
        flags = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                 "key_agreement", "key_cert_sign", "crl_sign")
        return ", ".join(flag for flag in flags if getattr(value, flag))
    if isinstance(value, x509.ExtendedKeyUsage):
        return ", ".join(getattr(o, "_name", o.dotted_string) for o in value)
    if isinstance(value, x509.BasicConstraints):
        return f"cA={value.ca}" + (f", pathLen={value.path_length}" if value.path_length is not None else "")
    return type(value).__name__


def _attribute_names(request: x509.CertificateSigningRequest) -> Iterator[str]:
    attributes = decoded(lambda: list(request.attributes), default=None, what="its attributes")
    if attributes is None:
        return
    for attribute in attributes:
        if attribute.oid == CHALLENGE_PASSWORD:
            yield "challengePassword"
        elif attribute.oid == x509.ObjectIdentifier("1.2.840.113549.1.9.14"):
            continue  # extensionRequest, shown as extensions
        else:
            yield getattr(attribute.oid, "_name", None) or attribute.oid.dotted_string


def _rfc4514(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except Exception:
        return "(a name that cannot be displayed)"
