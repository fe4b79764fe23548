"""The facts of one certificate that a person (and the checks) need, read once and never raising.

Malformed extensions are common in the wild; cryptography refuses them with ValueError when the
extension list is first read. We record the refusal as a plain-English problem and carry on with
the rest of the certificate.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from .decoding import decoded
from .extensions import extensions_one_by_one
from .known_authorities import known_authorities
from .public_keys import KeyShape, key_shape
from .undefined_key_usage import NOTE as UNDEFINED_KEY_USAGE
from .undefined_key_usage import readable_copy

__all__ = ["CertificateFacts", "PolicyFacts", "canonical_name", "facts_of"]

# RFC 8398 section 3: SmtpUTF8Mailbox, an internationalised mailbox in a SAN otherName.
SMTP_UTF8_MAILBOX = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.9")

# Critical extensions cryptography leaves undecoded that the validator of record processes.
POLICY_MAPPINGS = "2.5.29.33"
UNDERSTOOD_UNDECODED = frozenset({POLICY_MAPPINGS})

# CA/B Forum S/MIME BR 7.1.6.1: 2.23.140.1.5.<type>.<generation>
SMIME_BR_POLICY_ARC = "2.23.140.1.5."
SMIME_BR_TYPES = {"1": "mailbox-validated", "2": "organization-validated",
                  "3": "sponsor-validated", "4": "individual-validated"}
SMIME_BR_GENERATIONS = {"1": "legacy", "2": "multipurpose", "3": "strict"}

EKU_NAMES = {
    ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string: "emailProtection",
    ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string: "clientAuth",
    ExtendedKeyUsageOID.SERVER_AUTH.dotted_string: "serverAuth",
    ExtendedKeyUsageOID.CODE_SIGNING.dotted_string: "codeSigning",
    ExtendedKeyUsageOID.TIME_STAMPING.dotted_string: "timeStamping",
    ExtendedKeyUsageOID.OCSP_SIGNING.dotted_string: "OCSPSigning",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string: "anyExtendedKeyUsage",
    "1.3.6.1.4.1.311.10.3.12": "documentSigning (Microsoft)",
    "1.3.6.1.4.1.311.10.3.4": "encryptedFileSystem (Microsoft)",
    "1.3.6.1.4.1.311.20.2.2": "smartcardLogon (Microsoft)",
}

# RFC 5280 section 4.2.1.3 names, in bit order.
KEY_USAGE_FLAGS = (
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
)


# Fields of the report's view kept as tuples (shared, immutable) and handed out as lists.
_COPIED_FIELDS = ("emails", "key_usage", "extended_key_usage", "ca_issuers_urls", "ocsp_urls", "crl_urls")

_Value = TypeVar("_Value")


class cached_property(Generic[_Value]):  # noqa: N801  (named like the functools one it replaces)
    """functools.cached_property without its per-instance lock (Python 3.11 takes an RLock on
    every first read, a visible cost when a bundle holds hundreds of certificates)."""

    def __init__(self, function: Callable[[Any], _Value]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> _Value:
        if instance is None:
            return self  # type: ignore[return-value]
        value = self.function(instance)
        instance.__dict__[self.name] = value
        return value


@dataclass(frozen=True)
class PolicyFacts:
    oid: str
    smime_type: str | None  # "mailbox-validated", ... for S/MIME BR policies
    generation: str | None  # "legacy" | "multipurpose" | "strict"

    def to_dict(self) -> dict[str, object]:
        return {"oid": self.oid, "smime_type": self.smime_type, "generation": self.generation}


class CertificateFacts:
    """Read-once view of a certificate; every property is computed on first use and cached."""

    def __init__(self, certificate: x509.Certificate) -> None:
        self.certificate = certificate
        self.problems: list[str] = []
        self.parser_messages: list[str] = []  # the parser's own words behind problems, for experts
        # id(issuer) -> (issuer, outcome) of signature checks (chains.py): kept with the facts, so
        # a CA pair seen before is not verified again.
        self.signature_checks: dict[int, tuple[x509.Certificate, str | None]] = {}
        # (OID, critical) of extensions that could not be decoded, set by _extension_list.
        self.unreadable_extensions: tuple[tuple[str, bool], ...] = ()
        self._names_decoded = True  # False once the subject or issuer name failed to decode

    # --- identity of the certificate itself ----------------------------------------------------
    @cached_property
    def sha256(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    @cached_property
    def sha1(self) -> str:
        return self.certificate.fingerprint(hashes.SHA1()).hex()

    # cryptography builds a new Name object on every `.subject`/`.issuer` access: keep one.
    @cached_property
    def subject_name(self) -> x509.Name:
        name = decoded(lambda: self.certificate.subject, default=None, what="its subject",
                       problems=self.problems)
        return self._name_or_empty(name)

    @cached_property
    def issuer_name(self) -> x509.Name:
        name = decoded(lambda: self.certificate.issuer, default=None, what="its issuer name",
                       problems=self.problems)
        return self._name_or_empty(name)

    def _name_or_empty(self, name: x509.Name | None) -> x509.Name:
        if name is None:
            self._names_decoded = False
            return x509.Name([])
        return name

    @property
    def names_readable(self) -> bool:
        """Whether both names decode (a certificate without them cannot take part in a path)."""
        self.subject_der, self.issuer_der  # noqa: B018  (decodes both once)
        return self._names_decoded

    @cached_property
    def subject_der(self) -> bytes:
        """The encoded subject: the key of every name index (chains, trust store)."""
        return self.subject_name.public_bytes()

    @cached_property
    def issuer_der(self) -> bytes:
        return self.issuer_name.public_bytes()

    @cached_property
    def subject_canonical(self) -> tuple:
        return canonical_name(self.subject_name)

    @cached_property
    def issuer_canonical(self) -> tuple:
        return canonical_name(self.issuer_name)

    @cached_property
    def subject(self) -> str:
        return _rfc4514(self.subject_name)

    @cached_property
    def issuer(self) -> str:
        return _rfc4514(self.issuer_name)

    @cached_property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "x")

    @cached_property
    def not_before(self) -> dt.datetime:
        return self.certificate.not_valid_before_utc

    @cached_property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    @cached_property
    def common_name(self) -> str | None:
        return _first_attribute(self.subject_name, NameOID.COMMON_NAME)

    @cached_property
    def label(self) -> str:
        """How a person recognises the certificate: its common name, else an address, else the DN."""
        name = self.common_name or (self.emails[0] if self.emails else None) or self.subject
        return f"\u201c{name}\u201d" if name else "(a certificate with an empty subject)"

    @cached_property
    def self_issued(self) -> bool:
        # RFC 5280 section 3.3 / 6.1: subject and issuer are the same name. The folded
        # comparison (section 7.1) is costlier, so it is only tried when the key identifiers
        # already say "issued by its own key".
        if self.subject_der == self.issuer_der:
            return True
        key_id = self.subject_key_id
        return (key_id is not None and key_id == self.authority_key_id
                and self.subject_canonical == self.issuer_canonical)

    # --- key and signature ---------------------------------------------------------------------
    @cached_property
    def _key(self):
        return decoded(self.certificate.public_key, default=None, what="its public key",
                       problems=self.problems, raw=self.parser_messages)

    @cached_property
    def _key_shape(self) -> KeyShape:
        return key_shape(self._key)

    @property
    def key_type(self) -> str:
        return self._key_shape.type

    @property
    def key_size(self) -> int | None:
        return self._key_shape.size

    @property
    def curve(self) -> str | None:
        return self._key_shape.curve

    @cached_property
    def signature_algorithm(self) -> str:
        oid = decoded(lambda: self.certificate.signature_algorithm_oid, default=None,
                      what="its signature algorithm", problems=self.problems)
        if oid is None:
            return "(unreadable)"
        name = getattr(oid, "_name", None)
        return oid.dotted_string if not name or name == "Unknown OID" else name

    @cached_property
    def signature_hash(self) -> str | None:
        """The hash named by the signature algorithm ("md5", "sha1", "sha256"), None for EdDSA."""
        algorithm = decoded(lambda: self.certificate.signature_hash_algorithm, default=_UNKNOWN,
                            what="its signature algorithm")
        return algorithm.name if algorithm is not None else None

    # --- extensions ----------------------------------------------------------------------------
    @cached_property
    def _extension_list(self) -> tuple[x509.Extension, ...]:
        """Every extension that can be read. One malformed extension makes cryptography refuse
        them all. A key usage with decipherOnly or encipherOnly but no keyAgreement (undefined by
        RFC 5280 4.2.1.3) is read from a copy without those bits; otherwise each extension is read
        on its own (extensions.py), the bad one is reported by name and the others, name
        constraints included, still count."""
        refusal: list[str] = []
        extensions = decoded(lambda: tuple(self.certificate.extensions), default=None,
                             what="its extensions", problems=refusal, raw=self.parser_messages)
        if extensions is not None:
            return extensions
        copy = readable_copy(self.certificate)
        if copy is not None:
            self.problems.append(UNDEFINED_KEY_USAGE)
            return tuple(copy.extensions)
        readable, unreadable = extensions_one_by_one(self.certificate)
        self.unreadable_extensions = unreadable
        for oid, critical in unreadable:
            self.problems.append(f"its {'critical ' if critical else ''}extension {_extension_name(oid)} "
                                 f"is malformed and was ignored")
        if not readable and not unreadable:
            self.problems.extend(refusal)
        return readable

    @cached_property
    def _extensions(self) -> dict[type, x509.Extension]:
        """Extensions by type, read once (each look-up in cryptography walks the list)."""
        values: dict[type, x509.Extension] = {}
        for extension in self._extension_list:
            values.setdefault(type(extension.value), extension)
        return values

    @cached_property
    def unknown_critical_extensions(self) -> tuple[str, ...]:
        """OIDs of critical extensions nobody here processes, or that could not be read.

        policyMappings (RFC 5280 section 4.2.1.5), which cryptography does not decode, is
        processed by the validator of record (path_validation.py), so it is understood."""
        unknown = [e.oid.dotted_string for e in self._extension_list
                   if e.critical and isinstance(e.value, x509.UnrecognizedExtension)
                   and e.oid.dotted_string not in UNDERSTOOD_UNDECODED]
        # RFC 5280 section 4.2: a critical extension that cannot be processed fails the certificate.
        unknown += [oid for oid, critical in self.unreadable_extensions if critical]
        return tuple(unknown)

    def extension(self, kind: type) -> object | None:
        found = self._extensions.get(kind)
        return found.value if found is not None else None

    def extension_is_critical(self, kind: type) -> bool:
        found = self._extensions.get(kind)
        return bool(found is not None and found.critical)

    def has_extension(self, kind: type) -> bool:
        return self.extension(kind) is not None

    def carries_extension(self, kind: type[x509.ExtensionType]) -> bool:
        """Whether the extension is there at all, readable or not: one that cannot be decoded is
        reported as malformed, never as missing."""
        if self.has_extension(kind):
            return True
        oid = kind.oid.dotted_string
        return any(unreadable == oid for unreadable, _ in self.unreadable_extensions)

    @cached_property
    def basic_constraints(self) -> x509.BasicConstraints | None:
        return self.extension(x509.BasicConstraints)

    @cached_property
    def is_ca(self) -> bool:
        constraints = self.basic_constraints
        return bool(constraints and constraints.ca)

    @cached_property
    def path_length(self) -> int | None:
        constraints = self.basic_constraints
        return constraints.path_length if constraints and constraints.ca else None

    @cached_property
    def key_usage(self) -> tuple[str, ...] | None:
        """RFC 5280 names of the key usage bits set, None when the extension is absent."""
        usage = self.extension(x509.KeyUsage)
        if usage is None:
            return None
        names = [label for attribute, label in KEY_USAGE_FLAGS if getattr(usage, attribute)]
        if usage.key_agreement:
            if usage.encipher_only:
                names.append("encipherOnly")
            if usage.decipher_only:
                names.append("decipherOnly")
        return tuple(names)

    @cached_property
    def eku_oids(self) -> tuple[str, ...] | None:
        usage = self.extension(x509.ExtendedKeyUsage)
        return None if usage is None else tuple(oid.dotted_string for oid in usage)

    @cached_property
    def eku(self) -> tuple[str, ...] | None:
        oids = self.eku_oids
        return None if oids is None else tuple(EKU_NAMES.get(oid, oid) for oid in oids)

    def allows_email_protection(self) -> bool:
        """For a CA: no EKU, or one naming emailProtection.

        RFC 8550 section 4.4.4 would also accept anyExtendedKeyUsage alone, but S/MIME BR
        7.1.2.2 (g) forbids it in an S/MIME intermediate and OpenSSL and NSS refuse a chain
        through one; we side with the clients.
        """
        oids = self.eku_oids
        return oids is None or ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string in oids

    def leaf_allows_email_protection(self) -> bool:
        """For a mailbox certificate: no EKU, or one naming emailProtection.

        RFC 8550 section 4.4.4 would also accept anyExtendedKeyUsage, but NSS (Thunderbird) and
        OpenSSL refuse a leaf whose only EKU is anyExtendedKeyUsage, and S/MIME BR 7.1.2.3 (f)
        requires id-kp-emailProtection; we side with the clients.
        """
        oids = self.eku_oids
        return oids is None or ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string in oids

    @cached_property
    def _san(self) -> x509.SubjectAlternativeName | None:
        return self.extension(x509.SubjectAlternativeName)

    @cached_property
    def san_emails(self) -> tuple[str, ...]:
        san = self._san
        return tuple(san.get_values_for_type(x509.RFC822Name)) if san else ()

    @cached_property
    def smtp_utf8_emails(self) -> tuple[str, ...]:
        san = self._san
        if not san:
            return ()
        found = []
        for other in san.get_values_for_type(x509.OtherName):
            if other.type_id == SMTP_UTF8_MAILBOX:
                text = _utf8_string(other.value)
                if text is None:
                    self.problems.append("an SmtpUTF8Mailbox entry of its subjectAltName is malformed")
                else:
                    found.append(text)
        return tuple(found)

    @cached_property
    def subject_emails(self) -> tuple[str, ...]:
        return tuple(str(a.value) for a in
                     self.subject_name.get_attributes_for_oid(NameOID.EMAIL_ADDRESS))

    @cached_property
    def emails(self) -> tuple[str, ...]:
        """Every mailbox the certificate names, SAN entries first, without repeats."""
        seen: dict[str, None] = {}
        for address in (*self.san_emails, *self.smtp_utf8_emails, *self.subject_emails):
            seen.setdefault(address, None)
        return tuple(seen)

    @cached_property
    def policies(self) -> tuple[PolicyFacts, ...]:
        extension = self.extension(x509.CertificatePolicies)
        if extension is None:
            return ()
        result = []
        for policy in extension:
            oid = policy.policy_identifier.dotted_string
            smime_type = generation = None
            if oid.startswith(SMIME_BR_POLICY_ARC):
                parts = oid[len(SMIME_BR_POLICY_ARC):].split(".")
                if len(parts) == 2:
                    smime_type = SMIME_BR_TYPES.get(parts[0])
                    generation = SMIME_BR_GENERATIONS.get(parts[1])
            result.append(PolicyFacts(oid, smime_type, generation))
        return tuple(result)

    def _access_urls(self, method: x509.ObjectIdentifier) -> tuple[str, ...]:
        access = self.extension(x509.AuthorityInformationAccess)
        if access is None:
            return ()
        return tuple(d.access_location.value for d in access
                     if d.access_method == method
                     and isinstance(d.access_location, x509.UniformResourceIdentifier))

    @cached_property
    def ca_issuers_urls(self) -> tuple[str, ...]:
        return self._access_urls(AuthorityInformationAccessOID.CA_ISSUERS)

    @cached_property
    def ocsp_urls(self) -> tuple[str, ...]:
        return self._access_urls(AuthorityInformationAccessOID.OCSP)

    @cached_property
    def crl_urls(self) -> tuple[str, ...]:
        points = self.extension(x509.CRLDistributionPoints)
        if points is None:
            return ()
        return tuple(name.value for point in points for name in (point.full_name or ())
                     if isinstance(name, x509.UniformResourceIdentifier))

    @cached_property
    def subject_key_id(self) -> bytes | None:
        value = self.extension(x509.SubjectKeyIdentifier)
        return value.digest if value is not None else None

    @cached_property
    def authority_key_id(self) -> bytes | None:
        value = self.extension(x509.AuthorityKeyIdentifier)
        return value.key_identifier if value is not None else None

    @cached_property
    def name_constraints(self) -> x509.NameConstraints | None:
        return self.extension(x509.NameConstraints)

    # --- the report's view -----------------------------------------------------------------------
    def to_dict(self, role: str) -> dict[str, object]:
        # Facts may be shared between diagnoses (known_authorities): each report gets its own copy.
        report: dict[str, object] = {"role": role, **self._report_view}
        for key in _COPIED_FIELDS:
            value = report[key]
            if value is not None:
                report[key] = list(value)
        report["key"] = dict(self._report_view["key"])  # type: ignore[arg-type]
        report["policies"] = [dict(policy) for policy in self._report_view["policies"]]  # type: ignore[attr-defined]
        report["problems"] = list(dict.fromkeys(self.problems))  # two threads may add one twice
        return report

    @cached_property
    def _report_view(self) -> dict[str, object]:
        """The report's fields for this certificate, computed once (tuples where to_dict gives lists)."""
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "common_name": self.common_name,
            "serial": self.serial,
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "key": {"type": self.key_type, "size": self.key_size, "curve": self.curve},
            "signature_algorithm": self.signature_algorithm,
            "emails": self.emails,
            "is_ca": self.is_ca,
            "key_usage": self.key_usage,
            "extended_key_usage": self.eku,
            "policies": tuple(p.to_dict() for p in self.policies),
            "ca_issuers_urls": self.ca_issuers_urls,
            "ocsp_urls": self.ocsp_urls,
            "crl_urls": self.crl_urls,
            "sha256": self.sha256,
            "sha1": self.sha1,
            # The certificate itself (public data), so a page or script can show, copy or re-send it.
            "pem": self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        }


