"""Codes of the facts the input reader reports, and the keys of their details.

Every event is a fact about what was supplied, not a verdict: the checks catalog turns each one into a
finding with words and a fix. Details hold plain JSON-able values only (str, int, bool, None, lists of
those); they never carry key material, passwords or the supplied bytes themselves.

Keys shared by most events:
    origin (str): where the thing was found, for a person ("the input, block 2", "input 1, attachment
    alice.cer"). "the input" when one input was given, "input N" (from 1) when several were.
    more_like_this (int, only when present): at most 50 events of one code are kept per call; the last
    kept one carries how many more of the same code were left out.
"""

from __future__ import annotations

INPUT_UNREADABLE = "input.unreadable"
"""Something was supplied that holds nothing we can use.

details: origin (str); kind (str): a noun phrase saying what it looks like, written to follow "it looks
like" with an article added by the words layer; reason (str | None): a short plain-English clause saying
why, when there is one (never the supplied bytes); parser_message (str, only when present): what the
parsing library said, word for word, for experts (the finding's parser_message; reason says it plainly).
kind is one of:
  what it is, when recognised: "encrypted message", "certificate revocation list (CRL)",
  "public key without a certificate", "PKCS#12 file" (opened neither way: see reason),
  "PKCS#7 structure of a kind that holds no certificates", "empty PKCS#7 bundle",
  "set of elliptic-curve parameters (not a key or certificate)",
  "set of Diffie-Hellman parameters (not a key or certificate)",
  "PEM block labelled '...' that holds no certificate";
  damage: "damaged certificate", "damaged PEM block (LABEL)", "damaged PKCS#7 data",
  "damaged PKCS#12 file", "damaged signature", "damaged signed message", "damaged data";
  a guess at other files: "HTML page", "XML document", "RTF document", "PDF document", "Word document",
  "Excel workbook", "PowerPoint presentation", "OpenDocument file", "ZIP archive", "Java archive (JAR)",
  "Outlook message (.msg) or older Office document", "PNG image", "JPEG image", "GIF image",
  "gzip-compressed file", "RAR archive", "7-Zip archive", "Windows program", "Linux program",
  "Java keystore (JKS)", "Java keystore (JCEKS)",
  "JSON or other structured text with no certificate", "text with a damaged PEM block",
  "text in base64 that holds no certificate", "text with no certificate", "unknown binary data",
  "unknown data" (a reader failed unexpectedly; logged without the input).
"""

INPUT_PRIVATE_KEY_PRESENT = "input.private_key_present"
"""A private key was supplied. It is never echoed back or kept: only its type is recorded.

details: origin (str); key_type (str): "RSA", "EC", "Ed25519", "Ed448", "DSA", "X25519", "X448",
"OpenSSH", "SSH" (a PuTTY key), "encrypted" (an encrypted PKCS#8 key, whose type cannot be known without
its password) or "unknown"; key_size (int | None): bits for RSA/DSA/EC when known; curve (str | None): EC curve name;
encrypted (bool): the key was protected by a password in the supplied form.
"""

INPUT_CSR_NOT_CERTIFICATE = "input.csr_not_certificate"
"""A certificate signing request (PKCS#10) was supplied where a certificate was expected.

The request itself is kept in ParsedInputs.csrs.
details: origin (str); subject (str): the requested subject in RFC 4514 form ("" when empty);
emails (list[str]): rfc822Name entries of a requested subjectAltName, if any.
"""

INPUT_SSH_KEY = "input.ssh_key"
"""An SSH key was supplied: SSH keys are not certificates and play no part in S/MIME.

details: origin (str); key_type (str): the SSH algorithm name ("ssh-rsa", "ssh-ed25519",
"ecdsa-sha2-nistp256", ...) or "OpenSSH private key"; private (bool): the key is a private key.
"""

INPUT_PGP_KEY = "input.pgp_key"
"""OpenPGP armour was supplied: PGP is a different system from S/MIME.

details: origin (str); armour (str): the armour label ("PGP PUBLIC KEY BLOCK", "PGP MESSAGE", ...), or
"PGP/MIME signature" / "PGP/MIME encryption" for a message signed or encrypted with OpenPGP (RFC 3156);
private (bool): the armour holds a private key block.
"""

INPUT_TOO_LARGE = "input.too_large"
"""The supplied inputs together exceed the size limit; nothing was parsed.

details: size (int): total bytes supplied; limit (int): limits.max_input_bytes.
"""

INPUT_TOO_MANY_CERTIFICATES = "input.too_many_certificates"
"""More certificates were found than the limit allows; only the first ones were kept.

details: limit (int): limits.max_certificates; kept (int): how many were kept (== limit);
dropped (int): how many further certificates were left out (past the limit, blocks labelled as
certificates are counted without being parsed, so this is a count of what looked like certificates).
"""

