"""The validator of record: RFC 5280 section 6.1 path validation by pyhanko-certvalidator.

Our path builder finds candidate paths and our checks explain them; the yes-or-no answer to
"is this a valid certification path" is pyhanko-certvalidator's, a maintained implementation of
the whole of section 6.1 (policy processing, every form of name constraint) tested against NIST
PKITS. A path our own checks pass but the validator of record refuses is reported with the
validator's reason, so no disagreement can pass silently.

Settings, and why:
- The anchor's own constraints (name constraints, path length) are applied, as RFC 5937 section 3
  and every mail client do; a root that constrains itself means it.
- Revocation is not looked at here (it has its own check and words), and nothing is fetched.
- Every signature algorithm is accepted: a genuine MD5 or SHA-1 signature is a weak-algorithm
  finding of its own (checks/crypto.py), not a broken path.
- Default PKIX inputs (RFC 5280 section 6.1.1 (c), (e)-(g)): any policy is acceptable, no
  explicit policy, mapping and anyPolicy allowed, exactly what a mail client starts from.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Sequence

from types import SimpleNamespace
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from .known_authorities import DEFAULT_CAPACITY, known_authorities

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator.authority import CertTrustAnchor
    from pyhanko_certvalidator.registry import SimpleTrustManager

__all__ = ["rfc5280_refusal", "run_to_end", "settings_for", "trust_anchor"]

KEPT_AUTHORITIES = DEFAULT_CAPACITY  # parsed CA certificates kept, as many as known_authorities
# asn1crypto fills in a parsed certificate lazily, on first read; the kept ones are shared, so one
# validation at a time reads them (the work is CPU-bound and holds the GIL anyway).
_SHARED_PARSES = threading.Lock()
# Signatures on remembered CA certificates the validator has verified (RememberingSignatures),
# read and written under _SHARED_PARSES; only successes are kept.
_VERIFIED_AUTHORITY_SIGNATURES: OrderedDict[tuple, bool] = OrderedDict()


@functools.cache
def _library() -> SimpleNamespace:
    """pyhanko-certvalidator and asn1crypto, imported on first use: together they take about a
    second to import, which a page or command that validates no path should not pay."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.authority import CertTrustAnchor, TrustQualifiers
    from pyhanko_certvalidator.errors import PathValidationError, ValidationError
    from pyhanko_certvalidator.name_trees import (
        default_excluded_subtrees,
        default_permitted_subtrees,
        process_general_subtrees,
    )
    from pyhanko_certvalidator.path import ValidationPath
    from pyhanko_certvalidator.registry import SimpleTrustManager
    from pyhanko_certvalidator.policy_decl import (
        AcceptAllAlgorithms,
        CertRevTrustPolicy,
        PKIXValidationParams,
        RevocationCheckingPolicy,
        RevocationCheckingRule,
    )
    from pyhanko_certvalidator.sig_validate import (
        DEFAULT_VALIDATION_CONTEXT,
        DefaultSignatureValidator,
    )
    from pyhanko_certvalidator.validate import async_validate_path

    class RememberingSignatures(DefaultSignatureValidator):
        """The validator's own signature check; a signature it verified on a CA certificate the
        process remembers (known_authorities) is not verified again. The signed bytes, the
        signature, the issuer's key and the algorithm together are the key, so only exactly the
        same check is skipped; a person's certificate is always verified afresh."""

        def __init__(self, authorities: frozenset[bytes]) -> None:
            self.authorities = authorities  # to-be-signed bytes of the path's remembered CAs

        def validate_signature(self, signature, signed_data, public_key_info, signature_algorithm,
                               context=DEFAULT_VALIDATION_CONTEXT):
            check = functools.partial(super().validate_signature, signature, signed_data,
                                      public_key_info, signature_algorithm, context)
            if signed_data not in self.authorities or context is not DEFAULT_VALIDATION_CONTEXT:
                return check()
            key = (signed_data, signature, public_key_info.dump(), signature_algorithm.dump())
            if key in _VERIFIED_AUTHORITY_SIGNATURES:
                _VERIFIED_AUTHORITY_SIGNATURES.move_to_end(key)
                return None
            check()  # raises when the signature does not verify: nothing is kept
            _VERIFIED_AUTHORITY_SIGNATURES[key] = True
            while len(_VERIFIED_AUTHORITY_SIGNATURES) > KEPT_AUTHORITIES:
                _VERIFIED_AUTHORITY_SIGNATURES.popitem(last=False)
            return None

    # Revocation is its own check (checks/revocation.py); here it is not looked at at all.
    no_revocation_check = CertRevTrustPolicy(RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.NO_CHECK,
        intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK))
    return SimpleNamespace(**locals())


def rfc5280_refusal(path: Sequence[x509.Certificate], *, at: dt.datetime) -> str | None:
    """None when `path` (leaf first, trust anchor last) is valid at `at`, else the reason.

    A path of one certificate is an anchor trusted directly, valid by definition (6.1.1 (d)).
    """
    if len(path) < 2:
        return None
    library = _library()
    try:
        with _SHARED_PARSES:
            certificates = [_asn1(c) for c in path[:-1]]
            anchor, trust = _anchor_and_trust(path[-1])
            for child, issuer in zip(certificates, [*certificates[1:], anchor.certificate]):
                _share_issuer_name(child, issuer)
            authorities = frozenset(certificate.tbs_certificate_bytes for certificate in path[:-1]
                                    if known_authorities.is_known(certificate))
            context = library.ValidationContext(
                trust_manager=trust, moment=at, **settings_for(),
                signature_validator=library.RememberingSignatures(authorities))
            candidate = library.ValidationPath(trust_anchor=anchor, interm=certificates[1:][::-1],
                                               leaf=certificates[0])
            run_to_end(lambda: library.async_validate_path(context, candidate))
    except (library.PathValidationError, library.ValidationError) as error:
        return _plain(str(error))
    except (NotImplementedError, ValueError, TypeError, KeyError, AttributeError):
        # The validator cannot decide: pyhanko-certvalidator 0.33 has no matcher for iPAddress
        # constraints (nor otherName, x400Address, ediPartyName, registeredID), and asn1crypto
        # decodes lazily, so a field it cannot read fails here. Our own checks read every one of
        # these (name_constraints.py matches iPAddress and fails a critical constraint of a form
        # it cannot match), so their answer stands.
        return None
    return None


