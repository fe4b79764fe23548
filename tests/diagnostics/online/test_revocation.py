"""Revocation asked online: an OCSP responder and CRLs built with cryptography's builders, served locally."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from smimecenter.diagnostics.online.fetch import FetchPolicy, parse_allow_list
from tests.diagnostics.builders import NOW, make_certificate, make_intermediate, make_leaf, make_root, name
from tests.diagnostics.online.helpers import diagnose_offline, diagnose_online
from tests.diagnostics.online.test_fetch import DictCache

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
REVOCATION_CODES = {"revocation.good", "revocation.revoked", "revocation.unknown", "revocation.unreachable",
                    "revocation.stale", "revocation.bad_signature"}


class Pki:
    """root -> issuing CA -> leaf, with the leaf's OCSP and CRL addresses on the local server."""

    def __init__(self, server, *, ocsp_path: str | None = "/ocsp", crl_path: str | None = "/issuing.crl"):
        self.server = server
        self.root = make_root(common_name="Revocation Test Root")
        self.issuing = make_intermediate(issuer=self.root, common_name="Revocation Issuing CA")
        self.leaf = make_leaf(issuer=self.issuing, aia_ca_issuers=None,
                              ocsp=server.url(ocsp_path) if ocsp_path else None,
                              crl=server.url(crl_path) if crl_path else None)
        self.requests: list[ocsp.OCSPRequest] = []

    def diagnose(self, **options):
        return diagnose_online(self.leaf, self.issuing, root=self.root, **options)

    # --- OCSP ---------------------------------------------------------------------------------

    def responder(self, status=ocsp.OCSPCertStatus.GOOD, *, signer=None, signer_key=None, certificates=(),
                  this_update=None, next_update=None, nonce="echo", revoked_at=None, reason=None,
                  by_name=False):
        """An OCSP route answering for the leaf; the signer is the CA unless given."""
        def answer(body: bytes):
            request = ocsp.load_der_ocsp_request(body)
            self.requests.append(request)
            builder = (ocsp.OCSPResponseBuilder()
                       .add_response(cert=self.leaf.certificate, issuer=self.issuing.certificate,
                                     algorithm=hashes.SHA1(), cert_status=status,
                                     this_update=this_update or NOW - HOUR,
                                     next_update=next_update if next_update is not None else NOW + DAY,
                                     revocation_time=revoked_at, revocation_reason=reason)
                       .responder_id(ocsp.OCSPResponderEncoding.NAME if by_name else ocsp.OCSPResponderEncoding.HASH,
                                     signer or self.issuing.certificate))
            if certificates:
                builder = builder.certificates(list(certificates))
            if nonce == "echo":
                sent = request.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
                builder = builder.add_extension(x509.OCSPNonce(sent), critical=False)
            elif nonce is not None:
                builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
            response = builder.sign(signer_key or self.issuing.key, hashes.SHA256())
            return 200, {"Content-Type": "application/ocsp-response"}, response.public_bytes(
                serialization.Encoding.DER)
        self.server.routes["/ocsp"] = answer

    def delegated_responder(self, *, issuer=None, eku=(ExtendedKeyUsageOID.OCSP_SIGNING,)):
        return make_certificate(subject=name("Revocation OCSP Responder"), issuer=issuer or self.issuing,
                                eku=eku, key_usage={"digital_signature"})

    # --- CRL ----------------------------------------------------------------------------------

    def crl(self, *, revoked=(), signer_key=None, issuer_name=None, last_update=None, next_update=None,
            number=1, freshest: str | None = None, delta_of: int | None = None, reason=None) -> bytes:
        builder = (x509.CertificateRevocationListBuilder()
                   .issuer_name(issuer_name or self.issuing.subject)
                   .last_update(last_update or NOW - HOUR)
                   .next_update(next_update or NOW + DAY)
                   .add_extension(x509.CRLNumber(number), critical=False))
        for serial in revoked:
            entry = (x509.RevokedCertificateBuilder().serial_number(serial)
                     .revocation_date(NOW - 2 * DAY))
            if reason is not None:
                entry = entry.add_extension(x509.CRLReason(reason), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
        if freshest:
            builder = builder.add_extension(x509.FreshestCRL([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(freshest)], relative_name=None, reasons=None,
                crl_issuer=None)]), critical=False)
        if delta_of is not None:
            builder = builder.add_extension(x509.DeltaCRLIndicator(delta_of), critical=True)
        crl = builder.sign(signer_key or self.issuing.key, hashes.SHA256())
        return crl.public_bytes(serialization.Encoding.DER)


def _revocation(report, certificate):
    return [f for f in report.findings if f.code in REVOCATION_CODES and f.certificate == certificate.sha256]


@pytest.fixture
def pki(local_server):
    return Pki(local_server)


# --- OCSP --------------------------------------------------------------------------------------

