"""RFC 5280 path validation: suite scores, the cost of the validator of record, and a diagnosis
request (the API and the full page) under 50 concurrent clients.

Not a test: run `python bench/bench_paths.py` (or `make bench`) and read the figures.
Targets: NIST PKITS all in-scope tests right; x509-limbo in scope 0 wrong outside the one table of
S/MIME differences (tests/diagnostics/suites.py); a diagnosis request under 20 ms at the 95th
percentile with 50 concurrent clients on loopback. Two kinds of load are printed, labelled: closed
loop (each client asks again the moment it is answered: latency is then clients / throughput) and
open loop (each client asks once a second: the realistic load). The machine these run on may be
shared: the figures say how loaded it was (load average) and the CPU time next to wall time.
"""
from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import setup  # noqa: E402

setup()

from asn1crypto import x509 as asn1_x509  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding  # noqa: E402
from cryptography.utils import CryptographyDeprecationWarning  # noqa: E402
from pyhanko_certvalidator import CertificateValidator, ValidationContext  # noqa: E402

from bench._verifiers import email_verifier  # noqa: E402
from smimecenter.diagnostics import TrustStore, diagnose, email_trust_store  # noqa: E402
from smimecenter.diagnostics.path_validation import run_to_end, settings_for, trust_anchor  # noqa: E402
from smimecenter.operations.serving import default_threads, default_workers  # noqa: E402
from tests.diagnostics import suites  # noqa: E402
from tests.diagnostics.builders import NOW, make_chain, pem  # noqa: E402

CLIENTS = 50
REQUESTS_PER_CLIENT = 20  # closed loop: 1,000 requests
OPEN_LOOP_SECONDS = 20  # open loop: about 1,000 requests


def timings(run: Callable[[], object], *, repeat: int) -> str:
    """Best and median wall time of `repeat` runs, and the CPU time per run (process time: what a
    shared machine's other work does not add to)."""
    for _ in range(5):
        run()
    samples = []
    cpu = time.process_time()
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / repeat
    return f"best {min(samples):6.2f} ms, median {statistics.median(samples):6.2f} ms, CPU {cpu_ms:6.2f} ms"


def suite_scores() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for label, cases in (("NIST PKITS", suites.pkits_cases()), ("x509-limbo", suites.limbo_cases())):
            right = sum(suites.engine_agrees(c) for c in cases)
            tabled = [c for c in cases if c.name in suites.WHERE_SMIME_DIFFERS]
            wrong = suites.disagreements(cases)
            record = [suites.record_valid(c) for c in cases]
            record_right = sum(r == c.expected_valid for r, c in zip(record, cases))
            undecided = sum(r is None for r in record)
            print(f"{label}: {len(cases)} cases in scope")
            print(f"  engine right: {right}; different by S/MIME policy (the table): {len(tabled)}; "
                  f"wrong outside the table: {len(wrong)}")
            print(f"  pyhanko-certvalidator alone right: {record_right}; undecided: {undecided}")
            for name, expected, ours in wrong:
                print(f"    WRONG {name}: expected {'valid' if expected else 'invalid'}, "
                      f"engine {'valid' if ours else 'invalid'}")


