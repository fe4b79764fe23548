"""Certification path building and validation for email (RFC 5280 section 6, RFC 8550 section 4.2).

Supplied certificates and trust anchors are indexed by subject name, and the authority key
identifier narrows candidates (RFC 5280 section 4.2.1.1), so finding an issuer is a dictionary
look-up and the whole build is near-linear in the number of certificates. When one name has
several candidates (a re-keyed or cross-signed CA) every candidate is tried, each finished path
is validated, the one with the fewest problems wins and the others are kept with their reasons.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from . import name_constraints
from .certinfo import CertificateFacts
from .known_authorities import known_authorities
from .path_validation import rfc5280_refusal

__all__ = [
    "ChainAnalysis",
    "CandidatePath",
    "PathProblem",
    "TrustStoreLike",
    "build_chains",
    "is_self_signed",
    "pick_leaf",
    "verify_signature",
]

MAX_DEPTH = 10  # certificates in one path, anchor included; real email chains have 3 or 4
MAX_PATHS = 64  # finished paths examined before the search stops (cross-signing loops, hostile bundles)

# Problem codes shared with the checks catalog (the words live there).
BAD_SIGNATURE = "chain.bad_signature"
ISSUER_NOT_CA = "chain.issuer_not_ca"
PATH_LENGTH_EXCEEDED = "chain.path_length_exceeded"
INTERMEDIATE_NOT_FOR_EMAIL = "chain.intermediate_not_for_email"
NAME_CONSTRAINTS_VIOLATION = "chain.name_constraints_violation"
MISSING_INTERMEDIATE = "chain.missing_intermediate"
UNTRUSTED_ROOT = "chain.untrusted_root"
SELF_SIGNED_LEAF = "chain.self_signed_leaf"
UNKNOWN_CRITICAL_EXTENSION = "certificate.unknown_critical_extension"
POLICY_REFUSED = "chain.policy_refused"
RFC5280_REFUSED = "chain.rfc5280_refused"
EXPIRED = "validity.expired"
NOT_YET_VALID = "validity.not_yet_valid"

# Our own explanations of an RFC 5280 refusal; when one of them is found, the validator of record
# is not asked again for the same path (it would refuse it too).
RFC5280_CODES = frozenset({BAD_SIGNATURE, ISSUER_NOT_CA, PATH_LENGTH_EXCEEDED,
                           NAME_CONSTRAINTS_VIOLATION, UNKNOWN_CRITICAL_EXTENSION, EXPIRED,
                           NOT_YET_VALID})


class TrustStoreLike(Protocol):
    name: str
    provenance: Mapping[str, object]

    def candidates(self, issuer: x509.Name | bytes, key_id: bytes | None) -> list[x509.Certificate]: ...

    def contains(self, cert: x509.Certificate, *, subject_der: bytes | None = None) -> bool: ...


@dataclass(frozen=True)
class PathProblem:
    code: str
    certificate: x509.Certificate
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CandidatePath:
    certificates: tuple[x509.Certificate, ...]  # leaf first; the anchor last when there is one
    anchor: x509.Certificate | None
    store: TrustStoreLike | None
    problems: tuple[PathProblem, ...]

    @property
    def trusted(self) -> bool:
        return self.anchor is not None and not self.problems

    def _rank(self) -> tuple[int, int, int]:
        return (len(self.problems), 0 if self.anchor is not None else 1, len(self.certificates))


@dataclass
class ChainAnalysis:
    start: x509.Certificate | None
    best: CandidatePath | None
    rejected: tuple[CandidatePath, ...] = ()

    @property
    def trusted(self) -> bool:
        return self.best is not None and self.best.trusted

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        return self.best.certificates if self.best else ()

    def problems(self, code: str | None = None) -> list[PathProblem]:
        if self.best is None:
            return []
        return [p for p in self.best.problems if code is None or p.code == code]


class _Facts(Protocol):
    def __call__(self, certificate: x509.Certificate) -> CertificateFacts: ...


# --- signatures ----------------------------------------------------------------------------------

def verify_signature(child: x509.Certificate, issuer: x509.Certificate) -> str | None:
    """None when `issuer`'s key signed `child`, else a short reason.

    cryptography's verify_directly_issued_by refuses MD5 and SHA-1 outright, and insists that
    the issuer name match byte for byte; those cases (old roots and intermediates, names written
    with another string type) are verified again with the public-key primitives, so that a weak
    or differently encoded but genuine signature is not reported as forged.
    """
    try:
        child.verify_directly_issued_by(issuer)
        return None
    except InvalidSignature:
        return "the signature does not match the issuer's key"
    except UnsupportedAlgorithm as error:
        return f"its signature algorithm is not supported ({error})"
    except (ValueError, TypeError) as error:
        fallback = _verify_with_key(child, issuer)
        return fallback if fallback != "unsupported" else f"it could not be verified ({error})"


def _verify_with_key(child: x509.Certificate, issuer: x509.Certificate) -> str | None:
    try:
        algorithm = child.signature_hash_algorithm
        parameters = child.signature_algorithm_parameters
        key = issuer.public_key()
    except (UnsupportedAlgorithm, ValueError):
        return "unsupported"
    signature, data = child.signature, child.tbs_certificate_bytes
    try:
        # cryptography gives no parameters for the algorithms it no longer signs with
        # (md5WithRSAEncryption, ecdsa-with-SHA1): their padding and form are fixed by the OID
        # (RFC 3279 sections 2.2.1 and 2.2.3).
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(signature, data, parameters or padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and (parameters or algorithm) is not None:
            key.verify(signature, data, parameters or ec.ECDSA(algorithm))
        elif isinstance(key, dsa.DSAPublicKey) and algorithm is not None:
            key.verify(signature, data, algorithm)
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, data)
        else:
            return "unsupported"
    except InvalidSignature:
        return "the signature does not match the issuer's key"
    except (UnsupportedAlgorithm, ValueError, TypeError):
        return "unsupported"
    return None


def _self_signed(facts: CertificateFacts) -> bool:
    return facts.self_issued and _remembered_signature(facts, facts) is None


def is_self_signed(facts: CertificateFacts) -> bool:
    """Self-issued and signed with its own key (RFC 5280 section 3.3); the outcome is remembered
    with the facts, so a root kept between diagnoses is verified once."""
    return _self_signed(facts)


def _remembered_signature(child: CertificateFacts, issuer: CertificateFacts) -> str | None:
    """verify_signature, remembered with the child's facts (a pure function of the two certificates)."""
    entry = child.signature_checks.get(id(issuer.certificate))
    if entry is not None and entry[0] is issuer.certificate:
        return entry[1]
    outcome = verify_signature(child.certificate, issuer.certificate)
    # The facts of a CA outlive the diagnosis (known_authorities): they never keep a reference to a
    # certificate that is not kept too, such as a person's own.
    if not known_authorities.is_known(child.certificate) or known_authorities.is_known(issuer.certificate):
        child.signature_checks[id(issuer.certificate)] = (issuer.certificate, outcome)
    return outcome


