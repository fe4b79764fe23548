"""Reading a private root pasted into the admin, with reasons a person can act on."""
from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning

from smimecenter.diagnostics.inputs.pem import find_blocks, normalise

PRIVATE_KEY_MARKER = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


class AnchorProblem(ValueError):
    """The pasted text is not one usable root certificate; the message says why."""


@dataclass(frozen=True)
class ParsedAnchor:
    pem: str
    subject: str
    not_after: dt.datetime
    sha256: str


def read_anchor(text: str) -> ParsedAnchor:
    if PRIVATE_KEY_MARKER.search(text or ""):
        # A root's private key must never leave the CA; refuse rather than store it.
        raise AnchorProblem("This text contains a private key. Paste only the root certificate "
                            "(-----BEGIN CERTIFICATE-----), and keep the key where it was.")
    # The engine's PEM scanner only moves forward: pasted text costs linear time whatever it holds.
    blocks = [block for block in find_blocks(normalise(text or "")) if block.label == "CERTIFICATE"]
    if not blocks:
        raise AnchorProblem("No certificate found. Paste the root certificate in PEM form, from "
                            "-----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.")
    if len(blocks) > 1:
        raise AnchorProblem(f"Found {len(blocks)} certificates. Add each root as its own trust anchor.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            certificate = x509.load_der_x509_certificate(blocks[0].data or b"")
            certificate.extensions
    except ValueError:
        raise AnchorProblem("The certificate could not be read: the PEM block is damaged or incomplete. "
                            "Copy it again from the original file.") from None
    if not _may_issue(certificate):
        raise AnchorProblem("This is not a CA certificate (its basic constraints do not say CA), so it "
                            "cannot anchor a chain. Paste your organisation's root certificate instead.")
    return ParsedAnchor(
        pem=certificate.public_bytes(Encoding.PEM).decode("ascii"),
        subject=certificate.subject.rfc4514_string(),
        not_after=certificate.not_valid_after_utc,
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
    )


def _may_issue(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        # RFC 5280 section 6.1.4 (k): only a version 1 certificate may act as a CA without the extension.
        return certificate.version is x509.Version.v1 and certificate.issuer == certificate.subject