def test_ocsp_good_is_reported_with_its_date(pki):
    pki.responder()
    report = pki.diagnose()
    [finding] = _revocation(report, pki.leaf)
    assert finding.code == "revocation.good"
    assert "OCSP responder" in finding.explanation and "UTC" in finding.explanation
    assert report.status != "fail"
    assert pki.requests[0].extensions.get_extension_for_class(x509.OCSPNonce)  # a nonce was sent
    [entry] = [e for e in report.to_dict()["online"]["revocation"] if e["sha256"] == pki.leaf.sha256]
    assert entry["status"] == "good" and entry["source"] == "OCSP" and entry["answered_at"]


def test_ocsp_revoked_fails_the_verdict_with_reason_and_date(pki):
    pki.responder(ocsp.OCSPCertStatus.REVOKED, revoked_at=NOW - 3 * DAY,
                  reason=x509.ReasonFlags.key_compromise)
    report = pki.diagnose()
    [finding] = _revocation(report, pki.leaf)
    assert finding.code == "revocation.revoked" and report.status == "fail"
    assert "compromised" in finding.explanation
    assert str((NOW - 3 * DAY).year) in finding.explanation


def test_ocsp_unknown(pki, local_server):
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=None, ocsp=local_server.url("/ocsp"), crl=None)
    pki.responder(ocsp.OCSPCertStatus.UNKNOWN)
    assert [f.code for f in _revocation(pki.diagnose(), pki.leaf)] == ["revocation.unknown"]


def test_a_delegated_responder_authorised_by_the_ca_is_believed(pki):
    responder = pki.delegated_responder()
    pki.responder(signer=responder.certificate, signer_key=responder.key, certificates=[responder.certificate])
    assert [f.code for f in _revocation(pki.diagnose(), pki.leaf)] == ["revocation.good"]


@pytest.mark.parametrize("case", ["other_ca", "no_ocsp_signing", "wrong_key", "unidentified"])
def test_answers_from_unauthorised_signers_are_not_believed(pki, local_server, case):
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=None, ocsp=local_server.url("/ocsp"), crl=None)
    if case == "other_ca":
        stranger = make_root(common_name="Revocation Stranger")
        responder = pki.delegated_responder(issuer=stranger)
        pki.responder(signer=responder.certificate, signer_key=responder.key,
                      certificates=[responder.certificate])
    elif case == "no_ocsp_signing":
        responder = pki.delegated_responder(eku=(ExtendedKeyUsageOID.CLIENT_AUTH,))
        pki.responder(signer=responder.certificate, signer_key=responder.key,
                      certificates=[responder.certificate])
    elif case == "wrong_key":  # names the CA but is signed with another key
        impostor = make_intermediate(issuer=pki.root, common_name="Revocation Issuing CA")
        pki.responder(signer=impostor.certificate, signer_key=impostor.key, by_name=True)
    else:
        responder = pki.delegated_responder()
        pki.responder(signer=responder.certificate, signer_key=responder.key)
    [finding] = _revocation(pki.diagnose(), pki.leaf)
    assert finding.code == "revocation.bad_signature"
    assert finding.severity.value == "warning"


def test_a_nonce_that_differs_is_a_replay(pki, local_server):
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=None, ocsp=local_server.url("/ocsp"), crl=None)
    pki.responder(nonce=b"0123456789abcdef")
    [finding] = _revocation(pki.diagnose(), pki.leaf)
    assert finding.code == "revocation.bad_signature" and "nonce" in finding.explanation


def test_a_responder_that_ignores_the_nonce_is_accepted(pki):
    pki.responder(nonce=None)
    assert [f.code for f in _revocation(pki.diagnose(), pki.leaf)] == ["revocation.good"]


@pytest.mark.parametrize("dates", [dict(this_update=NOW - 3 * DAY, next_update=NOW - DAY),
                                   dict(this_update=NOW + DAY, next_update=NOW + 2 * DAY)])
def test_stale_ocsp_answers(pki, local_server, dates):
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=None, ocsp=local_server.url("/ocsp"), crl=None)
    pki.responder(**dates)
    assert [f.code for f in _revocation(pki.diagnose(), pki.leaf)] == ["revocation.stale"]


@pytest.mark.parametrize("case", ["malformed", "error_status", "slow", "oversized", "http_error"])
def test_unusable_ocsp_answers_are_unreachable(pki, local_server, case):
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=None, ocsp=local_server.url("/ocsp"), crl=None)
    policy = FetchPolicy(allow=parse_allow_list(["127.0.0.1"]), fetch_timeout=0.5)
    if case == "malformed":
        local_server.serve("/ocsp", b"\x30\x03\x0a\x01\x00garbage")
    elif case == "error_status":
        local_server.serve("/ocsp", ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(serialization.Encoding.DER))
    elif case == "slow":
        pki.responder()
        local_server.delay["/ocsp"] = 1.5
    elif case == "oversized":
        local_server.serve("/ocsp", b"\x30" * (65 * 1024))
    else:
        local_server.serve("/ocsp", b"", status=500)
    [finding] = _revocation(pki.diagnose(policy=policy), pki.leaf)
    assert finding.code == "revocation.unreachable"
    assert finding.severity.value == "warning"


# --- CRL ---------------------------------------------------------------------------------------

