"""manage.py diagnose: exit status, formats, standard input, and clear errors instead of tracebacks."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .builders import make_chain


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    out = io.StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.BytesIO(stdin)
    try:
        call_command("diagnose", *args, **options)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


@pytest.fixture
def files(tmp_path):
    chain = make_chain()
    paths = {"chain": tmp_path / "chain.pem", "root": tmp_path / "root.pem",
             "leaf": tmp_path / "leaf.pem"}
    paths["chain"].write_bytes(chain.supplied_pem)
    paths["root"].write_bytes(chain.root_pem)
    paths["leaf"].write_bytes(chain.leaf.pem)
    return {key: str(value) for key, value in paths.items()}


def test_it_exits_0_for_a_trusted_chain_and_says_so(files):
    code, out = run(files["chain"], "--trust-file", files["root"])
    assert code == 0
    assert out.startswith("Verdict: PASS")
    assert "Trusted by: Extra trust anchors" in out


def test_it_exits_1_when_there_is_an_error_finding_and_prints_the_fix(files):
    code, out = run(files["leaf"], "--trust-file", files["root"])
    assert code == 1
    assert "Verdict: FAIL" in out and "[chain.missing_intermediate]" in out and "Fix:" in out


def test_it_writes_the_report_as_json(files):
    code, out = run(files["chain"], "--trust-file", files["root"], "--format", "json",
                    "--email", "alice@example.com")
    data = json.loads(out)
    assert code == 0 and data["status"] == "pass" and data["trust"]["trusted"] is True


def test_it_reads_standard_input_for_a_dash(files):
    chain_bytes = open(files["chain"], "rb").read()
    code, out = run("-", "--trust-file", files["root"], "--format", "json", stdin=chain_bytes)
    assert code == 0 and len(json.loads(out)["chain"]) == 3


def test_it_checks_validity_at_the_date_given(files):
    code, out = run(files["chain"], "--trust-file", files["root"], "--at", "2099-01-01")
    assert code == 1 and "[validity.expired]" in out


def test_it_compares_the_address_given(files):
    code, out = run(files["chain"], "--trust-file", files["root"], "--email", "bob@example.com")
    assert code == 1 and "[identity.email_mismatch]" in out


def test_a_missing_file_exits_2_with_a_message(tmp_path):
    code, message = run(str(tmp_path / "nowhere.pem"))
    assert code == 2 and "Cannot read" in message


def test_a_bad_date_exits_2(files):
    code, message = run(files["chain"], "--at", "next tuesday")
    assert code == 2 and "ISO 8601" in message


def test_a_trust_file_without_certificates_exits_2(files, tmp_path):
    empty = tmp_path / "empty.pem"
    empty.write_bytes(b"nothing here")
    code, message = run(files["chain"], "--trust-file", str(empty))
    assert code == 2 and "holds no certificate" in message


def test_garbage_input_gives_a_report_not_a_traceback(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x30\x82\xff\xff" + b"\x00" * 50)
    code, out = run(str(junk))
    assert code == 1 and "No certificate was found" in out


def test_the_size_limit_comes_from_settings(files, settings):
    settings.DIAGNOSE_MAX_INPUT_BYTES = 1024
    code, out = run(files["chain"])
    assert code == 1 and "[input.too_large]" in out


def test_extra_anchors_come_from_settings(files, settings):
    settings.DIAGNOSE_TRUST_FILES = [files["root"]]
    code, out = run(files["chain"])
    assert code == 0 and "Trusted by: Extra trust anchors" in out
