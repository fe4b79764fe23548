"""Every regular expression of the request path runs in bounded time on long adversarial text.

A pattern with two quantifiers that can match the same characters (the share page's old
`\\s+([A-Za-z0-9+/=\\s]+?)-----END`) backtracks quadratically: 64,000 spaces took 47 s. This test
imports every module the site serves requests with, finds every compiled pattern in them, and runs each
over long strings built to make such patterns backtrack.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import smimecenter

LENGTH = 20_000
SECONDS_PER_RUN = 0.25  # a linear scan of 20,000 characters takes a few milliseconds
# Not on the request path: commands run by an operator, schema migrations, and what reads the site's own
# files at start-up (the Markdown pages and their front matter, the trust-store sources of build_trust_store).
SKIPPED_PARTS = ("management", "migrations")
SKIPPED_MODULES = ("smimecenter.learn.rendering", "smimecenter.learn.frontmatter", "smimecenter.learn.library",
                   "smimecenter.learn.content_cache", "smimecenter.diagnostics.truststore_sources")
PREFIXES = ["", "-----BEGIN CERTIFICATE-----", "-----BEGIN ", "-----END ", "<h2", "<", "# ", "{: #", "!!! ",
            "section ", "1.", "a@", "\n    ", "&#", "%", "(", '"', "href="]
FILLERS = [" ", "a", "A", "\n", "\t", "=", "> ", "1.", "a ", "-", "<", "(", " \n", "\\", "/", "é"]


def request_path_patterns() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for module_info in pkgutil.walk_packages(smimecenter.__path__, "smimecenter."):
        if any(part in module_info.name.split(".") for part in SKIPPED_PARTS) or module_info.name in SKIPPED_MODULES:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and getattr(value, "pattern", None):
                found.setdefault(f"{module_info.name}.{name}", value)
    return found


PATTERNS = request_path_patterns()


def adversarial_strings(length: int = LENGTH) -> list[str]:
    strings = []
    for prefix in PREFIXES:
        for filler in FILLERS:
            strings.append(prefix + filler * (length // len(filler)))
    return strings


def one_run(pattern: re.Pattern, text: str) -> float:
    subject = text.encode("utf-8", errors="ignore") if isinstance(pattern.pattern, bytes) else text
    started = time.perf_counter()
    for _ in pattern.finditer(subject):
        pass
    return time.perf_counter() - started


def slowest_run(pattern: re.Pattern, strings: list[str]) -> tuple[float, str]:
    """The slowest string's time; a slow one is timed twice more and its best kept (the machine is shared)."""
    worst, worst_string = 0.0, ""
    for text in strings:
        elapsed = one_run(pattern, text)
        if elapsed > SECONDS_PER_RUN / 10:
            elapsed = min(elapsed, one_run(pattern, text), one_run(pattern, text))
        if elapsed > worst:
            worst, worst_string = elapsed, text[:40]
    return worst, worst_string


def test_the_request_path_has_patterns_to_check():
    assert len(PATTERNS) > 8
    assert "smimecenter.diagnostics.inputs.pem._HTML_TAG" in PATTERNS


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_pattern_is_linear_on_adversarial_text(name):
    elapsed, text = slowest_run(PATTERNS[name], adversarial_strings())
    assert elapsed < SECONDS_PER_RUN, f"{name} took {elapsed:.2f} s on {text!r}…"


def test_the_probe_catches_the_pattern_that_made_shares_hang():
    old_share_pattern = re.compile(r"-----BEGIN CERTIFICATE-----\s+([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----")
    short = min(one_run(old_share_pattern, "-----BEGIN CERTIFICATE-----" + " " * 1_000) for _ in range(3))
    long = min(one_run(old_share_pattern, "-----BEGIN CERTIFICATE-----" + " " * 4_000) for _ in range(3))
    assert long > 6 * short  # four times the text, about sixteen times the time: quadratic
    assert long > SECONDS_PER_RUN / 4


def test_the_share_and_anchor_scanners_are_linear_on_the_share_attack():
    from smimecenter.organisation.anchors import AnchorProblem, read_anchor
    from smimecenter.organisation.sharing import certificates_in_pem_text

    attack = "-----BEGIN CERTIFICATE-----" + " " * 320_000
    started = time.perf_counter()
    assert certificates_in_pem_text(attack) == []
    with pytest.raises(AnchorProblem):
        read_anchor(attack)
    assert time.perf_counter() - started < 1.0
