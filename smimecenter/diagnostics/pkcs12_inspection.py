"""What a .p12/.pfx file holds, how it is protected, and where that protection is known to cause trouble.

Everything here works on what the input reader already extracted (`Pkcs12Contents`): the protection is
read from the file's structure before any key derivation (inputs/pkcs12_structure.py), and only public
halves of keys ever reach this module. Nothing here derives a key or decrypts anything, so inspecting
costs what reading the file cost plus a few dictionary look-ups.

Platform rules state only what a source says, with the source next to the rule. A rule backed only by
bug reports, forum threads or vendor blogs carries evidence "reported"; a rule from the vendor's or the
standard's own text carries "documented"; a rule reproduced here with the tool itself carries "tested".
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from .absent_issuer import PRIVATE_ROOT, judge
from .certinfo import facts_of
from .public_keys import key_shape
from .chains import TrustStoreLike
from .inputs import BagProtection, Pkcs12Contents, Pkcs12Protection
from .inputs.gnupg_pkcs12 import LONG_PASSWORD, SALT

__all__ = [
    "KeyEntry",
    "CertificateEntry",
    "PlatformRule",
    "Pkcs12Inspection",
    "PLATFORM_RULES",
    "GNUPG_RULES",
    "classify_bag",
    "classify_mac",
    "is_weak",
    "LEGACY",
    "MODERN",
    "UNENCRYPTED",
    "inspect_pkcs12",
]

# --- how each scheme is judged ---------------------------------------------------------------------
# RFC 7292 Appendix C (PKCS#12 PBE) and RFC 8018 A.3 (PBES1): single-DES, RC2 and RC4 schemes. Their
# effective strength is below the 112 bits CA/B Forum S/MIME BR section 6.1.2 asks of a .p12 that
# carries a CA-generated key; RC2-40 and RC4-40 are 40-bit.
WEAK_SCHEMES = frozenset({
    "pbeWithSHAAnd128BitRC2-CBC", "pbeWithSHAAnd40BitRC2-CBC", "pbeWithSHAAnd128BitRC4",
    "pbeWithSHAAnd40BitRC4", "pbeWithMD2AndDES-CBC", "pbeWithMD5AndDES-CBC", "pbeWithMD2AndRC2-CBC",
    "pbeWithMD5AndRC2-CBC", "pbeWithSHA1AndDES-CBC", "pbeWithSHA1AndRC2-CBC",
})
# Two-key and three-key 3DES under the PKCS#12 KDF: 112-bit strength (NIST SP 800-57 part 1, 5.6.1).
TRIPLE_DES_SCHEMES = frozenset({"pbeWithSHAAnd3-KeyTripleDES-CBC", "pbeWithSHAAnd2-KeyTripleDES-CBC"})
# PBES2 with a weak cipher (RFC 8018 B.2): as weak as the cipher.
WEAK_PBES2 = frozenset({"PBES2 DES-CBC", "PBES2 RC2-CBC"})
# Algorithms that OpenSSL 3 only has in its "legacy" provider (OSSL_PROVIDER-legacy(7)): RC2, RC4, DES, MD2.
OPENSSL_LEGACY_PROVIDER_SCHEMES = WEAK_SCHEMES | WEAK_PBES2
# HMAC digests older than SHA-2 used for the PKCS#12 MAC (RFC 7292 Appendix B).
LEGACY_MAC_DIGESTS = frozenset({"sha1", "md5", "md2", "sha1_hmac"})

LEGACY = "legacy"
MODERN = "modern"
UNENCRYPTED = "unencrypted"
OTHER = "other"


def classify_bag(bag: BagProtection) -> str:
    """legacy (PBES1/PKCS#12 PBE), modern (PBES2), unencrypted, or other (public-key, unknown)."""
    scheme = bag.scheme
    if scheme.startswith("none"):
        return UNENCRYPTED
    if scheme in WEAK_SCHEMES or scheme in TRIPLE_DES_SCHEMES:
        return LEGACY
    if scheme.startswith("PBES2"):
        return MODERN
    return OTHER


def is_weak(bag: BagProtection) -> bool:
    return bag.scheme in WEAK_SCHEMES or bag.scheme in WEAK_PBES2


def classify_mac(protection: Pkcs12Protection) -> str | None:
    algorithm = (protection.mac_algorithm or "").lower()
    if not algorithm:
        return None
    if algorithm in LEGACY_MAC_DIGESTS:
        return LEGACY
    return MODERN  # SHA-2 HMAC (RFC 7292 Appendix B with a SHA-2 digest) or PBMAC1 (RFC 9579)


# --- platform rules --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlatformRule:
    """One statement about where a kind of protection fails to import, with where it comes from."""

    id: str
    platforms: str
    evidence: str  # "documented" (vendor or standard text) | "reported" (bug reports, vendor blogs) |
    #                "tested" (reproduced with the tool, in the tests)
    says: str
    source: str  # URL of the source
    # None for a rule that needs more than the protection (GNUPG_RULES: the password that opened the file).
    applies: Callable[[Pkcs12Protection], bool] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "platforms": self.platforms, "evidence": self.evidence,
                "says": self.says, "source": self.source}


