"""How a .p12 file is protected and whether it carries its chain (RFC 7292, RFC 8018, RFC 8551 2.4.1).

The facts come from pkcs12_inspection, which reads only what the input reader extracted: no key is
derived here.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..findings import Severity
from ..pkcs12_inspection import LEGACY, MODERN, UNENCRYPTED, classify_bag, inspect_pkcs12, is_weak
from .context import CheckContext
from .registry import Observation, check, rule

IMPORT = "/learn/what-is-pkcs12/#import-compatibility"

LEGACY_ENCRYPTION = rule(
    code="pkcs12.legacy_encryption", severity=Severity.INFO,
    reference="RFC 7292 Appendix C; RFC 8018 section 6.1; CA/B Forum S/MIME BR section 6.1.2",
    learn_more="/learn/what-is-pkcs12/#passwords-and-encryption",
    title="The .p12 file uses older encryption: imported almost everywhere, easier to attack",
    explanation="{origin} is protected with older algorithms ({parts}). Almost every system imports "
                "such a file, but whoever gets a copy can try passwords against it far faster than "
                "against a modern file.{weak}",
    fix="Keep the file somewhere safe and give it a long password. Where every system that must import "
        "it is current, export it again with AES-256 and PBKDF2: {command}")
MODERN_ENCRYPTION = rule(
    code="pkcs12.modern_encryption", severity=Severity.INFO,
    reference="RFC 8018 sections 5.2 and 6.2; RFC 9579",
    learn_more="/troubleshooting/p12-wrong-password/#modern-encryption",
    title="The .p12 file uses modern encryption that some older systems cannot import",
    explanation="{origin} is protected with {parts}. That is strong, but older macOS, iOS and Windows "
                "releases are reported to refuse such files with a misleading \u201cwrong password\u201d "
                "message.",
    fix="If an import fails although the password is right, export the file again with 3DES and a "
        "SHA-1 integrity check: {command}")
WEAK_KEY_ENCRYPTION = rule(
    code="pkcs12.weak_key_encryption", severity=Severity.WARNING,
    reference="CA/B Forum S/MIME BR section 6.1.2; RFC 7292 Appendix C",
    learn_more="/learn/what-is-pkcs12/#private-key-safety",
    title="The private key in the .p12 file is protected by a weak cipher",
    explanation="{origin} encrypts its private key with {scheme}, below the 112-bit strength the S/MIME "
                "Baseline Requirements ask for a key handed over in a .p12 file; a copy of the file can be "
                "broken open without the password.",
    fix="Export the file again with 3DES or AES and delete the old copies: {command}")
KEY_NOT_ENCRYPTED = rule(
    code="pkcs12.key_not_encrypted", severity=Severity.WARNING,
    reference="RFC 7292 section 4.2.1; CA/B Forum S/MIME BR section 6.1.2",
    learn_more="/learn/what-is-pkcs12/#private-key-safety",
    title="The private key in the .p12 file is not encrypted",
    explanation="{origin} holds its private key in a plain key bag: anyone who gets a copy of the file "
                "can read the key, sign as you and decrypt your mail, without any password.",
    fix="Export the file again with a password (any current tool encrypts the key then), and delete "
        "unprotected copies: {command}")
CHAIN_INCOMPLETE = rule(
    code="pkcs12.chain_incomplete", severity=Severity.WARNING,
    reference="RFC 8551 section 2.4.1; RFC 7292 section 4.2.3",
    learn_more="/learn/why-trust-fails/#missing-intermediate",
    title="The .p12 file does not carry the whole chain",
    explanation="{origin} holds {certificate} but not the certificate of its issuer "
                "\u201c{missing_issuer}\u201d, and no trust store we know holds it either. Mail clients send "
                "the certificates they were given, so recipients may not be able to check your signature.",
    fix="Add your certificate authority's intermediate certificates when you build the file "
        "(openssl pkcs12 -export ... -certfile intermediates.pem), or install them on each device.")


def _command(inspection, purpose_word: str) -> str:
    for entry in inspection.repackage:
        if purpose_word in entry["purpose"]:
            return entry["commands"].replace("\n", " && ")
    return ""


@check
def pkcs12_protection(context: CheckContext) -> Iterator[Observation]:
    for contents in context.inputs.pkcs12:
        inspection = inspect_pkcs12(contents, stores=context.stores)
        kind = inspection.protection_kind
        if kind in (LEGACY, "mixed") and inspection.legacy_parts:
            weak = inspection.weak_parts
            yield LEGACY_ENCRYPTION.observe(
                origin=contents.origin, parts="; ".join(inspection.legacy_parts),
                weak=(f" Some parts use ciphers below 112-bit strength: {', '.join(weak)}." if weak else ""),
                command=_command(inspection, "strong"))
        weak_key = [bag.scheme for bag in (contents.protection.bags if contents.protection else ())
                    if "private key" in bag.holds and is_weak(bag)]
        if weak_key:
            yield WEAK_KEY_ENCRYPTION.observe(origin=contents.origin, scheme=", ".join(weak_key),
                                              command=_command(inspection, "strong"))
        if contents.protection is not None and any(
                "private key" in bag.holds and classify_bag(bag) == UNENCRYPTED for bag in contents.protection.bags):
            yield KEY_NOT_ENCRYPTED.observe(origin=contents.origin, command=_command(inspection, "strong"))
        if kind in (MODERN, "mixed") and inspection.modern_parts:
            yield MODERN_ENCRYPTION.observe(
                origin=contents.origin, parts="; ".join(inspection.modern_parts),
                command=_command(inspection, "older"))


@check
def pkcs12_chain(context: CheckContext) -> Iterator[Observation]:
    for contents in context.inputs.pkcs12:
        if not contents.certificates:
            continue
        inspection = inspect_pkcs12(contents, stores=context.stores)
        if inspection.chain_complete is False:
            holder = contents.key_certificate or contents.certificates[0]
            yield CHAIN_INCOMPLETE.observe(holder, origin=contents.origin,
                                           missing_issuer=inspection.missing_issuer)
