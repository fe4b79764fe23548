"""gunicorn with the repository's gunicorn.conf.py: refuses unshared state, serves, restarts gracefully."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")


def _environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("DJANGO_SETTINGS_MODULE", "CACHE_URL", "WEB_CONCURRENCY")}
    environment.update({"DEBUG": "false", "SECRET_KEY": "gunicorn-test-secret-" + "x" * 40,
                        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
                        "DJANGO_SETTINGS_MODULE": "smimecenter.settings", "BIND": "127.0.0.1:0"})
    environment.update(extra)
    return environment


def test_several_workers_with_a_per_process_cache_are_refused_at_start_up() -> None:
    result = subprocess.run([str(GUNICORN)], cwd=ROOT, env=_environment(WEB_CONCURRENCY="3"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "will not start" in result.stderr and "3 worker processes" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_worker_with_a_per_process_cache_starts_and_serves(tmp_path: Path) -> None:
    server = subprocess.Popen([str(GUNICORN)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                              env=_environment(WEB_CONCURRENCY="1", SQLITE_PATH=str(tmp_path / "db.sqlite3")))
    try:
        address = None
        deadline = time.monotonic() + 60
        while address is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
            if found:
                assert json.loads(line)["logger"] == "gunicorn.error"   # gunicorn's own lines are JSON too
                address = found.group(1)
        assert address, "gunicorn did not say where it listens"
        with urllib.request.urlopen(address + "/healthz", timeout=30) as response:
            assert response.status == 200
        with urllib.request.urlopen(address + "/learn/", timeout=30) as response:
            assert response.status == 200
            assert response.headers["X-Request-ID"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)
    assert server.returncode == 0


def test_a_connection_stays_open_between_requests_and_gunicorn_writes_no_access_line(tmp_path: Path) -> None:
    """What nginx's upstream keepalive relies on: several requests over one connection."""
    import http.client

    server = subprocess.Popen([str(GUNICORN)], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                              env=_environment(WEB_CONCURRENCY="1", SQLITE_PATH=str(tmp_path / "db.sqlite3"),
                                               REQUEST_LOG="false"))
    try:
        found = None
        deadline = time.monotonic() + 60
        while found is None and time.monotonic() < deadline:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", server.stderr.readline())
        assert found, "gunicorn did not say where it listens"
        connection = http.client.HTTPConnection("127.0.0.1", int(found.group(1)), timeout=30)
        connection.request("GET", "/healthz")
        connection.getresponse().read()    # also waits for the worker to be up
        sockets = set()
        for path in ("/learn/", "/healthz", "/learn/?q=secret@example.com"):
            connection.request("GET", path)
            sockets.add(id(connection.sock))
            response = connection.getresponse()
            response.read()
            assert response.status == 200 and not response.will_close
        assert len(sockets) == 1
        connection.close()
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    # Only gunicorn's own lines (start, stop), none per request: the query would be in an access line.
    assert "secret@example.com" not in errors and "/learn/" not in errors
