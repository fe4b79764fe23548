"""What the certificate a chain stops at most likely is: a CA's intermediate or an organisation's own root.

When the issuer of the last certificate was neither supplied nor trusted, the fix depends on what it is.
A missing intermediate is found at the CA (public CAs publish theirs); a private root comes from the
organisation that runs the CA, and senders leave roots out on purpose (RFC 8550 section 2.3: a sender
includes the chain "up to, but not including" a CA the recipient may trust). Nothing in a certificate
says which it is, so the judgement is drawn from evidence, every piece of which is kept so that a
person (and the JSON) can see why:

- the issuer belongs to a public CA: its organisation names a root of Mozilla's email store, or the
  authority key identifier (RFC 5280 section 4.2.1.1) is the key of one of its roots;
- the issuer's common name calls it a root ("Root", "RootCA", "Raíz"), or an intermediate ("Issuing", "SubCA");
- the authority information access caIssuers URL (RFC 5280 section 4.2.2.1): public CAs give an HTTP
  address (CA/B Forum S/MIME BR 7.1.2.2 (c) and 7.1.2.3 (c)); a directory (ldap:) or intranet
  address is the mark of an organisation's own CA (Active Directory Certificate Services writes one);
- whether an intermediate was supplied: then the absent certificate is one level higher, most often
  the root. A person's certificate alone under an absent issuer is, at a public CA, always under an
  intermediate (S/MIME BR 6.1.7: root keys do not sign subscriber certificates).

The rules are taken in order, the first that decides wins (`decide`); the evidence list holds every
observation, whichever way it points.
"""
from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import NameOID

from .certinfo import CertificateFacts

__all__ = ["Evidence", "Judgement", "MISSING_INTERMEDIATE", "PRIVATE_ROOT", "judge"]

MISSING_INTERMEDIATE = "missing_intermediate"
PRIVATE_ROOT = "private_root"

# "Root" in the languages whose CAs name their roots in their own words (as in Mozilla's "ACCVRAIZ1").
_ROOT_WORDS = ("root", "raiz", "raíz", "racine", "radice", "wurzel")
_INTERMEDIATE_WORDS = ("intermediate", "issuing", "subordinate", "subca")
# Names only an intranet resolves (RFC 6762 .local, RFC 8375 home.arpa, and the usual private suffixes).
_PRIVATE_SUFFIXES = (".local", ".lan", ".corp", ".internal", ".intranet", ".home.arpa", ".localdomain")


def _name_words(name: str) -> list[tuple[str, bool]]:
    """The words of a CA's name, lower-cased, each with whether it was written in capitals.

    Separators and camel case split words ("Contoso-RootCA": contoso, root, ca); a run of capitals stays
    one word ("ACCVRAIZ1": accvraiz), since nothing says where its words meet.
    """
    words: list[tuple[str, bool]] = []
    for chunk in re.findall(r"[^\W\d_]+", name):
        start = 0
        for index in range(1, len(chunk)):
            before, here = chunk[index - 1], chunk[index]
            after = chunk[index + 1] if index + 1 < len(chunk) else ""
            if here.isupper() and (before.islower() or (before.isupper() and after.islower())):
                words.append((chunk[start:index].lower(), chunk[start:index].isupper()))
                start = index
        words.append((chunk[start:].lower(), chunk[start:].isupper()))
    return words


def _names_a_root(common_name: str) -> bool:
    """"Root CA", "Contoso-RootCA", "T-TeleSec GlobalRoot", "CORPROOTCA", "AC RAIZ", "Wurzel-CA"."""
    for word, capitals in _name_words(common_name):
        if word in _ROOT_WORDS:
            return True
        bare = word.removesuffix("ca") if capitals else word
        if capitals and (bare.startswith(_ROOT_WORDS) or bare.endswith(_ROOT_WORDS)):
            return True
    return False


def _names_an_intermediate(common_name: str) -> bool:
    """"Issuing CA 2", "Contoso SubCA", "Sub-CA", "Intermediate", "Subordinate CA"."""
    words = [word for word, _ in _name_words(common_name)]
    pairs = {a + b for a, b in zip(words, words[1:])}
    return any(word in _INTERMEDIATE_WORDS for word in words) or "subca" in pairs


@dataclass(frozen=True)
class Evidence:
    rule: str        # stable identifier of the observation
    points_to: str   # MISSING_INTERMEDIATE or PRIVATE_ROOT
    words: str       # one clause, to be read after "because"

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "points_to": self.points_to, "words": self.words}


@dataclass(frozen=True)
class Judgement:
    kind: str                          # MISSING_INTERMEDIATE or PRIVATE_ROOT
    decided_by: str                    # the rule of the evidence that decided
    evidence: tuple[Evidence, ...]     # every observation, the deciding one first

    @property
    def reasons(self) -> str:
        """The evidence for the judgement as one sentence's worth of clauses."""
        agreeing = [e.words for e in self.evidence if e.points_to == self.kind]
        if len(agreeing) < 2:
            return "".join(agreeing)
        return "; ".join(agreeing[:-1]) + "; and " + agreeing[-1]

    def to_dict(self) -> dict[str, object]:
        return {"judgement": self.kind, "decided_by": self.decided_by,
                "evidence": [e.to_dict() for e in self.evidence]}


