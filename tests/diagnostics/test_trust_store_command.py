"""`manage.py build_trust_store` writes a loadable store and an honest record of where it came from."""
from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.core.management import call_command
from django.core.management.base import CommandError

from smimecenter.diagnostics.trust import load_embedded_store
from tests.diagnostics.builders import ec_key, make_root
from tests.diagnostics.test_trust_sources import CCADB_HEADER, ListedRoot, ccadb_csv_text, certdata_text


@pytest.fixture(scope="module")
def generated() -> dict[str, x509.Certificate]:
    return {label: make_root(common_name=label, key=ec_key()).certificate
            for label in ("zeta Email Root", "Alpha Email Root", "Websites Only Root", "Beta Email Root")}


@pytest.fixture
def certdata_file(tmp_path, generated):
    path = tmp_path / "certdata.txt"
    path.write_text(certdata_text([
        ListedRoot(generated["zeta Email Root"], "zeta Email Root"),
        ListedRoot(generated["Websites Only Root"], "Websites Only Root", email="CKT_NSS_MUST_VERIFY_TRUST"),
        ListedRoot(generated["Alpha Email Root"], "Alpha Email Root", server="CKT_NSS_MUST_VERIFY_TRUST",
                   email_distrust_after="250401000000Z"),
        ListedRoot(generated["Beta Email Root"], "Beta Email Root"),
    ]), encoding="utf-8")
    return path


def _build(*arguments: str) -> str:
    output = io.StringIO()
    call_command("build_trust_store", *arguments, stdout=output)
    return output.getvalue()


def test_it_writes_only_the_email_roots_from_a_certdata_file(tmp_path, certdata_file, generated):
    output_directory = tmp_path / "data"

    message = _build("--certdata", str(certdata_file), "--output", str(output_directory),
                     "--list-version", "NSS 3.999")

    store = load_embedded_store(output_directory / "mozilla-email-roots.pem",
                                output_directory / "mozilla-email-roots.json")
    assert len(store) == 3
    assert generated["Websites Only Root"] not in list(store)
    assert all(store.contains(generated[label]) for label in ("zeta Email Root", "Alpha Email Root",
                                                              "Beta Email Root"))
    assert "Wrote 3 roots trusted for email (1 others left out)" in message


def test_it_orders_the_roots_by_label_whatever_the_source_order(tmp_path, certdata_file):
    _build("--certdata", str(certdata_file), "--output", str(tmp_path))

    text = (tmp_path / "mozilla-email-roots.pem").read_text(encoding="utf-8")

    assert re.findall(r"^# (.*)\n-----BEGIN", text, flags=re.MULTILINE) == [
        "Alpha Email Root", "Beta Email Root", "zeta Email Root"]


def test_it_records_source_version_dates_count_and_fingerprints(tmp_path, certdata_file, generated):
    _build("--certdata", str(certdata_file), "--output", str(tmp_path), "--list-version", "NSS 3.999")

    provenance = json.loads((tmp_path / "mozilla-email-roots.json").read_text(encoding="utf-8"))

    assert provenance["source"] == "Mozilla certdata.txt (certdata.txt)"
    assert provenance["version"] == "NSS 3.999"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", provenance["date"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", provenance["built"])
    assert provenance["roots"] == 3
    assert provenance["not_email_trusted_left_out"] == 1
    entries = {entry["label"]: entry for entry in provenance["certificates"]}
    alpha = generated["Alpha Email Root"]
    assert entries["Alpha Email Root"]["sha256"] == alpha.fingerprint(hashes.SHA256()).hex()
    assert entries["Alpha Email Root"]["email_distrust_after"] == "2025-04-01T00:00:00Z"
    assert "email_distrust_after" not in entries["Beta Email Root"]


