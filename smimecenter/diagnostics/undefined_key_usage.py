"""Certificates whose keyUsage sets encipherOnly or decipherOnly without keyAgreement.

RFC 5280 section 4.2.1.3 says the meaning of those two bits "is undefined in the absence of the
keyAgreement bit": such a certificate is odd, not broken. cryptography refuses to decode its extensions
at all, which made the engine call the whole certificate damaged. Here the keyUsage bits are read with
asn1crypto and, for reading the other extensions, cryptography is given a copy whose keyUsage lacks the
two undefined bits. The copy is used for nothing else: names, dates, keys and signatures always come
from the certificate as supplied.
"""

from __future__ import annotations

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from .inputs.errors import PARSE_ERRORS

__all__ = ["NOTE", "readable_copy"]

NOTE = ("its key usage sets encipherOnly or decipherOnly without keyAgreement, which RFC 5280 section "
        "4.2.1.3 leaves undefined; those bits were ignored")
_UNDEFINED = {"encipher_only", "decipher_only"}


def readable_copy(certificate: x509.Certificate) -> x509.Certificate | None:
    """A copy cryptography can read the extensions of, or None when the problem is something else."""
    try:
        parsed = asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
        extensions = parsed["tbs_certificate"]["extensions"]
        changed = False
        for extension in extensions:
            if extension["extn_id"].native != "key_usage":
                continue
            bits = set(extension["extn_value"].parsed.native)
            if "key_agreement" in bits or not bits & _UNDEFINED:
                return None
            extension["extn_value"] = asn1_x509.KeyUsage(bits - _UNDEFINED)
            changed = True
        if not changed:
            return None
        copy = x509.load_der_x509_certificate(parsed.dump(force=True))
        copy.extensions  # noqa: B018  the copy must read, or it is no help
        return copy
    except PARSE_ERRORS:
        return None
