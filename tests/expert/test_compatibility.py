from __future__ import annotations

import re

import pytest
from cryptography import x509

from smimecenter.diagnostics.certinfo import facts_of
from smimecenter.diagnostics.compatibility import CLIENTS, RULES, CompatibilityInput, client_table
from tests.diagnostics.builders import (
    CLIENT_AUTH,
    EMAIL_PROTECTION,
    dsa_key,
    ec_key,
    ed25519_key,
    make_chain,
    make_leaf,
    make_root,
)

ROOT = make_root()
SMIME_CAPABILITIES = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.2.840.113549.1.9.15"), bytes([0x30, 0x00]))


def table(leaf=None, **given) -> dict[str, dict]:
    leaf = leaf or make_leaf(issuer=ROOT, extra_extensions=[(SMIME_CAPABILITIES, False)])
    rows = client_table(CompatibilityInput(facts_of(leaf.certificate), **given))
    return {row["client"]: row for row in rows}


def rule_ids(row: dict) -> set[str]:
    return {item["id"] for item in row["blockers"] + row["notes"]}


def applied(leaf=None, **given) -> dict[str, set[str]]:
    return {client: rule_ids(row) for client, row in table(leaf, **given).items()}


def test_a_plain_rsa_mailbox_certificate_works_everywhere():
    rows = table()
    assert {(r["sign"], r["encrypt"]) for r in rows.values()} == {("yes", "yes")}
    assert [r["name"] for r in rows.values()] == [c.name for c in CLIENTS]


def test_every_rule_names_a_source_and_its_evidence():
    for rule in RULES:
        assert re.match(r"https://\S+$", rule.source), rule.id
        assert rule.evidence in ("documented", "reported", "none found"), rule.id


def test_every_client_names_the_store_that_decides_trust_with_a_source():
    for client in CLIENTS:
        assert client.root_store and client.root_store_source.startswith("https://")


# One test per rule: the certificate (or input) that triggers it, and where it must show.
RULE_CASES = {
    "all.not_for_email": ({"eku": (CLIENT_AUTH,)}, {}, ("no", "no")),
    "all.cannot_sign": ({"key_usage": {"key_encipherment"}}, {}, ("no", "yes")),
    "all.rsa_without_key_encipherment": ({"key_usage": {"digital_signature"}}, {}, ("yes", "no")),
    "all.ec_without_key_agreement": ({"key": "ec", "key_usage": {"digital_signature"}}, {}, None),
    "all.eddsa_cannot_encrypt": ({"key": "ed25519"}, {}, ("unknown", "no")),
    "all.eddsa_signing_unconfirmed": ({"key": "ed25519"}, {}, ("unknown", "no")),
    "all.unsupported_key": ({"key": "dsa"}, {}, ("no", "no")),
    "all.post_quantum_unconfirmed": ({"key": "mldsa"}, {}, ("unknown", "unknown")),
    "apple_mail_macos.key_usage_required": ({"key_usage": None}, {}, None),
    "mail_ios.key_usage_required": ({"key_usage": None}, {}, None),
    "apple.email_required": ({"emails": ()}, {}, None),
    "others.email_unconfirmed": ({"emails": ()}, {}, None),
    "outlook_mac.no_ecc": ({"key": "ec"}, {}, None),
    "ec.support_unconfirmed": ({"key": "ec"}, {}, None),
    "thunderbird.ecc_offered": ({"key": "ec"}, {}, None),
    "thunderbird.sha1_message_signatures": ({}, {"message_digests": ("sha1",)}, None),
    "thunderbird.sha1_certificate": ({"hash": "sha1"}, {}, None),
    "outlook_windows.aes_fallback": ({"no_capabilities": True}, {}, None),
    "outlook_web.windows_extension": ({}, {}, None),
    "thunderbird.not_mozilla_trusted": ({}, {"mozilla_trusted": False}, None),
}


def build(options: dict):
    from cryptography.hazmat.primitives import hashes
    options = dict(options)
    key = options.pop("key", None)
    if key == "ec":
        options["key"] = ec_key()
    elif key == "ed25519":
        options["key"] = ed25519_key()
    elif key == "dsa":
        options["key"] = dsa_key()
    elif key == "mldsa":
        from cryptography.hazmat.primitives.asymmetric import mldsa
        options["key"] = mldsa.MLDSA65PrivateKey.generate()
    if options.pop("hash", None) == "sha1":
        options["hash_algorithm"] = hashes.SHA1()
    if not options.pop("no_capabilities", False):
        options["extra_extensions"] = [(SMIME_CAPABILITIES, False)]
    if "emails" in options and not options["emails"]:
        options.setdefault("common_name", "Alice")
    return make_leaf(issuer=ROOT, **options)


def test_the_case_table_covers_every_rule():
    assert set(RULE_CASES) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_each_rule_applies_to_its_clients_only_when_triggered(rule_id):
    rule = next(r for r in RULES if r.id == rule_id)
    options, given, capabilities = RULE_CASES[rule_id]
    triggered = applied(build(options), **given)
    for client, ids in triggered.items():
        assert (rule_id in ids) == (client in rule.clients), client
    if rule_id != "outlook_web.windows_extension":  # that one holds for every certificate
        assert all(rule_id not in ids for ids in applied().values())
    if capabilities is not None:
        row = table(build(options), **given)["outlook_windows"]
        assert (row["sign"], row["encrypt"]) == capabilities


def test_an_ec_key_is_unknown_where_no_source_settles_it_and_yes_in_thunderbird():
    rows = table(build({"key": "ec"}))
    assert rows["thunderbird"]["sign"] == "yes"
    assert rows["apple_mail_macos"]["sign"] == "unknown"
    assert rows["outlook_mac"]["encrypt"] == "reported no"


def test_apple_mail_refuses_a_certificate_without_key_usage_on_the_documented_rule():
    rows = table(build({"key_usage": None}))
    assert rows["apple_mail_macos"]["sign"] == "no"
    assert rows["mail_ios"]["sign"] == "reported no"
    assert rows["outlook_windows"]["sign"] == "yes"


def test_thunderbird_trust_follows_the_mozilla_email_roots_and_others_stay_unknown():
    assert table(mozilla_trusted=True)["thunderbird"]["trusted"] == "yes"
    assert table(mozilla_trusted=False)["thunderbird"]["trusted"] == "no"
    assert table(mozilla_trusted=True)["apple_mail_macos"]["trusted"] == "unknown"


def test_blockers_restrict_and_notes_inform():
    rows = table(build({"key_usage": None}))
    assert [b["id"] for b in rows["apple_mail_macos"]["blockers"]] == ["apple_mail_macos.key_usage_required"]
    assert rows["outlook_web"]["blockers"] == []
    assert [n["id"] for n in rows["outlook_web"]["notes"]] == ["outlook_web.windows_extension"]


def test_the_whole_chain_example_from_the_builders_works_in_the_table():
    chain = make_chain(eku=(EMAIL_PROTECTION,))
    assert table(chain.leaf)["thunderbird"]["sign"] == "yes"