def settings_for() -> dict[str, object]:
    """The ValidationContext settings of record (see the module's docstring)."""
    library = _library()
    return {"revinfo_policy": library.no_revocation_check, "allow_fetching": False,
            "algorithm_usage_policy": library.AcceptAllAlgorithms()}


def trust_anchor(certificate: asn1_x509.Certificate) -> CertTrustAnchor:
    """A trust anchor that keeps the root's own name constraints, path length and validity.

    pyhanko-certvalidator can derive these itself, but it then also demands the root's
    certificate policies explicitly (no mail client does) and, when the root constrains only
    some name forms, it refuses every name of the others; so they are set here, each form the
    root does not constrain left open (RFC 5280 section 6.1.1 (b), (c)).
    """
    library = _library()
    permitted = library.default_permitted_subtrees()
    excluded = library.default_excluded_subtrees()
    constraints = certificate.name_constraints_value
    if constraints is not None:
        if isinstance(constraints["permitted_subtrees"], library.asn1_x509.GeneralSubtrees):
            permitted.update(library.process_general_subtrees(constraints["permitted_subtrees"]))
        if isinstance(constraints["excluded_subtrees"], library.asn1_x509.GeneralSubtrees):
            excluded.update(library.process_general_subtrees(constraints["excluded_subtrees"]))
    qualifiers = library.TrustQualifiers(
        standard_parameters=library.PKIXValidationParams(initial_permitted_subtrees=permitted,
                                                         initial_excluded_subtrees=excluded),
        max_path_length=certificate.max_path_length,
        valid_from=certificate.not_valid_before, valid_until=certificate.not_valid_after)
    return library.CertTrustAnchor(certificate, quals=qualifiers)


def run_to_end(start: Callable[[], Coroutine]) -> object:
    """Run a pyhanko-certvalidator coroutine from synchronous code, inside a running event loop
    or not. With fetching off it never waits for anything, so one step finishes it without the
    cost of a loop; should it ever wait, it runs again in a loop of its own, on its own thread."""
    coroutine = start()
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(start())).result()


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    der = certificate.public_bytes(Encoding.DER)
    # A CA the process remembers (known_authorities: public data) keeps its parsed form, with
    # the names asn1crypto has already prepared for comparison; a person's certificate does not.
    if known_authorities.is_known(certificate):
        return _remembered_asn1(der)
    return _library().asn1_x509.Certificate.load(der)


@functools.lru_cache(maxsize=KEPT_AUTHORITIES)
def _remembered_asn1(der: bytes) -> asn1_x509.Certificate:
    return _library().asn1_x509.Certificate.load(der)


def _share_issuer_name(child: asn1_x509.Certificate, issuer: asn1_x509.Certificate) -> None:
    """Let `child` hold `issuer`'s parsed subject as its issuer name when the two are the same bytes.

    The validator compares them (RFC 5280 section 6.1.3 (a)(4)) after preparing every attribute
    for comparison (RFC 4518), the costliest step of validating a path. Bytes that are equal
    prepare to equal strings, so handing it the one object whose preparation a remembered CA
    already holds changes no answer; names that differ in their bytes are compared in full.
    """
    try:
        tbs = child['tbs_certificate']
        subject = issuer.subject
        if tbs['issuer'] is not subject and tbs['issuer'].dump() == subject.dump():
            tbs.children[tbs._field_map['issuer']] = subject
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        # A part asn1crypto cannot read is left for the validator to meet where it would.
        return


def _anchor_and_trust(certificate: x509.Certificate) -> tuple[CertTrustAnchor, SimpleTrustManager]:
    """The validator's trust anchor for a root, and a trust manager holding only it.

    Both depend on the root's bytes alone and are read-only once built, so a root the process
    remembers (known_authorities) keeps them: every diagnosis under that root would otherwise
    build and hash them again."""
    if known_authorities.is_known(certificate):
        return _remembered_trust(certificate.public_bytes(Encoding.DER))
    return _trust_for(_asn1(certificate))


@functools.lru_cache(maxsize=KEPT_AUTHORITIES)
def _remembered_trust(der: bytes) -> tuple[CertTrustAnchor, SimpleTrustManager]:
    return _trust_for(_remembered_asn1(der))


def _trust_for(parsed: asn1_x509.Certificate) -> tuple[CertTrustAnchor, SimpleTrustManager]:
    anchor = trust_anchor(parsed)
    return anchor, _library().SimpleTrustManager.build(trust_roots=[anchor])


def _plain(message: str) -> str:
    """The validator's sentence without its fixed prefix ("The path could not be validated
    because ..."), so it reads after our own words."""
    for prefix in ("The path could not be validated because ", "The path could not be validated "):
        if message.startswith(prefix):
            message = message[len(prefix):]
            break
    return message.rstrip(".")
