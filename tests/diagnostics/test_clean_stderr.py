"""Odd input that cryptography still reads (a negative serial, a BER .p12) is explained in the report,
and `manage.py diagnose` keeps stderr free of the library's notices about it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from smimecenter.diagnostics import diagnose

from .builders import make_chain, next_rsa_key, pkcs12_bytes

ROOT = Path(__file__).resolve().parents[2]


def negative_serial_certificate() -> bytes:
    """A self-signed certificate whose serial, 0x1234 when signed, is turned into a negative number."""
    key = next_rsa_key()
    now = dt.datetime.now(dt.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Alice")])
    built = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
             .serial_number(0x1234).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
             .sign(key, hashes.SHA256()).public_bytes(Encoding.DER))
    assert built.count(b"\x02\x02\x12\x34") == 1
    return built.replace(b"\x02\x02\x12\x34", b"\x02\x02\x92\x34")  # INTEGER -0x6dcc


def ber_pkcs12() -> bytes:
    """A .p12 whose outer SEQUENCE has an indefinite length: BER, as some Windows and Java tools write."""
    chain = make_chain()
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, legacy=True)
    assert data[:2] == b"\x30\x82"
    return b"\x30\x80" + data[4:] + b"\x00\x00"


def run_command(path: Path, *options: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DEBUG": "true", "PYTHONWARNINGS": "default"}
    return subprocess.run([sys.executable, "manage.py", "diagnose", str(path), *options], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=environment)


@pytest.mark.parametrize("name, data, options", [
    ("negative-serial.der", negative_serial_certificate, ()),
    ("ber.p12", ber_pkcs12, ("--password", "secret")),
])
def test_the_command_prints_the_report_and_nothing_on_stderr(tmp_path, name, data, options):
    path = tmp_path / name
    path.write_bytes(data())
    done = run_command(path, *options)
    assert done.stderr == ""
    assert done.returncode in (0, 1) and "Verdict:" in done.stdout


def test_a_negative_serial_number_is_reported():
    report = diagnose([negative_serial_certificate()])
    [finding] = [f for f in report.findings if f.code == "certificate.serial_not_positive"]
    assert "-28108" in finding.explanation  # -0x6dcc


def test_a_positive_serial_number_is_not_reported():
    chain = make_chain()
    report = diagnose([chain.supplied_pem], trust=[chain.root_pem])
    assert "certificate.serial_not_positive" not in report.codes


def test_a_ber_pkcs12_file_is_read():
    report = diagnose([ber_pkcs12()], password="secret")
    assert report.certificates and "input.unreadable" not in report.codes
