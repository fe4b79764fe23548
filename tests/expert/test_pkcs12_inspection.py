from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs12

import smimecenter.diagnostics.checks.pkcs12_protection  # noqa: F401  (registers the pkcs12.* checks)
from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.inputs import Limits
from smimecenter.diagnostics.pkcs12_inspection import (
    COMPATIBLE_EXPORT,
    GNUPG_RULES,
    LEGACY,
    MODERN,
    PLATFORM_RULES,
    inspect_pkcs12,
)
from smimecenter.diagnostics.trust import TrustStore
from tests.diagnostics.builders import ec_key, make_chain, next_rsa_key

from .helpers import OPENSSL, openssl_legacy_p12, p12_with, parsed_p12

LEGACY_3DES = pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC


@pytest.fixture(scope="module")
def chain():
    return make_chain()


def inspect(data: bytes, password=b"secret", **options):
    parsed = parsed_p12(data, password, options.pop("limits", None))
    return inspect_pkcs12(parsed.pkcs12[0], **options)


def codes(data: bytes, password=b"secret", **options) -> list[str]:
    return diagnose([data], password=password, **options).codes


def test_it_reads_an_openssl3_default_file_as_modern_with_the_apple_and_windows_rules(chain):
    found = inspect(p12_with(key=chain.leaf.key, certificate=chain.leaf))
    assert found.protection_kind == MODERN
    assert {r.id for r in found.platform_notes} >= {"apple.pbes2_aes", "windows.needs_3des", "apple.sha256_mac"}
    assert all(r.evidence == "reported" for r in found.platform_notes if not r.id.startswith("gnupg"))
    assert "gnupg22.pbes2_aes" in {r.id for r in found.platform_notes}  # tested: tests/diagnostics/test_gnupg_pkcs12.py
    assert COMPATIBLE_EXPORT in found.repackage[0]["commands"]


def test_it_reads_a_3des_sha1_file_as_legacy_with_no_import_warnings(chain):
    found = inspect(p12_with(key=chain.leaf.key, certificate=chain.leaf, algorithm=LEGACY_3DES, mac=hashes.SHA1()))
    assert found.protection_kind == LEGACY
    # Only gpgsm's salt lottery (about one random 3DES file in 64, tests/diagnostics/test_gnupg_pkcs12.py) may apply.
    assert [r.id for r in found.platform_notes if r.id != "gnupg.pkcs12_kdf_salt"] == []
    assert found.weak_parts == []
    assert found.legacy_parts == ["certificates: pbeWithSHAAnd3-KeyTripleDES-CBC",
                                  "private key: pbeWithSHAAnd3-KeyTripleDES-CBC", "integrity check: HMAC-SHA1"]


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")
def test_it_flags_rc2_40_from_openssl_legacy_as_weak_and_needing_the_legacy_provider(chain):
    found = inspect(openssl_legacy_p12(chain.leaf))
    assert found.weak_parts == ["certificates (pbeWithSHAAnd40BitRC2-CBC)"]
    assert "openssl3.legacy_provider" in {r.id for r in found.platform_notes}
    assert any("-legacy" in r["commands"] for r in found.repackage)


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")
def test_a_key_under_rc2_40_is_a_warning_but_rc2_40_certificates_alone_are_not(chain):
    weak_key = openssl_legacy_p12(chain.leaf, "secret", "-keypbe", "PBE-SHA1-RC2-40")
    assert "pkcs12.weak_key_encryption" in codes(weak_key)
    assert "sbr.key_protection_112_bits" in {r.id for r in inspect(weak_key).platform_notes}
    default_legacy = codes(openssl_legacy_p12(chain.leaf))
    assert "pkcs12.weak_key_encryption" not in default_legacy and "pkcs12.legacy_encryption" in default_legacy


def test_it_describes_the_key_and_which_certificate_it_belongs_to(chain):
    found = inspect(p12_with(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate]))
    assert [(k.type, k.size) for k in found.keys] == [("RSA", 2048)]
    assert found.keys[0].matches == chain.leaf.sha256
    assert [c.has_key for c in found.certificates] == [True, False]
    assert found.friendly_names == ("alice",)
    assert len(found.local_key_ids) == 1


def test_it_gives_an_ec_key_its_curve():
    ec_chain = make_chain(key=ec_key())
    found = inspect(p12_with(key=ec_chain.leaf.key, certificate=ec_chain.leaf))
    assert (found.keys[0].type, found.keys[0].curve) == ("EC", "secp256r1")


def test_a_key_that_matches_no_certificate_matches_nothing(chain):
    # cryptography refuses to pair a key with a foreign certificate, so the certificate rides along
    found = inspect(p12_with(key=next_rsa_key(), certificate=None, extra=[chain.leaf]))
    assert found.keys[0].matches is None
    assert not any(c.has_key for c in found.certificates)


def test_a_file_without_a_key_lists_only_certificates(chain):
    data = p12_with(key=None, certificate=chain.leaf)
    found = inspect(data)
    assert found.keys == () and found.opened
    assert "pkcs12.no_private_key" in codes(data)


