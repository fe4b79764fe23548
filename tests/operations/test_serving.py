"""How many processes and threads a server runs (operations/serving.py), as gunicorn.conf.py reads them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from smimecenter.operations.serving import default_threads, default_workers

ROOT = Path(__file__).resolve().parents[2]


def test_one_process_per_core() -> None:
    assert default_workers() == (os.cpu_count() or 1)


@pytest.mark.parametrize(("online", "threads"), [(None, 1), ("false", 1), ("true", 4), ("on", 4)])
def test_one_thread_each_unless_checks_wait_on_certificate_authorities(monkeypatch, online, threads) -> None:
    if online is None:
        monkeypatch.delenv("DIAGNOSE_ONLINE", raising=False)
    else:
        monkeypatch.setenv("DIAGNOSE_ONLINE", online)
    assert default_threads() == threads


def test_a_misspelt_online_setting_stops_the_server_with_its_name(monkeypatch) -> None:
    monkeypatch.setenv("DIAGNOSE_ONLINE", "ture")
    with pytest.raises(ImproperlyConfigured, match="DIAGNOSE_ONLINE"):
        default_threads()


@pytest.mark.parametrize(("online", "threads"), [("false", 1), ("true", 4)])
def test_gunicorn_conf_takes_the_same_numbers(online, threads) -> None:
    code = ("import runpy; conf = runpy.run_path('gunicorn.conf.py'); "
            "print(conf['workers'], conf['threads'], conf['worker_class'])")
    environment = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}
    environment["DIAGNOSE_ONLINE"] = online
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()
    assert out == [str(os.cpu_count() or 1), str(threads), "gthread"]


def test_a_worker_sets_what_it_loaded_aside_from_the_garbage_collector() -> None:
    code = ("import gc, runpy, django; django.setup(); conf = runpy.run_path('gunicorn.conf.py'); "
            "before = gc.get_freeze_count(); conf['post_worker_init'](None); "
            "print(before, gc.get_freeze_count())")
    environment = {k: v for k, v in os.environ.items() if k not in ("WEB_CONCURRENCY", "CACHE_URL")}
    environment.update({"DJANGO_SETTINGS_MODULE": "smimecenter.settings", "DEBUG": "true"})
    before, after = map(int, subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,
                                            capture_output=True, text=True, timeout=120, check=True).stdout.split())
    assert before == 0 and after > 50_000   # Django, the pages and the trust store: long-lived, not re-walked