def _any_bag(protection: Pkcs12Protection, wanted: Callable[[BagProtection], bool]) -> bool:
    return any(wanted(bag) for bag in protection.bags)


def _uses_pbes2(protection: Pkcs12Protection) -> bool:
    return _any_bag(protection, lambda bag: classify_bag(bag) == MODERN)


def _uses_sha2_mac(protection: Pkcs12Protection) -> bool:
    return classify_mac(protection) == MODERN


def _needs_openssl_legacy(protection: Pkcs12Protection) -> bool:
    return _any_bag(protection, lambda bag: bag.scheme in OPENSSL_LEGACY_PROVIDER_SCHEMES)


def _openssl3_default_pbes2(protection: Pkcs12Protection) -> bool:
    """AES-256-CBC under PBKDF2-HMAC-SHA256: what OpenSSL 3 and cryptography write by default."""
    return _any_bag(protection, lambda bag: bag.scheme == "PBES2 AES-256-CBC" and bag.kdf == "PBKDF2-HMAC-SHA256")


def _key_below_112_bits(protection: Pkcs12Protection) -> bool:
    return _any_bag(protection, lambda bag: "private key" in bag.holds
                    and (is_weak(bag) or classify_bag(bag) == UNENCRYPTED))


PLATFORM_RULES: tuple[PlatformRule, ...] = (
    PlatformRule(
        id="apple.pbes2_aes",
        platforms="macOS (older releases) and iOS/iPadOS",
        evidence="reported",
        says="Files made with OpenSSL 3's defaults (AES-256-CBC with PBKDF2) are reported to fail to "
             "import with a \u201cwrong password\u201d or \u201cMAC verification failed\u201d message even "
             "when the password is right; other reports say current macOS imports them. Re-exporting "
             "with 3DES and a SHA-1 MAC is the widely reported fix.",
        # openssl/openssl#19495 and #19871 (SecPKCS12Import returns -25293); OpenVPN/easy-rsa#957;
        # googleapis/enterprise-certificate-proxy PR #210. Counter-report: ca.stable.confirm.ch/pkcs12.html
        source="https://github.com/openssl/openssl/issues/19495",
        applies=_uses_pbes2,
    ),
    PlatformRule(
        id="apple.sha256_mac",
        platforms="macOS and iOS/iPadOS (some releases)",
        evidence="reported",
        says="A SHA-256 integrity check (MAC) is reported as the cause of import failures on Apple "
             "systems that only accept a SHA-1 MAC; the reports conflict on which releases are affected.",
        source="https://github.com/ruby/openssl/issues/654",
        applies=_uses_sha2_mac,
    ),
    PlatformRule(
        id="windows.needs_3des",
        platforms="Windows Server 2016 and older Windows releases",
        evidence="reported",
        says="Older Windows releases are reported to need 3DES: an AES-256 file fails to import with an "
             "unhelpful password error. The exact version boundary is not confirmed by Microsoft's "
             "documentation.",
        source="https://shop.trustico.com.au/blogs/stories/exporting-a-pfx-file-with-aes-or-3des-encryption",
        applies=_uses_pbes2,
    ),
    PlatformRule(
        id="ios.profile_3des",
        platforms="iOS/iPadOS configuration profiles",
        evidence="reported",
        says="Installing an identity through a configuration profile is reported to need a 3DES-protected "
             "file; this may depend on the iOS version.",
        source="https://inventivehq.com/blog/ios-pfx-certificate-requirements-tripledes-encryption",
        applies=_uses_pbes2,
    ),
    PlatformRule(
        id="openssl3.legacy_provider",
        platforms="OpenSSL 3 and tools built on it",
        evidence="documented",
        says="RC2, RC4 and single-DES live in OpenSSL 3's legacy provider, which is not loaded by "
             "default: reading this file needs `openssl pkcs12 -legacy`, otherwise OpenSSL reports "
             "\u201cunsupported ... RC2-40-CBC\u201d.",
        # openssl-pkcs12(1) for OpenSSL 3.0, option -legacy; OSSL_PROVIDER-legacy(7) lists RC2, RC4, DES.
        source="https://www.openssl.org/docs/man3.0/man1/openssl-pkcs12.html",
        applies=_needs_openssl_legacy,
    ),
    PlatformRule(
        id="gnupg22.pbes2_aes",
        platforms="GnuPG 2.2\u2019s gpgsm (as in Debian 12)",
        evidence="tested",
        says="gpgsm 2.2 cannot read this file\u2019s encryption (AES-256 with PBKDF2-HMAC-SHA256, OpenSSL "
             "3\u2019s default) and reports \u201cerror parsing or decrypting the PKCS#12 file\u201d. To "
             "import it there, re-export it with 3DES. Tested with gpgsm 2.2.40; GnuPG 2.4 was not tested.",
        # Its PBES2 parameters are refused ("encryptedData error at pkcs5PBES2-params"), as
        # tests/diagnostics/test_gnupg_pkcs12.py shows when gpgsm 2.2 is installed.
        source="https://github.com/gpg/gnupg/blob/STABLE-BRANCH-2-2/sm/minip12.c",
        applies=_openssl3_default_pbes2,
    ),
    PlatformRule(
        id="sbr.key_protection_112_bits",
        platforms="Publicly-trusted CAs that generate your key",
        evidence="documented",
        says="When a CA generates the key and hands it over in a PKCS#12 file, the file must be "
             "protected with at least 112-bit strength (CA/B Forum S/MIME BR section 6.1.2); this "
             "file's private key is protected more weakly than that.",
        source="https://github.com/cabforum/smime/blob/main/SBR.md#612-private-key-delivery-to-subscriber",
        applies=_key_below_112_bits,
    ),
)

