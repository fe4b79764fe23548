"""Hostile input: what the worst requests cost now, and what they do to readers of articles.

Not a test: run `python bench/bench_hostile.py` and read the figures. The second part starts gunicorn
(4 workers, loopback only, a free port) when it is installed; prod deployments run it (see the README).
Targets: the scrypt .p12, the share-page ReDoS body and 20 .p12 files at the limit each answered in
under 1 s; with 4 attackers sending the worst input next to 50 readers, an article's p99 stays within
2x of its value without them. On a shared machine the figures move with the neighbours' load.
"""
from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _django import ROOT, setup  # noqa: E402

setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from smimecenter.diagnostics.inputs.kdf_work import iterated_work  # noqa: E402
from tests.diagnostics.builders import ec_key, make_chain, pkcs12_bytes  # noqa: E402
from tests.diagnostics.hostile_files import scrypt_pkcs12  # noqa: E402

ARTICLE = "/learn/what-is-smime/"
READERS = 50
ATTACKERS = 4
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "20"))


def hostile_inputs() -> dict[str, tuple[str, dict]]:
    """name -> (path, JSON body) of the worst requests found, each sent to the API."""
    chain = make_chain(key=ec_key())
    leaf = chain.leaf
    bomb = scrypt_pkcs12(key=leaf.key, certificate=leaf, password=b"pw", declared=(1024, 8, 4096))
    at_limit = pkcs12_bytes(key=leaf.key, certificate=leaf, password=b"pw", iterations=1_000_000)
    # The costliest file the budget still lets through once: a try of it costs just under the whole budget.
    # With its right password OpenSSL really derives every key, so this is the most work one request buys.
    filling = pkcs12_bytes(key=leaf.key, certificate=leaf, password=b"pw", iterations=240_000)
    encode = lambda data: base64.b64encode(data).decode()  # noqa: E731
    return {
        "scrypt .p12 (N=1024, r=8, p=4096)": ("/api/v1/diagnose", {"files": [encode(bomb)], "password": "pw"}),
        "20 .p12 at the iteration limit, wrong password": (
            "/api/v1/diagnose", {"files": [encode(at_limit)] * 20, "password": "wrong"}),
        "20 .p12 that each cost most of the budget, wrong password": (
            "/api/v1/diagnose", {"files": [encode(filling)] * 20, "password": "wrong"}),
        "20 .p12 that each cost most of the budget, right password": (
            "/api/v1/diagnose", {"files": [encode(filling)] * 20, "password": "pw"}),
    }


def single_request_figures() -> None:
    client = Client(raise_request_exception=False)
    print("Single requests (in process, median of 3):")
    rows = list(hostile_inputs().items())
    share_body = {"certificates": "-----BEGIN CERTIFICATE-----" + " " * 320_000}
    for name, (path, body) in rows:
        _report(name, lambda: client.post(path, json.dumps(body), content_type="application/json"))
    _report("POST /share/ with the 320 KB ReDoS body", lambda: client.post("/share/", share_body))
    _report("POST /share/ with a 200 KB forged offer", lambda: client.post("/share/", {"offer": "A" * 200_000}))
    print(f"  (a .p12 at the limit declares {iterated_work(1_000_000, 'sha256'):,} units per bag; "
          f"the budget per request is 1,000,000)")


def _report(name: str, send) -> None:
    times, status = [], None
    for _ in range(3):
        cache.clear()  # the per-minute limit is not what is measured here
        started = time.perf_counter()
        status = send().status_code
        times.append(time.perf_counter() - started)
    print(f"  {name:62s} {statistics.median(times) * 1000:8.1f} ms  (HTTP {status})")


# --- under load --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    """A throwaway Redis: four workers must share one cache (gunicorn.conf.py refuses a per-process one)."""
    return subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def start_server(port: int, cache_url: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT),
           "CACHE_URL": cache_url, "REQUEST_LOG": "false"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning", "smimecenter.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def reader(port: int, stop: threading.Event, latencies: list[float], errors: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection.request("GET", ARTICLE, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except OSError:
            errors.append(0)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)


def attacker(port: int, stop: threading.Event, body: bytes, answers: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        try:
            connection.request("POST", "/api/v1/diagnose", body=body,
                               headers={"Host": "127.0.0.1", "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            answers.append(response.status)
        except OSError:
            answers.append(0)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def _pool(results: list[tuple[list[float], list[int]]]) -> tuple[float, float, int, list[int]]:
    ordered = sorted(latency for latencies, _ in results for latency in latencies)
    errors = [error for _, found in results for error in found]
    p99 = ordered[int(len(ordered) * 0.99) - 1] if ordered else float("nan")
    return statistics.median(ordered) * 1000, p99 * 1000, len(ordered), errors


def phase(port: int, attack_body: bytes | None) -> tuple[list[float], list[int]]:
    stop = threading.Event()
    latencies: list[float] = []
    errors: list[int] = []
    answers: list[int] = []
    threads = [threading.Thread(target=reader, args=(port, stop, latencies, errors)) for _ in range(READERS)]
    if attack_body is not None:
        threads += [threading.Thread(target=attacker, args=(port, stop, attack_body, answers))
                    for _ in range(ATTACKERS)]
    for thread in threads:
        thread.start()
    time.sleep(PHASE_SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    attack_statuses = sorted(set(answers))
    if answers:
        print(f"  (attackers sent {len(answers)} requests, answered {attack_statuses})")
    # 503 is the designed answer when every key-derivation slot is busy; any other 5xx is an error.
    return latencies, errors + [a for a in answers if a >= 500 and a != 503]


def load_figures() -> None:
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None or not shutil.which("redis-server"):
        print("\nUnder load: skipped (needs gunicorn in this environment and redis-server on the machine).")
        return
    port, redis_port = free_port(), free_port()
    redis = start_redis(redis_port)
    server = start_server(port, f"redis://127.0.0.1:{redis_port}/0")
    try:
        worst_name, (_, worst) = list(hostile_inputs().items())[3]
        body = json.dumps(worst).encode()
        phase(port, None)  # warm up: workers load content, trust store and templates
        # Alternate the phases, so the neighbours' load drifts into both alike.
        rounds = [(phase(port, None), phase(port, body)) for _ in range(2)]
        base_median, base_p99, base_count, base_errors = _pool([quiet for quiet, _ in rounds])
        attack_median, attack_p99, attack_count, attack_errors = _pool([loud for _, loud in rounds])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=10)
    print(f"\nUnder load: {READERS} readers of {ARTICLE}, gunicorn with 4 workers, 2 x {PHASE_SECONDS:.0f} s a phase;")
    print("  every client on 127.0.0.1, so the attackers share one address's diagnosis rate limit")
    print(f"  without attackers: median {base_median:6.1f} ms, p99 {base_p99:7.1f} ms, {base_count} requests, "
          f"errors {len(base_errors)}")
    print(f"  with {ATTACKERS} attackers ({worst_name}): median {attack_median:6.1f} ms, p99 {attack_p99:7.1f} ms, "
          f"{attack_count} requests, errors {len(attack_errors)}")
    print(f"  p99 ratio: {attack_p99 / base_p99:.2f}x (target: at most 2x)")
    print(f"  machine load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared)")


if __name__ == "__main__":
    single_request_figures()
    load_figures()
