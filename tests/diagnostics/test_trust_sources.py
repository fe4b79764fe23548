"""The three readers of Mozilla's root list: certdata.txt, the CCADB CSV report and NSS's builtin module."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from smimecenter.diagnostics import truststore_sources
from smimecenter.diagnostics.trust import EMBEDDED_PROVENANCE
from smimecenter.diagnostics.truststore_sources import (
    TrustSourceError,
    load_nss_builtins,
    read_ccadb_csv,
    read_certdata,
)
from tests.diagnostics.builders import ec_key, make_root


# --- writers of the real file formats, for small generated lists ----------------------------------------

@dataclass(frozen=True)
class ListedRoot:
    certificate: x509.Certificate
    label: str
    server: str = "CKT_NSS_TRUSTED_DELEGATOR"
    email: str = "CKT_NSS_TRUSTED_DELEGATOR"
    email_distrust_after: str | None = None   # UTCTime text, e.g. "221130000000Z"
    with_trust_object: bool = True


def _octal(data: bytes) -> str:
    lines = []
    for start in range(0, len(data), 16):
        lines.append("".join(f"\\{byte:03o}" for byte in data[start:start + 16]))
    return "\n".join(lines) + "\nEND\n"


def _der_serial(certificate: x509.Certificate) -> bytes:
    number = certificate.serial_number
    body = number.to_bytes((number.bit_length() + 8) // 8, "big", signed=True)
    return bytes([0x02, len(body)]) + body


def certdata_text(roots: Sequence[ListedRoot], *, trust_objects_last_reversed: bool = False) -> str:
    """A certdata.txt in NSS's own layout: header comments, BEGINDATA, then certificate and trust objects."""
    trust_sections: list[str] = []
    parts = [
        "# This Source Code Form is subject to the terms of the Mozilla Public\n",
        "# certdata.txt written by a test\n",
        "BEGINDATA\n\n",
        "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST\n",
        "CKA_TOKEN CK_BBOOL CK_TRUE\n",
        'CKA_LABEL UTF8 "Mozilla Builtin Roots"\n\n',
    ]
    for root in roots:
        certificate = root.certificate
        issuer = certificate.issuer.public_bytes()
        serial = _der_serial(certificate)
        parts += [
            f"#\n# Certificate \"{root.label}\"\n#\n",
            "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n",
            "CKA_TOKEN CK_BBOOL CK_TRUE\n",
            "CKA_PRIVATE CK_BBOOL CK_FALSE\n",
            "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n",
            f'CKA_LABEL UTF8 "{root.label}"\n',
            "CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509\n",
            "CKA_SUBJECT MULTILINE_OCTAL\n" + _octal(certificate.subject.public_bytes()),
            'CKA_ID UTF8 "0"\n',
            "CKA_ISSUER MULTILINE_OCTAL\n" + _octal(issuer),
            "CKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + _octal(serial),
            "CKA_VALUE MULTILINE_OCTAL\n" + _octal(certificate.public_bytes(Encoding.DER)),
            "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n",
            "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n",
        ]
        if root.email_distrust_after:
            parts.append("CKA_NSS_EMAIL_DISTRUST_AFTER MULTILINE_OCTAL\n"
                         + _octal(root.email_distrust_after.encode("ascii")))
        else:
            parts.append("CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n")
        parts.append("\n")
        if not root.with_trust_object:
            continue
        trust_sections.append("".join([
            f"# Trust for \"{root.label}\"\n",
            "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n",
            "CKA_TOKEN CK_BBOOL CK_TRUE\n",
            "CKA_PRIVATE CK_BBOOL CK_FALSE\n",
            "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n",
            f'CKA_LABEL UTF8 "{root.label}"\n',
            "CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n"
            + _octal(hashlib.sha1(certificate.public_bytes(Encoding.DER)).digest()),
            "CKA_CERT_MD5_HASH MULTILINE_OCTAL\n"
            + _octal(hashlib.md5(certificate.public_bytes(Encoding.DER)).digest()),
            "CKA_ISSUER MULTILINE_OCTAL\n" + _octal(issuer),
            "CKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + _octal(serial),
            f"CKA_TRUST_SERVER_AUTH CK_TRUST {root.server}\n",
            f"CKA_TRUST_EMAIL_PROTECTION CK_TRUST {root.email}\n",
            "CKA_TRUST_CODE_SIGNING CK_TRUST CKT_NSS_MUST_VERIFY_TRUST\n",
            "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n\n",
        ]))
        if not trust_objects_last_reversed:
            parts.append(trust_sections.pop())
    return "".join(parts + trust_sections[::-1])


