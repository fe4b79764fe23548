"""Words for PKCS#12 (.p12/.pfx) facts reported by the input reader."""
from __future__ import annotations

from ..findings import Severity
from ..inputs import events
from .registry import rule

PASSWORDS = "/learn/what-is-pkcs12/#passwords-and-encryption"

WRONG_PASSWORD = rule(
    code=events.PKCS12_WRONG_PASSWORD, severity=Severity.ERROR, reference="RFC 7292 section 4",
    learn_more="/troubleshooting/p12-wrong-password/#modern-encryption",
    title="The password does not open the .p12 file",
    explanation="{origin} could not be opened with the password you gave.",
    fix="Check the password (it is case-sensitive). If the file was exported with modern AES "
        "encryption, an old tool may fail to read it even with the right password.")
PASSWORD_REQUIRED = rule(
    code=events.PKCS12_PASSWORD_REQUIRED, severity=Severity.ERROR, reference="RFC 7292 section 4",
    learn_more=PASSWORDS,
    title="The .p12 file needs a password",
    explanation="{origin} is protected by a password and none was given.",
    fix="Enter the password that was set when the file was exported.")
TOO_EXPENSIVE = rule(
    code=events.PKCS12_TOO_EXPENSIVE, severity=Severity.ERROR, reference="RFC 8018 section 4.2",
    learn_more=PASSWORDS,
    title="The .p12 file asks for too much work to open",
    explanation="{origin} declares {iterations} key-derivation iterations for the {where}; we "
                "open files with at most {limit}, so it was not decrypted.",
    fix="Export the file again with a usual iteration count (a few hundred thousand at most).")
OVER_BUDGET = rule(
    code=events.PKCS12_OVER_BUDGET, severity=Severity.ERROR, reference="RFC 8018 section 4.2",
    learn_more=PASSWORDS,
    title="Too much work to open this .p12 file in one check",
    explanation="Opening {origin} would take {work} units of key-derivation work, and this check had "
                "{left} of its {budget} left, so it was not decrypted.",
    fix="Check the .p12 file on its own, without other .p12 files, or export it again with a usual "
        "iteration count (a few thousand to a few hundred thousand).")
UNBOUNDED_KDF = rule(
    code=events.PKCS12_UNBOUNDED_KDF, severity=Severity.ERROR, reference="RFC 8018 section 6.2",
    learn_more=PASSWORDS,
    title="The .p12 file uses a password scheme whose cost we cannot check",
    explanation="The {where} in {origin} is protected with a key derivation whose cost cannot be read "
                "beforehand (an unknown method, or scrypt asking for more than 32 MB of memory), so it "
                "was not decrypted.",
    fix="Export the file again with PBKDF2 and AES (the default of current tools).")
BUSY = rule(
    code=events.PKCS12_BUSY, severity=Severity.ERROR, reference="SMIME Center input limits",
    learn_more=PASSWORDS,
    title="Too many password-protected files are being opened right now",
    explanation="{origin} was not opened: other checks were opening password-protected files at the same "
                "moment, and they take turns.",
    fix="Send the check again in a few seconds.")
NO_PRIVATE_KEY = rule(
    code=events.PKCS12_NO_PRIVATE_KEY, severity=Severity.WARNING, reference="RFC 7292 section 4.2",
    learn_more="/learn/certificate-exists-but-unusable/#missing-private-key",
    title="The .p12 file holds no private key",
    explanation="{origin} opened, but it holds no private key (only certificates: {certificates}), "
                "so a mail client cannot sign or decrypt with it.",
    fix="Export again from the computer where the certificate was installed, choosing to "
        "include the private key.")
KEY_MISMATCH = rule(
    code=events.PKCS12_KEY_MISMATCH, severity=Severity.ERROR, reference="RFC 7292 section 4.2",
    learn_more="/learn/certificate-exists-but-unusable/#missing-private-key",
    title="The private key does not belong to the certificate",
    explanation="{origin} holds a {key_type} private key that matches no certificate in the file.",
    fix="Export the key and certificate together from the same installation, or pair the "
        "certificate with the key that made its request.")
