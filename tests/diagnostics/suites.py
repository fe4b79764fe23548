"""NIST PKITS and C2SP x509-limbo as they are run here (see tests/data/README.md for provenance).

Each case gives three verdicts: the expected one, the engine's (our path builder and checks with
the validator of record), and pyhanko-certvalidator's alone (its own path builder). The tests and
bench/bench_paths.py share this module.
"""
from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.chains import ChainAnalysis, build_chains
from smimecenter.diagnostics.path_validation import run_to_end, settings_for, trust_anchor
from smimecenter.diagnostics.trust import TrustStore

DATA = Path(__file__).resolve().parent.parent / "data"
PKITS = DATA / "pkits"
LIMBO = DATA / "limbo" / "limbo-rfc5280.json"

MAX_DEPTH_REASON = (
    "limbo passes a caller-chosen maximum chain depth; mail clients set none so low, and neither "
    "do we (chains.MAX_DEPTH, 10 certificates).")
TLS_NAMES = (
    "dNSName syntax and wildcards are TLS server-name matters; an S/MIME certificate is judged "
    "by its mailboxes, and the validator of record accepts the dNSName too.")
ANCHOR_AS_GIVEN = (
    "A trust anchor is taken as trust anchor information (RFC 5280 section 6.1.1 (d)): its own "
    "basicConstraints are not validated, as in the validator of record; only a root that says "
    "outright it is not a CA is refused (chains.py).")

