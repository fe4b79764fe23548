"""Two app servers sharing one PostgreSQL and one Redis behave as one site."""
from __future__ import annotations

import json
import math
import os
import re
import time
from html import unescape

import pytest

from tests.deployed.conftest import Browser
from tests.diagnostics.builders import make_chain, pem


def _diagnose(browser: Browser, base: str, text: str) -> tuple[int, dict]:
    answer = browser.request("/api/v1/diagnose", json.dumps({"text": text}).encode(), base=base,
                             content_type="application/json")
    return answer.status, (json.loads(answer.text) if answer.status == 200 else {})


def test_the_rate_limit_holds_across_instances(browser: Browser, site) -> None:
    limit = int(os.environ.get("DIAGNOSE_RATE_LIMIT_PER_MINUTE", "30"))
    started = time.monotonic()
    statuses = [_diagnose(browser, site["a" if n % 2 else "b"], "x")[0] for n in range(limit + 10)]
    elapsed = time.monotonic() - started
    allowed = statuses.count(200)
    # The burst is one minute's worth; tokens trickle back at limit/60 a second meanwhile.
    assert limit <= allowed <= limit + math.ceil(elapsed * limit / 60), (allowed, elapsed)
    assert statuses.count(429) == len(statuses) - allowed


def test_a_share_made_through_one_instance_opens_through_the_other(browser: Browser, site) -> None:
    # As a person does it: check on A, read the result on A, create the share from its signed offer on A.
    chain = make_chain(email="alice@example.com")
    form = browser.request("/tools/diagnose/", base=site["a"])
    posted = browser.request("/tools/diagnose/", {"csrfmiddlewaretoken": browser.csrf_token(form.text),
                                                  "text": pem(chain.leaf, chain.intermediate).decode(),
                                                  "email": "alice@example.com"}, base=site["a"])
    assert posted.status == 303, posted.text[:500]
    result = browser.request("/" + posted.headers["Location"].split("://", 1)[-1].split("/", 1)[-1], base=site["a"])
    offer = unescape(re.search(r'name="offer" value="([^"]*)"', result.text).group(1))
    created = browser.request("/share/", {"csrfmiddlewaretoken": browser.csrf_token(result.text), "offer": offer},
                              base=site["a"])
    assert created.status == 200, created.text[:500]
    share_path = re.search(r'href="(/share/[A-Za-z0-9_-]+/)"', created.text).group(1)
    opened = browser.request(share_path, base=site["b"])
    assert opened.status == 200
    assert "alice@example.com" in opened.text


def test_a_result_token_made_through_one_instance_opens_through_the_other(browser: Browser, site) -> None:
    """A result at its own address (post/redirect/get): the form's POST answers with a redirect to it."""
    chain = make_chain(email="dave@example.com")
    offer = browser.request("/tools/diagnose/", base=site["a"])
    posted = browser.request("/tools/diagnose/", {"csrfmiddlewaretoken": browser.csrf_token(offer.text),
                                                  "text": pem(chain.leaf, chain.intermediate).decode(),
                                                  "email": "dave@example.com"}, base=site["a"])
    if posted.status == 200:
        pytest.skip("results are shown in the POST's answer here: no result token to open elsewhere")
    assert posted.status in (302, 303), posted.text[:500]
    location = posted.headers["Location"]
    result_path = location.split("://", 1)[-1].split("/", 1)[-1]
    opened = browser.request("/" + result_path, base=site["b"])
    assert opened.status == 200
    assert "dave@example.com" in opened.text


def test_an_organisation_root_added_through_one_instance_is_used_by_the_other(browser: Browser, site) -> None:
    chain = make_chain(email="carol@example.com")
    supplied = pem(chain.leaf, chain.intermediate).decode()
    note = f"Deployed test root {time.time_ns()}"
    _, before = _diagnose(browser, site["b"], supplied)
    assert before["trust"]["trusted"] is False        # instance B now holds the organisation's roots

    login = browser.request("/admin/login/", base=site["a"])
    signed_in = browser.request("/admin/login/?next=/admin/", {
        "csrfmiddlewaretoken": browser.csrf_token(login.text), "username": os.environ["DJANGO_SUPERUSER_USERNAME"],
        "password": os.environ["DJANGO_SUPERUSER_PASSWORD"], "next": "/admin/"}, base=site["a"])
    assert signed_in.status == 302, signed_in.text[:500]
    form = browser.request("/admin/organisation/organisationtrustanchor/add/", base=site["a"])
    added = browser.request("/admin/organisation/organisationtrustanchor/add/", {
        "csrfmiddlewaretoken": browser.csrf_token(form.text), "pem": chain.root.pem.decode(), "note": note,
        "_save": "Save"}, base=site["a"])
    assert added.status == 302, added.text[:800]

    _, after = _diagnose(browser, site["b"], supplied)   # the very next request to B
    assert after["trust"]["trusted"] is True
    assert after["trust"]["store"] == note