def judge(last: CertificateFacts, *, supplied_ca: bool, public_anchors: Iterable[x509.Certificate],
          public_store_name: str, own_roots_given: int) -> Judgement:
    """Judge the absent issuer of `last`, the last certificate of the path.

    `supplied_ca`: `last` is a CA certificate the person supplied (an intermediate, or the CA checked);
    `public_anchors`: the public email store (hashable, as a TrustStore is: indexed once and
    remembered); `own_roots_given`: how many roots the person (or the site) gave as the
    organisation's own, none of which issued `last`.
    """
    issuer = last.issuer_name
    common_name = _first(issuer, NameOID.COMMON_NAME)
    evidence: list[Evidence] = []

    public = _public_ca(issuer, last.authority_key_id, public_anchors)
    if public is not None:
        evidence.append(Evidence("issuer_of_public_ca", MISSING_INTERMEDIATE,
                                 f"it belongs to {public}, whose roots are in {public_store_name}"))
    else:
        evidence.append(Evidence("issuer_unknown_to_public_store", PRIVATE_ROOT,
                                 f"neither its organisation nor its key (AKI) matches a root in {public_store_name}"))
    if common_name and _names_a_root(common_name):
        evidence.append(Evidence("issuer_named_root", PRIVATE_ROOT, "its name calls it a root"))
    elif common_name and _names_an_intermediate(common_name):
        evidence.append(Evidence("issuer_named_intermediate", MISSING_INTERMEDIATE,
                                 "its name calls it an issuing or intermediate CA"))
    url_kind, url = _ca_issuers(last.ca_issuers_urls)
    if url_kind == "private":
        evidence.append(Evidence("ca_issuers_private", PRIVATE_ROOT,
                                 f"{last.label} says it is published at {url}, a directory or intranet "
                                 "address, as an organisation's own CA writes"))
    elif url_kind == "public":
        evidence.append(Evidence("ca_issuers_public", MISSING_INTERMEDIATE,
                                 f"{last.label} gives an address to download it from ({url}), as public "
                                 "CAs' certificates do"))
    else:
        evidence.append(Evidence("no_ca_issuers", PRIVATE_ROOT,
                                 f"{last.label} gives no address to download it from (no AIA caIssuers "
                                 "URL), which public CAs' certificates give"))
    if supplied_ca:
        evidence.append(Evidence("intermediate_supplied", PRIVATE_ROOT,
                                 f"{last.label} is itself a CA, so the next one up is usually the root"))
    else:
        evidence.append(Evidence("certificate_alone", MISSING_INTERMEDIATE,
                                 f"{last.label} came without a CA certificate, and public CAs never issue "
                                 "a person's certificate straight from a root"))
    if own_roots_given:
        evidence.append(Evidence("own_roots_did_not_issue", PRIVATE_ROOT,
                                 "the root given as your organisation's did not issue it"
                                 if own_roots_given == 1 else
                                 "none of the roots given as your organisation's issued it"))
    return decide(evidence)


def decide(evidence: Sequence[Evidence]) -> Judgement:
    """The first rule of this order that was observed decides.

    A public CA's name or key settles it (its roots are all in the public store, so the absent one is
    an intermediate); then the issuer's own name ("Root", or "Issuing": an organisation's CA has
    intermediates too); then an intranet address (an organisation's CA); then a public address;
    then, with nothing else to go by, whether a CA certificate was supplied (the root is next) or the
    person's certificate came alone with no address to fetch its issuer from (a small private CA
    issuing straight from its root). Roots given as the organisation's that did not issue the
    certificate are evidence, never the decider: they say the person runs a CA, not which piece is
    missing.
    """
    order = ("issuer_of_public_ca", "issuer_named_root", "issuer_named_intermediate", "ca_issuers_private",
             "ca_issuers_public", "intermediate_supplied", "no_ca_issuers")
    observed = {e.rule: e for e in evidence}
    # One of the three caIssuers observations is always there, so some rule always decides.
    deciding = next(observed[rule] for rule in order if rule in observed)
    ordered = (deciding, *(e for e in evidence if e is not deciding))
    return Judgement(kind=deciding.points_to, decided_by=deciding.rule, evidence=ordered)


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _public_ca(issuer: x509.Name, key_id: bytes | None, anchors: Iterable[x509.Certificate]) -> str | None:
    """The public CA the issuer belongs to ("“DigiCert Inc”"), by organisation name or root key."""
    organisations, keys = _public_index(anchors)
    organisation = _first(issuer, NameOID.ORGANIZATION_NAME)
    if organisation and organisation in organisations:
        return f"\u201c{organisation}\u201d"
    if key_id is not None and key_id in keys:
        return f"\u201c{keys[key_id]}\u201d"
    return None


@functools.lru_cache(maxsize=16)
def _public_index(anchors: Iterable[x509.Certificate]) -> tuple[frozenset[str], Mapping[bytes, str]]:
    """The organisation names and key identifiers of the public roots, read once per store (the
    embedded store lives as long as the process)."""
    organisations: set[str] = set()
    keys: dict[bytes, str] = {}
    for anchor in anchors:
        organisation = _first(anchor.subject, NameOID.ORGANIZATION_NAME)
        if organisation:
            organisations.add(organisation)
        key_id = _subject_key_id(anchor)
        if key_id is not None:
            keys.setdefault(key_id, _first(anchor.subject, NameOID.COMMON_NAME) or anchor.subject.rfc4514_string())
    return frozenset(organisations), keys


def _subject_key_id(certificate: x509.Certificate) -> bytes | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):
        return None


def _ca_issuers(urls: Sequence[str]) -> tuple[str | None, str | None]:
    """("public" | "private" | None, the URL judged): any intranet or directory address marks a private CA."""
    if not urls:
        return None, None
    for url in urls:
        if _is_private_address(url):
            return "private", url
    return "public", urls[0]


def _is_private_address(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if parts.scheme.lower() == "ldap" or parts.scheme.lower() == "ldaps":
        return True
    if not host:
        return parts.scheme.lower() not in ("http", "https")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith(_PRIVATE_SUFFIXES)
    return not address.is_global
