"""Certificate builders for the diagnostics tests.

Thin keyword-only wrappers over cryptography's builders so that a test can say
`make_leaf(issuer=inter, emails=("bob@example.org",), eku=None)` and nothing more.
RSA key generation is the slow part (tens of milliseconds for 2048 bits), so RSA keys
come from a small pool per size that is filled lazily and handed out in turn: certificates
built one after another get different keys, and the whole suite generates only a handful.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

__all__ = [
    "ANY_EKU",
    "CLIENT_AUTH",
    "EMAIL_PROTECTION",
    "NOW",
    "SERVER_AUTH",
    "SMTP_UTF8_MAILBOX",
    "Chain",
    "Issued",
    "der",
    "diagnose_built",
    "dsa_key",
    "ec_key",
    "ed25519_key",
    "ed448_key",
    "make_certificate",
    "make_chain",
    "make_csr",
    "make_intermediate",
    "make_leaf",
    "make_root",
    "name",
    "next_rsa_key",
    "pem",
    "pkcs12_bytes",
    "private_key_pem",
    "rsa_key",
]

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

EMAIL_PROTECTION = ExtendedKeyUsageOID.EMAIL_PROTECTION
CLIENT_AUTH = ExtendedKeyUsageOID.CLIENT_AUTH
SERVER_AUTH = ExtendedKeyUsageOID.SERVER_AUTH
ANY_EKU = ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE
# RFC 8398 section 3: internationalised mailbox in an otherName of the SAN.
SMTP_UTF8_MAILBOX = x509.ObjectIdentifier("1.3.6.1.5.5.7.8.9")

_RSA_POOL_SIZE = 12
_DEFAULT = object()  # "use the sensible default" as opposed to None, which means "leave it out"

KEY_USAGE_NAMES = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


# --- keys -------------------------------------------------------------------------------------

@cache
def rsa_key(bits: int = 2048, slot: int = 0) -> rsa.RSAPrivateKey:
    """One RSA key per (size, slot), generated once per test process."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


_rsa_turns: dict[int, itertools.count] = {}


def next_rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    """The next key of the pool for this size, so consecutive certificates never share a key."""
    turn = next(_rsa_turns.setdefault(bits, itertools.count()))
    return rsa_key(bits, turn % _RSA_POOL_SIZE)


def ec_key(curve: ec.EllipticCurve | None = None) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(curve or ec.SECP256R1())


def ed25519_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def ed448_key() -> ed448.Ed448PrivateKey:
    return ed448.Ed448PrivateKey.generate()


@cache
def dsa_key(bits: int = 2048) -> dsa.DSAPrivateKey:
    return dsa.generate_private_key(key_size=bits)


# --- names and results ------------------------------------------------------------------------

def name(common_name: str, *, organization: str | None = None, email: str | None = None,
         country: str | None = None) -> x509.Name:
    attributes = []
    if country:
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