CCADB_HEADER = [
    "Owner", "Certificate Issuer Organization", "Certificate Issuer Organizational Unit",
    "Common Name or Certificate Name", "Certificate Serial Number", "SHA-256 Fingerprint",
    "Subject + SPKI SHA256", "Valid From [GMT]", "Valid To [GMT]", "Public Key Algorithm",
    "Signature Hash Algorithm", "Trust Bits", "Distrust for TLS After Date", "Distrust for S/MIME After Date",
    "EV Policy OID(s)", "Approval Bug", "NSS Release When First Included", "Firefox Release When First Included",
    "Mozilla Applied Constraints", "Company Website", "Geographic Focus", "PEM Info",
]


def ccadb_csv_text(rows: Sequence[tuple[x509.Certificate, str, str, str]],
                   header: Sequence[str] = CCADB_HEADER) -> str:
    """A CCADB "included roots with PEM" report: every field quoted, the PEM wrapped in single quotes."""
    stream = io.StringIO()
    writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for certificate, label, trust_bits, smime_distrust in rows:
        values = {
            "Owner": "Example Owner",
            "Common Name or Certificate Name": label,
            "Certificate Serial Number": format(certificate.serial_number, "x"),
            "SHA-256 Fingerprint": hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest().upper(),
            "Valid From [GMT]": certificate.not_valid_before_utc.strftime("%Y.%m.%d"),
            "Valid To [GMT]": certificate.not_valid_after_utc.strftime("%Y.%m.%d"),
            "Trust Bits": trust_bits,
            "Distrust for S/MIME After Date": smime_distrust,
            "PEM Info": "'" + certificate.public_bytes(Encoding.PEM).decode("ascii").strip() + "'",
        }
        writer.writerow([values.get(column, "") for column in header])
    return stream.getvalue()


@pytest.fixture(scope="module")
def four_roots() -> dict[str, x509.Certificate]:
    return {
        label: make_root(common_name=label, key=ec_key()).certificate
        for label in ("Both Ways Root", "Email Only Root", "Websites Only Root", "Distrusted Root")
    }


def _fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


# --- certdata.txt ----------------------------------------------------------------------------------------

def test_certdata_reader_keeps_the_email_bit_of_each_trust_object(four_roots):
    text = certdata_text([
        ListedRoot(four_roots["Both Ways Root"], "Both Ways Root"),
        ListedRoot(four_roots["Email Only Root"], "Email Only Root", server="CKT_NSS_MUST_VERIFY_TRUST"),
        ListedRoot(four_roots["Websites Only Root"], "Websites Only Root", email="CKT_NSS_MUST_VERIFY_TRUST"),
        ListedRoot(four_roots["Distrusted Root"], "Distrusted Root", server="CKT_NSS_NOT_TRUSTED",
                   email="CKT_NSS_NOT_TRUSTED"),
    ])

    roots = {root.label: root for root in read_certdata(text)}

    assert set(roots) == {"Both Ways Root", "Email Only Root", "Websites Only Root", "Distrusted Root"}
    assert roots["Both Ways Root"].email_trusted
    assert roots["Email Only Root"].email_trusted
    assert not roots["Websites Only Root"].email_trusted
    assert not roots["Distrusted Root"].email_trusted
    assert roots["Email Only Root"].certificate == four_roots["Email Only Root"]


def test_certdata_reader_treats_a_certificate_without_trust_object_as_untrusted(four_roots):
    text = certdata_text([ListedRoot(four_roots["Both Ways Root"], "Both Ways Root", with_trust_object=False)])

    (root,) = read_certdata(text)

    assert not root.email_trusted