def test_the_written_store_carries_the_distrust_date_and_provenance(tmp_path, certdata_file):
    _build("--certdata", str(certdata_file), "--output", str(tmp_path), "--list-version", "NSS 3.999")

    store = load_embedded_store(tmp_path / "mozilla-email-roots.pem", tmp_path / "mozilla-email-roots.json")

    distrust = {anchor.label: anchor.email_distrust_after for anchor in store.anchors()}
    assert distrust["Alpha Email Root"] is not None and distrust["Alpha Email Root"].year == 2025
    assert distrust["Beta Email Root"] is None
    assert store.provenance["version"] == "NSS 3.999" and store.provenance["roots"] == 3


def test_building_twice_from_the_same_file_gives_the_same_pem(tmp_path, certdata_file):
    _build("--certdata", str(certdata_file), "--output", str(tmp_path / "first"))
    _build("--certdata", str(certdata_file), "--output", str(tmp_path / "second"))

    assert (tmp_path / "first" / "mozilla-email-roots.pem").read_bytes() == (
        tmp_path / "second" / "mozilla-email-roots.pem").read_bytes()


def test_it_builds_from_a_ccadb_csv_report(tmp_path, generated):
    report = tmp_path / "IncludedCACertificateReportPEMCSV.csv"
    report.write_text(ccadb_csv_text([
        (generated["Alpha Email Root"], "Alpha Email Root", "Email", ""),
        (generated["Websites Only Root"], "Websites Only Root", "Websites", ""),
    ]), encoding="utf-8")

    _build("--ccadb-csv", str(report), "--output", str(tmp_path))

    provenance = json.loads((tmp_path / "mozilla-email-roots.json").read_text(encoding="utf-8"))
    assert [entry["label"] for entry in provenance["certificates"]] == ["Alpha Email Root"]
    assert provenance["source"].startswith("CCADB report")
    assert provenance["version"] == "not stated"


def test_a_csv_without_the_trust_bits_column_is_refused_with_its_name(tmp_path, generated):
    report = tmp_path / "report.csv"
    header = [column for column in CCADB_HEADER if column != "Trust Bits"]
    report.write_text(ccadb_csv_text([(generated["Alpha Email Root"], "Alpha Email Root", "Email", "")],
                                     header=header), encoding="utf-8")

    with pytest.raises(CommandError, match="trust bits"):
        _build("--ccadb-csv", str(report), "--output", str(tmp_path))
    assert not (tmp_path / "mozilla-email-roots.pem").exists()


def test_a_list_without_email_roots_leaves_the_existing_store_alone(tmp_path, generated):
    (tmp_path / "mozilla-email-roots.pem").write_text("previous store\n", encoding="utf-8")
    source = tmp_path / "certdata.txt"
    source.write_text(certdata_text([ListedRoot(generated["Websites Only Root"], "Websites Only Root",
                                                email="CKT_NSS_MUST_VERIFY_TRUST")]), encoding="utf-8")

    with pytest.raises(CommandError, match="no root trusted for email"):
        _build("--certdata", str(source), "--output", str(tmp_path))
    assert (tmp_path / "mozilla-email-roots.pem").read_text(encoding="utf-8") == "previous store\n"


def test_a_missing_source_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _build("--certdata", str(tmp_path / "absent.txt"), "--output", str(tmp_path))


def test_only_one_source_may_be_named(tmp_path, certdata_file):
    with pytest.raises(CommandError):
        _build("--certdata", str(certdata_file), "--ccadb-csv", str(certdata_file), "--output", str(tmp_path))


def test_it_builds_from_this_machines_nss(tmp_path):
    if not shutil.which("certutil") or not shutil.which("modutil"):
        pytest.skip("certutil/modutil (Debian package libnss3-tools) are not installed")

    message = _build("--from-nss", "--output", str(tmp_path))

    provenance = json.loads((tmp_path / "mozilla-email-roots.json").read_text(encoding="utf-8"))
    assert provenance["source"] == "NSS builtin root module (libnssckbi.so)"
    assert provenance["version"].startswith("NSS ")
    assert provenance["roots"] == len(provenance["certificates"]) >= 50
    assert f"Wrote {provenance['roots']} roots" in message
