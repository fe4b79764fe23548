"""Figures for the knowledge center (prints; not a test).

1. Serving an article does no Markdown work: an article request against a
   request for a plain template of the same size (target: at most 1.5 times).
2. 1,000 generated articles: a first start renders them all (target: under
   10 s, over a process pool), a later start reads them from the disk cache
   (target: under 1 s), the search index is built on the first search, and
   a search over them (target: under 5 ms). Also what rendering one page
   costs on one core.
"""
from __future__ import annotations

import os
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

from smimecenter.learn import frontmatter, rendering  # noqa: E402
from smimecenter.learn.content_cache import ContentCache  # noqa: E402
from smimecenter.learn.library import load_library  # noqa: E402
from smimecenter.learn.search import SearchIndex  # noqa: E402

ARTICLE = "/learn/why-trust-fails/"
_plain_html = ""


def plain(request: HttpRequest) -> HttpResponse:
    """base.html with a block of ready HTML as large as the article's: the cost floor of any page."""
    return render(request, "bench_plain.html", {"body": _plain_html})


urlpatterns = [path("bench-plain/", plain), path("", include("smimecenter.urls"))]


class Timer:
    """Wall-clock time, and the CPU time of this process and of the workers it waited for.

    On a busy machine the wall-clock figure grows with the load; the CPU figures do not.
    """

    def __enter__(self) -> Timer:
        self.wall, self.cpu, self.times = time.perf_counter(), time.process_time(), os.times()
        return self

    def __exit__(self, *exc: object) -> None:
        times = os.times()
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        self.children = times.children_user + times.children_system - self.times.children_user - self.times.children_system

    def __str__(self) -> str:
        workers = f" + {self.children:.2f} s in worker processes" if self.children >= 0.01 else ""
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s{workers})"


def median_ms(client: Client, url: str, runs: int = 400) -> tuple[float, float]:
    """Median CPU time and median wall-clock time of a request, in ms."""
    for _ in range(30):
        client.get(url)
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start = time.process_time(), time.perf_counter()
        response = client.get(url)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(cpu), statistics.median(wall)


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
            a, a_wall = median_ms(client, ARTICLE)
            p, p_wall = median_ms(client, "/bench-plain/")
    print(f"article request: median CPU {a:.3f} ms, wall {a_wall:.3f} ms ({len(article):,} bytes)")
    print(f"plain template:  median CPU {p:.3f} ms, wall {p_wall:.3f} ms ({plain_size:,} bytes)")
    print(f"ratio: {a / p:.2f} in CPU time, {a_wall / p_wall:.2f} in wall-clock time (target: at most 1.5)")


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
        with Timer() as first:
            library = load_library(root, cache=cache)
        assert len(library.pages) == 1000, len(library.pages)
        with Timer() as indexing:
            index = SearchIndex(library)
        print(f"1,000 articles, first start (nothing cached): load+render {first} (target: under 10 s)")
        with Timer() as warm:
            library = load_library(root, cache=cache)
        print(f"1,000 articles, any later start (disk cache): load {warm} (target: under 1 s)")
        print(f"search index over them, built on the first search: {indexing}")
        for query in ("missing intermediate", "p12 wrong password", "outlook", "thunderbird sha-1 signature", "keychain",
                      "certifcate expird"):  # the last has two typos, read as the closest index words
            index.search(query)
            cpu, wall = [], []
            for _ in range(50):
                start_cpu, start = time.process_time(), time.perf_counter()
                index.search(query)
                cpu.append((time.process_time() - start_cpu) * 1000)
                wall.append((time.perf_counter() - start) * 1000)
            print(f"search {query!r}: median CPU {statistics.median(cpu):.2f} ms, wall {statistics.median(wall):.2f} ms "
                  "(target: under 5 ms)")


def one_page_on_one_core() -> None:
    library = load_library(Path(_django.ROOT) / "content")
    bodies = [frontmatter.split(page.path.read_text(encoding="utf-8"))[1] for page in library.pages.values()]
    terms = rendering.TermMatcher([entry.term for entry in library.glossary.entries])
    with Timer() as rendering_all:
        for body in bodies:
            assert rendering.render(body, terms=terms).html
    print(f"rendering one real page on one core (glossary links included): {rendering_all.cpu * 1000 / len(bodies):.2f} ms "
          f"CPU ({rendering_all.wall * 1000 / len(bodies):.2f} ms wall-clock)")


if __name__ == "__main__":
    article_vs_plain()
    one_page_on_one_core()
    thousand_articles()