def test_certdata_reader_matches_trust_by_issuer_and_serial_not_by_order(four_roots):
    # Trust objects listed in the opposite order to the certificates still land on the right root.
    reordered = certdata_text([
        ListedRoot(four_roots["Both Ways Root"], "Both Ways Root", email="CKT_NSS_MUST_VERIFY_TRUST"),
        ListedRoot(four_roots["Email Only Root"], "Email Only Root"),
    ], trust_objects_last_reversed=True)
    assert reordered.index('# Trust for "Email Only Root"') < reordered.index('# Trust for "Both Ways Root"')

    roots = {root.label: root.email_trusted for root in read_certdata(reordered)}

    assert roots == {"Both Ways Root": False, "Email Only Root": True}


def test_certdata_reader_reads_the_email_distrust_after_date(four_roots):
    text = certdata_text([ListedRoot(four_roots["Both Ways Root"], "Both Ways Root",
                                     email_distrust_after="221130000000Z")])

    (root,) = read_certdata(text)

    assert root.email_distrust_after == datetime(2022, 11, 30, tzinfo=timezone.utc)


def test_certdata_reader_keeps_non_ascii_labels(four_roots):
    label = "NetLock Arany (Class Gold) Főtanúsítvány"
    (root,) = read_certdata(certdata_text([ListedRoot(four_roots["Both Ways Root"], label)]))

    assert root.label == label


def test_certdata_reader_accepts_the_standard_pkcs11_trust_objects(four_roots):
    text = certdata_text([ListedRoot(four_roots["Both Ways Root"], "Both Ways Root")])
    standard = (text.replace("CKO_NSS_TRUST", "CKO_TRUST")
                .replace("CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_NSS_TRUSTED_DELEGATOR",
                         "CKA_TRUST_EMAIL_PROTECTION CK_TRUST CKT_TRUST_ANCHOR"))

    (root,) = read_certdata(standard)

    assert root.email_trusted


def test_certdata_reader_rejects_a_file_without_certificates():
    with pytest.raises(TrustSourceError, match="CKO_CERTIFICATE"):
        list(read_certdata("BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST\n"))


def test_certdata_reader_reports_an_unterminated_octal_value(four_roots):
    text = certdata_text([ListedRoot(four_roots["Both Ways Root"], "Both Ways Root")])
    truncated = text[: text.index("CKA_VALUE MULTILINE_OCTAL") + 200]

    with pytest.raises(TrustSourceError, match="END"):
        list(read_certdata(truncated))


# --- CCADB CSV -------------------------------------------------------------------------------------------

def test_ccadb_reader_keeps_rows_whose_trust_bits_include_email(four_roots):
    text = ccadb_csv_text([
        (four_roots["Both Ways Root"], "Both Ways Root", "Email;Websites", ""),
        (four_roots["Email Only Root"], "Email Only Root", "Email", ""),
        (four_roots["Websites Only Root"], "Websites Only Root", "Websites", ""),
    ])

    roots = {root.label: root for root in read_ccadb_csv(text)}

    assert {label: root.email_trusted for label, root in roots.items()} == {
        "Both Ways Root": True, "Email Only Root": True, "Websites Only Root": False}
    assert roots["Email Only Root"].certificate == four_roots["Email Only Root"]


def test_ccadb_reader_reads_the_smime_distrust_date(four_roots):
    text = ccadb_csv_text([(four_roots["Both Ways Root"], "Both Ways Root", "Email", "2022.11.30")])

    (root,) = read_ccadb_csv(text)

    assert root.email_distrust_after == datetime(2022, 11, 30, tzinfo=timezone.utc)


def test_ccadb_reader_finds_columns_by_name_whatever_their_order_and_case(four_roots):
    header = ["pem info", "Some Other Column", "TRUST BITS", "Root Certificate Name"]
    text = ccadb_csv_text([(four_roots["Email Only Root"], "Email Only Root", "Email", "")], header=header)
    # ccadb_csv_text fills only the columns it knows by their usual spelling: fill the renamed ones by hand.
    pem = "'" + four_roots["Email Only Root"].public_bytes(Encoding.PEM).decode().strip() + "'"
    text = "\r\n".join([text.splitlines()[0], ",".join(['"' + pem + '"', '""', '"Email"', '"Renamed Label"'])])

    (root,) = read_ccadb_csv("\ufeff" + text)

    assert root.email_trusted and root.label == "Renamed Label"


