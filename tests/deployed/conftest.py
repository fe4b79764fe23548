"""Fixtures for the tests of the site as deployed; they run only when .ci/deployed-tests has started it."""
from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest

DEPLOYED = os.environ.get("DEPLOYED_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    if DEPLOYED:
        return
    skip = pytest.mark.skip(reason="the deployed site is not running (.ci/deployed-tests starts it)")
    for item in items:
        if "tests/deployed/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Browser:
    """A plain HTTP client that keeps cookies itself: the site marks them Secure (DEBUG is off), and the
    standard library's jar will not send those over the loopback's plain HTTP."""

    base: str
    client_address: str = "198.51.100.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, data: dict[str, str] | bytes | None = None, *, base: str | None = None,
                content_type: str | None = None, timeout: float = 30) -> Answer:
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request((base or self.base) + path, data=body)
        # Through our proxy (or straight to an app server from the trusted loopback) this address
        # is the client, as TRUSTED_PROXIES reads X-Forwarded-For.
        request.add_header("X-Forwarded-For", self.client_address)
        if content_type or isinstance(data, dict):
            request.add_header("Content-Type", content_type or "application/x-www-form-urlencoded")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        request.add_header("Referer", (base or self.base) + path)
        try:
            with _opener.open(request, timeout=timeout) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        for cookie in headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(status, dict(headers.items()), raw.decode("utf-8", "replace"))

    def csrf_token(self, page_text: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text)
        assert found, "no CSRF token on the page"
        return found.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@pytest.fixture
def site() -> dict[str, str]:
    return {"a": os.environ["DEPLOYED_A"], "b": os.environ["DEPLOYED_B"], "nginx": os.environ["DEPLOYED_NGINX"]}


@pytest.fixture
def browser(site, request) -> Browser:
    # Each test is its own client, so that one test's rate limit does not spend another's.
    number = abs(hash(request.node.nodeid)) % 250 + 2
    return Browser(site["nginx"], client_address=f"198.51.100.{number}")