def facts_of(certificate: x509.Certificate, cache: dict[int, CertificateFacts] | None = None
             ) -> CertificateFacts:
    """Facts for a certificate, shared through `cache` (keyed by object identity) when given.

    The facts of a CA certificate are also kept process-wide (known_authorities), so the next
    diagnosis that meets the same intermediate or root does not read it again.
    """
    if cache is None:
        return _shared_or_new(certificate)
    facts = cache.get(id(certificate))
    if facts is None or facts.certificate is not certificate:
        facts = cache[id(certificate)] = _shared_or_new(certificate)
    return facts


def _shared_or_new(certificate: x509.Certificate) -> CertificateFacts:
    facts = known_authorities.facts(certificate)
    if facts is not None:
        return facts
    facts = CertificateFacts(certificate)
    if facts.is_ca:
        kept = known_authorities.remember(facts)
        # Another object with the same bytes may be kept already; this one keeps its own facts.
        return kept if kept.certificate is certificate else facts
    return facts


def canonical_name(name: x509.Name) -> tuple:
    """A name as RFC 5280 section 7.1 compares it: string type ignored, case and runs of spaces
    folded (the same idea as OpenSSL's canonical encoding), so that an issuer written as a
    UTF8String still matches a CA subject written as a PrintableString."""
    canonical = []
    for rdn in name.rdns:
        canonical.append(frozenset(
            (attribute.oid.dotted_string,
             " ".join(attribute.value.split()).casefold() if isinstance(attribute.value, str)
             else attribute.value)
            for attribute in rdn))
    return tuple(canonical)


def _rfc4514(name: x509.Name) -> str:
    # An attribute cryptography cannot render never fails the report.
    return decoded(name.rfc4514_string, default="(a name that cannot be displayed)", what="a name")


def _first_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = decoded(lambda: name.get_attributes_for_oid(oid), default=(), what="a name")
    return str(values[0].value) if values else None


def _utf8_string(der: bytes) -> str | None:
    """Decode a DER UTF8String (tag 12) with a short or long length."""
    if len(der) < 2 or der[0] != 0x0C:
        return None
    length, offset = der[1], 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or len(der) < 2 + count:
            return None
        length, offset = int.from_bytes(der[2:2 + count], "big"), 2 + count
    if offset + length != len(der):
        return None
    try:
        return der[offset:].decode("utf-8")
    except UnicodeDecodeError:
        return None


class _UnknownHash:
    name = "unknown"


_UNKNOWN = _UnknownHash()


def _extension_name(oid: str) -> str:
    name = getattr(x509.ObjectIdentifier(oid), "_name", None)
    return f"{name} ({oid})" if name and name != "Unknown OID" else oid


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
