"""Server-side costs of the certificate check page and the JSON API, next to the engine's own time.

Not a test: run `python bench/bench_tools.py` (or `make bench`) and read the figures.
Targets: the API answers a 3-certificate chain within 5 ms (median) of what diagnose() alone takes;
the result page for the same chain renders (presentation, SVG and template) in under 20 ms.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _django import setup  # noqa: E402

setup()

from django.core.cache import cache  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402

from smimecenter.diagnostics import diagnose, email_trust_store  # noqa: E402
from smimecenter.tools.forms import DiagnosisRequest  # noqa: E402
from smimecenter.tools.presentation import result_context  # noqa: E402
from smimecenter.tools.running import engine_limits, run_diagnosis, trust_for  # noqa: E402
from tests.diagnostics.builders import make_chain, pem  # noqa: E402

REPEAT = 300


def median_ms(run: Callable[[], object], *, repeat: int = REPEAT) -> float:
    for _ in range(5):
        run()  # warm caches (trust store, templates, imports) outside the measurement
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    email_trust_store()
    chain = make_chain()
    three = pem(chain.leaf, chain.intermediate, chain.root)
    request = DiagnosisRequest(inputs=[three], trust=[chain.root_pem])
    body = json.dumps({"text": three.decode(), "trust": [chain.root_pem.decode()]})
    client = Client()

    def engine() -> None:
        diagnose([three], trust=trust_for(request), limits=engine_limits())

    def api() -> None:
        response = client.post("/api/v1/diagnose", body, content_type="application/json")
        assert response.status_code == 200, response.content

    report = run_diagnosis(request)
    assert report.status == "pass", report.summary
    page_request = RequestFactory().get("/tools/diagnose/")

    def render_result() -> None:
        context = result_context(report)  # each certificate in the report carries its PEM
        context["nav"] = "tools"
        render_to_string("tools/result.html", context, request=page_request)

    def whole_page() -> None:
        # The check answers with its result's address; the browser then asks for it.
        response = client.post("/tools/diagnose/", {"text": three.decode()}, follow=True)
        assert response.status_code == 200

    with override_settings(DIAGNOSE_RATE_LIMIT_PER_MINUTE=0):
        cache.clear()
        engine_ms = median_ms(engine)
        api_ms = median_ms(api)
        render_ms = median_ms(render_result)
        page_ms = median_ms(whole_page, repeat=100)

    print("certificate check, 3-certificate chain (leaf, intermediate, root; root as extra anchor)")
    print(f"  diagnose() alone                         {engine_ms:7.2f} ms median")
    print(f"  POST /api/v1/diagnose (JSON), in-process {api_ms:7.2f} ms median"
          f"  -> {api_ms - engine_ms:+.2f} ms over the engine (target < 5 ms)")
    print(f"  result page: presentation, SVG, template {render_ms:7.2f} ms median (target < 20 ms)")
    print(f"  POST /tools/diagnose/ end to end         {page_ms:7.2f} ms median"
          " (check, keep the result, redirect, GET the result page)")


if __name__ == "__main__":
    main()