def three_certificate_chain() -> None:
    email_trust_store()
    chain = make_chain()
    supplied = pem(chain.leaf, chain.intermediate)
    extra = TrustStore.from_pem(chain.root_pem, name="Extra trust anchors")

    verifier = email_verifier([chain.root.certificate], NOW)

    def cryptography_verifier() -> None:
        leaf, *intermediates = x509.load_pem_x509_certificates(supplied)
        verifier.verify(leaf, intermediates)

    root_der, intermediate_der = chain.root.der, chain.intermediate.der

    def pyhanko_alone() -> None:
        leaf, *intermediates = x509.load_pem_x509_certificates(supplied)
        load = asn1_x509.Certificate.load
        context = ValidationContext(trust_roots=[trust_anchor(load(root_der))], moment=NOW,
                                    other_certs=[load(intermediate_der)], **settings_for())
        validator = CertificateValidator(load(leaf.public_bytes(Encoding.DER)),
                                         validation_context=context)
        run_to_end(validator.async_validate_path)

    def full_diagnosis() -> None:
        report = diagnose([supplied], trust=[extra], at=NOW)
        assert report.trust["trusted"], report.summary
        report.to_dict()

    def full_diagnosis_root_as_sent() -> None:
        # As the API and the page receive it: the root as PEM bytes, read again for each request.
        report = diagnose([supplied], trust=[chain.root_pem], at=NOW)
        assert report.trust["trusted"], report.summary
        report.to_dict()

    print("\nleaf + intermediate + root in one run, 300 runs each")
    print(f"  cryptography's verifier (yes or no):             {timings(cryptography_verifier, repeat=300)}")
    print(f"  pyhanko-certvalidator alone (its own builder):   {timings(pyhanko_alone, repeat=300)}")
    print(f"  full diagnosis, validator of record included:    {timings(full_diagnosis, repeat=300)}")
    print(f"  the same, the root sent as PEM with the request: {timings(full_diagnosis_root_as_sent, repeat=300)}")


SERVER = """
import os, sys
sys.path.insert(0, {root!r})
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
import django
django.setup()
from django.core.wsgi import get_wsgi_application

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

class Server(ThreadedWSGIServer):
    request_queue_size = 256  # 50 clients connect at once; the default backlog of 5 resets them

server = Server(("127.0.0.1", 0), Quiet)
server.set_app(get_wsgi_application())
print(server.server_address[1], flush=True)
server.serve_forever()
"""

Connect = Callable[[], http.client.HTTPConnection]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class ApiDiagnosis:
    """POST /api/v1/diagnose: the chain as text, the private root in `trust`."""

    label = "POST /api/v1/diagnose (JSON)"
    cpu_note = ""

    def __init__(self, connect: Connect, chain_pem: bytes, root_pem: bytes) -> None:
        self.connect = connect
        self.body = json.dumps({"text": chain_pem.decode(), "trust": [root_pem.decode()]}).encode()

    def client(self) -> Callable[[], str | None]:
        def once() -> str | None:
            status, _, _ = _exchange(self.connect, "POST", "/api/v1/diagnose", self.body,
                                     {"Content-Type": "application/json"})
            return None if status == 200 else str(status)
        return once


class PageDiagnosis:
    """What a person's browser does: POST the form (the chain pasted, the root as a file), follow
    the 303 to the result's address and GET the result page, on the same connection (HTTP/1.1
    keep-alive, as browsers do; each page a new connection, as separate people's browsers open).
    The form page is fetched once per client for its CSRF token, as a browser has it already."""

    label = "the full page: POST /tools/diagnose/, then GET the result page"
    cpu_note = " (the form page fetched once per client included)"

    def __init__(self, connect: Connect, chain_pem: bytes, root_pem: bytes) -> None:
        self.connect, self.chain_pem, self.root_pem = connect, chain_pem, root_pem

    def client(self) -> Callable[[], str | None]:
        status, headers, page = _exchange(self.connect, "GET", "/tools/diagnose/", b"", {})
        cookie = next(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"
                      and v.startswith("csrftoken="))
        boundary = "bench-boundary-7d1f"
        fields = [("csrfmiddlewaretoken", None, CSRF_FIELD.search(page.decode())[1].encode()),
                  ("text", None, self.chain_pem), ("trust", "root.pem", self.root_pem)]
        parts = []
        for name, filename, value in fields:
            disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
            parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
                         + value + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers_out = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie}

        def once() -> str | None:
            # As a browser does, the result is asked for on the connection the form was posted on.
            connection = self.connect()
            try:
                status, headers, _ = _ask(connection, "POST", "/tools/diagnose/", body, headers_out)
                if status != 303:
                    return f"POST {status}"
                location = next(v for k, v in headers if k.lower() == "location")
                status, _, result = _ask(connection, "GET", location, b"", {"Cookie": cookie})
            finally:
                connection.close()
            return None if status == 200 and b"<html" in result[:500].lower() else f"GET {status}"
        return once