# What gpgsm does with the right password of this file (inputs/gnupg_pkcs12.py), by the reason found.
_GNUPG_PLATFORMS = "GnuPG\u2019s gpgsm (also in Gpg4win)"
_GNUPG_SOURCE = "https://github.com/gpg/gnupg/blob/master/sm/minip12.c"
GNUPG_RULES: dict[str, PlatformRule] = {
    SALT: PlatformRule(
        id="gnupg.pkcs12_kdf_salt",
        platforms=_GNUPG_PLATFORMS,
        evidence="tested",
        says="gpgsm will say the password is wrong, although it is right. Its own PKCS#12 key derivation "
             "goes wrong for about one random salt in 128, and one of this file\u2019s 3DES-protected parts "
             "has such a salt. OpenSSL and NSS (the library in Thunderbird) open it with the same password. "
             "To import it into GnuPG, export the file again: each export draws new salts.",
        source=_GNUPG_SOURCE,
    ),
    LONG_PASSWORD: PlatformRule(
        id="gnupg.pkcs12_long_password",
        platforms=_GNUPG_PLATFORMS,
        evidence="tested",
        says="gpgsm will say the password is wrong, although it is right: it reads only the first 31 "
             "characters of a password for this kind of protection (3DES or RC2), and this file\u2019s password "
             "is longer. To import it into GnuPG, export the file again with a password of at most 31 "
             "characters.",
        source=_GNUPG_SOURCE,
    ),
}

# --- re-packaging commands (tested with OpenSSL 3.0) -----------------------------------------------
# An all-3DES file with a SHA-1 MAC needs no legacy provider to write (the brief's and openssl-pkcs12(1)'s
# -certpbe/-keypbe/-macalg options); `-legacy` instead encrypts certificates with RC2-40 and keys with 3DES.
COMPATIBLE_EXPORT = ("openssl pkcs12 -export -in unlocked.pem -out compatible.p12 "
                     "-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1")
MODERN_EXPORT = "openssl pkcs12 -export -in unlocked.pem -out modern.p12"  # OpenSSL 3 defaults


def repackage_commands(protection: Pkcs12Protection | None, *, add_chain: bool) -> list[dict[str, str]]:
    """Exact commands to rebuild the file, for the protections it does not already have."""
    legacy_read = protection is not None and _needs_openssl_legacy(protection)
    unlock = "openssl pkcs12 -in yours.p12 -nodes -out unlocked.pem" + (" -legacy" if legacy_read else "")
    chain = " -certfile intermediates.pem" if add_chain else ""
    commands: list[dict[str, str]] = []
    classes = _classes(protection) if protection is not None else set()
    if protection is None or MODERN in classes or classify_mac(protection) == MODERN or add_chain:
        commands.append({
            "purpose": "A file that older macOS, iOS and Windows import (3DES, SHA-1 MAC)",
            "commands": "\n".join((unlock, COMPATIBLE_EXPORT + chain, "rm unlocked.pem")),
        })
    if protection is None or LEGACY in classes or UNENCRYPTED in classes or add_chain:
        commands.append({
            "purpose": "A file with strong protection (AES-256, PBKDF2, SHA-256 MAC) for current systems",
            "commands": "\n".join((unlock, MODERN_EXPORT + chain, "rm unlocked.pem")),
        })
    return commands


