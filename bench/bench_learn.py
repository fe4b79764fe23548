"""Figures for the knowledge center (prints; not a test).

1. Serving an article does no Markdown work: an article request against a
   request for a plain template of the same size (target: at most 1.5 times).
2. Loading and indexing 1,000 generated articles (target: under 2 s) and a
   search over them (target: under 5 ms). Also what a page's first request
   adds (its glossary links), which is not part of a start.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402

_django.setup()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from smimecenter.learn.content_cache import ContentCache  # noqa: E402
from smimecenter.learn.library import load_library  # noqa: E402
from smimecenter.learn.search import SearchIndex  # noqa: E402

ARTICLE = "/learn/why-trust-fails/"
_plain_html = ""


def plain(request: HttpRequest) -> HttpResponse:
    """base.html with a block of ready HTML as large as the article's: the cost floor of any page."""
    return render(request, "bench_plain.html", {"body": _plain_html})


urlpatterns = [path("bench-plain/", plain), path("", include("smimecenter.urls"))]


def median_ms(client: Client, url: str, runs: int = 400) -> float:
    for _ in range(30):
        client.get(url)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def article_vs_plain() -> None:
    global _plain_html
    client = Client()
    article = client.get(ARTICLE).content.decode()
    # Same number of bytes, no Markdown, through the same base template.
    _plain_html = "<p>" + ("x" * (len(article) - 2000)) + "</p>"
    with tempfile.TemporaryDirectory() as templates:
        Path(templates, "bench_plain.html").write_text(
            '{% extends "base.html" %}{% block content %}{{ body|safe }}{% endblock %}'
        )
        from django.conf import settings

        engines = [dict(settings.TEMPLATES[0], DIRS=[*settings.TEMPLATES[0]["DIRS"], templates])]
        with override_settings(ROOT_URLCONF=__name__, TEMPLATES=engines):
            plain_size = len(client.get("/bench-plain/").content)
            a = median_ms(client, ARTICLE)
            p = median_ms(client, "/bench-plain/")
    print(f"article request: median {a:.3f} ms ({len(article):,} bytes)")
    print(f"plain template:  median {p:.3f} ms ({plain_size:,} bytes)")
    print(f"ratio: {a / p:.2f} (target: at most 1.5)")


def thousand_articles() -> None:
    content = Path(_django.ROOT) / "content"
    originals = sorted(content.glob("*/*.md"))
    bodies = [path.read_text(encoding="utf-8") for path in originals]
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / "glossary.toml").write_text((content / "glossary.toml").read_text())
        for name in ("learn", "guides", "troubleshooting"):
            (root / name).mkdir()
        # The real pages (so their cross-links resolve) and generated copies up to 1,000.
        for path in originals:
            (root / path.parent.name / path.name).write_text(path.read_text(encoding="utf-8"))
        for number in range(1000 - len(originals)):
            text = bodies[number % len(bodies)]
            # Keep each page's own section; related links stay valid because originals are included.
            section = text.split('section = "', 1)[1].split('"', 1)[0]
            text = text.replace('title = "', f'title = "Copy {number}: ', 1)
            # A distinct body, so that nothing is served from the cache on the first start.
            text += f"\n\nThis is generated copy number {number}.\n"
            (root / section / f"generated-{number:04d}.md").write_text(text)
        cache = ContentCache(root / ".cache")
        start = time.perf_counter()
        library = load_library(root, cache=cache)
        loaded = time.perf_counter() - start
        assert len(library.pages) == 1000, len(library.pages)
        start = time.perf_counter()
        index = SearchIndex(library)
        indexed = time.perf_counter() - start
        print(f"1,000 articles, first start (nothing cached): load+render {loaded:.2f} s, index {indexed:.2f} s, "
              f"total {loaded + indexed:.2f} s")
        # Not part of a start: each page's glossary links are added when it is first served.
        start = time.perf_counter()
        for page in library.pages.values():
            assert page.rendered.html
        per_page = (time.perf_counter() - start) * 1000 / len(library.pages)
        print(f"glossary links, added on a page's first request: {per_page:.2f} ms a page")
        start = time.perf_counter()
        library = load_library(root, cache=cache)
        loaded = time.perf_counter() - start
        SearchIndex(library)
        print(f"1,000 articles, any later start (disk cache): load+index {time.perf_counter() - start:.2f} s "
              f"(target: under 2 s; loading {loaded:.2f} s of it)")
        for query in ("missing intermediate", "p12 wrong password", "outlook", "thunderbird sha-1 signature", "keychain",
                      "certifcate expird"):  # the last has two typos, read as the closest index words
            index.search(query)
            samples = []
            for _ in range(50):
                start = time.perf_counter()
                index.search(query)
                samples.append((time.perf_counter() - start) * 1000)
            print(f"search {query!r}: median {statistics.median(samples):.2f} ms (target: under 5 ms)")


if __name__ == "__main__":
    article_vs_plain()
    thousand_articles()
