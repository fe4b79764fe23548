"""diagnose(): read the inputs, build the chain, run the catalog, write the report."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from cryptography import x509

from .decoding import decoded
from .certinfo import CertificateFacts, facts_of
from .chains import build_chains, pick_leaf
from .expert_sections import sections_for_context
from .checks import CheckContext, run_checks
from .checks.context import ADD_ROOT_WHERE
from .inputs import Limits, ParsedInputs, read_inputs
from .known_authorities import known_authorities
from .online.session import OnlineChecks
from .report import Report, build_report, with_sections
from .trust import TrustStore, email_trust_store

__all__ = ["EXTRA_STORE_NAME", "diagnose", "diagnose_parsed", "trust_stores"]

EXTRA_STORE_NAME = "Extra trust anchors"


def trust_stores(trust: Sequence[bytes | TrustStore] | None) -> list[TrustStore]:
    """The embedded Mozilla email roots first, then extra anchors (bytes become one named store).

    Raises TrustStoreError (a ValueError) when extra anchors hold no certificate.
    """
    stores: list[TrustStore] = [email_trust_store()]
    for item in trust or ():
        if isinstance(item, TrustStore):
            stores.append(item)
        else:
            stores.append(TrustStore.from_pem(bytes(item), name=EXTRA_STORE_NAME))
    return stores


def diagnose(inputs: Sequence[bytes], *, email: str | None = None,
             password: str | bytes | None = None,
             trust: Sequence[bytes | TrustStore] | None = None, at: dt.datetime | None = None,
             limits: Limits | None = None, compliance: bool = False,
             online: OnlineChecks | None = None, add_root_where: str = ADD_ROOT_WHERE) -> Report:
    """Explain whether the supplied certificate(s) will work for S/MIME email, and why not.

    `compliance=True` adds the CA/B Forum S/MIME BR section (pkilint on the leaf; slow the first time).
    `online` (None: offline) fetches missing intermediates and asks whether certificates are revoked.
    `add_root_where` finishes "add your root ..." in fixes, in the words of the caller's own interface.
    """
    stores = trust_stores(trust)
    parsed = read_inputs(list(inputs), password=password, limits=limits or Limits())
    return diagnose_parsed(parsed, email=email, stores=stores, public_store=stores[0], at=at,
                           compliance=compliance, online=online, add_root_where=add_root_where)


def diagnose_parsed(parsed: ParsedInputs, *, email: str | None, stores: Sequence[TrustStore],
                    public_store: TrustStore | None, at: dt.datetime | None,
                    compliance: bool = False, online: OnlineChecks | None = None,
                    add_root_where: str = ADD_ROOT_WHERE) -> Report:
    """The part of diagnose() after reading: chain building, the catalog and the report.

    `public_store` is the store whose roots are publicly trusted (the Mozilla email roots), for
    rules that only apply to public certificates.
    """
    at = _aware(at) if at is not None else dt.datetime.now(dt.timezone.utc)
    cache: dict[int, CertificateFacts] = {}

    def facts(certificate: x509.Certificate) -> CertificateFacts:
        return facts_of(certificate, cache)

    supplied, unreadable = _screen(dict.fromkeys(s.certificate for s in parsed.certificates), facts)
    preferred = [m.signer for m in parsed.messages if m.signer is not None]
    preferred += [p.key_certificate for p in parsed.pkcs12 if p.key_certificate is not None]
    start = pick_leaf(supplied, facts, preferred)
    session = online.session(stores, facts, at) if online is not None else None
    fetched = session.missing_intermediates(start, supplied) if session is not None else []
    chain = build_chains(start, [*supplied, *fetched], stores, at=at, facts=facts)
    leaf = start if start is not None and _is_mailbox_certificate(start, supplied, preferred, facts) \
        else None
    context = CheckContext(at=at, email=email or None, inputs=parsed, supplied=supplied, leaf=leaf,
                           chain=chain, stores=stores, public_store=public_store,
                           unreadable=unreadable, _facts=cache, add_root_where=add_root_where,
                           online=session.result(chain) if session is not None else None)
    report = build_report(context, run_checks(context))
    # Expert sections: PKCS#12 inspection, mail-app compatibility, BR compliance when asked for.
    return with_sections(report, sections_for_context(context, compliance=compliance))


def _is_mailbox_certificate(start: x509.Certificate, supplied: Sequence[x509.Certificate],
                            preferred: Sequence[x509.Certificate],
                            facts: Callable[[x509.Certificate], CertificateFacts]) -> bool:
    """Whether the certificate explained is a person's own, to be checked as one.

    One that says cA=TRUE still is when it signed a message, came with the PKCS#12 key, or names
    a mailbox in its subjectAltName and issued none of the others: a CA certificate is never
    someone's email certificate (S/MIME BR 7.1.2.3 (d)), and the check says so while checking
    the rest. (An emailAddress in a CA's subject is common in old CAs and proves nothing.)
    """
    info = facts(start)
    if not info.is_ca or start in preferred:
        return True
    if not (info.san_emails or info.smtp_utf8_emails):
        return False
    return not any(facts(c).issuer_der == info.subject_der and c is not start for c in supplied)


def _screen(certificates: Iterable[x509.Certificate],
            facts: Callable[[x509.Certificate], CertificateFacts]
            ) -> tuple[list[x509.Certificate], list[tuple[x509.Certificate, str]]]:
    """Split off certificates whose names, key or dates cannot be decoded.

    cryptography decodes these parts lazily, so a certificate that loaded can still raise on
    first use; such a certificate cannot take part in path building and is reported instead.
    A CA certificate read in full by an earlier diagnosis (known_authorities) passed already.
    """
    usable, unreadable = [], []
    for certificate in certificates:
        if known_authorities.is_known(certificate):
            usable.append(certificate)
            continue
        info = facts(certificate)
        if not info.names_readable:
            unreadable.append((certificate, "its subject or issuer name cannot be decoded"))
            continue
        if decoded(lambda: (info.not_before, info.not_after), default=None, what="dates") is None:
            unreadable.append((certificate, "its validity dates cannot be decoded"))
            continue
        if decoded(certificate.public_key, default=None, what="its public key") is None:
            unreadable.append((certificate, "its public key cannot be decoded or is of an "
                                            "unknown type"))
            continue
        usable.append(certificate)
    return usable, unreadable


def _aware(moment: dt.datetime) -> dt.datetime:
    """A naive moment is taken as UTC, the zone certificates are written in (RFC 5280 4.1.2.5)."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment
