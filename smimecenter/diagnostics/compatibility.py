"""Which mail clients will sign and encrypt with a certificate: a small table built from sourced rules.

Each rule is one small unit: when it applies (a predicate on the leaf's facts), which clients and which
capability it touches, what it concludes, and the source it rests on. A client starts at "yes" only when
the certificate meets the standards every client implements (RFC 8550/8551 with an RSA key, or EC in a
client with a source for EC); anything no source settles stays "unknown". Evidence is "documented" for
vendor or standard text and "reported" for bug reports, forums and vendor blogs.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .certinfo import CertificateFacts
from .public_keys import POST_QUANTUM

__all__ = ["CLIENTS", "RULES", "Client", "CompatibilityInput", "CompatibilityRule", "client_table"]

YES, NO, REPORTED_NO, UNKNOWN = "yes", "no", "reported no", "unknown"
_PRECEDENCE = {NO: 0, REPORTED_NO: 1, UNKNOWN: 2, YES: 3}
SMIME_CAPABILITIES = "1.2.840.113549.1.9.15"  # RFC 4262 section 2
# Apple, "Change certificate trust policies on Mac" (Keychain Access): the Secure Mail (S/MIME) policy.
APPLE_SECURE_MAIL_POLICY = ("https://support.apple.com/en-ke/guide/keychain-access/"
                            "change-certificate-trust-policies-on-mac-mchlp2824/11.0/mac/15.0")


@dataclass(frozen=True)
class Client:
    id: str
    name: str
    root_store: str
    root_store_source: str
    root_store_evidence: str


CLIENTS: tuple[Client, ...] = (
    Client("apple_mail_macos", "Apple Mail (macOS)",
           "The macOS keychains: Apple's system roots plus any trust set in Keychain Access (\u201cSecure Mail "
           "(S/MIME)\u201d policy)",
           APPLE_SECURE_MAIL_POLICY,
           "documented"),
    Client("mail_ios", "Mail (iOS/iPadOS)",
           "The iOS trust store plus certificates installed by hand or by a configuration profile",
           "https://support.apple.com/en-by/guide/deployment/depcdc9a6a3f/web", "documented"),
    Client("outlook_windows", "Outlook for Windows (classic)",
           "The Windows certificate store (CryptoAPI), including roots pushed by Group Policy",
           "https://learn.microsoft.com/en-us/answers/questions/5876934/365-s-mime-signed-emails", "reported"),
    Client("outlook_mac", "Outlook for Mac",
           "The macOS keychains (Outlook for Mac ignores its own trust settings and uses the keychain's roots)",
           "https://learn.microsoft.com/en-us/previous-versions/office/office-for-mac-2011/jj984223(v=office.14)",
           "documented"),
    Client("outlook_web", "Outlook on the web",
           "The organisation's Exchange Online virtual certificate collection, set by its administrator",
           "https://technet.microsoft.com/en-us/library/dn626155(v=exchg.150).aspx",
           "documented"),
    Client("thunderbird", "Thunderbird",
           "Thunderbird's own certificate manager (Mozilla's roots with the email trust bit); a root you add "
           "needs \u201cThis certificate can identify mail users\u201d",
           "https://herongyang.com/Email/Thunderbird-Manage-Security-Certificates.html",
           "reported"),
)
CLIENT_IDS = tuple(client.id for client in CLIENTS)


@dataclass(frozen=True)
class CompatibilityInput:
    leaf: CertificateFacts
    mozilla_trusted: bool | None = None  # the chain reached a Mozilla email root (None: not known)
    message_digests: Sequence[str] = ()  # digest algorithms of signed messages supplied ("sha1", ...)


@dataclass(frozen=True)
class CompatibilityRule:
    id: str
    clients: tuple[str, ...]
    sign: str | None  # what the rule concludes for signing, None when it says nothing about it
    encrypt: str | None
    evidence: str  # "documented" | "reported" | "none found"
    says: str
    source: str
    applies: Callable[[CompatibilityInput], bool] = field(compare=False, repr=False)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "evidence": self.evidence, "says": self.says, "source": self.source}


# --- predicates ---------------------------------------------------------------------------------

def _not_for_email(given: CompatibilityInput) -> bool:
    return not given.leaf.allows_email_protection()


def _usage(given: CompatibilityInput) -> tuple[str, ...] | None:
    return given.leaf.key_usage


def _cannot_sign(given: CompatibilityInput) -> bool:
    usage = _usage(given)
    return usage is not None and not {"digitalSignature", "nonRepudiation"} & set(usage)


def _rsa_cannot_encrypt(given: CompatibilityInput) -> bool:
    usage = _usage(given)
    return given.leaf.key_type == "RSA" and usage is not None and "keyEncipherment" not in usage


def _ec_cannot_encrypt(given: CompatibilityInput) -> bool:
    usage = _usage(given)
    return given.leaf.key_type == "EC" and usage is not None and "keyAgreement" not in usage


def _eddsa(given: CompatibilityInput) -> bool:
    return given.leaf.key_type in ("Ed25519", "Ed448")


def _post_quantum(given: CompatibilityInput) -> bool:
    return given.leaf.key_type in POST_QUANTUM


def _other_key(given: CompatibilityInput) -> bool:
    return given.leaf.key_type in ("DSA", "unknown")


def _ec(given: CompatibilityInput) -> bool:
    return given.leaf.key_type == "EC"


def _no_key_usage(given: CompatibilityInput) -> bool:
    return given.leaf.key_usage is None


def _no_email(given: CompatibilityInput) -> bool:
    return not given.leaf.emails


def _sha1_message(given: CompatibilityInput) -> bool:
    return any(d.replace("-", "").lower() == "sha1" for d in given.message_digests)


def _sha1_certificate(given: CompatibilityInput) -> bool:
    return given.leaf.signature_hash == "sha1"


def _no_smime_capabilities(given: CompatibilityInput) -> bool:
    try:
        extensions = given.leaf.certificate.extensions
    except Exception:  # malformed extensions: nothing can be said about this one
        return False
    return not any(e.oid.dotted_string == SMIME_CAPABILITIES for e in extensions)


def _not_mozilla_trusted(given: CompatibilityInput) -> bool:
    return given.mozilla_trusted is False


def _always(given: CompatibilityInput) -> bool:
    return True


ALL = CLIENT_IDS
APPLE = ("apple_mail_macos", "mail_ios")

RULES: tuple[CompatibilityRule, ...] = (
    CompatibilityRule(
        "all.not_for_email", ALL, NO, NO, "documented",
        "The extended key usage leaves out emailProtection, so mail clients refuse the certificate for "
        "signing and encryption (RFC 8550 section 4.4.4).",
        "https://www.rfc-editor.org/rfc/rfc8550#section-4.4.4", _not_for_email),
    CompatibilityRule(
        "all.cannot_sign", ALL, NO, None, "documented",
        "The key usage has neither digitalSignature nor nonRepudiation, so it cannot sign mail "
        "(RFC 8550 section 4.4.2).",
        "https://www.rfc-editor.org/rfc/rfc8550#section-4.4.2", _cannot_sign),
    CompatibilityRule(
        "all.rsa_without_key_encipherment", ALL, None, NO, "documented",
        "An RSA key without keyEncipherment cannot receive encrypted mail (RFC 8550 section 4.4.2; "
        "S/MIME BR section 7.1.2.3 (e)).",
        "https://www.rfc-editor.org/rfc/rfc8550#section-4.4.2", _rsa_cannot_encrypt),
    CompatibilityRule(
        "all.ec_without_key_agreement", ALL, None, NO, "documented",
        "An EC key is used for encryption through key agreement (ECDH); without keyAgreement it cannot "
        "receive encrypted mail (S/MIME BR section 7.1.2.3 (e)).",
        "https://github.com/cabforum/smime/blob/main/SBR.md#7123-subscriber-certificates", _ec_cannot_encrypt),
    CompatibilityRule(
        "all.eddsa_cannot_encrypt", ALL, None, NO, "documented",
        "Ed25519 and Ed448 certificates are for signing only (S/MIME BR section 7.1.2.3 (e)); nobody can "
        "encrypt to them.",
        "https://github.com/cabforum/smime/blob/main/SBR.md#7123-subscriber-certificates", _eddsa),
    CompatibilityRule(
        "all.eddsa_signing_unconfirmed", ALL, UNKNOWN, None, "none found",
        "No source confirms that these clients accept EdDSA signatures in S/MIME.",
        "https://github.com/cabforum/smime/blob/main/SBR.md#615-key-sizes", _eddsa),
    CompatibilityRule(
        "all.post_quantum_unconfirmed", ALL, UNKNOWN, UNKNOWN, "none found",
        "ML-DSA and ML-KEM keys are allowed by the S/MIME BR since version 1.0.11, which added them so that "
        "certificate issuers can experiment; no source confirms that these clients accept them.",
        "https://cabforum.org/2025/07/02/ballot-smc-013", _post_quantum),
    CompatibilityRule(
        "all.unsupported_key", ALL, NO, NO, "documented",
        "S/MIME certificates use RSA, ECDSA or EdDSA keys, and since version 1.0.11 of the S/MIME BR "
        "(section 6.1.5) ML-DSA or ML-KEM keys; this key type is none of them.",
        "https://github.com/cabforum/smime/blob/main/SBR.md#615-key-sizes", _other_key),
    CompatibilityRule(
        "apple_mail_macos.key_usage_required", ("apple_mail_macos",), NO, NO, "documented",
        "Apple's Secure Mail (S/MIME) trust policy requires key usage fields in the certificate.",
        APPLE_SECURE_MAIL_POLICY,
        _no_key_usage),
    CompatibilityRule(
        "mail_ios.key_usage_required", ("mail_ios",), REPORTED_NO, REPORTED_NO, "reported",
        "Certificates without key usage are reported not to work in Mail on iPhone and iPad.",
        "https://gist.github.com/richieforeman/3166387", _no_key_usage),
    CompatibilityRule(
        "apple.email_required", APPLE, NO, NO, "documented",
        "Apple Mail uses a certificate only when the account's address is listed in it; this one lists no "
        "address.",
        APPLE_SECURE_MAIL_POLICY,
        _no_email),
    CompatibilityRule(
        "others.email_unconfirmed", ("outlook_windows", "outlook_mac", "outlook_web", "thunderbird"),
        UNKNOWN, UNKNOWN, "none found",
        "The certificate names no email address; no source states how this client treats such a "
        "certificate.",
        "https://www.rfc-editor.org/rfc/rfc8550#section-3", _no_email),
    CompatibilityRule(
        "outlook_mac.no_ecc", ("outlook_mac",), REPORTED_NO, REPORTED_NO, "reported",
        "Outlook for Mac is reported not to support EC keys for S/MIME (a 2015 report; not re-checked "
        "for current versions).",
        "https://github.com/OpenSC/OpenSC.tokend/pull/21", _ec),
    CompatibilityRule(
        "ec.support_unconfirmed", ("apple_mail_macos", "mail_ios", "outlook_windows", "outlook_web"),
        UNKNOWN, UNKNOWN, "none found",
        "No vendor source confirms ECDSA signing or ECDH encryption for S/MIME in this client.",
        "https://github.com/cabforum/smime/blob/main/SBR.md#615-key-sizes", _ec),
    CompatibilityRule(
        "thunderbird.ecc_offered", ("thunderbird",), None, None, "documented",
        "Thunderbird's own certificate request wizard offers RSA (recommended) or ECC keys for S/MIME.",
        "https://github.com/mozilla/releases-comm-central/blob/HEAD/mail/locales/en-US/messenger/openpgp/openpgp.ftl",
        _ec),
    CompatibilityRule(
        "thunderbird.sha1_message_signatures", ("thunderbird",), NO, None, "documented",
        "Thunderbird 115 and later show S/MIME signatures made with SHA-1 as invalid; a message you "
        "supplied was signed with SHA-1. Configure the sending client to sign with SHA-256.",
        "https://blog.thunderbird.net/2023/10/thunderbird-115-and-signatures-using-the-obsolete-sha-1-algorithm/",
        _sha1_message),
    CompatibilityRule(
        "thunderbird.sha1_certificate", ("thunderbird",), UNKNOWN, UNKNOWN, "reported",
        "The certificate itself is signed with SHA-1. Thunderbird 115 rejects SHA-1 message signatures; "
        "its announcement does not say whether SHA-1-signed certificates are refused too.",
        "https://blog.thunderbird.net/2023/10/thunderbird-115-and-signatures-using-the-obsolete-sha-1-algorithm/",
        _sha1_certificate),
    CompatibilityRule(
        "outlook_windows.aes_fallback", ("outlook_windows",), None, None, "documented",
        "The certificate has no S/MIME Capabilities extension, so Outlook (build 16.0.8518 and later) "
        "encrypts to it with its default, AES-256; a recipient whose software only handles 3DES then "
        "cannot decrypt (Microsoft KB 4459215).",
        "https://learn.microsoft.com/en-us/outlook/troubleshoot/security/error-when-decrypting-message-via-3des-certificate",
        _no_smime_capabilities),
    CompatibilityRule(
        "outlook_web.windows_extension", ("outlook_web",), None, None, "documented",
        "S/MIME in Outlook on the web works only on Windows, in a browser with Microsoft's S/MIME "
        "extension installed, and only when the organisation has set it up.",
        "https://technet.microsoft.com/en-us/library/dn626155(v=exchg.150).aspx",
        _always),
    CompatibilityRule(
        "thunderbird.not_mozilla_trusted", ("thunderbird",), None, None, "documented",
        "The chain does not reach a root Mozilla trusts for email, so Thunderbird users see your "
        "signature as untrusted until they import the root under Authorities with \u201cThis "
        "certificate can identify mail users\u201d ticked.",
        "https://raw.githubusercontent.com/mozilla/releases-comm-central/HEAD/mail/locales/en-US/chrome/messenger/"
        "am-smime.properties",
        _not_mozilla_trusted),
)


def _baseline(given: CompatibilityInput, client: str) -> str:
    """What holds before any rule: RSA is what every client's S/MIME documentation assumes."""
    key = given.leaf.key_type
    if key == "RSA" or (key == "EC" and client == "thunderbird"):
        return YES
    return UNKNOWN