def test_ccadb_reader_names_the_missing_trust_bits_column(four_roots):
    header = [column for column in CCADB_HEADER if column != "Trust Bits"]
    text = ccadb_csv_text([(four_roots["Both Ways Root"], "Both Ways Root", "Email", "")], header=header)

    with pytest.raises(TrustSourceError, match="trust bits") as raised:
        list(read_ccadb_csv(text))
    assert "'Common Name or Certificate Name'" in str(raised.value)   # the columns it did find are listed


def test_ccadb_reader_names_the_missing_pem_column(four_roots):
    header = [column for column in CCADB_HEADER if column != "PEM Info"]
    text = ccadb_csv_text([(four_roots["Both Ways Root"], "Both Ways Root", "Email", "")], header=header)

    with pytest.raises(TrustSourceError, match="PEM"):
        list(read_ccadb_csv(text))


def test_ccadb_reader_says_which_row_lacks_a_certificate(four_roots):
    text = ccadb_csv_text([(four_roots["Both Ways Root"], "Both Ways Root", "Email", "")])
    broken = text.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "")

    with pytest.raises(TrustSourceError, match="Row 2"):
        list(read_ccadb_csv(broken))


# --- NSS builtin module through certutil -----------------------------------------------------------------

CERTUTIL_LISTING = """
Certificate Nickname                                         Trust Attributes
                                                             SSL,S/MIME,JAR/XPI

Builtin Object Token:GlobalSign Root CA                      C,C, 
Builtin Object Token:Verisign Class 1 Public Primary Certification Authority - G3 ,C,  
Builtin Object Token:Entrust Root Certification Authority    C,,  
Builtin Object Token:Example, Inc. Root                      c,C,c
"""


def test_certutil_listing_is_split_into_nickname_and_email_flags_even_when_they_touch():
    flags = truststore_sources._parse_trust_listing(CERTUTIL_LISTING)

    assert flags == {
        "Builtin Object Token:GlobalSign Root CA": ["C"],
        "Builtin Object Token:Verisign Class 1 Public Primary Certification Authority - G3": ["C"],
        "Builtin Object Token:Entrust Root Certification Authority": [""],
        "Builtin Object Token:Example, Inc. Root": ["C"],
    }


def test_only_a_trusted_ca_flag_counts_as_email_trust():
    assert truststore_sources._email_is_trusted_ca("C")
    assert truststore_sources._email_is_trusted_ca("cC")
    assert not truststore_sources._email_is_trusted_ca("c")     # valid CA, not a trust anchor
    assert not truststore_sources._email_is_trusted_ca("")


def test_detailed_listing_gives_email_trust_per_fingerprint():
    detail = """Certificate:
    Fingerprint (SHA-256):
        57:DE:05:83:EF:D2:B2:6E:03:61:DA:99:DA:9D:F4:64:8D:EF:7E:E8:44:1C:3B:72:8A:FA:9B:CD:E0:F9:B2:6A
    Certificate Trust Flags:
        SSL Flags:
            Valid CA
            Trusted CA
        Email Flags:
            Valid CA
            Trusted CA
        Object Signing Flags:

Certificate:
    Fingerprint (SHA-256):
        04:04:80:28:BF:1F:28:64:D4:8F:9A:D4:D8:32:94:36:6A:82:88:56:55:3F:3B:14:30:3F:90:14:7F:5D:40:EF
    Certificate Trust Flags:
        SSL Flags:
            Valid CA
            Trusted CA
        Email Flags:
            Valid CA
        Object Signing Flags:
"""
    trust = truststore_sources._parse_detailed_email_trust(detail)

    assert trust == {
        "57de0583efd2b26e0361da99da9df4648def7ee8441c3b728afa9bcde0f9b26a": True,
        "04048028bf1f2864d48f9ad4d83294366a828856553f3b14303f90147f5d40ef": False,
    }


