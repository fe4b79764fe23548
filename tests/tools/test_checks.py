"""A deployment learns at start-up, not at the first check, that a trust file is unusable."""
from __future__ import annotations

from smimecenter.tools.checks import trust_files_are_usable


def test_a_missing_trust_file_is_a_system_check_error(settings, tmp_path):
    settings.DIAGNOSE_TRUST_FILES = [str(tmp_path / "absent.pem")]
    errors = trust_files_are_usable()
    assert [error.id for error in errors] == ["tools.E001"]
    assert "absent.pem" in errors[0].msg


def test_a_file_without_certificates_is_a_system_check_error(settings, tmp_path):
    path = tmp_path / "empty.pem"
    path.write_text("nothing here")
    settings.DIAGNOSE_TRUST_FILES = [str(path)]
    assert [error.id for error in trust_files_are_usable()] == ["tools.E001"]


def test_a_good_trust_file_passes(settings, tmp_path, certs):
    path = tmp_path / "root.pem"
    path.write_bytes(certs.chain.root_pem)
    settings.DIAGNOSE_TRUST_FILES = [str(path)]
    assert trust_files_are_usable() == []
