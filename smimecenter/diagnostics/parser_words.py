"""Plain English for what the parsing libraries say about malformed data.

cryptography reports DER problems as `ParseError { kind: InvalidValue, location: [...] }`, and a few
checks as sentences written for programmers. A person gets the words below; the raw text is kept for
experts in the JSON report (the `parser_message` detail), never shown as the explanation itself.
"""

from __future__ import annotations

import re

__all__ = ["in_plain_words"]

# The ParseErrorKind values of the rust-asn1 crate that cryptography uses.
_KINDS: dict[str, str] = {
    "InvalidValue": "holds a value that is not allowed there",
    "InvalidTag": "has a damaged element header",
    "InvalidLength": "gives a wrong length",
    "UnexpectedTag": "holds an element of the wrong type",
    "ShortData": "ends before it should",
    "ExtraData": "has extra bytes after its end",
    "IntegerOverflow": "holds a number too large to read",
    "InvalidSetOrdering": "lists its parts in an order DER does not allow",
    "EncodedDefault": "spells out a default value, which DER forbids (X.690 section 11.5)",
    "OidTooLong": "holds an identifier that is too long",
    "UnknownDefinedBy": "names an algorithm or type this tool does not know",
}
# Field names in cryptography's locations ("TbsCertificate::subject"), as a person would call them.
_FIELDS: dict[str, str] = {
    "tbs_cert": "certificate body", "version": "version number", "serial": "serial number",
    "signature_alg": "signature algorithm", "issuer": "issuer name", "validity": "validity dates",
    "not_before": "start date", "not_after": "end date", "subject": "subject name",
    "spki": "public key", "algorithm": "algorithm", "subject_public_key": "public key",
    "issuer_unique_id": "issuer unique ID", "subject_unique_id": "subject unique ID",
    "raw_extensions": "extensions", "extn_id": "identifier", "critical": "critical flag",
    "extn_value": "value", "signature_algorithm": "signature algorithm",
    "signature_value": "signature", "csr_info": "request body", "attributes": "attributes",
    "value": "value of a name part",
    **{kind: f"{kind} text of a name" for kind in (
        "PrintableString", "UTF8String", "IA5String", "TeletexString", "BMPString", "UniversalString",
        "VisibleString", "NumericString")},
}
_PARSE_ERROR = re.compile(r"ParseError \{ kind: (\w+)(?:, location: \[(.*?)\])? \}")
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(-?\d+) is not a valid X509 version"), "its version number ({0}) is not one X.509 defines"),
    (re.compile(r"Duplicate ([\d.]+) extension found"),
     "it carries the extension {0} twice, which RFC 5280 section 4.2 forbids"),
    (re.compile(r"Unknown key type: ([\d.]+)"), "its public key is of a type this tool does not know ({0})"),
    (re.compile(r"encipher_only and decipher_only can only be true when key_agreement is true"),
     "its key usage sets encipherOnly or decipherOnly without keyAgreement, which RFC 5280 section "
     "4.2.1.3 leaves undefined"),
    (re.compile(r"Could not deserialize key data"), "its public key cannot be decoded"),
    (re.compile(r"(?i)invalid (?:utc|generalized) ?time|invalid date"), "one of its dates is not a valid date"),
)
_FALLBACK = "its encoding does not follow the DER rules"


def in_plain_words(message: str) -> str:
    """A clause ("the subject name holds a value that is not allowed there") for a parser message."""
    parsed = _PARSE_ERROR.search(message)
    if parsed is not None:
        what = _KINDS.get(parsed.group(1), "is malformed")
        return f"{_place(parsed.group(2) or '')} {what}"
    for pattern, words in _PLAIN:
        found = pattern.search(message)
        if found is not None:
            return words.format(*found.groups())
    return _FALLBACK


def _place(location: str) -> str:
    """`"TbsCertificate::raw_extensions", 1, "Extension::critical"` -> "the critical flag of extension 2"."""
    steps = [step.strip().strip('"') for step in location.split(",") if step.strip()]
    named = [step.split("::")[-1] for step in steps if not step.isdigit()]
    extension_number = None
    for index, step in enumerate(steps):
        if step.endswith("raw_extensions") and index + 1 < len(steps) and steps[index + 1].isdigit():
            extension_number = int(steps[index + 1]) + 1
    if not named:
        return "its encoding"
    last = _FIELDS.get(named[-1], named[-1].replace("_", " "))
    if extension_number is not None:
        if named[-1] == "raw_extensions":
            return f"extension {extension_number}"
        return f"the {last} of extension {extension_number}"
    if last == "algorithm" and len(named) > 1:
        return f"the algorithm of the {_FIELDS.get(named[-2], named[-2].replace('_', ' '))}"
    return f"the {last}"