MODUTIL_LISTING = """
Listing of PKCS #11 Modules
-----------------------------------------------------------
  1. NSS Internal PKCS #11 Module
	   uri: pkcs11:library-manufacturer=Mozilla%20Foundation;library-description=NSS%20Internal%20Crypto%20Services;library-version=3.87
	 slots: 2 slots attached

	 slot: NSS Internal Cryptographic Services
	token: NSS Generic Crypto Services
	  uri: pkcs11:token=NSS%20Generic%20Crypto%20Services;manufacturer=Mozilla%20Foundation;serial=0000000000000000;model=NSS%203

  2. Builtins
	library name: /usr/lib/x86_64-linux-gnu/libnssckbi.so
	   uri: pkcs11:library-manufacturer=Mozilla%20Foundation;library-description=NSS%20Builtin%20Object%20Cryptoki%20Modu;library-version=2.60
	 slots: 1 slot attached
-----------------------------------------------------------
"""


def test_modutil_listing_gives_the_nss_version_and_the_root_list_version():
    assert truststore_sources._module_versions(MODUTIL_LISTING) == {"internal": "3.87", "builtins": "2.60"}


def test_nss_reader_says_to_install_the_tools_when_certutil_is_missing(monkeypatch):
    monkeypatch.setattr(truststore_sources.shutil, "which", lambda name: None)

    with pytest.raises(TrustSourceError, match="libnss3-tools"):
        load_nss_builtins()


def test_nss_reader_turns_a_hanging_tool_into_a_clear_error(monkeypatch, tmp_path):
    module = tmp_path / "libnssckbi.so"
    module.write_bytes(b"")
    monkeypatch.setattr(truststore_sources.shutil, "which", lambda name: f"/usr/bin/{name}")

    def hang(command, **options):
        raise subprocess.TimeoutExpired(command, options.get("timeout"))

    monkeypatch.setattr(truststore_sources.subprocess, "run", hang)

    with pytest.raises(TrustSourceError, match=r"certutil did not finish within 3 s"):
        load_nss_builtins(module, timeout=3)


def test_nss_reader_rejects_a_module_path_that_does_not_exist(tmp_path):
    if not shutil.which("certutil") or not shutil.which("modutil"):
        pytest.skip("certutil/modutil (Debian package libnss3-tools) are not installed")
    with pytest.raises(TrustSourceError, match="does not exist"):
        load_nss_builtins(tmp_path / "missing.so")


@pytest.fixture(scope="module")
def nss_builtins():
    if not shutil.which("certutil") or not shutil.which("modutil"):
        pytest.skip("certutil/modutil (Debian package libnss3-tools) are not installed")
    try:
        module = truststore_sources.find_nssckbi()
    except TrustSourceError as error:
        pytest.skip(f"no NSS builtin module on this machine: {error}")
    return load_nss_builtins(module)


def test_nss_reader_lists_builtin_roots_with_and_without_the_email_bit(nss_builtins):
    email = [root for root in nss_builtins.roots if root.email_trusted]
    others = [root for root in nss_builtins.roots if not root.email_trusted]

    assert len(email) >= 50          # Mozilla has trusted between about 100 and 150 email roots for years
    assert others                    # some roots are trusted for websites only
    assert all(root.label and not root.label.startswith("Builtin Object Token") for root in nss_builtins.roots)
    assert nss_builtins.nss_version and nss_builtins.builtins_version


def test_shipped_store_matches_this_machines_nss_when_the_versions_agree(nss_builtins):
    shipped = json.loads(EMBEDDED_PROVENANCE.read_text(encoding="utf-8"))
    details = shipped.get("details", {})
    if details.get("builtins_version") != nss_builtins.builtins_version:
        pytest.skip(f"the shipped store was built from builtin list {details.get('builtins_version')}, this "
                    f"machine has {nss_builtins.builtins_version}")

    expected = {_fingerprint(root.certificate) for root in nss_builtins.roots if root.email_trusted}

    assert {entry["sha256"] for entry in shipped["certificates"]} == expected