def _exchange(connect: Connect, method: str, path: str, body: bytes, headers: dict[str, str]
              ) -> tuple[int, list[tuple[str, str]], bytes]:
    # One connection per request, as separate people's browsers open.
    connection = connect()
    try:
        return _ask(connection, method, path, body, headers)
    finally:
        connection.close()


def _ask(connection: http.client.HTTPConnection, method: str, path: str, body: bytes, headers: dict[str, str]
         ) -> tuple[int, list[tuple[str, str]], bytes]:
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


@dataclass
class Run:
    latencies: list[float]
    failures: list[str]
    wall: float

    def line(self) -> str:
        ordered = sorted(self.latencies)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        failed = f"failed: {len(self.failures)} {sorted(set(self.failures))}" if self.failures else "failed: 0"
        return (f"median {statistics.median(ordered):7.1f} ms, 95th percentile {p95:7.1f} ms, "
                f"max {ordered[-1]:7.1f} ms; {len(ordered) / self.wall:5.0f} requests/s; {failed}")


def one_client(target, requests: int) -> Run:
    once = target.client()
    for _ in range(5):
        once()
    latencies, failures = [], []
    started = time.perf_counter()
    for _ in range(requests):
        begin = time.perf_counter()
        outcome = once()
        latencies.append((time.perf_counter() - begin) * 1000)
        if outcome:
            failures.append(outcome)
    return Run(latencies, failures, time.perf_counter() - started)


def closed_loop(target, clients: int, requests_each: int) -> Run:
    """Each client sends its next request the moment the last one is answered (no think time)."""
    return _clients(target, clients, lambda once, record: [record(*_timed(once)) for _ in range(requests_each)])


def open_loop(target, clients: int, seconds: float) -> Run:
    """Each client sends one request a second on average (Poisson arrivals, a fixed seed), whether
    or not the previous one was answered; a latency counts from the moment the request was due, so
    a server that falls behind is not flattered (no coordinated omission)."""
    def run(once, record, seed=[0]):  # noqa: B006  (a counter shared by the clients)
        rng = random.Random(seed.__setitem__(0, seed[0] + 1) or seed[0])
        due = time.perf_counter() + rng.random()
        end = time.perf_counter() + seconds
        while due < end:
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            outcome = once()
            record((time.perf_counter() - due) * 1000, outcome)
            due += rng.expovariate(1.0)
    return _clients(target, clients, run)


def _timed(once: Callable[[], str | None]) -> tuple[float, str | None]:
    begin = time.perf_counter()
    outcome = once()
    return (time.perf_counter() - begin) * 1000, outcome


