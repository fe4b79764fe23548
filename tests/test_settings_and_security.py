"""Settings read the environment strictly, and production settings pass Django's deployment checks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from smimecenter.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_rejects_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG", False)


def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "Yes")
    assert env_bool("SOME_FLAG", False) is True
    monkeypatch.setenv("SOME_FLAG", "0")
    assert env_bool("SOME_FLAG", True) is False


def test_env_int_rejects_units_and_small_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIZE", "10MB")
    with pytest.raises(ImproperlyConfigured, match="SIZE must be a whole number"):
        env_int("SIZE", 1)
    monkeypatch.setenv("SIZE", "3")
    with pytest.raises(ImproperlyConfigured, match="at least 10"):
        env_int("SIZE", 1, minimum=10)


def test_env_list_splits_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", " a.example , b.example ,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Start from a clean slate: the test settings put their own values in the environment.
    ours = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(env)
    environment["DJANGO_SETTINGS_MODULE"] = "smimecenter.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_the_site_refuses_to_start_without_a_secret_key_when_debug_is_off() -> None:
    result = _manage("check", DEBUG="false")
    assert result.returncode == 2
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_setting_is_a_clear_startup_error() -> None:
    result = _manage("diagnose", "-", DEBUG="maybe")
    assert result.returncode == 2
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr
    assert "Traceback" not in result.stderr


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "a-long-random-production-secret-" + "k3y" * 12,
              "ALLOWED_HOSTS": "smime.example.com", "SITE_URL": "https://smime.example.com",
              "CACHE_URL": "redis://127.0.0.1:6379/0"}


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_for_a_single_process_without_redis() -> None:
    single = {**PRODUCTION, "CACHE_URL": "", "WEB_CONCURRENCY": "1"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **single)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_on_the_development_site_url() -> None:
    result = _manage("check", "--deploy", **{**PRODUCTION, "SITE_URL": ""})
    assert result.returncode == 1
    assert "operations.E001" in result.stderr


def test_check_deploy_fails_without_allowed_hosts() -> None:
    result = _manage("check", "--deploy", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode == 1
    assert "operations.E002" in result.stderr


def test_check_deploy_fails_on_a_per_process_cache_with_several_workers() -> None:
    result = _manage("check", "--deploy", **{**PRODUCTION, "CACHE_URL": "", "WEB_CONCURRENCY": "4"})
    assert result.returncode == 1
    assert "operations.E003" in result.stderr and "4 worker processes" in result.stderr


def test_a_cache_url_of_another_kind_is_a_clear_startup_error() -> None:
    result = _manage("check", **{**PRODUCTION, "CACHE_URL": "memcached://127.0.0.1:11211"})
    assert result.returncode == 2
    assert "CACHE_URL must start with redis://" in result.stderr


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    result = _manage("check", **{**PRODUCTION, "TRUSTED_PROXIES": "10.0.0.0/8, nginx"})
    assert result.returncode == 2
    assert "TRUSTED_PROXIES must list IP addresses or networks, not 'nginx'" in result.stderr


@pytest.mark.parametrize("command", ["diagnose", "lock_links", "build_trust_store"])
def test_read_only_commands_run_without_debug_or_a_secret_key(command: str) -> None:
    result = _manage(command, "--help", DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "SECRET_KEY" not in result.stderr


def test_diagnose_works_without_debug_or_a_secret_key(tmp_path: Path) -> None:
    from tests.tools.certificates import material

    leaf = tmp_path / "chain.pem"
    leaf.write_bytes(material().three_pem)
    result = _manage("diagnose", str(leaf), "--format", "json", DEBUG="false")
    assert result.returncode in (0, 1), result.stderr
    assert '"findings"' in result.stdout


def test_a_command_that_writes_the_database_still_needs_a_secret_key() -> None:
    result = _manage("migrate", "--check", DEBUG="false")
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
