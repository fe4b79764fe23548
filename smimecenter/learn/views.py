"""Pages of the knowledge center. Content is already rendered; views only pick and template.

Pages that are the same for every visitor are templated once per version (learn/rendered_pages.py).
"""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from smimecenter.learn import current, rendered_pages
from smimecenter.learn.frontmatter import SECTIONS
from smimecenter.learn.library import SECTION_SUMMARIES, SECTION_TITLES, Page
from smimecenter.learn.search import QueryProblem
from smimecenter.learn.suggestions import closest_pages, words_from_path
from smimecenter.organisation.article_extras import article_context


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return rendered_pages.serve(request, rendered_pages.pages, "home", lambda: _home(request))


def _home(request: HttpRequest) -> HttpResponse:
    library = current.library()
    sections = [
        {"name": name, "title": SECTION_TITLES[name], "summary": SECTION_SUMMARIES[name],
         "pages": library.section(name)[:5], "url": f"/{name}/"}
        for name in SECTIONS
    ]
    return render(request, "home.html", {"sections": sections})


@require_safe
def section_index(request: HttpRequest, section: str) -> HttpResponse:
    return rendered_pages.serve(request, rendered_pages.pages, ("section", section),
                                lambda: _section_index(request, section))


def _section_index(request: HttpRequest, section: str) -> HttpResponse:
    library = current.library()
    return render(request, "learn/section.html", {
        "section": section,
        "title": SECTION_TITLES[section],
        "summary": SECTION_SUMMARIES[section],
        "pages": library.section(section),
    })


@require_safe
def article(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    library = current.library()
    # The slug is only ever a dictionary key: no file is opened on its behalf.
    page = library.pages.get(slug)
    if page is None or page.section != section:
        target = library.resolve(f"/{section}/{slug}/")
        if target is None and slug in library.pages:
            target = library.pages[slug].url
        if target is None:
            raise Http404("No such page")
        return HttpResponsePermanentRedirect(target)
    return rendered_pages.serve(request, rendered_pages.pages, ("article", slug), lambda: _article(request, page))


def _article(request: HttpRequest, page: Page) -> HttpResponse:
    context: dict[str, object] = {"page": page}
    # Organisation notes and staff tools (smimecenter.organisation): spliced into the cached body, no re-rendering.
    context.update(article_context(request, page, current.article_body(page)))
    return render(request, "learn/article.html", context)


@require_safe
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/glossary.html", {"glossary": current.library().glossary})


# Longer queries than the search box allows are answered, never stored.
SEARCH_STORED_QUERY_LENGTH = 200


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    # Only a known section filters; anything else in the address means "everywhere".
    section = request.GET.get("section", "")
    section = section if section in SECTION_TITLES else ""
    if len(query) > SEARCH_STORED_QUERY_LENGTH:
        return _search(request, query, section)
    # The page shows the query as typed, so the exact text (not a normalised form) is the key.
    return rendered_pages.serve(request, rendered_pages.searches, (query, section),
                                lambda: _search(request, query, section))


def _search(request: HttpRequest, query: str, section: str) -> HttpResponse:
    context: dict[str, object] = {"query": query[:500], "hits": [], "problem": None, "section": section,
                                  "sections": SECTION_TITLES.items(), "corrections": {}}
    try:
        results = current.search_index().results(query, section=section or None)
        context.update(hits=results.hits, corrections=results.corrections)
    except QueryProblem as problem:
        context["problem"] = str(problem) if query.strip() else None
    return render(request, "learn/search.html", context)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    try:
        suggestions = closest_pages(current.library(), current.search_index(), request.path)
    except Exception:  # noqa: BLE001 - a 404 page must never become a 500: offer search alone
        suggestions = []
    return render(request, "404.html", {"query": words_from_path(request.path), "suggestions": suggestions},
                  status=404)