def _clients(target, clients: int, body: Callable) -> Run:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def record(latency: float, outcome: str | None) -> None:
        with lock:
            latencies.append(latency)
            if outcome:
                failures.append(outcome)

    prepared = [target.client() for _ in range(clients)]
    started = time.perf_counter()
    threads = [threading.Thread(target=body, args=(once, record)) for once in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(latencies, failures, time.perf_counter() - started)


class UnixConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket: the servers here listen on no port at all."""

    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=120)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


BASE_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "smimecenter.settings", "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "x" * 40, "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false", "DIAGNOSE_RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "ERROR",
    "REQUEST_LOG": "false", "LOG_FORMAT": "text", "GUNICORN_LOG_LEVEL": "warning",
    "PYTHONWARNINGS": "ignore",  # no static files are collected here; their warning is not a figure
}


@contextmanager
def threaded_server() -> Iterator[tuple[str, Connect, int, int]]:
    """Django's threaded development server in one process: Python runs one thread at a time."""
    environment = {**os.environ, **BASE_ENVIRONMENT, "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen([sys.executable, "-W", "ignore", "-c", SERVER.format(root=str(ROOT))],
                              stdout=subprocess.PIPE, env=environment, text=True)
    try:
        port = int(server.stdout.readline())
        yield ("one process, threads (Django's development server)",
               lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=120), server.pid, 1)
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def gunicorn_server() -> Iterator[tuple[str, Connect, int, int]]:
    """gunicorn as deployed (gunicorn.conf.py: threaded workers, one per core, serving.py) with a
    throwaway Redis as the shared cache the workers need; both on Unix sockets in a temporary folder."""
    folder = tempfile.mkdtemp(prefix="bench-paths-")
    redis_socket, web_socket = f"{folder}/redis.sock", f"{folder}/web.sock"
    redis = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", redis_socket, "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    environment = {**os.environ, **BASE_ENVIRONMENT, "CACHE_URL": f"unix://{redis_socket}",
                   "BIND": f"unix:{web_socket}"}
    environment.pop("WEB_CONCURRENCY", None)
    web = None
    try:
        _wait_for(lambda: os.path.exists(redis_socket))
        web = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"],
                               cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
        connect = lambda: UnixConnection(web_socket)  # noqa: E731
        _wait_for(lambda: _answers(connect))
        yield (f"gunicorn as deployed, {default_workers()} workers of {default_threads()} thread(s), Redis cache",
               connect, web.pid,
               os.cpu_count() or 1)
    finally:
        for process in (web, redis):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a server process and of its worker processes, from /proc:
    unlike wall time, other work on a shared machine does not add to it."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (proc(5))
    return total


def _answers(connect: Connect) -> bool:
    try:
        return _exchange(connect, "GET", "/healthz", b"", {})[0] == 200
    except OSError:
        return False


def _wait_for(ready: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.1)


def concurrent_requests() -> None:
    chain = make_chain()
    chain_pem = pem(chain.leaf, chain.intermediate)
    print(f"\nA diagnosis of leaf + intermediate (the private root sent along), {CLIENTS} clients on "
          "this machine. Target: a diagnosis request under 20 ms at the 95th percentile with 50 "
          "concurrent clients.")
    servers = [threaded_server]
    if shutil.which("redis-server"):
        servers.append(gunicorn_server)
    else:
        print("  (redis-server is not installed: gunicorn as deployed is left out)")
    for server in servers:
        with server() as (label, connect, pid, cores):
            print(f"\n{label}; {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} before "
                  "(a shared machine makes every figure here higher)")
            for target in (ApiDiagnosis(connect, chain_pem, chain.root_pem),
                           PageDiagnosis(connect, chain_pem, chain.root_pem)):
                closed_loop(target, 10, 5)  # every worker warm (imports, trust store), not measured
                alone = one_client(target, 50)
                cpu_before = server_cpu_seconds(pid)
                closed = closed_loop(target, CLIENTS, REQUESTS_PER_CLIENT)
                opened = open_loop(target, CLIENTS, OPEN_LOOP_SECONDS)
                served = len(closed.latencies) + len(opened.latencies)
                cpu_per_request = (server_cpu_seconds(pid) - cpu_before) / served
                print(f"  {target.label}")
                print(f"    one client alone (the service time):      {alone.line()}")
                print(f"    {CLIENTS} clients, closed loop (no think time):  {closed.line()}")
                print(f"    {CLIENTS} clients x 1 request/s, open loop:      {opened.line()}")
                print(f"    server CPU per request {cpu_per_request * 1000:.1f} ms{target.cpu_note}: at most "
                      f"{cores / cpu_per_request:.0f} requests/s on the {cores} core(s) this server can use")
    print("\n  Closed loop: each client asks again as soon as it is answered, so the latency is "
          f"{CLIENTS} / throughput\n  (p95 under 20 ms would need more than 2,500 diagnoses a second). "
          "Open loop: 50 people each\n  asking once a second, the realistic load; its latency counts "
          "from the moment each request was due.")


def main() -> None:
    suite_scores()
    three_certificate_chain()
    concurrent_requests()


if __name__ == "__main__":
    main()
