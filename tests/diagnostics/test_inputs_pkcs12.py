"""PKCS#12 files: protection read before decryption, passwords, keys and their certificates."""

from __future__ import annotations

import base64
import shutil
import subprocess
import time

import pytest
from asn1crypto import algos as asn1_algos
from asn1crypto import core as asn1_core
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from smimecenter.diagnostics.inputs import Limits, read_inputs
from smimecenter.diagnostics.inputs import events as codes

from .builders import ec_key, make_chain, pkcs12_bytes, private_key_pem


@pytest.fixture(scope="module")
def chain():
    return make_chain(key=ec_key())


def codes_of(parsed) -> list[str]:
    return [event.code for event in parsed.events]


def test_it_opens_a_modern_file_and_keeps_only_the_public_key(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate], password=b"s3cret")
    parsed = read_inputs([data], password="s3cret")
    assert parsed.events == []
    [contents] = parsed.pkcs12
    assert contents.certificates == (chain.leaf.certificate, chain.intermediate.certificate)
    assert contents.key_public_keys == (chain.leaf.key.public_key(),)
    assert contents.key_certificate == chain.leaf.certificate
    assert "alice" in contents.friendly_names
    assert [(s.certificate, s.container) for s in parsed.certificates] == [
        (chain.leaf.certificate, "pkcs12"), (chain.intermediate.certificate, "pkcs12")]
    assert "s3cret" not in repr(parsed)
    assert "PrivateKey" not in repr(parsed)


def test_it_reads_the_aes_pbkdf2_protection(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=3000)
    protection = read_inputs([data], password="pw").pkcs12[0].protection
    assert protection.mac_algorithm == "sha256"
    assert protection.mac_salt_length and protection.mac_iterations
    schemes = {(bag.holds, bag.scheme, bag.kdf, bag.iterations) for bag in protection.bags}
    assert schemes == {("certificates", "PBES2 AES-256-CBC", "PBKDF2-HMAC-SHA256", 3000),
                       ("private key", "PBES2 AES-256-CBC", "PBKDF2-HMAC-SHA256", 3000)}
    assert all(bag.salt_length == 16 for bag in protection.bags)


def test_it_reads_the_legacy_3des_sha1_protection(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", legacy=True)
    parsed = read_inputs([data], password=b"pw")
    protection = parsed.pkcs12[0].protection
    assert protection.mac_algorithm == "sha1"
    assert {(bag.scheme, bag.kdf) for bag in protection.bags} == {("pbeWithSHAAnd3-KeyTripleDES-CBC", "PKCS#12 KDF")}
    assert parsed.pkcs12[0].key_certificate == chain.leaf.certificate


def test_it_reads_the_best_available_protection(chain):
    data = pkcs12.serialize_key_and_certificates(b"bob", chain.leaf.key, chain.leaf.certificate, None,
                                                 serialization.BestAvailableEncryption(b"pw"))
    parsed = read_inputs([data], password="pw")
    assert parsed.events == []
    assert all(bag.scheme.startswith("PBES2") for bag in parsed.pkcs12[0].protection.bags)


def test_it_names_a_wrong_password_and_still_shows_the_protection(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"right")
    parsed = read_inputs([data], password="Tr0ub4dor&3")
    assert codes_of(parsed) == [codes.PKCS12_WRONG_PASSWORD]
    assert parsed.certificates == []
    assert parsed.pkcs12[0].protection.bags
    assert "Tr0ub4dor" not in repr(parsed)


def test_it_asks_for_a_password_when_none_was_given(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"right")
    assert codes_of(read_inputs([data])) == [codes.PKCS12_PASSWORD_REQUIRED]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_it_opens_a_file_made_with_an_empty_password_when_none_is_given(chain, tmp_path):
    # cryptography refuses to write an empty password; OpenSSL writes one when asked
    (tmp_path / "leaf.pem").write_bytes(chain.leaf.pem + private_key_pem(chain.leaf.key))
    subprocess.run(["openssl", "pkcs12", "-export", "-in", str(tmp_path / "leaf.pem"), "-out",
                    str(tmp_path / "leaf.p12"), "-passout", "pass:"], check=True, capture_output=True)
    data = (tmp_path / "leaf.p12").read_bytes()
    parsed = read_inputs([data])
    assert parsed.events == []
    assert parsed.pkcs12[0].key_certificate == chain.leaf.certificate


def test_it_opens_an_unencrypted_file(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=None)
    parsed = read_inputs([data])
    assert parsed.events == []
    assert {bag.kdf for bag in parsed.pkcs12[0].protection.bags} == {None}


def test_it_flags_a_file_without_a_private_key(chain):
    data = pkcs12_bytes(key=None, certificate=None, extra=[chain.leaf, chain.intermediate], password=b"pw",
                        friendly_name=None)
    parsed = read_inputs([data], password="pw")
    assert codes_of(parsed) == [codes.PKCS12_NO_PRIVATE_KEY]
    assert parsed.events[0].details["certificates"] == 2
    assert parsed.pkcs12[0].key_public_keys == ()


def test_it_flags_a_key_that_matches_none_of_the_certificates(chain):
    data = pkcs12_bytes(key=ec_key(), certificate=None, extra=[chain.leaf], password=b"pw")
    parsed = read_inputs([data], password="pw")
    assert codes_of(parsed) == [codes.PKCS12_KEY_MISMATCH]
    event = parsed.events[0]
    assert event.certificate == chain.leaf.certificate
    assert event.details["key_type"] == "EC"
    assert parsed.pkcs12[0].key_certificate is None


def test_it_pairs_the_key_with_its_certificate_even_when_it_is_not_first(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=None, extra=[chain.intermediate, chain.leaf], password=b"pw")
    parsed = read_inputs([data], password="pw")
    assert parsed.events == []
    assert parsed.pkcs12[0].key_certificate == chain.leaf.certificate


def with_iterations_raised(data: bytes) -> bytes:
    """Declare 8,388,607 iterations where 65,536 were used, keeping every length (the MAC no longer
    matches, which does not matter: the file must be refused before anything is derived)."""
    assert data.count(b"\x02\x03\x01\x00\x00") == 2
    return data.replace(b"\x02\x03\x01\x00\x00", b"\x02\x03\x7f\xff\xff")


def test_it_refuses_a_costly_file_before_any_key_derivation(chain):
    data = with_iterations_raised(
        pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=65_536))
    started = time.perf_counter()
    parsed = read_inputs([data], password="pw")
    elapsed = time.perf_counter() - started
    assert codes_of(parsed) == [codes.PKCS12_TOO_EXPENSIVE]
    event = parsed.events[0]
    assert event.details["iterations"] == 8_388_607
    assert event.details["limit"] == 1_000_000
    assert event.details["where"] in ("private key", "certificates")
    assert parsed.certificates == []
    assert elapsed < 0.5  # deriving 8 million PBKDF2 rounds twice takes seconds
    assert parsed.pkcs12[0].protection.bags[0].iterations == 8_388_607