@pytest.fixture
def crl_only(local_server):
    return Pki(local_server, ocsp_path=None)


def test_crl_good_and_revoked(crl_only, local_server):
    local_server.serve("/issuing.crl", crl_only.crl(revoked=[12345]))
    [good] = _revocation(crl_only.diagnose(), crl_only.leaf)
    assert good.code == "revocation.good" and "CRL" in good.explanation
    local_server.serve("/issuing.crl", crl_only.crl(revoked=[crl_only.leaf.certificate.serial_number],
                                                    reason=x509.ReasonFlags.superseded))
    report = crl_only.diagnose()
    [revoked] = _revocation(report, crl_only.leaf)
    assert revoked.code == "revocation.revoked" and "replaced" in revoked.explanation
    assert report.status == "fail"


@pytest.mark.parametrize("case, code", [
    ("expired", "revocation.stale"), ("other_key", "revocation.bad_signature"),
    ("other_issuer", "revocation.bad_signature"), ("garbage", "revocation.unreachable"),
    ("missing", "revocation.unreachable")])
def test_unusable_crls(crl_only, local_server, case, code):
    body = {"expired": lambda: crl_only.crl(last_update=NOW - 9 * DAY, next_update=NOW - 2 * DAY),
            "other_key": lambda: crl_only.crl(signer_key=crl_only.root.key),
            "other_issuer": lambda: crl_only.crl(issuer_name=name("Someone Else")),
            "garbage": lambda: b"not a crl", "missing": lambda: None}[case]()
    if body is not None:
        local_server.serve("/issuing.crl", body)
    assert [f.code for f in _revocation(crl_only.diagnose(), crl_only.leaf)] == [code]


def test_the_crl_is_read_when_ocsp_fails(pki, local_server):
    local_server.serve("/ocsp", b"", status=503)
    local_server.serve("/issuing.crl", pki.crl())
    [finding] = _revocation(pki.diagnose(), pki.leaf)
    assert finding.code == "revocation.good" and "CRL" in finding.explanation
    assert [p for _, p, _ in local_server.requests if p != "/"] == ["/ocsp", "/issuing.crl"]


def test_a_delta_crl_revokes_what_the_base_does_not(crl_only, local_server):
    serial = crl_only.leaf.certificate.serial_number
    local_server.serve("/issuing.crl", crl_only.crl(number=10, freshest=local_server.url("/delta.crl")))
    local_server.serve("/delta.crl", crl_only.crl(number=11, delta_of=10, revoked=[serial]))
    [finding] = _revocation(crl_only.diagnose(), crl_only.leaf)
    assert finding.code == "revocation.revoked"
    local_server.serve("/delta.crl", crl_only.crl(number=11, delta_of=10))
    assert [f.code for f in _revocation(crl_only.diagnose(), crl_only.leaf)] == ["revocation.good"]


def test_intermediates_are_checked_too(local_server):
    pki = Pki(local_server, ocsp_path=None)
    pki.issuing = make_intermediate(issuer=pki.root, common_name="Revocation Issuing CA",
                                    crl=local_server.url("/root.crl"))
    pki.leaf = make_leaf(issuer=pki.issuing, aia_ca_issuers=None, crl=local_server.url("/issuing.crl"))
    local_server.serve("/issuing.crl", pki.crl())
    root_crl = (x509.CertificateRevocationListBuilder().issuer_name(pki.root.subject)
                .last_update(NOW - HOUR).next_update(NOW + DAY)
                .add_revoked_certificate(x509.RevokedCertificateBuilder()
                                         .serial_number(pki.issuing.certificate.serial_number)
                                         .revocation_date(NOW - DAY).build())
                .sign(pki.root.key, hashes.SHA256()))
    local_server.serve("/root.crl", root_crl.public_bytes(serialization.Encoding.DER))
    report = pki.diagnose()
    assert [f.code for f in _revocation(report, pki.leaf)] == ["revocation.good"]
    assert [f.code for f in _revocation(report, pki.issuing)] == ["revocation.revoked"]
    assert report.status == "fail"


# --- caching and the off switch ------------------------------------------------------------------

def test_answers_are_cached_so_a_burst_makes_one_request(pki, local_server):
    pki.responder()
    cache = DictCache()
    first = pki.diagnose(cache=cache)
    second = pki.diagnose(cache=cache)
    assert len(pki.requests) == 1
    assert [f.code for f in _revocation(second, pki.leaf)] == ["revocation.good"]
    assert second.to_dict()["online"]["revocation"][0]["from_cache"] is True
    assert first.to_dict()["online"]["revocation"][0]["from_cache"] is False
    # Kept no longer than the answer's nextUpdate.
    [timeout] = [t for k, t in cache.timeouts.items() if k.startswith("online:ocsp:")]
    assert 0 < timeout <= DAY.total_seconds()


def test_offline_nothing_is_asked(pki, local_server):
    pki.responder()
    report = diagnose_offline(pki.leaf, pki.issuing, root=pki.root)
    assert not REVOCATION_CODES & set(report.codes)
    assert local_server.requests == []
