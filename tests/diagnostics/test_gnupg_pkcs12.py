"""When GnuPG's gpgsm calls the right password of a .p12 file wrong (inputs/gnupg_pkcs12.py).

What the engine predicts is checked against gpgsm itself when it is installed: each file predicted to be
refused must be refused, and each other file imported, with the same password.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.inputs import read_inputs
from smimecenter.diagnostics.inputs.gnupg_pkcs12 import LONG_PASSWORD, SALT, gnupg_refusal
from smimecenter.diagnostics.inputs.pkcs12_structure import read_structure

from .builders import make_chain, pkcs12_bytes

PASSWORD = b"import-only"
NEEDS_GPGSM = pytest.mark.skipif(any(shutil.which(c) is None for c in ("gpgsm", "gpgconf", "gpg-agent")),
                                 reason="needs GnuPG's gpgsm and gpg-agent (packages gpgsm, gpg-agent)")


@pytest.fixture(scope="module")
def chain():
    return make_chain()


def legacy_p12(chain, password: bytes = PASSWORD) -> bytes:
    return pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate],
                        password=password, legacy=True)


def refusal(data: bytes, password: bytes = PASSWORD) -> str | None:
    return read_inputs([data], password=password.decode()).pkcs12[0].gnupg_refusal


def files_by_prediction(chain, refused: int, accepted: int) -> tuple[list[bytes], list[bytes]]:
    """Fresh files (each with new random salts) until enough of each kind; about one in 64 is refused."""
    predicted: dict[bool, list[bytes]] = {True: [], False: []}
    for _ in range(2000):
        data = legacy_p12(chain)
        found = gnupg_refusal(PASSWORD, read_structure(data).protection)  # as the reader does, minus opening
        assert found in (None, SALT)
        kind = predicted[found == SALT]
        if len(kind) < (refused if found else accepted):
            kind.append(data)
        if len(predicted[True]) == refused and len(predicted[False]) == accepted:
            break
    assert len(predicted[True]) == refused, "no file with a salt gpgsm mishandles in 2,000 tries"
    return predicted[True], predicted[False]


def test_a_password_of_32_characters_or_more_is_too_long_for_gnupg(chain):
    assert refusal(legacy_p12(chain, b"x" * 32), b"x" * 32) == LONG_PASSWORD
    assert refusal(legacy_p12(chain, b"x" * 31), b"x" * 31) in (None, SALT)


def test_files_gnupg_reads_the_standard_way_are_not_flagged(chain):
    aes = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"y" * 40)
    assert refusal(aes, b"y" * 40) is None  # PBES2: no PKCS#12 key derivation at all
    accented = "pässwörd-ü".encode()
    assert refusal(legacy_p12(chain, accented), accented) is None  # gpgsm tries charsets: not modelled


def test_the_report_names_gnupg_for_a_file_it_will_refuse_and_only_then(chain):
    refused, accepted = files_by_prediction(chain, refused=1, accepted=1)
    notes = diagnose([refused[0]], password=PASSWORD.decode()).to_dict()["pkcs12"][0]["platform_notes"]
    gnupg = [note for note in notes if note["id"] == "gnupg.pkcs12_kdf_salt"]
    assert gnupg and gnupg[0]["evidence"] == "tested" and "export the file again" in gnupg[0]["says"]
    notes = diagnose([accepted[0]], password=PASSWORD.decode()).to_dict()["pkcs12"][0]["platform_notes"]
    assert not [note for note in notes if note["id"].startswith("gnupg.")]
    report = diagnose([legacy_p12(chain, b"z" * 40)], password="z" * 40).to_dict()
    assert "gnupg.pkcs12_long_password" in [note["id"] for note in report["pkcs12"][0]["platform_notes"]]
    assert "z" * 31 not in str(report)


@pytest.fixture(scope="module")
def gpgsm(tmp_path_factory, chain):
    home = tmp_path_factory.mktemp("gnupg-p12")
    home.chmod(0o700)
    base = ["gpgsm", "--homedir", str(home), "--batch", "--disable-crl-checks", "--disable-dirmngr"]
    subprocess.run(["gpgconf", "--homedir", str(home), "--launch", "gpg-agent"], check=True, timeout=60)
    (home / "cas.pem").write_bytes(chain.root.pem + chain.intermediate.pem)
    subprocess.run([*base, "--import", str(home / "cas.pem")], capture_output=True, check=True, timeout=60)

    def imports(data: bytes, password: bytes = PASSWORD) -> bool:
        (home / "file.p12").write_bytes(data)
        done = subprocess.run([*base, "--pinentry-mode", "loopback", "--passphrase-fd", "0", "--import",
                               str(home / "file.p12")], input=password, capture_output=True, timeout=60)
        return done.returncode == 0

    yield imports
    subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True, timeout=60)


@NEEDS_GPGSM
def test_gpgsm_refuses_exactly_the_files_predicted(chain, gpgsm):
    refused, accepted = files_by_prediction(chain, refused=3, accepted=12)
    assert [gpgsm(data) for data in refused] == [False] * 3
    assert [gpgsm(data) for data in accepted] == [True] * 12


@NEEDS_GPGSM
def test_gpgsm_reads_31_characters_of_a_password_and_no_more(chain, gpgsm):
    for length, expected in ((31, True), (32, False), (40, False)):
        password = b"p" * length
        data = legacy_p12(chain, password)
        while length <= 31 and refusal(data, password) is not None:
            data = legacy_p12(chain, password)  # a salt gpgsm mishandles is another matter
        assert gpgsm(data, password) is expected, length


@pytest.mark.skipif(any(shutil.which(c) is None for c in ("certutil", "pk12util")),
                    reason="needs NSS's certutil and pk12util (libnss3-tools)")
def test_the_files_gnupg_refuses_open_in_nss_and_openssl(chain, tmp_path):
    refused, _ = files_by_prediction(chain, refused=2, accepted=0)
    database = f"sql:{tmp_path}"
    subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True, timeout=60)
    for data in refused:
        (tmp_path / "file.p12").write_bytes(data)
        done = subprocess.run(["pk12util", "-i", str(tmp_path / "file.p12"), "-d", database, "-W", PASSWORD.decode()],
                              capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert diagnose([data], password=PASSWORD.decode()).to_dict()["pkcs12"][0]["opened"]  # OpenSSL, via cryptography


def gpgsm_version() -> tuple[int, ...]:
    first = subprocess.run(["gpgsm", "--version"], capture_output=True, text=True, timeout=60).stdout.split("\n")[0]
    return tuple(int(part) for part in first.split()[-1].split(".")[:2])


def test_openssl3s_default_protection_names_gnupg_22():
    chain = make_chain()
    aes = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=PASSWORD)  # AES-256, PBKDF2-SHA256
    notes = diagnose([aes], password=PASSWORD.decode()).to_dict()["pkcs12"][0]["platform_notes"]
    assert "gnupg22.pbes2_aes" in [note["id"] for note in notes]
    legacy = legacy_p12(chain)
    notes = diagnose([legacy], password=PASSWORD.decode()).to_dict()["pkcs12"][0]["platform_notes"]
    assert "gnupg22.pbes2_aes" not in [note["id"] for note in notes]


@NEEDS_GPGSM
def test_gpgsm_22_refuses_openssl3s_default_protection(chain, gpgsm):
    if gpgsm_version()[:2] != (2, 2):
        pytest.skip("the rule is about GnuPG 2.2; this machine has another version")
    assert not gpgsm(pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate],
                                  password=PASSWORD))