def test_a_lone_leaf_is_an_incomplete_chain_naming_the_missing_issuer(chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf)
    found = inspect(data)
    assert found.chain_complete is False
    assert found.missing_issuer == chain.intermediate.certificate.subject.rfc4514_string()
    assert "pkcs12.chain_incomplete" in codes(data)


def test_a_file_with_the_whole_chain_is_complete(chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate, chain.root])
    assert inspect(data).chain_complete is True
    assert "pkcs12.chain_incomplete" not in codes(data)


def test_a_chain_ending_at_a_root_some_store_holds_is_complete(chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate])
    store = TrustStore.from_pem(chain.root_pem, name="ACME's root")
    with_store = inspect(data, stores=[store])
    assert with_store.chain_complete is True and with_store.private_root is None
    # Without the store, the file still carries all a sender includes; the root it stops below is named.
    assert inspect(data).private_root == chain.root.certificate.subject.rfc4514_string()


def test_a_file_stopping_below_a_private_root_is_complete_and_names_the_root():
    chain = make_chain(root_options={"common_name": "Acme Widgets Root CA 2026", "organization": "Acme Widgets"},
                       intermediate_options={"common_name": "Acme Widgets Mail CA", "organization": "Acme Widgets"})
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate])
    found = inspect(data)
    assert found.chain_complete is True and found.missing_issuer is None
    assert found.private_root == "CN=Acme Widgets Root CA 2026,O=Acme Widgets"
    assert found.to_dict()["private_root"] == found.private_root
    assert not any("-certfile" in entry["commands"] for entry in found.repackage)
    found_codes = codes(data)
    assert "pkcs12.chain_incomplete" not in found_codes and "chain.missing_intermediate" not in found_codes
    assert "chain.private_root_not_supplied" in found_codes


def test_a_file_missing_a_public_intermediate_is_still_incomplete():
    chain = make_chain(aia_ca_issuers="http://crt.example-ca.com/issuing.crt")
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf)
    found = inspect(data)
    assert found.chain_complete is False and found.private_root is None
    assert any("-certfile" in entry["commands"] for entry in found.repackage)


def test_a_wrong_password_still_shows_the_protection_and_its_finding(chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf)
    found = inspect(data, password=b"not it")
    assert not found.opened and found.chain_complete is None
    assert found.protection_kind == MODERN
    assert {"pkcs12.wrong_password", "pkcs12.modern_encryption"} <= set(codes(data, password=b"not it"))


def test_an_over_limit_file_is_described_from_its_structure_without_opening_it(chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf, iterations=50_000)
    found = inspect(data, limits=Limits(max_pkcs12_iterations=10_000))
    assert not found.opened
    mac = found.protection.mac_iterations
    assert found.declared_iterations == 2 * 50_000 + mac
    report = diagnose([data], password=b"secret", limits=Limits(max_pkcs12_iterations=10_000))
    assert "pkcs12.too_expensive" in report.codes


def test_an_unencrypted_key_falls_below_the_112_bit_rule_and_is_flagged(chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf, password=None)
    found = inspect(data, password=None)
    assert "sbr.key_protection_112_bits" in {r.id for r in found.platform_notes}
    assert "pkcs12.key_not_encrypted" in codes(data, password=None)
    assert "pkcs12.key_not_encrypted" not in codes(p12_with(key=chain.leaf.key, certificate=chain.leaf))


def test_the_engine_words_legacy_and_modern_files(chain):
    legacy = codes(p12_with(key=chain.leaf.key, certificate=chain.leaf, algorithm=LEGACY_3DES, mac=hashes.SHA1()))
    modern = codes(p12_with(key=chain.leaf.key, certificate=chain.leaf))
    assert "pkcs12.legacy_encryption" in legacy and "pkcs12.modern_encryption" not in legacy
    assert "pkcs12.modern_encryption" in modern and "pkcs12.legacy_encryption" not in modern


def test_the_modern_finding_gives_the_exact_compatible_command(chain):
    report = diagnose([p12_with(key=chain.leaf.key, certificate=chain.leaf)], password=b"secret")
    finding = next(f for f in report.findings if f.code == "pkcs12.modern_encryption")
    assert "-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1" in finding.fix
    assert "{" not in finding.explanation + finding.fix


@pytest.mark.parametrize("platform_rule", [*PLATFORM_RULES, *GNUPG_RULES.values()], ids=lambda r: r.id)
def test_every_platform_rule_names_its_source_and_evidence(platform_rule):
    assert re.match(r"https://\S+$", platform_rule.source)
    assert platform_rule.evidence in ("documented", "reported", "tested")
    if platform_rule.evidence == "reported":
        assert "reported" in platform_rule.says


def test_the_inspection_serialises_to_plain_json(chain):
    import json
    found = inspect(p12_with(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate]))
    data = json.loads(json.dumps(found.to_dict()))
    assert data["protection"]["kind"] == "modern"
    assert data["protection"]["bags"][0]["kdf"] == "PBKDF2-HMAC-SHA256"
