"""The trust store: the embedded Mozilla email roots and anchors a person supplies."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from smimecenter.diagnostics.trust import (
    EMBEDDED_PEM,
    EMBEDDED_PROVENANCE,
    TrustStore,
    TrustStoreError,
    email_trust_store,
)
from tests.diagnostics.builders import ec_key, make_intermediate, make_leaf, make_root, name


def _sha256(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def _pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(certificate.public_bytes(Encoding.PEM) for certificate in certificates)


# --- the embedded Mozilla store ------------------------------------------------------------------------

def test_shipped_store_has_as_many_roots_as_its_provenance_says():
    provenance = json.loads(EMBEDDED_PROVENANCE.read_text(encoding="utf-8"))
    store = email_trust_store()

    assert len(store) == provenance["roots"] == len(provenance["certificates"])
    assert {_sha256(certificate) for certificate in store} == {
        entry["sha256"] for entry in provenance["certificates"]}


def test_shipped_store_labels_match_the_provenance_list():
    provenance = json.loads(EMBEDDED_PROVENANCE.read_text(encoding="utf-8"))
    labels = {entry["sha256"]: entry["label"] for entry in provenance["certificates"]}

    assert {anchor.sha256: anchor.label for anchor in email_trust_store().anchors()} == labels


def test_shipped_store_says_where_it_came_from():
    store = email_trust_store()

    assert store.name == "Mozilla email roots"
    for key in ("source", "version", "date", "roots"):
        assert store.provenance[key], key
    assert store.provenance["roots"] == len(store)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(store.provenance["date"]))


def test_shipped_pem_puts_a_label_comment_before_every_certificate_in_a_stable_order():
    text = EMBEDDED_PEM.read_text(encoding="utf-8")
    labels = re.findall(r"^# (.*)\n-----BEGIN CERTIFICATE-----", text, flags=re.MULTILINE)

    assert len(labels) == text.count("-----BEGIN CERTIFICATE-----")
    assert labels == sorted(labels, key=lambda label: (label.casefold(), label))


def test_every_shipped_root_is_a_ca():
    assert all(anchor.is_ca for anchor in email_trust_store().anchors())


def test_embedded_store_is_loaded_once_per_process():
    assert email_trust_store() is email_trust_store()


def test_embedded_store_is_not_read_before_it_is_first_needed():
    # A fresh interpreter that imports the module must not have parsed any certificate yet.
    probe = ("import smimecenter.diagnostics.trust as trust; "
             "print(trust.email_trust_store.cache_info().currsize)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)

    assert result.stdout.strip() == "0"


def test_each_shipped_root_is_found_by_its_own_subject_and_key_identifier():
    store = email_trust_store()
    for certificate in store:
        try:
            key_id = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        except x509.ExtensionNotFound:
            key_id = None
        assert certificate in store.candidates(certificate.subject, key_id)
        assert store.contains(certificate)


def test_a_generated_root_is_not_in_the_mozilla_store():
    root = make_root(common_name="Nobody Trusts This Root", key=ec_key()).certificate

    assert not email_trust_store().contains(root)
    assert email_trust_store().candidates(root.subject, None) == []


# --- index lookups and contains() on a store built in the test -------------------------------------------

@pytest.fixture(scope="module")
def roots():
    """Two keys under one name (a re-keyed root), an unrelated root, and a root without SKI."""
    old = make_root(common_name="Example Root CA", key=ec_key())
    new = make_root(common_name="Example Root CA", key=ec_key())
    other = make_root(common_name="Other Root CA", key=ec_key())
    bare = make_root(common_name="Bare Root CA", key=ec_key(), subject_key_id=False)
    return {"old": old, "new": new, "other": other, "bare": bare}


@pytest.fixture(scope="module")
def store(roots) -> TrustStore:
    return TrustStore.from_pem(_pem(*(issued.certificate for issued in roots.values())), name="Test anchors")


def _ski(certificate: x509.Certificate) -> bytes:
    return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest


def test_candidates_are_every_anchor_with_the_issuer_name_when_no_key_id_is_given(store, roots):
    found = store.candidates(roots["old"].subject, None)

    assert set(found) == {roots["old"].certificate, roots["new"].certificate}


def test_candidates_narrow_to_the_anchor_whose_key_identifier_matches(store, roots):
    assert store.candidates(roots["new"].subject, _ski(roots["new"].certificate)) == [roots["new"].certificate]


def test_candidates_keep_an_anchor_without_key_identifier(store, roots):
    assert store.candidates(roots["bare"].subject, b"\x01" * 20) == [roots["bare"].certificate]


def test_candidates_are_empty_for_an_unknown_name_or_a_key_id_no_anchor_has(store, roots):
    assert store.candidates(name("Unknown CA"), None) == []
    assert store.candidates(roots["old"].subject, b"\x00" * 20) == []


def test_an_intermediates_issuer_and_authority_key_id_find_its_root(store, roots):
    intermediate = make_intermediate(issuer=roots["new"], key=ec_key()).certificate
    key_id = intermediate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier

    assert store.candidates(intermediate.issuer, key_id) == [roots["new"].certificate]


def test_lookup_by_key_identifier_alone(store, roots):
    assert store.by_key_identifier(_ski(roots["other"].certificate)) == [roots["other"].certificate]


def test_contains_is_true_for_a_reissued_root_with_the_same_name_and_key(store, roots):
    reissued = make_root(common_name="Other Root CA", key=roots["other"].key).certificate

    assert reissued != roots["other"].certificate
    assert store.contains(reissued)
    assert store.anchor_for(reissued).certificate == roots["other"].certificate


def test_contains_is_false_for_the_same_name_with_another_key(store, roots):
    impostor = make_root(common_name="Other Root CA", key=ec_key()).certificate

    assert not store.contains(impostor)


def test_contains_is_false_for_the_same_key_under_another_name(store, roots):
    renamed = make_root(common_name="Renamed Root CA", key=roots["other"].key).certificate

    assert not store.contains(renamed)


def test_store_length_and_iteration_cover_each_anchor_once(roots):
    certificates = [issued.certificate for issued in roots.values()]
    store = TrustStore.from_pem(_pem(*certificates, certificates[0]), name="With a duplicate")

    assert len(store) == 4
    assert list(store) == certificates
    assert store.provenance["roots"] == 4


# --- from_pem: anchors a person supplies ---------------------------------------------------------------

def test_from_pem_finds_certificates_inside_a_quoted_email_reply(roots):
    block = roots["other"].certificate.public_bytes(Encoding.PEM).decode()
    quoted = "\r\n".join("> " + line for line in block.splitlines())
    message = (f"Hi,\r\n\r\nour root is below, please trust it.\r\n\r\n{quoted}\r\n\r\n"
               f"And the old one, indented:\r\n"
               + "\n".join("    " + line for line in roots["old"].certificate.public_bytes(Encoding.PEM)
                           .decode().splitlines())
               + "\nThanks, IT\n")

    store = TrustStore.from_pem(message.encode(), name="ACME's root")

    assert list(store) == [roots["other"].certificate, roots["old"].certificate]
    assert store.name == "ACME's root"


def test_from_pem_accepts_a_single_der_certificate(roots):
    store = TrustStore.from_pem(roots["bare"].certificate.public_bytes(Encoding.DER), name="DER anchor")

    assert list(store) == [roots["bare"].certificate]


def test_from_pem_reads_openssl_trusted_certificate_blocks(roots):
    der = roots["other"].certificate.public_bytes(Encoding.DER)
    aux = bytes.fromhex("300c300a06082b06010505070304")   # trust settings OpenSSL appends: emailProtection
    body = base64.encodebytes(der + aux).decode()
    text = f"-----BEGIN TRUSTED CERTIFICATE-----\n{body}-----END TRUSTED CERTIFICATE-----\n"

    store = TrustStore.from_pem(text.encode(), name="OpenSSL trusted format")

    assert list(store) == [roots["other"].certificate]


def test_from_pem_skips_a_damaged_block_and_keeps_the_good_ones(roots):
    good = roots["other"].certificate.public_bytes(Encoding.PEM).decode()
    damaged = good.replace(good.splitlines()[3], "AAAA" * 16)

    store = TrustStore.from_pem((damaged + good).encode(), name="Partly damaged")

    assert list(store) == [roots["other"].certificate]


def test_from_pem_without_any_certificate_raises_a_readable_error():
    with pytest.raises(TrustStoreError, match="No certificate was found"):
        TrustStore.from_pem(b"just some words, no certificate", name="Empty")


def test_from_pem_accepts_a_non_ca_certificate_and_records_that_it_is_not_a_ca(roots):
    leaf = make_leaf(issuer=roots["other"], key=ec_key()).certificate

    store = TrustStore.from_pem(_pem(leaf, roots["other"].certificate), name="Pinned mailbox")

    assert len(store) == 2
    assert [anchor.is_ca for anchor in store.anchors()] == [False, True]
    assert store.provenance["not_ca"] == 1


def test_from_pem_keeps_the_provenance_given_and_counts_the_roots(roots):
    store = TrustStore.from_pem(_pem(roots["other"].certificate), name="ACME's root",
                                provenance={"source": "--trust-file acme-root.pem", "roots": 99})

    assert store.provenance["source"] == "--trust-file acme-root.pem"
    assert store.provenance["roots"] == 1
    assert store.anchors()[0].label == "Other Root CA"