# The one table of cases where S/MIME checking answers differently from the suite's expected
# result, with the reason for each. A listed case must really differ (a test checks that).
WHERE_SMIME_DIFFERS: dict[str, str] = {
    "pkits 4.1.5": (
        "A DSA key whose parameters are inherited from the issuer (RFC 3279 section 2.3.2): cryptography cannot load such a certificate, and DSA is not allowed for S/MIME at all (S/MIME BR 6.1.5), so it is reported as unreadable."),
    "limbo rfc5280::eku::ee-wrong-eku": (
        "limbo asks for serverAuth; an S/MIME check asks for emailProtection, and the leaf's purpose is judged by its own check (usage.py), not by the chain."),
    "limbo rfc5280::eku::ee-eku-empty": (
        "The leaf's purpose is judged by its own check (usage.py: no emailProtection), not by the chain."),
    "limbo rfc5280::san::malformed": (
        "The leaf's unreadable subjectAltName is reported by the leaf's own checks (the extension by name, and no mailbox found), not by the chain."),
    "limbo pathlen::max-chain-depth-0-exhausted": MAX_DEPTH_REASON,
    "limbo pathlen::max-chain-depth-1-exhausted": MAX_DEPTH_REASON,
    "limbo rfc5280::nc::nc-permits-invalid-dns-san": TLS_NAMES,
    "limbo rfc5280::nc::nc-forbids-dnsname-wildcard-san": TLS_NAMES,
    "limbo rfc5280::nc::permitted-dns-match-noncritical": (
        "Marking name constraints critical is a rule for the issuing CA (RFC 5280 section 4.2.1.10); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::nc::not-allowed-in-ee-noncritical": (
        "Name constraints only in CA certificates is a rule for the issuing CA (RFC 5280 section 4.2.1.10); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::nc::not-allowed-in-ee-critical": (
        "Name constraints only in CA certificates is a rule for the issuing CA (RFC 5280 section 4.2.1.10); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::pc::ica-noncritical-pc": (
        "Marking policyConstraints critical is a rule for the issuing CA (RFC 5280 section 4.2.1.11); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::san::noncritical-with-empty-subject": (
        "A critical subjectAltName beside an empty subject is a rule for the issuing CA (RFC 5280 section 4.2.1.6); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::serial::too-long": (
        "A serial number of at most 20 octets is a rule for the issuing CA (RFC 5280 section 4.1.2.2); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::serial::zero": (
        "A positive serial number is a rule for the issuing CA (RFC 5280 section 4.1.2.2); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::serial::negative": (
        "A positive serial number is a rule for the issuing CA (RFC 5280 section 4.1.2.2); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::ski::root-missing-ski": (
        "A subjectKeyIdentifier in CA certificates is a rule for the issuing CA (RFC 5280 section 4.2.1.2); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::ski::intermediate-missing-ski": (
        "A subjectKeyIdentifier in CA certificates is a rule for the issuing CA (RFC 5280 section 4.2.1.2); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::aki::critical-aki": (
        "A non-critical authorityKeyIdentifier is a rule for the issuing CA (RFC 5280 section 4.2.1.1); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::aki::leaf-missing-aki": (
        "An authorityKeyIdentifier in every certificate is a rule for the issuing CA (RFC 5280 section 4.2.1.1); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::aki::intermediate-missing-aki": (
        "An authorityKeyIdentifier in every certificate is a rule for the issuing CA (RFC 5280 section 4.2.1.1); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::aki::cross-signed-root-missing-aki": (
        "An authorityKeyIdentifier in every certificate is a rule for the issuing CA (RFC 5280 section 4.2.1.1); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::ca-empty-subject": (
        "A non-empty subject in CA certificates is a rule for the issuing CA (RFC 5280 section 4.1.2.6); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::leaf-ku-keycertsign": (
        "keyCertSign only beside cA=TRUE is a rule for the issuing CA (RFC 5280 section 4.2.1.9); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::ee-critical-aia-invalid": (
        "A non-critical authorityInfoAccess is a rule for the issuing CA (RFC 5280 section 4.2.2.1); path validation (section 6.1) does not test it, nor does the validator of record, and a mail client still uses the certificate."),
    "limbo rfc5280::root-missing-basic-constraints": ANCHOR_AS_GIVEN,
    "limbo rfc5280::root-non-critical-basic-constraints": ANCHOR_AS_GIVEN,
}

# Cases where the validator of record alone answers differently from the engine, with the
# reason; in each the engine agrees with the suite or the case is in WHERE_SMIME_DIFFERS.
# Every other case must agree (a test checks).
RECORD_UNDECIDED = (
    "pyhanko-certvalidator 0.33 has no matcher for this name form (iPAddress, otherName) or "
    "cannot read the certificate; our own checks (name_constraints.py) decide.")
RECORD_DIFFERS: dict[str, str] = {
    "pkits 4.1.5": "cryptography cannot load the certificate; see WHERE_SMIME_DIFFERS.",
    "limbo rfc5280::validity::notafter-fractional": (
        "The check is 5 ms after notAfter: certificate times are written to the second (RFC 5280 "
        "section 4.1.2.5), and the engine compares at that precision; the validator of record "
        "alone compares to the microsecond."),
    "limbo rfc5280::nc::nc-permits-invalid-email-san": (
        "An address that is not a mailbox cannot be within a permitted rfc822Name subtree "
        "(RFC 5280 section 4.2.1.10); the validator of record lets it through."),
    "limbo rfc5280::unknown-critical-extension-root": (
        "The root's unknown critical extension: RFC 5280 section 4.2 and mail clients refuse the "
        "certificate; the validator of record does not look at a trust anchor's extensions."),
    "limbo rfc5280::root-inconsistent-ca-extensions": (
        "A root whose keyUsage omits keyCertSign cannot sign certificates (section 4.2.1.3); "
        "the validator of record does not look at a trust anchor's extensions."),
    "limbo rfc5280::duplicate-extensions": (
        "Two instances of one extension (section 4.2 forbids it) cannot be processed; the "
        "validator of record reads the first."),
}


@dataclass(frozen=True)
class SuiteCase:
    name: str  # "pkits 4.13.2" or "limbo rfc5280::nc::..."
    description: str
    leaf_der: bytes
    intermediates_der: tuple[bytes, ...]
    anchors_der: tuple[bytes, ...]
    at: dt.datetime
    expected_valid: bool


def pkits_cases() -> list[SuiteCase]:
    spec = json.loads((PKITS / "cases.json").read_text())
    at = dt.datetime.fromisoformat(spec["moment"].replace("Z", "+00:00"))
    anchor = (PKITS / "certs" / spec["trust_anchor"]).read_bytes()
    read = lambda name: (PKITS / "certs" / name).read_bytes()  # noqa: E731
    return [SuiteCase(name=f"pkits {case['id']}", description=case["name"],
                      leaf_der=read(case["leaf"]),
                      intermediates_der=tuple(read(n) for n in case["intermediates"]),
                      anchors_der=(anchor,), at=at, expected_valid=case["valid"])
            for case in spec["cases"]]


def limbo_cases() -> list[SuiteCase]:
    spec = json.loads(LIMBO.read_text())
    now = dt.datetime.now(dt.timezone.utc)
    return [SuiteCase(name=f"limbo {case['id']}", description=case["summary"],
                      leaf_der=_der(case["peer_certificate"]),
                      intermediates_der=tuple(_der(p) for p in case["untrusted_intermediates"]),
                      anchors_der=tuple(_der(p) for p in case["trusted_certs"]),
                      at=(dt.datetime.fromisoformat(case["validation_time"].replace("Z", "+00:00"))
                          if case["validation_time"] else now),
                      expected_valid=case["expected_result"] == "SUCCESS")
            for case in spec["testcases"]]


def all_cases() -> Iterator[SuiteCase]:
    yield from pkits_cases()
    yield from limbo_cases()


# --- the engine's verdict ----------------------------------------------------------------------------

def engine_chain(case: SuiteCase) -> ChainAnalysis | None:
    """Our path builder, checks and validator of record; None when the leaf cannot be read."""
    try:
        leaf = x509.load_der_x509_certificate(case.leaf_der)
        intermediates = [x509.load_der_x509_certificate(d) for d in case.intermediates_der]
    except ValueError:
        return None
    store = TrustStore.from_pem(b"".join(_pem(d) for d in case.anchors_der), name="suite anchors")
    return build_chains(leaf, [leaf, *intermediates], [store], at=case.at, facts=facts_of)


def engine_valid(case: SuiteCase) -> bool:
    chain = engine_chain(case)
    return chain is not None and chain.trusted


# --- the validator of record alone ------------------------------------------------------------------

def record_valid(case: SuiteCase) -> bool | None:
    """pyhanko-certvalidator with its own path builder, under the settings of path_validation.py;
    None where it cannot decide (a name form it has no matcher for, such as iPAddress)."""
    try:
        load = asn1_x509.Certificate.load
        anchors = [trust_anchor(load(d)) for d in case.anchors_der]
        context = ValidationContext(trust_roots=anchors, moment=case.at,
                                    other_certs=[load(d) for d in case.intermediates_der],
                                    **settings_for())
        validator = CertificateValidator(load(case.leaf_der), validation_context=context)
        run_to_end(validator.async_validate_path)
    except (PathBuildingError, PathValidationError, ValidationError):
        return False
    except (NotImplementedError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return True


def _der(pem: str) -> bytes:
    with warnings.catch_warnings():  # limbo's serial-number cases are loaded for their point
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificate(pem.encode("ascii")).public_bytes(Encoding.DER)


def _pem(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM)


def disagreements(cases: Sequence[SuiteCase]) -> list[tuple[str, bool, bool]]:
    """(case, expected, ours) for every case where the engine is wrong and the table says nothing."""
    wrong = []
    for case in cases:
        ours = engine_valid(case)
        if ours != case.expected_valid and case.name not in WHERE_SMIME_DIFFERS:
            wrong.append((case.name, case.expected_valid, ours))
    return wrong
