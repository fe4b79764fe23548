"""What the input reader hands to the rest of the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes


@dataclass(frozen=True)
class Event:
    """A fact about the input that the checks catalog turns into a finding (codes in events.py)."""

    code: str
    details: Mapping[str, object]
    certificate: x509.Certificate | None = None


@dataclass(frozen=True)
class SuppliedCertificate:
    certificate: x509.Certificate
    origin: str
    container: str  # "pem" | "der" | "pkcs7" | "pkcs12" | "signed-message"


@dataclass(frozen=True)
class BagProtection:
    """How one part of a PKCS#12 file is protected, read from its structure before any decryption."""

    holds: str  # "certificates" | "private key" | "certificates and private key" | "other"
    scheme: str  # "pbeWithSHAAnd3-KeyTripleDES-CBC", "PBES2 AES-256-CBC", "none", ...
    kdf: str | None  # "PKCS#12 KDF", "PBKDF2-HMAC-SHA256", None when not encrypted
    iterations: int | None
    salt_length: int | None
    # The salt of a part under the PKCS#12 KDF (public, in the file), for the GnuPG check; never reported.
    salt: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Pkcs12Protection:
    mac_algorithm: str | None  # "sha256", "sha1", ... or None when the file has no MAC
    mac_iterations: int | None
    mac_salt_length: int | None
    bags: tuple[BagProtection, ...]


@dataclass(frozen=True)
class Pkcs12Contents:
    origin: str
    certificates: tuple[x509.Certificate, ...]
    key_public_keys: tuple[PublicKeyTypes, ...]  # public halves only: private keys are dropped at once
    key_certificate: x509.Certificate | None
    friendly_names: tuple[str, ...]
    protection: Pkcs12Protection | None
    local_key_ids: tuple[str, ...] = ()  # hex; pair keys with certificates in the PKCS#12 inspector
    # Why GnuPG's gpgsm will call the right password wrong ("salt", "long_password"), None when it will not
    # or when that is unknown (inputs/gnupg_pkcs12.py).
    gnupg_refusal: str | None = None


@dataclass(frozen=True)
class SignedAttribute:
    """A signed attribute of a signature (RFC 5652 5.3), named by its type; its value is not kept."""

    oid: str
    name: str | None  # None: a type this tool does not know

    @property
    def label(self) -> str:
        return f"{self.name} ({self.oid})" if self.name else self.oid


@dataclass(frozen=True)
class SignedMessage:
    origin: str
    kind: str  # "multipart/signed" | "application/pkcs7-mime" | "p7s"
    from_address: str | None
    signer: x509.Certificate | None
    certificates: tuple[x509.Certificate, ...]
    content_intact: bool | None
    signature_valid: bool | None
    digest_algorithm: str | None
    signature_algorithm: str | None
    signing_time: datetime | None
    problem: str | None
    signed_attributes: tuple[SignedAttribute, ...] = ()
    digest_algorithms: tuple[str, ...] | None = None  # SignedData.digestAlgorithms, RFC 5652 5.1
    signer_number: int = 1  # which SignerInfo of the signature (RFC 5652 5.1 allows several)
    signer_count: int = 1
    layer: int = 1  # 1 for the outermost S/MIME layer of a message, 2 for one inside it, ...


@dataclass
class ParsedInputs:
    certificates: list[SuppliedCertificate] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pkcs12: list[Pkcs12Contents] = field(default_factory=list)
    messages: list[SignedMessage] = field(default_factory=list)
    csrs: list[x509.CertificateSigningRequest] = field(default_factory=list)
