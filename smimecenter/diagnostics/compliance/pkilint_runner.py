"""Run DigiCert's pkilint S/MIME linter on one leaf certificate, once per certificate per process.

pkilint is imported on first use only (it costs a few hundred milliseconds), its validators are built
once per (validation type, generation), and results are kept in a small LRU keyed by the certificate's
SHA-256 fingerprint: the same certificate is linted once however often it is checked.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import metadata

__all__ = ["LintFinding", "LintResult", "LinterUnavailable", "lint_leaf", "linter_version", "clear_cache"]

CACHE_SIZE = 512
# A validator's docstring often names the BR section it enforces ("SMBR, section 7.1.6.1").
_SECTION = re.compile(r"section\s+(\d+(?:\.\d+)+(?:\s*\([a-z]\))?)", re.IGNORECASE)


class LinterUnavailable(RuntimeError):
    """pkilint is not installed or failed to load; the reason is plain English."""


@dataclass(frozen=True)
class LintFinding:
    code: str
    severity: str  # pkilint's: FATAL, ERROR, WARNING, NOTICE, INFO
    message: str | None
    path: str  # where in the certificate (pkilint's node path)
    section: str | None  # BR section named by the validator, when it names one


@dataclass(frozen=True)
class LintResult:
    findings: tuple[LintFinding, ...]
    validation: str  # pkilint's validation level name: MAILBOX, ORGANIZATION, SPONSORED, INDIVIDUAL
    generation: str  # LEGACY, MULTIPURPOSE, STRICT
    type_source: str  # "policy" (from the reserved OID) or "guessed" (pkilint's heuristics)
    br_version: str  # the BR version pkilint implements


_lock = threading.Lock()
_cache: OrderedDict[str, LintResult] = OrderedDict()
_validators: dict[tuple[object, object], object] = {}


def linter_version() -> str | None:
    try:
        return metadata.version("pkilint")
    except metadata.PackageNotFoundError:
        return None


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def cached(sha256: str) -> LintResult | None:
    with _lock:
        result = _cache.get(sha256)
        if result is not None:
            _cache.move_to_end(sha256)
        return result


def lint_leaf(der: bytes, sha256: str) -> LintResult:
    """pkilint's findings for a subscriber certificate; raises LinterUnavailable when it cannot run."""
    hit = cached(sha256)
    if hit is not None:
        return hit
    result = _lint(der)
    with _lock:
        _cache[sha256] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _lint(der: bytes) -> LintResult:
    try:
        from pkilint import loader
        from pkilint.cabf import smime
        from pkilint.cabf.smime import smime_constants
        from pkilint.pkix import certificate
    except Exception as error:  # ImportError, or a broken dependency of pkilint
        raise LinterUnavailable(f"the pkilint package could not be loaded ({type(error).__name__}: {error})") \
            from error
    try:
        document = loader.RFC5280CertificateDocumentLoader().load_der_document(der, "certificate")
    except Exception as error:
        raise LinterUnavailable(f"pkilint could not decode the certificate ({error})") from error
    try:
        level_generation = smime.determine_validation_level_and_generation(document)
        source = "policy"
        if level_generation is None:
            level_generation = smime.guess_validation_level_and_generation(document)
            source = "guessed"
        validator = _validator(smime, certificate, *level_generation)
        with _lock:  # validators are shared objects; one certificate at a time through each
            results = validator.validate(document.root)
    except Exception as error:  # a linter bug must not cost the person the rest of the report
        raise LinterUnavailable(f"pkilint failed on this certificate ({type(error).__name__})") from error
    findings = []
    for result in results:
        section = _section_of(result.validator)
        for description in result.finding_descriptions:
            findings.append(LintFinding(
                code=description.finding.code,
                severity=description.finding.severity.name,
                message=description.message,
                path=str(result.node.path),
                section=section,
            ))
    level, generation = level_generation
    return LintResult(findings=tuple(findings), validation=level.name, generation=generation.name,
                      type_source=source, br_version=smime_constants.BR_VERSION)


def _validator(smime, certificate, level, generation):
    key = (level, generation)
    with _lock:
        built = _validators.get(key)
    if built is None:
        built = certificate.create_pkix_certificate_validator_container(
            smime.create_decoding_validators(), smime.create_subscriber_validators(level, generation))
        with _lock:
            built = _validators.setdefault(key, built)
    return built


def _section_of(validator: object) -> str | None:
    match = _SECTION.search(type(validator).__doc__ or "")
    return match.group(1) if match else None
