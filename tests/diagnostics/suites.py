"""NIST PKITS and C2SP x509-limbo as they are run here (see tests/data/README.md for provenance).

Each case gives three verdicts: the expected one, the engine's (our path builder and checks with
the validator of record, and the findings that say a certificate breaks the RFC 5280 profile),
and pyhanko-certvalidator's alone (its own path builder). The tests and bench/bench_paths.py
share this module.
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
from smimecenter.diagnostics.checks import CheckContext, run_checks
from smimecenter.diagnostics.inputs import ParsedInputs
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
    "limbo rfc5280::root-missing-basic-constraints": ANCHOR_AS_GIVEN,
    "limbo rfc5280::root-non-critical-basic-constraints": ANCHOR_AS_GIVEN,
}

# PKITS paths that are valid (X.509, which PKITS follows, leaves the criticality of
# policyConstraints to the issuer) and whose CA marks policyConstraints non-critical, which RFC 5280
# section 4.2.1.11 forbids: the engine keeps the path valid and warns about that CA (a test checks
# that the warning is all it says).
PKITS_NONCRITICAL_POLICY_CONSTRAINTS = tuple(f"pkits {number}" for number in (
    "4.8.6", "4.8.10", "4.8.11", "4.8.13", "4.8.14", "4.10.9", "4.10.11", "4.10.13",
    "4.10.14", "4.12.2", "4.12.3", "4.12.7", "4.12.9"))

# The findings that say a certificate breaks the RFC 5280 profile (section 4): rules for the CA
# that path validation (section 6) does not test. See engine_agrees for how they count.
PROFILE_CODES = frozenset({
    "certificate.serial_not_positive",  # 4.1.2.2
    "certificate.serial_too_long",  # 4.1.2.2
    "certificate.ca_subject_empty",  # 4.1.2.6
    "certificate.subject_alt_name_not_critical",  # 4.1.2.6, 4.2.1.6
    "certificate.authority_key_id_missing",  # 4.2.1.1
    "certificate.authority_key_id_critical",  # 4.2.1.1
    "certificate.subject_key_id_missing",  # 4.2.1.2
    "certificate.key_cert_sign_without_ca",  # 4.2.1.3, 4.2.1.9
    "certificate.name_constraints_in_end_entity",  # 4.2.1.10
    "certificate.name_constraints_not_critical",  # 4.2.1.10
    "certificate.policy_constraints_not_critical",  # 4.2.1.11
    "certificate.authority_info_access_critical",  # 4.2.2.1
})

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


def engine_path_valid(case: SuiteCase) -> bool:
    """The path verdict alone (RFC 5280 section 6), the question the validator of record answers."""
    chain = engine_chain(case)
    return chain is not None and chain.trusted


def engine_profile_findings(case: SuiteCase, chain: ChainAnalysis) -> dict[str, str]:
    """The profile findings (PROFILE_CODES) the engine raises for the case: code -> severity."""
    supplied = list(dict.fromkeys((chain.start, *_loaded(case.intermediates_der))))
    context = CheckContext(at=case.at, email=None, inputs=ParsedInputs(), supplied=supplied,
                           leaf=chain.start, chain=chain, stores=(), public_store=None)
    return {f.code: f.severity.value for f in run_checks(context) if f.code in PROFILE_CODES}


def engine_agrees(case: SuiteCase) -> bool:
    """Whether the engine's answer is the one the suite expects.

    A person is told two things: whether the path is valid (RFC 5280 section 6, and a profile
    error a mail client refuses the certificate for), and which CA breaks the profile of section
    4 (a warning: the CA's fault, accepted by clients). A case the suite expects invalid is
    answered right when the engine rejects the path or names the defect; one it expects valid,
    when the engine does not reject it (a warning about a CA is advice, not a rejection).
    """
    chain = engine_chain(case)
    if chain is None:
        return not case.expected_valid
    profile = engine_profile_findings(case, chain)
    rejected = not chain.trusted or "error" in profile.values()
    return (not rejected) if case.expected_valid else (rejected or bool(profile))


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


def _loaded(ders: Sequence[bytes]) -> list[x509.Certificate]:
    return [x509.load_der_x509_certificate(d) for d in ders]


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
        if not engine_agrees(case) and case.name not in WHERE_SMIME_DIFFERS:
            wrong.append((case.name, case.expected_valid, not case.expected_valid))
    return wrong