def _classes(protection: Pkcs12Protection) -> set[str]:
    return {classify_bag(bag) for bag in protection.bags}


# --- the inspection --------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyEntry:
    type: str
    size: int | None
    curve: str | None
    matches: str | None  # SHA-256 fingerprint of the certificate it belongs to, None when none

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "size": self.size, "curve": self.curve, "matches": self.matches}


@dataclass(frozen=True)
class CertificateEntry:
    subject: str
    issuer: str
    sha256: str
    is_ca: bool
    has_key: bool

    def to_dict(self) -> dict[str, object]:
        return {"subject": self.subject, "issuer": self.issuer, "sha256": self.sha256,
                "is_ca": self.is_ca, "has_key": self.has_key}


@dataclass(frozen=True)
class Pkcs12Inspection:
    origin: str
    opened: bool  # the certificates and key could be read (right password, affordable, supported)
    keys: tuple[KeyEntry, ...]
    certificates: tuple[CertificateEntry, ...]
    chain_complete: bool | None  # None when unknown (the file was not opened or holds no certificate)
    missing_issuer: str | None  # the issuer name the chain stops at, when incomplete
    friendly_names: tuple[str, ...]
    local_key_ids: tuple[str, ...]
    protection: Pkcs12Protection | None
    declared_iterations: int  # key-derivation iterations the file declares, all parts together
    platform_notes: tuple[PlatformRule, ...]
    repackage: tuple[dict[str, str], ...]
    # The organisation's own root the chain leads to, when the file stops just below it: senders leave the
    # root out (RFC 8550 section 2.3), so the file is complete, but every device must trust that root.
    private_root: str | None = None

    @property
    def protection_kind(self) -> str:
        """legacy | modern | mixed | unencrypted | unknown, from the encrypted parts and the MAC."""
        if self.protection is None:
            return "unknown"
        kinds = _classes(self.protection) - {OTHER}
        mac = classify_mac(self.protection)
        encrypted = kinds - {UNENCRYPTED}
        if mac:
            encrypted.add(mac)
        if not encrypted:
            return UNENCRYPTED if kinds else "unknown"
        return encrypted.pop() if len(encrypted) == 1 else "mixed"

    @property
    def legacy_parts(self) -> list[str]:
        return _describe_parts(self.protection, LEGACY)

    @property
    def modern_parts(self) -> list[str]:
        return _describe_parts(self.protection, MODERN)

    @property
    def weak_parts(self) -> list[str]:
        if self.protection is None:
            return []
        return [f"{bag.holds} ({bag.scheme})" for bag in self.protection.bags if is_weak(bag)]

    def to_dict(self) -> dict[str, object]:
        protection = self.protection
        return {
            "origin": self.origin,
            "opened": self.opened,
            "keys": [k.to_dict() for k in self.keys],
            "certificates": [c.to_dict() for c in self.certificates],
            "chain_complete": self.chain_complete,
            "missing_issuer": self.missing_issuer,
            "private_root": self.private_root,
            "friendly_names": list(self.friendly_names),
            "local_key_ids": list(self.local_key_ids),
            "protection": None if protection is None else {
                "kind": self.protection_kind,
                "mac_algorithm": protection.mac_algorithm,
                "mac_iterations": protection.mac_iterations,
                "mac_salt_length": protection.mac_salt_length,
                "bags": [{"holds": b.holds, "scheme": b.scheme, "kdf": b.kdf, "iterations": b.iterations,
                          "salt_length": b.salt_length, "kind": classify_bag(b)} for b in protection.bags],
            },
            "declared_iterations": self.declared_iterations,
            "platform_notes": [rule.to_dict() for rule in self.platform_notes],
            "repackage": [dict(c) for c in self.repackage],
        }


def _describe_parts(protection: Pkcs12Protection | None, kind: str) -> list[str]:
    if protection is None:
        return []
    parts = [f"{bag.holds}: {bag.scheme}" for bag in protection.bags if classify_bag(bag) == kind]
    if classify_mac(protection) == kind:
        parts.append(f"integrity check: HMAC-{protection.mac_algorithm.upper()}"
                     if not protection.mac_algorithm.startswith("PBMAC1") else
                     f"integrity check: {protection.mac_algorithm}")
    return parts


