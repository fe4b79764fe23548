"""Health as a load balancer sees it, and graceful restarts that lose no request."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

from tests.deployed.conftest import Browser


def _ready(base: str) -> tuple[int, dict]:
    answer = Browser(base).request("/readyz", timeout=5)
    return answer.status, json.loads(answer.text)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_readyz_turns_unready_when_redis_stops_and_ready_when_it_returns(site) -> None:
    assert _ready(site["a"])[0] == 200
    port = os.environ["DEPLOYED_REDIS_PORT"]
    subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], check=False, capture_output=True)
    try:
        assert _wait(lambda: _ready(site["a"])[0] == 503, 10)
        status, body = _ready(site["b"])
        assert status == 503 and body["parts"]["cache"]["ok"] is False and body["parts"]["database"]["ok"] is True
        # Pages do not fail with the cache gone; only readiness says so.
        assert Browser(site["nginx"]).request("/learn/").status == 200
    finally:
        subprocess.run(os.environ["DEPLOYED_REDIS_START"], shell=True, check=True)
    assert _wait(lambda: _ready(site["a"])[0] == 200 and _ready(site["b"])[0] == 200, 15)


def test_requests_in_flight_during_a_graceful_restart_all_succeed(site) -> None:
    failures: list[str] = []
    done = threading.Event()
    counts = {"sent": 0}
    finished_at: list[float] = []
    paths = ["/learn/", "/search/?q=certificate", "/healthz", "/guides/"]

    def hammer(base: str, number: int) -> None:
        browser = Browser(base, client_address=f"203.0.113.{number}")
        n = 0
        while not done.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                answer = browser.request(path, timeout=60)
                if answer.status not in (200, 404):
                    failures.append(f"{base}{path}: {answer.status}")
            except OSError as problem:
                failures.append(f"{base}{path}: {problem}")
            counts["sent"] += 1
            finished_at.append(time.monotonic())

    threads = [threading.Thread(target=hammer, args=(site["a"] if n % 2 else site["nginx"], n)) for n in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    pid = int(open(os.environ["DEPLOYED_A_PIDFILE"]).read().strip())
    os.kill(pid, signal.SIGHUP)          # gunicorn: new workers, old ones finish what they hold
    restarted_at = time.monotonic()
    time.sleep(5.0)
    done.set()
    for thread in threads:
        thread.join(timeout=90)
    assert counts["sent"] > 20
    assert any(t > restarted_at + 1 for t in finished_at)   # the instance kept serving after its restart
    assert failures == []
    assert _ready(site["a"])[0] == 200