@dataclass(frozen=True)
class Issued:
    """A certificate together with the private key of its subject (to sign the next one)."""

    certificate: x509.Certificate
    key: object

    @property
    def subject(self) -> x509.Name:
        return self.certificate.subject

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def sha256(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()


@dataclass(frozen=True)
class Chain:
    root: Issued
    intermediate: Issued
    leaf: Issued

    @property
    def supplied_pem(self) -> bytes:
        """What a person usually pastes: the leaf and its intermediate, without the root."""
        return pem(self.leaf, self.intermediate)

    @property
    def root_pem(self) -> bytes:
        return pem(self.root)


def pem(*certificates: Issued | x509.Certificate) -> bytes:
    return b"".join(_cert(c).public_bytes(serialization.Encoding.PEM) for c in certificates)


def der(certificate: Issued | x509.Certificate) -> bytes:
    return _cert(certificate).public_bytes(serialization.Encoding.DER)


def private_key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert(value: Issued | x509.Certificate) -> x509.Certificate:
    return value.certificate if isinstance(value, Issued) else value


# --- the one general builder ------------------------------------------------------------------

def make_certificate(
    *,
    subject: x509.Name,
    key=None,
    issuer: Issued | None = None,
    issuer_name: x509.Name | None = None,
    signing_key=None,
    serial: int | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    ca: bool | None = False,
    path_length: int | None = None,
    key_usage: Iterable[str] | None = None,
    eku: Sequence[x509.ObjectIdentifier] | None = None,
    emails: Sequence[str] = (),
    smtp_utf8_emails: Sequence[str] = (),
    dns_names: Sequence[str] = (),
    aia_ca_issuers: str | None = None,
    ocsp: str | None = None,
    crl: str | None = None,
    policies: Sequence[str] = (),
    permitted_emails: Sequence[str] = (),
    excluded_emails: Sequence[str] = (),
    subject_key_id: bool = True,
    authority_key_id: bool = True,
    hash_algorithm: hashes.HashAlgorithm | None | object = _DEFAULT,
    extra_extensions: Sequence[tuple[x509.ExtensionType, bool]] = (),
) -> Issued:
    """Build and sign one certificate; `issuer=None` makes it self-signed.

    `ca=None` leaves basicConstraints out; `key_usage=None` and `eku=None` leave those out.
    `signing_key`/`issuer_name` override what `issuer` implies (to forge a bad signature).
    """
    key = key if key is not None else next_rsa_key()
    not_before = not_before or NOW - dt.timedelta(days=1)
    not_after = not_after or NOW + dt.timedelta(days=365)
    if issuer is not None:
        signer_key = signing_key or issuer.key
        signer_name = issuer_name or issuer.certificate.subject
        signer_public = issuer.certificate.public_key()
    else:
        signer_key = signing_key or key
        signer_name = issuer_name or subject
        signer_public = key.public_key()

    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer_name)
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if ca is not None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
    if key_usage is not None:
        wanted = set(key_usage)
        unknown = wanted - set(KEY_USAGE_NAMES)
        if unknown:
            raise ValueError(f"unknown key usage names: {sorted(unknown)}")
        builder = builder.add_extension(
            x509.KeyUsage(**{flag: flag in wanted for flag in KEY_USAGE_NAMES}), critical=True)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    alt_names: list[x509.GeneralName] = [x509.RFC822Name(e) for e in emails]
    alt_names += [x509.OtherName(SMTP_UTF8_MAILBOX, _utf8_string(e)) for e in smtp_utf8_emails]
    alt_names += [x509.DNSName(d) for d in dns_names]
    if alt_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
    access = []
    if aia_ca_issuers:
        access.append(x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                             x509.UniformResourceIdentifier(aia_ca_issuers)))
    if ocsp:
        access.append(x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                             x509.UniformResourceIdentifier(ocsp)))
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    if crl:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl)], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    if policies:
        builder = builder.add_extension(x509.CertificatePolicies(
            [x509.PolicyInformation(x509.ObjectIdentifier(p), None) for p in policies]), critical=False)
    if permitted_emails or excluded_emails:
        builder = builder.add_extension(x509.NameConstraints(
            permitted_subtrees=[x509.RFC822Name(e) for e in permitted_emails] or None,
            excluded_subtrees=[x509.RFC822Name(e) for e in excluded_emails] or None), critical=True)
    if subject_key_id:
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if authority_key_id and not (issuer is None and signing_key is None and ca):
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_public), critical=False)
    for extension, critical in extra_extensions:
        builder = builder.add_extension(extension, critical=critical)

    edwards = isinstance(signer_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
    if hash_algorithm is _DEFAULT:
        hash_algorithm = None if edwards else hashes.SHA256()
    if isinstance(hash_algorithm, (hashes.SHA1, hashes.MD5)):
        # cryptography refuses to sign certificates with these hashes any more; re-sign by hand.
        return Issued(_resign_weak(builder.sign(signer_key, hashes.SHA256()), signer_key,
                                   hash_algorithm), key)
    return Issued(builder.sign(signer_key, hash_algorithm), key)


_WEAK_SIGNATURE_NAMES = {
    ("rsa", "sha1"): "sha1_rsa",
    ("rsa", "md5"): "md5_rsa",
    ("ec", "sha1"): "sha1_ecdsa",
}


def _resign_weak(certificate: x509.Certificate, signer_key,
                 hash_algorithm: hashes.HashAlgorithm) -> x509.Certificate:
    """The same certificate signed with SHA-1 or MD5 (to test that weak signatures are flagged)."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.asymmetric import padding

    family = "rsa" if isinstance(signer_key, rsa.RSAPrivateKey) else "ec"
    algorithm = {"algorithm": _WEAK_SIGNATURE_NAMES[(family, hash_algorithm.name)]}
    parsed = asn1_x509.Certificate.load(der(certificate))
    tbs = parsed["tbs_certificate"]
    tbs["signature"] = algorithm
    to_sign = tbs.dump(force=True)
    if family == "rsa":
        signature = signer_key.sign(to_sign, padding.PKCS1v15(), hash_algorithm)
    else:
        signature = signer_key.sign(to_sign, ec.ECDSA(hash_algorithm))
    rebuilt = asn1_x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": algorithm,
                                     "signature_value": signature})
    return x509.load_der_x509_certificate(rebuilt.dump(force=True))


def _utf8_string(text: str) -> bytes:
    """DER UTF8String (tag 12) holding `text`, the value of a SmtpUTF8Mailbox otherName."""
    body = text.encode("utf-8")
    if len(body) < 128:
        return bytes([0x0C, len(body)]) + body
    length = len(body).to_bytes((len(body).bit_length() + 7) // 8, "big")
    return bytes([0x0C, 0x80 | len(length)]) + length + body


# --- the usual shapes -------------------------------------------------------------------------

def make_root(*, common_name: str = "Example Root CA", organization: str = "Example Trust",
              **options) -> Issued:
    """A self-signed CA with keyCertSign and cRLSign, no EKU (as public roots usually are)."""
    options.setdefault("ca", True)
    options.setdefault("key_usage", {"key_cert_sign", "crl_sign"})
    options.setdefault("not_before", NOW - dt.timedelta(days=3650))
    options.setdefault("not_after", NOW + dt.timedelta(days=3650))
    return make_certificate(subject=options.pop("subject", None)
                            or name(common_name, organization=organization), **options)


def make_intermediate(*, issuer: Issued, common_name: str = "Example S/MIME Issuing CA",
                      organization: str = "Example Trust", **options) -> Issued:
    """A CA under `issuer`, by default restricted to emailProtection as S/MIME BR 7.1.2.2 asks."""
    options.setdefault("ca", True)
    options.setdefault("key_usage", {"key_cert_sign", "crl_sign"})
    options.setdefault("eku", (EMAIL_PROTECTION,))
    options.setdefault("not_before", NOW - dt.timedelta(days=1000))
    options.setdefault("not_after", NOW + dt.timedelta(days=2000))
    return make_certificate(subject=options.pop("subject", None)
                            or name(common_name, organization=organization),
                            issuer=issuer, **options)


def make_leaf(*, issuer: Issued | None, email: str = "alice@example.com",
              common_name: str | None = None, **options) -> Issued:
    """A mailbox certificate: SAN email, emailProtection, key usage fitting the key type."""
    key = options.get("key")
    if key is None:
        key = options["key"] = next_rsa_key()
    options.setdefault("emails", (email,) if email else ())
    options.setdefault("eku", (EMAIL_PROTECTION,))
    if isinstance(key, rsa.RSAPrivateKey):
        options.setdefault("key_usage", {"digital_signature", "key_encipherment"})
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        options.setdefault("key_usage", {"digital_signature", "key_agreement"})
    else:
        options.setdefault("key_usage", {"digital_signature"})
    options.setdefault("crl", "http://crl.example.com/issuing.crl")
    options.setdefault("aia_ca_issuers", "http://certs.example.com/issuing.der")
    subject = options.pop("subject", None) or name(common_name or email or "Example Mailbox")
    return make_certificate(subject=subject, issuer=issuer, **options)


def make_chain(*, root_options: dict | None = None, intermediate_options: dict | None = None,
               **leaf_options) -> Chain:
    root = make_root(**(root_options or {}))
    intermediate = make_intermediate(issuer=root, **(intermediate_options or {}))
    leaf = make_leaf(issuer=intermediate, **leaf_options)
    return Chain(root=root, intermediate=intermediate, leaf=leaf)


# --- containers -------------------------------------------------------------------------------

def pkcs12_bytes(*, key=None, certificate: Issued | x509.Certificate | None = None,
                 extra: Sequence[Issued | x509.Certificate] = (), password: bytes | None = b"secret",
                 friendly_name: bytes | None = b"alice", iterations: int = 2048,
                 legacy: bool = False) -> bytes:
    """A .p12 file; `legacy=True` uses 3DES/SHA-1 (what old Windows exports), else AES-256/PBKDF2."""
    if password is None:
        encryption = serialization.NoEncryption()
    else:
        algorithm = (pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC if legacy
                     else pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                      .kdf_rounds(iterations)
                      .key_cert_algorithm(algorithm)
                      .hmac_hash(hashes.SHA1() if legacy else hashes.SHA256())
                      .build(password))
    return pkcs12.serialize_key_and_certificates(
        friendly_name, key, _cert(certificate) if certificate is not None else None,
        [_cert(c) for c in extra] or None, encryption)


def make_csr(*, key=None, email: str = "alice@example.com") -> x509.CertificateSigningRequest:
    key = key if key is not None else next_rsa_key()
    return (x509.CertificateSigningRequestBuilder()
            .subject_name(name(email))
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
            .sign(key, hashes.SHA256()))


# --- running the engine on what was built ---------------------------------------------------------

def diagnose_built(*certificates: Issued | x509.Certificate, anchors: Sequence[Issued] = (),
                   public_anchors: Sequence[Issued] = (), email: str | None = None,
                   at: dt.datetime | None = None):
    """Diagnose built certificates supplied as one PEM paste.

    `anchors` become the "Extra trust anchors" store; `public_anchors` stand in for the Mozilla
    email roots (so rules about publicly trusted certificates can be exercised).
    """
    from smimecenter.diagnostics.engine import EXTRA_STORE_NAME, diagnose_parsed
    from smimecenter.diagnostics.inputs import read_inputs
    from smimecenter.diagnostics.trust import TrustStore, email_trust_store

    public = (TrustStore.from_pem(pem(*public_anchors), name="Mozilla email roots")
              if public_anchors else email_trust_store())
    stores = [public]
    if anchors:
        stores.append(TrustStore.from_pem(pem(*anchors), name=EXTRA_STORE_NAME))
    parsed = read_inputs([pem(*certificates)] if certificates else [])
    return diagnose_parsed(parsed, email=email, stores=stores, public_store=public, at=at)