INPUT_TOO_DEEP = "input.too_deep"
"""A message nests MIME parts deeper than the limit; the parts below the limit were not read.

details: origin (str); limit (int): limits.max_mime_depth.
"""

INPUT_EMPTY = "input.empty"
"""Nothing was supplied, or only blank space.

details: origin (str | None): the blank input, or None when the list of inputs itself was empty.
"""

PKCS12_WRONG_PASSWORD = "pkcs12.wrong_password"
"""A PKCS#12 file could not be opened with the password given.

details: origin (str); password_given (bool): always True here (a missing password raises
pkcs12.password_required instead).
"""

PKCS12_PASSWORD_REQUIRED = "pkcs12.password_required"
"""A PKCS#12 file needs a password and none was given (the empty password was tried and failed).

details: origin (str).
"""

PKCS12_TOO_EXPENSIVE = "pkcs12.too_expensive"
"""A PKCS#12 file declares more key-derivation iterations than the limit; it was not decrypted.

Refused from the structure alone, before any key derivation, so a crafted file cannot burn CPU.
details: origin (str); iterations (int): the largest iteration count declared; limit (int):
limits.max_pkcs12_iterations; where (str): what declares it ("MAC", "private key", "certificates").
"""

PKCS12_OVER_BUDGET = "pkcs12.over_work_budget"
"""Opening a PKCS#12 file would take more key-derivation work than this request has left; it was not decrypted.

Checked before each password try: every key derivation of every try of every file is charged to one budget
(limits.max_kdf_work, in kdf_work units). details: origin (str); work (int): what one try of this file
costs; left (int): what the request had left; budget (int): limits.max_kdf_work.
"""

PKCS12_UNBOUNDED_KDF = "pkcs12.unbounded_kdf"
"""A PKCS#12 file uses a key derivation whose cost cannot be bounded beforehand; it was not decrypted.

details: origin (str); where (str): the part ("MAC", "private key", "certificates").
"""

PKCS12_BUSY = "pkcs12.busy"
"""Every key-derivation slot of the machine was busy (limits.kdf_slot), so the PKCS#12 file was not opened.

details: origin (str).
"""

INPUT_TOO_SLOW = "input.too_slow"
"""Reading stopped because the diagnosis ran past limits.max_seconds; the remaining inputs were not read.

details: origin (str): the first input not read; seconds (float): the limit.
"""

PKCS12_NO_PRIVATE_KEY = "pkcs12.no_private_key"
"""A PKCS#12 file opened but holds no private key, so it cannot be used to sign or decrypt mail.

details: origin (str); certificates (int): how many certificates it holds.
"""

PKCS12_KEY_MISMATCH = "pkcs12.key_mismatch"
"""A PKCS#12 file holds a private key that matches none of its certificates.

details: origin (str); key_type (str): type of the key ("RSA", "EC", ...); certificates (int): how many
certificates it holds. Event.certificate: the file's first certificate (what mail clients would pair
with the key), or None when it holds none.
"""

MESSAGE_NOT_SIGNED = "message.not_signed"
"""An email message was supplied but carries no S/MIME signature.

details: origin (str); content_type (str): the top-level content type of the message;
from_address (str | None): the From address, if any.
"""

MESSAGE_LAYERS = "message.layers"
"""An email message wraps S/MIME layers inside one another (RFC 8551 3.7): a signature around a
signature, a signature around an encrypted part, an encrypted message around anything.

details: origin (str); layers (list[str]): what each layer is, outermost first, in reading order
("a detached signature (multipart/signed)", "inside it, an encrypted part (application/pkcs7-mime)", ...);
summary (str): the same list as one phrase, joined with "; ".
"""

ALL_CODES: tuple[str, ...] = (
    INPUT_UNREADABLE,
    INPUT_PRIVATE_KEY_PRESENT,
    INPUT_CSR_NOT_CERTIFICATE,
    INPUT_SSH_KEY,
    INPUT_PGP_KEY,
    INPUT_TOO_LARGE,
    INPUT_TOO_MANY_CERTIFICATES,
    INPUT_TOO_DEEP,
    INPUT_EMPTY,
    PKCS12_WRONG_PASSWORD,
    PKCS12_PASSWORD_REQUIRED,
    PKCS12_TOO_EXPENSIVE,
    PKCS12_OVER_BUDGET,
    PKCS12_UNBOUNDED_KDF,
    PKCS12_BUSY,
    INPUT_TOO_SLOW,
    PKCS12_NO_PRIVATE_KEY,
    PKCS12_KEY_MISMATCH,
    MESSAGE_NOT_SIGNED,
    MESSAGE_LAYERS,
)