# --- choosing the certificate to explain -----------------------------------------------------------

def pick_leaf(certificates: Sequence[x509.Certificate], facts: _Facts,
              preferred: Sequence[x509.Certificate] = ()) -> x509.Certificate | None:
    """The mailbox certificate the person cares about.

    A message's signer or the certificate paired with a PKCS#12 key wins; otherwise an end entity
    (not a CA) that issued nothing supplied, preferring one with emailProtection and an address.
    With only CA certificates, the lowest one (it issued none of the others) is explained.
    """
    for certificate in preferred:
        if certificate is not None:
            return certificate
    if not certificates:
        return None
    end_entities = [c for c in certificates if not facts(c).is_ca]
    if len(end_entities) == 1:
        return end_entities[0]
    issuers = {facts(c).issuer_der for c in certificates if not facts(c).self_issued}

    def score(item: tuple[int, x509.Certificate]) -> tuple[int, ...]:
        index, certificate = item
        info = facts(certificate)
        eku = info.eku_oids
        return (
            0 if not info.is_ca else 1,
            # A certificate that issued another one supplied acts as a CA, whatever it claims.
            1 if info.subject_der in issuers else 0,
            0 if eku is not None and ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string in eku else 1,
            0 if info.emails else 1,
            index,
        )

    return min(enumerate(certificates), key=score)[1]


# --- building ------------------------------------------------------------------------------------

def build_chains(start: x509.Certificate | None, supplied: Sequence[x509.Certificate],
                 stores: Sequence[TrustStoreLike], *, at: dt.datetime, facts: _Facts) -> ChainAnalysis:
    if start is None:
        return ChainAnalysis(start=None, best=None)
    builder = _PathBuilder(supplied, stores, at=at, facts=facts)
    paths = sorted(builder.paths_from(start), key=CandidatePath._rank)
    if not paths:
        return ChainAnalysis(start=start, best=None)
    return ChainAnalysis(start=start, best=paths[0], rejected=tuple(paths[1:]))


