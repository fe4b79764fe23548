"""Our trust verdict held against `openssl verify -purpose smimesign` on generated chains.

Our verdict for signing is: the chain is trusted and the leaf can sign mail. OpenSSL's is its
exit status. Both must agree on every chain of the matrix.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from smimecenter.diagnostics import diagnose

from .builders import (
    ANY_EKU,
    CLIENT_AUTH,
    NOW,
    SERVER_AUTH,
    Issued,
    ec_key,
    make_intermediate,
    make_leaf,
    make_root,
    next_rsa_key,
    pem,
)

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl tool")

PAST = NOW - dt.timedelta(days=10)


def _chain(*, leaf: dict | None = None, inter: dict | None = None, root: dict | None = None,
           depth: int = 1) -> tuple[Issued, list[Issued], Issued]:
    anchor = make_root(**(root or {}))
    issuer, intermediates = anchor, []
    for level in range(depth):
        issuer = make_intermediate(issuer=issuer, common_name=f"Issuing CA {level}", **(inter or {}))
        intermediates.append(issuer)
    return anchor, intermediates, make_leaf(issuer=issuer, **(leaf or {}))


def _forged() -> tuple[Issued, list[Issued], Issued]:
    anchor, intermediates, _ = _chain()
    return anchor, intermediates, make_leaf(issuer=intermediates[-1], signing_key=next_rsa_key())


def _issuer_name_in_another_encoding() -> tuple[Issued, list[Issued], Issued]:
    from cryptography import x509
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    anchor = make_root()
    printable = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuing CA",
                                              _type=_ASN1Type.PrintableString)])
    inter = make_intermediate(issuer=anchor, subject=printable)
    utf8 = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuing ca")])
    return anchor, [inter], make_leaf(issuer=inter, issuer_name=utf8)


def _unknown_critical_extension() -> tuple[Issued, list[Issued], Issued]:
    from cryptography import x509

    private = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.7"), b"\x05\x00")
    return _chain(leaf={"extra_extensions": [(private, True)]})


MATRIX = {
    "valid": lambda: _chain(),
    "valid EC chain": lambda: _chain(leaf={"key": ec_key()}, inter={"key": ec_key()},
                                     root={"key": ec_key()}),
    "valid two intermediates": lambda: _chain(depth=2),
    "expired leaf": lambda: _chain(leaf={"not_before": PAST - dt.timedelta(days=300),
                                         "not_after": PAST}),
    "expired intermediate": lambda: _chain(inter={"not_after": PAST}),
    "leaf not yet valid": lambda: _chain(leaf={"not_before": NOW + dt.timedelta(days=5)}),
    "missing intermediate": lambda: (lambda r, i, l: (r, [], l))(*_chain()),
    "intermediate for TLS only": lambda: _chain(inter={"eku": (SERVER_AUTH,)}),
    "intermediate without EKU": lambda: _chain(inter={"eku": None}),
    "intermediate not a CA": lambda: _chain(inter={"ca": False}),
    "intermediate without basicConstraints": lambda: _chain(inter={"ca": None}),
    "path length exceeded": lambda: _chain(root={"path_length": 0}, depth=2),
    "path length respected": lambda: _chain(root={"path_length": 1}, depth=2),
    "forged leaf signature": _forged,
    "unknown critical extension on the leaf": _unknown_critical_extension,
    "issuer name in another string type and case": _issuer_name_in_another_encoding,
    "leaf for client auth only": lambda: _chain(leaf={"eku": (CLIENT_AUTH,)}),
    "leaf with anyExtendedKeyUsage": lambda: _chain(leaf={"eku": (ANY_EKU,)}),
    "leaf without digitalSignature": lambda: _chain(leaf={"key_usage": {"key_encipherment"}}),
    "address outside name constraints": lambda: _chain(
        leaf={"email": "alice@elsewhere.org"}, inter={"permitted_emails": ("example.com",)}),
    "address inside name constraints": lambda: _chain(inter={"permitted_emails": ("example.com",)}),
}


def _openssl_accepts(tmp: Path, anchor: Issued, intermediates: list[Issued], leaf: Issued) -> bool:
    (tmp / "root.pem").write_bytes(anchor.pem)
    (tmp / "leaf.pem").write_bytes(leaf.pem)
    command = ["openssl", "verify", "-purpose", "smimesign", "-CAfile", str(tmp / "root.pem")]
    if intermediates:
        (tmp / "inter.pem").write_bytes(pem(*intermediates))
        command += ["-untrusted", str(tmp / "inter.pem")]
    result = subprocess.run([*command, str(tmp / "leaf.pem")], capture_output=True, timeout=30)
    return result.returncode == 0


@pytest.mark.parametrize("case", sorted(MATRIX))
def test_our_verdict_matches_openssl(case, tmp_path):
    anchor, intermediates, leaf = MATRIX[case]()
    report = diagnose([pem(leaf, *intermediates)], trust=[anchor.pem])
    ours = report.trust["trusted"] and report.capabilities["sign"]
    assert ours == _openssl_accepts(tmp_path, anchor, intermediates, leaf), (case, report.codes)