def test_the_iteration_limit_is_a_setting(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=5000)
    assert codes_of(read_inputs([data], password="pw", limits=Limits(max_pkcs12_iterations=4000))) == [
        codes.PKCS12_TOO_EXPENSIVE]
    assert codes_of(read_inputs([data], password="pw", limits=Limits(max_pkcs12_iterations=5000))) == []


def with_parts_repeated(data: bytes, times: int) -> bytes:
    """The same file with its encrypted part repeated: each part cheap, all of them together not."""
    pfx = asn1_pkcs12.Pfx.load(data)
    safe = asn1_pkcs12.AuthenticatedSafe.load(pfx["auth_safe"]["content"].native)
    parts = [info.dump() for info in safe]
    encrypted = [part for info, part in zip(safe, parts, strict=True)
                 if info["content_type"].native == "encrypted_data"]
    crowded = asn1_pkcs12.AuthenticatedSafe.load(
        _sequence(parts + encrypted * times))
    pfx["auth_safe"] = {"content_type": "data", "content": crowded.dump()}
    return pfx.dump(force=True)


def _sequence(elements: list[bytes]) -> bytes:
    body = b"".join(elements)
    length = len(body).to_bytes((len(body).bit_length() + 7) // 8 or 1, "big")
    return b"\x30" + (bytes([len(body)]) if len(body) < 128 else bytes([0x80 | len(length)]) + length) + body


def test_a_crowd_of_cheap_parts_is_charged_part_by_part_to_the_budget(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw", iterations=3000)
    limits = Limits(max_pkcs12_iterations=3000, max_kdf_work=30_000)
    assert codes_of(read_inputs([data], password="pw", limits=limits)) == []
    parsed = read_inputs([with_parts_repeated(data, 4)], password="pw", limits=limits)
    assert codes_of(parsed) == [codes.PKCS12_OVER_BUDGET]
    # 6 encrypted parts at 3000 PBKDF2-SHA256 iterations, twice each, and the MAC
    assert parsed.events[0].details["work"] > 6 * 2 * 3000
    assert parsed.events[0].details["budget"] == 30_000


def test_it_reads_a_pem_armoured_pkcs12(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    text = b"-----BEGIN PKCS12-----\n" + base64.encodebytes(data) + b"-----END PKCS12-----\n"
    parsed = read_inputs([text], password="pw")
    assert parsed.events == []
    assert parsed.pkcs12[0].key_certificate == chain.leaf.certificate


def test_it_reads_a_base64_pkcs12(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    parsed = read_inputs([base64.b64encode(data)], password="pw")
    assert [s.container for s in parsed.certificates] == ["pkcs12"]


def test_it_reports_a_damaged_pkcs12(chain):
    data = bytearray(pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw"))
    data[-40:-30] = bytes(10)  # inside the MAC
    parsed = read_inputs([bytes(data)], password="pw")
    assert parsed.certificates == []
    assert codes_of(parsed) in ([codes.PKCS12_WRONG_PASSWORD], [codes.INPUT_UNREADABLE])


def test_it_reads_local_key_ids_for_the_inspector(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw")
    contents = read_inputs([data], password="pw").pkcs12[0]
    assert contents.local_key_ids and all(len(bytes.fromhex(k)) > 0 for k in contents.local_key_ids)


def test_a_sha1_mac_with_sha256_bags_is_described_part_by_part(chain):
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(2048)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA1()).build(b"pw"))
    data = pkcs12.serialize_key_and_certificates(b"x", chain.leaf.key, chain.leaf.certificate, None, encryption)
    protection = read_inputs([data], password="pw").pkcs12[0].protection
    assert protection.mac_algorithm == "sha1"
    assert {bag.kdf for bag in protection.bags} == {"PBKDF2-HMAC-SHA256"}


def test_a_password_typed_for_a_file_without_one_is_not_called_wrong(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=None)
    parsed = read_inputs([data], password="typed anyway")
    assert parsed.events == []
    assert parsed.pkcs12[0].key_certificate == chain.leaf.certificate


def with_pbmac1(data: bytes, parameters: bytes) -> bytes:
    """The file's MAC declared as PBMAC1 (RFC 9579) with the given DER parameters."""
    pfx = asn1_pkcs12.Pfx.load(data)
    pfx["mac_data"]["mac"]["digest_algorithm"] = asn1_algos.DigestAlgorithm(
        {"algorithm": "1.2.840.113549.1.5.14", "parameters": asn1_core.Any.load(parameters)})
    return pfx.dump(force=True)


def pbmac1_parameters(iterations: int) -> bytes:
    kdf = asn1_algos.KdfAlgorithm({"algorithm": "pbkdf2", "parameters": {
        "salt": asn1_algos.Pbkdf2Salt(name="specified", value=b"s" * 16), "iteration_count": iterations,
        "key_length": 32, "prf": {"algorithm": "sha256"}}})
    return _sequence([kdf.dump(), asn1_algos.HmacAlgorithm({"algorithm": "sha256"}).dump()])


def test_it_reads_the_cost_of_a_pbmac1_mac_and_refuses_it_when_too_high(chain):
    data = with_pbmac1(pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw"),
                       pbmac1_parameters(5_000_000))
    parsed = read_inputs([data], password="pw")
    assert [(e.code, e.details["where"], e.details["iterations"]) for e in parsed.events] == [
        (codes.PKCS12_TOO_EXPENSIVE, "MAC", 5_000_000)]
    assert parsed.pkcs12[0].protection.mac_algorithm == "PBMAC1 HMAC-SHA256"


def test_it_will_not_open_a_pbmac1_file_whose_cost_it_cannot_read(chain):
    data = with_pbmac1(pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw"),
                       _sequence([b"\x02\x01\x05"]))
    parsed = read_inputs([data], password="pw")
    assert [e.code for e in parsed.events] == [codes.INPUT_UNREADABLE]
    assert parsed.certificates == []


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_it_opens_an_rc2_40_file_as_older_windows_exports(chain, tmp_path):
    (tmp_path / "leaf.pem").write_bytes(chain.leaf.pem + private_key_pem(chain.leaf.key))
    made = subprocess.run(["openssl", "pkcs12", "-export", "-legacy", "-certpbe", "PBE-SHA1-RC2-40", "-in",
                           str(tmp_path / "leaf.pem"), "-out", str(tmp_path / "leaf.p12"), "-passout", "pass:pw"],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("this OpenSSL has no legacy provider")
    parsed = read_inputs([(tmp_path / "leaf.p12").read_bytes()], password="pw")
    assert parsed.events == []
    schemes = {bag.holds: bag.scheme for bag in parsed.pkcs12[0].protection.bags}
    assert schemes == {"certificates": "pbeWithSHAAnd40BitRC2-CBC", "private key": "pbeWithSHAAnd3-KeyTripleDES-CBC"}


def test_a_file_with_hundreds_of_parts_is_refused_from_its_structure(chain):
    data = with_parts_repeated(pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"pw"), 300)
    parsed = read_inputs([data], password="pw")
    assert [(e.code, e.details["kind"]) for e in parsed.events] == [(codes.INPUT_UNREADABLE, "damaged PKCS#12 file")]
    assert "far more parts" in parsed.events[0].details["reason"]


def test_a_password_in_non_ascii_text_is_used_as_utf8(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password="pässwörd€".encode())
    assert read_inputs([data], password="pässwörd€").events == []


def test_a_password_that_is_not_valid_utf8_is_a_wrong_password_not_a_crash(chain):
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, password=b"right")
    latin1 = b"caf\xe9".decode("utf-8", errors="surrogateescape")  # as a Latin-1 shell passes an argument
    assert [e.code for e in read_inputs([data], password=latin1).events] == [codes.PKCS12_WRONG_PASSWORD]