def declared_iterations(protection: Pkcs12Protection | None) -> int:
    if protection is None:
        return 0
    total = protection.mac_iterations or 0
    return total + sum(bag.iterations or 0 for bag in protection.bags)


def inspect_pkcs12(contents: Pkcs12Contents, *, stores: Sequence[TrustStoreLike] = ()) -> Pkcs12Inspection:
    """Describe one .p12 file; `stores` decide whether a chain ending outside the file is complete."""
    fingerprints = {id(c): c.fingerprint(hashes.SHA256()).hex() for c in contents.certificates}
    key_owner = contents.key_certificate
    keys = tuple(
        KeyEntry(*key_shape(key),
                 matches=next((fingerprints[id(c)] for c in contents.certificates if _same_key(c, key)), None))
        for key in contents.key_public_keys
    )
    owners = {k.matches for k in keys if k.matches}
    certificates = tuple(
        CertificateEntry(subject=_name(c.subject), issuer=_name(c.issuer), sha256=fingerprints[id(c)],
                         is_ca=_is_ca(c), has_key=fingerprints[id(c)] in owners)
        for c in contents.certificates
    )
    complete, missing, private_root = _chain_completeness(key_owner or _lowest(contents.certificates),
                                                          contents.certificates, stores)
    protection = contents.protection
    notes = tuple(rule for rule in PLATFORM_RULES if protection is not None and rule.applies(protection))
    if contents.gnupg_refusal in GNUPG_RULES:
        notes += (GNUPG_RULES[contents.gnupg_refusal],)
    return Pkcs12Inspection(
        origin=contents.origin,
        opened=bool(contents.certificates or contents.key_public_keys),
        keys=keys,
        certificates=certificates,
        chain_complete=complete,
        missing_issuer=missing,
        friendly_names=contents.friendly_names,
        local_key_ids=contents.local_key_ids,
        protection=protection,
        declared_iterations=declared_iterations(protection),
        platform_notes=notes,
        repackage=tuple(repackage_commands(protection, add_chain=complete is False)),
        private_root=private_root,
    )


def _chain_completeness(start: x509.Certificate | None, held: Sequence[x509.Certificate],
                        stores: Sequence[TrustStoreLike]) -> tuple[bool | None, str | None, str | None]:
    """Walk issuer names inside the file; complete when it reaches a self-issued or store-held CA, or
    stops just below what looks like the organisation's own root (absent_issuer.judge).

    RFC 8551 section 2.4.1 asks senders to include the certificates a recipient needs to build the
    path, and RFC 8550 section 2.3 leaves the root out; the file's certificates are what a mail client
    will send. Returns (complete, missing issuer, private root).
    """
    if start is None:
        return None, None, None
    by_subject: dict[bytes, x509.Certificate] = {}
    for certificate in held:
        by_subject.setdefault(certificate.subject.public_bytes(), certificate)
    current, seen = start, set()
    while len(seen) <= len(held):
        seen.add(id(current))
        if current.issuer == current.subject:
            return True, None, None
        if any(store.candidates(current.issuer, _aki(current)) for store in stores):
            return True, None, None
        issuer = by_subject.get(current.issuer.public_bytes())
        if issuer is None or id(issuer) in seen:
            break
        current = issuer
    if _looks_like_private_root(current):
        return True, None, _name(current.issuer)
    return False, _name(current.issuer), None


def _looks_like_private_root(last: x509.Certificate) -> bool:
    from .trust import email_trust_store

    public = email_trust_store()
    facts = facts_of(last)
    return judge(facts, supplied_ca=facts.is_ca, public_anchors=public, public_store_name=public.name,
                 own_roots_given=0).kind == PRIVATE_ROOT


def _lowest(certificates: Sequence[x509.Certificate]) -> x509.Certificate | None:
    """The certificate that issued none of the others (the end entity of a bundle)."""
    issuers = {c.issuer.public_bytes() for c in certificates if c.issuer != c.subject}
    for certificate in certificates:
        if certificate.subject.public_bytes() not in issuers:
            return certificate
    return certificates[0] if certificates else None


def _same_key(certificate: x509.Certificate, key: PublicKeyTypes) -> bool:
    try:
        return certificate.public_key() == key
    except Exception:  # an unreadable key in a certificate matches nothing
        return False


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except Exception:
        return False


def _aki(certificate: x509.Certificate) -> bytes | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    except Exception:
        return None


def _name(name: x509.Name) -> str:
    try:
        return name.rfc4514_string()
    except Exception:
        return "(a name that cannot be displayed)"
