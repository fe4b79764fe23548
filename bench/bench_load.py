"""Load on the site as deployed: 50 clients for 60 s through nginx, a mix of articles, search and diagnoses.

Not a test. `make bench-load` starts the deployed stack (.ci/deployed-stack: nginx, two gunicorn
instances, PostgreSQL, Redis on loopback ports) and runs this against it; on its own, this script
needs DEPLOYED_NGINX (the proxy's address) and otherwise says so and does nothing. The load comes
from wrk (Debian's package), driven by a small Lua script written here.

Prints requests per second, p50/p95/p99 latency and errors (connection errors, timeouts, and any
answer other than 2xx/3xx). Target on the 2-core machine: 0 errors, p99 under 150 ms, at least 860
requests per second. Each diagnosis comes from its own made-up client address (X-Forwarded-For from
the trusted proxy), so the rate limit is applied, in Redis, without refusing the load itself.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
# Out of 100 requests: articles and section pages, searches, diagnoses (the rest: the home page).
MIX = {"article": 70, "search": 15, "diagnose": 5}
# LOAD_MIX=article=90,search=10,diagnose=0 to weigh the parts differently.
MIX.update({name: int(share) for name, _, share in
            (item.partition("=") for item in os.environ.get("LOAD_MIX", "").split(",") if item)})
SEARCHES = ["certificate", "outlook", "expired", "intermediate", "smime", "pkcs12", "trust", "encrypt"]

LUA = r"""
local articles = {ARTICLES}
local searches = {SEARCHES}
local diagnosis = {DIAGNOSIS}
local mix_article, mix_search, mix_diagnose = {MIX_ARTICLE}, {MIX_SEARCH}, {MIX_DIAGNOSE}
local counter = 0

request = function()
  counter = counter + 1
  local pick = math.random(100)
  local client = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  if pick <= mix_article then
    return wrk.format("GET", articles[math.random(#articles)], {["X-Forwarded-For"] = client})
  elseif pick <= mix_article + mix_search then
    return wrk.format("GET", "/search/?q=" .. searches[math.random(#searches)], {["X-Forwarded-For"] = client})
  elseif pick <= mix_article + mix_search + mix_diagnose then
    return wrk.format("POST", "/api/v1/diagnose",
                      {["Content-Type"] = "application/json", ["X-Forwarded-For"] = client}, diagnosis)
  end
  return wrk.format("GET", "/", {["X-Forwarded-For"] = client})
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write("RESULT ", string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(item) for item in items) + "}"


def _article_paths() -> list[str]:
    paths = []
    for section in ("learn", "guides", "troubleshooting"):
        paths.append(f"/{section}/")
        paths.extend(f"/{section}/{path.stem}/" for path in sorted((ROOT / "content" / section).glob("*.md")))
    return paths


def _diagnosis_body() -> str:
    from tests.diagnostics.builders import make_chain, pem

    chain = make_chain(email="alice@example.com")
    return json.dumps({"text": pem(chain.leaf, chain.intermediate).decode(), "email": "alice@example.com"})


def _stack_cpu_seconds() -> float:
    """CPU time (user + system) used so far by the stack's processes: the gunicorn masters and workers,
    nginx and Redis, found from the pid files .ci/deployed-stack keeps. A worker replaced during the run
    (max_requests) is counted too: its master has reaped it, so its time is in the master's children's
    time. 0 when they cannot be read."""
    stack = os.environ.get("DEPLOYED_STACK")
    if not stack or not Path("/proc").is_dir():
        return 0.0
    roots = set()
    for name in ("a.pid", "b.pid", "nginx.pid", "redis.pid"):
        try:
            roots.add(int((Path(stack) / name).read_text().strip()))
        except (OSError, ValueError):
            continue
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry.name), int(fields[1])
        if pid in roots:
            total += sum(int(value) for value in fields[11:15])    # utime, stime, cutime, cstime
        elif parent in roots:
            total += int(fields[11]) + int(fields[12])              # utime, stime
    return total / ticks


def _machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (every process, ours and everyone else's)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)      # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    base = os.environ.get("DEPLOYED_NGINX")
    if not base:
        print("bench_load: skipped, no deployed site to load (run `make bench-load`, which starts one)")
        return 0
    if shutil.which("wrk") is None:
        print("bench_load: skipped, wrk is not installed (apt-get install wrk)")
        return 0
    script = LUA
    for name, value in {"{ARTICLES}": _lua_list(_article_paths()), "{SEARCHES}": _lua_list(SEARCHES),
                        "{DIAGNOSIS}": json.dumps(_diagnosis_body()), "{MIX_ARTICLE}": str(MIX["article"]),
                        "{MIX_SEARCH}": str(MIX["search"]), "{MIX_DIAGNOSE}": str(MIX["diagnose"])}.items():
        script = script.replace(name, value)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        # Warm every page once, so the figures are of a running site rather than of first loads.
        subprocess.run(["wrk", "-t1", "-c4", "-d5s", "-s", handle.name, base], capture_output=True, check=True)
        cpu_before, load_before = _stack_cpu_seconds(), resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_before = _machine_busy_seconds()
        run = subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", handle.name,
                              base], capture_output=True, text=True, check=True)
        load_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = _stack_cpu_seconds() - cpu_before
        busy = _machine_busy_seconds() - busy_before
        load_cpu = (load_after.ru_utime + load_after.ru_stime) - (load_before.ru_utime + load_before.ru_stime)
    finally:
        os.unlink(handle.name)
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    seconds = result["duration_us"] / 1e6
    errors = sum(result[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    print(f"load through nginx: {CLIENTS} clients, {seconds:.0f} s, mix {MIX} (per 100; rest: home page), "
          f"on {os.cpu_count()} cores")
    print(f"  requests/s    {result['requests'] / seconds:8.1f}   ({result['requests']} requests)")
    print(f"  latency p50   {result['p50'] / 1000:8.1f} ms")
    print(f"  latency p95   {result['p95'] / 1000:8.1f} ms")
    print(f"  latency p99   {result['p99'] / 1000:8.1f} ms   (max {result['max'] / 1000:.1f} ms)")
    print(f"  errors        {errors:8d}   (connect {result['connect']}, read {result['read']}, write "
          f"{result['write']}, timeout {result['timeout']}, non-2xx/3xx {result['status']})")
    if server_cpu > 0 and result["requests"]:
        # On a shared machine the wall-clock figures above depend on everyone else's work; CPU time per
        # request much less so. What two cores could serve if the site (and wrk) had them to themselves:
        per_request = (server_cpu + load_cpu) / result["requests"]
        print(f"  CPU/request   {server_cpu / result['requests'] * 1000:8.2f} ms in the site (gunicorn, nginx, Redis)"
              f" + {load_cpu / result['requests'] * 1000:.2f} ms in wrk")
        print(f"  CPU-bound ceiling on {os.cpu_count()} free cores: {os.cpu_count() / per_request:.0f} requests/s"
              f"   (load average now {os.getloadavg()[0]:.1f})")
        # wrk shares the cores with the site: its part, and what everything else on the machine took.
        capacity = seconds * (os.cpu_count() or 1)
        others = max(0.0, busy - server_cpu - load_cpu)
        print(f"  CPU share     site {server_cpu / capacity:6.1%}, wrk {load_cpu / capacity:6.1%}, "
              f"other processes {others / capacity:6.1%}, idle {max(0.0, 1 - busy / capacity):6.1%}"
              f"   (of {os.cpu_count()} cores for {seconds:.0f} s)")
    print("  target: 0 errors, p99 < 150 ms, >= 860 requests/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