class _PathBuilder:
    def __init__(self, supplied: Sequence[x509.Certificate], stores: Sequence[TrustStoreLike], *,
                 at: dt.datetime, facts: _Facts) -> None:
        self.stores = stores
        # Certificate times are written to the second (RFC 5280 section 4.1.2.5); the moment of
        # the check is compared at the same precision.
        self.at = at.replace(microsecond=0)
        self.facts = facts
        self.by_subject: dict[bytes, list[x509.Certificate]] = {}
        seen: set[x509.Certificate] = set()
        for certificate in supplied:
            if certificate in seen:
                continue
            seen.add(certificate)
            self.by_subject.setdefault(facts(certificate).subject_der, []).append(certificate)
        self.finished = 0
        self._anchor_store: dict[int, TrustStoreLike | None] = {}
        self._canonical_index: dict[tuple, list[x509.Certificate]] | None = None

    def paths_from(self, start: x509.Certificate) -> Iterator[CandidatePath]:
        yield from self._extend([start])

    def _store_of(self, certificate: x509.Certificate) -> TrustStoreLike | None:
        key = id(certificate)
        if key not in self._anchor_store:
            subject = self.facts(certificate).subject_der
            self._anchor_store[key] = next((s for s in self.stores
                                            if s.contains(certificate, subject_der=subject)), None)
        return self._anchor_store[key]

    def _extend(self, path: list[x509.Certificate]) -> Iterator[CandidatePath]:
        if self.finished >= MAX_PATHS:
            return
        current = path[-1]
        store = self._store_of(current)
        if store is not None:
            yield self._finish(path, anchor=current, store=store)
            return
        info = self.facts(current)
        if info.self_issued and len(path) > 1 and _self_signed(info):
            yield self._finish(path, anchor=None, store=None)
            return
        key_id = info.authority_key_id
        anchors = [(anchor, s) for s in self.stores
                   for anchor in s.candidates(info.issuer_der, key_id)]
        named = self.by_subject.get(info.issuer_der) or self._by_canonical_subject(info)
        if not anchors and key_id is not None:
            anchors = self._anchors_by_key_id(info, key_id)
        supplied = [c for c in named
                    if c not in path and not any(c == anchor for anchor, _ in anchors)]
        if key_id is not None:
            # RFC 5280 section 4.2.1.1: the key identifier picks among keys of one name; when none
            # matches we still try them all so that the report can say "wrong signature".
            matching = [c for c in supplied if self.facts(c).subject_key_id in (key_id, None)]
            supplied = matching or supplied
        found = False
        for anchor, anchor_store in anchors:
            found = True
            yield self._finish([*path, anchor], anchor=anchor, store=anchor_store)
        if len(path) < MAX_DEPTH:
            for candidate in supplied:
                found = True
                yield from self._extend([*path, candidate])
        if not found:
            yield self._finish(path, anchor=None, store=None)

    def _by_canonical_subject(self, child: CertificateFacts) -> list[x509.Certificate]:
        """Issuers whose subject matches only after RFC 5280 section 7.1 folding (rare: indexed
        on first need)."""
        if self._canonical_index is None:
            self._canonical_index = {}
            for certificates in self.by_subject.values():
                for certificate in certificates:
                    key = self.facts(certificate).subject_canonical
                    self._canonical_index.setdefault(key, []).append(certificate)
        return self._canonical_index.get(child.issuer_canonical, [])

    def _anchors_by_key_id(self, child: CertificateFacts, key_id: bytes
                           ) -> list[tuple[x509.Certificate, TrustStoreLike]]:
        """Anchors with the right key identifier whose name matches only after folding."""
        found = []
        for store in self.stores:
            by_key_id = getattr(store, "by_key_identifier", None)
            if by_key_id is None:
                continue
            for anchor in by_key_id(key_id):
                if self.facts(anchor).subject_canonical == child.issuer_canonical:
                    found.append((anchor, store))
        return found

    def _finish(self, path: list[x509.Certificate], *, anchor: x509.Certificate | None,
                store: TrustStoreLike | None) -> CandidatePath:
        self.finished += 1
        problems = tuple(self._validate(path, anchor))
        if anchor is not None and not any(p.code in RFC5280_CODES for p in problems):
            problems += self._refusal_of_record(path)
        return CandidatePath(certificates=tuple(path), anchor=anchor, store=store,
                             problems=problems)

    def _refusal_of_record(self, path: list[x509.Certificate]) -> tuple[PathProblem, ...]:
        """The validator of record's refusal of a path our own checks found nothing wrong with
        (policy processing, RFC 5280 sections 6.1.3 (d)-(f), 6.1.4 (a), (b), (g)-(i), 6.1.5)."""
        reason = rfc5280_refusal(path, at=self.at)
        if reason is None:
            return ()
        code = POLICY_REFUSED if "polic" in reason.lower() else RFC5280_REFUSED
        return (PathProblem(code, path[0], {"reason": reason}),)

    # --- validation (RFC 5280 section 6.1) --------------------------------------------------------
    def _validate(self, path: list[x509.Certificate], anchor: x509.Certificate | None
                  ) -> Iterator[PathProblem]:
        facts = [self.facts(c) for c in path]
        for info in facts:
            # RFC 5280 section 6.1.3 (a)(2): every certificate of the path is valid at the moment.
            if self.at < info.not_before:
                yield PathProblem(NOT_YET_VALID, info.certificate, {"not_before": info.not_before})
            elif self.at > info.not_after:
                yield PathProblem(EXPIRED, info.certificate, {"not_after": info.not_after})
            # RFC 5280 section 4.2: a critical extension the validator does not process makes
            # the certificate unusable.
            if info.unknown_critical_extensions:
                yield PathProblem(UNKNOWN_CRITICAL_EXTENSION, info.certificate,
                                  {"oids": ", ".join(info.unknown_critical_extensions)})
        for position in range(1, len(path)):
            yield from self._validate_link(facts, position, is_anchor=path[position] is anchor)
        last = facts[-1]
        if anchor is None:
            if last.self_issued and _self_signed(last):
                code = SELF_SIGNED_LEAF if len(path) == 1 and not last.is_ca else UNTRUSTED_ROOT
                yield PathProblem(code, last.certificate)
            else:
                yield PathProblem(MISSING_INTERMEDIATE, last.certificate, {
                    "missing_issuer": last.issuer_name,
                    "ca_issuers_url": last.ca_issuers_urls[0] if last.ca_issuers_urls else None,
                })

    def _validate_link(self, facts: list[CertificateFacts], position: int, *, is_anchor: bool
                       ) -> Iterator[PathProblem]:
        child, issuer = facts[position - 1], facts[position]
        reason = _remembered_signature(child, issuer)
        if reason is not None:
            yield PathProblem(BAD_SIGNATURE, child.certificate,
                              {"issuer": issuer.label, "reason": reason})
        # RFC 5280 section 6.1.4 (k): an issuer must assert cA in basicConstraints. An anchor is
        # taken as it is (section 6.1.1 (d)) unless it states outright that it is not a CA.
        constraints = issuer.basic_constraints
        if (not issuer.is_ca) and (not is_anchor or constraints is not None):
            yield PathProblem(ISSUER_NOT_CA, issuer.certificate,
                              {"reason": "its basicConstraints do not say it is a CA",
                               "child": child.label})
        # RFC 5280 section 6.1.4 (n): an issuer with keyUsage must assert keyCertSign.
        elif issuer.key_usage is not None and "keyCertSign" not in issuer.key_usage:
            yield PathProblem(ISSUER_NOT_CA, issuer.certificate,
                              {"reason": "its key usage does not allow signing certificates",
                               "child": child.label})
        # RFC 5280 section 6.1.4 (l)/(m): pathLenConstraint counts the non-self-issued
        # intermediate certificates below this one (the leaf does not count).
        if issuer.path_length is not None:
            below = sum(1 for f in facts[1:position] if not f.self_issued)
            if below > issuer.path_length:
                yield PathProblem(PATH_LENGTH_EXCEEDED, issuer.certificate,
                                  {"limit": issuer.path_length, "actual": below})
        # RFC 8550 section 4.4.4 and CA/B Forum S/MIME BR 7.1.2.2 (g): mail clients (NSS, OpenSSL)
        # refuse a chain whose intermediate restricts EKU to purposes other than email, and
        # an intermediate whose only EKU is anyExtendedKeyUsage (7.1.2.2 (g) forbids it).
        if not is_anchor and not issuer.allows_email_protection():
            yield PathProblem(INTERMEDIATE_NOT_FOR_EMAIL, issuer.certificate,
                              {"eku": ", ".join(issuer.eku or ())})
        constraints_ext = issuer.name_constraints
        if constraints_ext is not None:
            yield from _name_constraint_problems(constraints_ext, issuer, facts[:position])


# --- name constraints (RFC 5280 section 4.2.1.10) ------------------------------------------------

def _name_constraint_problems(constraints: x509.NameConstraints, issuer: CertificateFacts,
                              below: Sequence[CertificateFacts]) -> Iterator[PathProblem]:
    critical = issuer.extension_is_critical(x509.NameConstraints)
    for index, subject in enumerate(below):
        # Section 6.1.3 (b), (c): self-issued intermediates are exempt; the leaf never is.
        if index > 0 and subject.self_issued:
            continue
        for violation in name_constraints.violations(constraints, subject, critical=critical):
            yield PathProblem(NAME_CONSTRAINTS_VIOLATION, subject.certificate, {
                "address": violation.name, "constrained_by": issuer.label, "rule": violation.rule})