def _lower(current: str, proposed: str | None) -> str:
    if proposed is None:
        return current
    return proposed if _PRECEDENCE[proposed] < _PRECEDENCE[current] else current


def client_table(given: CompatibilityInput) -> list[dict[str, object]]:
    """One row per client: can sign, can encrypt, trust decided by, blockers and notes with sources."""
    applied = [rule for rule in RULES if rule.applies(given)]
    rows = []
    for client in CLIENTS:
        sign = encrypt = _baseline(given, client.id)
        blockers, notes = [], []
        for rule in applied:
            if client.id not in rule.clients:
                continue
            sign, encrypt = _lower(sign, rule.sign), _lower(encrypt, rule.encrypt)
            restricting = rule.sign in (NO, REPORTED_NO) or rule.encrypt in (NO, REPORTED_NO)
            (blockers if restricting else notes).append(rule.to_dict())
        trusted = UNKNOWN
        if client.id == "thunderbird" and given.mozilla_trusted is not None:
            trusted = YES if given.mozilla_trusted else NO
        rows.append({
            "client": client.id, "name": client.name, "sign": sign, "encrypt": encrypt,
            "trusted": trusted, "root_store": client.root_store, "root_store_source": client.root_store_source,
            "root_store_evidence": client.root_store_evidence, "blockers": blockers, "notes": notes,
        })
    return rows
