"""Pages rendered once and served from memory: the same bytes, the same headers, each visitor's own CSRF token,
and a new rendering as soon as the content, the organisation's settings or a setting changes."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from smimecenter.learn import current, rendered_pages
from smimecenter.organisation.models import Organisation, OrganisationNote
from smimecenter.organisation.signals import invalidate_all
from tests.learn.conftest import SAMPLE, page, write_content

pytestmark = [pytest.mark.usefixtures("content"), pytest.mark.django_db]

ARTICLE = "/learn/why-trust-fails/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Headers that differ on every response by design.
PER_RESPONSE = {"X-Request-ID", "Set-Cookie"}


@pytest.fixture(autouse=True)
def _empty_stores():
    invalidate_all()
    rendered_pages.pages.clear()
    rendered_pages.searches.clear()
    yield
    invalidate_all()


def _headers(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in PER_RESPONSE}


@pytest.mark.parametrize("path", [ARTICLE, "/learn/", "/", "/search/?q=intermediate"])
def test_the_second_visitor_gets_the_same_page_and_headers_without_template_work(path: str) -> None:
    first, second = Client().get(path), Client().get(path)
    assert first.status_code == second.status_code == 200
    assert first.templates and not second.templates
    assert _headers(first) == _headers(second)
    if path == "/":
        # The home page's form posts: the tokens differ, everything around them is the same.
        assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    else:
        assert first.content == second.content


def test_each_visitor_of_the_stored_home_page_gets_a_token_that_matches_their_own_cookie() -> None:
    Client().get("/")                                      # renders and stores the page
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    answers = [visitor.get("/") for visitor in visitors]
    tokens = [TOKEN.search(answer.content.decode()).group(1) for answer in answers]
    assert not any(answer.templates for answer in answers)
    assert tokens[0] != tokens[1]
    for answer in answers:
        assert "csrftoken" in answer.cookies
        assert "Cookie" in answer["Vary"]
        assert rendered_pages._CSRF_MARKER not in answer.content
    # The form posts with the token it was given: the CSRF check passes (the form's answer, not a 403).
    posted = visitors[0].post("/tools/diagnose/", {"csrfmiddlewaretoken": tokens[0], "text": "not a certificate"})
    assert posted.status_code != 403
    # Another visitor's token does not pass with this visitor's cookie.
    crossed = visitors[0].post("/tools/diagnose/", {"csrfmiddlewaretoken": tokens[0][:32] + "A" * 32, "text": "x"})
    assert crossed.status_code == 403


def test_a_changed_organisation_name_is_on_the_next_page() -> None:
    Client().get(ARTICLE)
    Organisation.objects.create(name="ACME")
    answer = Client().get(ARTICLE)
    assert answer.templates
    assert "ACME · SMIME Center" in answer.content.decode()


def test_a_new_note_is_in_the_next_article() -> None:
    Client().get(ARTICLE)
    OrganisationNote.objects.create(page_slug="why-trust-fails", anchor="missing-intermediate",
                                    body="Ask the ACME help desk for the intermediate.")
    assert "Ask the ACME help desk" in Client().get(ARTICLE).content.decode()


def test_changed_content_is_rendered_again(settings, tmp_path) -> None:
    assert "Mail apps build a chain." in Client().get(ARTICLE).content.decode()
    changed = dict(SAMPLE, **{"learn/why-trust-fails.md": SAMPLE["learn/why-trust-fails.md"].replace(
        "Mail apps build a chain.", "Mail apps build a chain of certificates.")})
    settings.CONTENT_DIR = write_content(tmp_path / "changed", changed)
    current.reset()
    assert "Mail apps build a chain of certificates." in Client().get(ARTICLE).content.decode()


def test_a_changed_setting_is_rendered_again(settings) -> None:
    assert 'href="http://127.0.0.1:8000/learn/"' in Client().get("/learn/").content.decode()
    settings.SITE_URL = "https://smime.example"
    assert 'href="https://smime.example/learn/"' in Client().get("/learn/").content.decode()


def test_staff_see_their_tools_and_their_pages_are_never_stored(admin_user) -> None:
    staff = Client()
    staff.force_login(admin_user)
    assert "reading list" in staff.get(ARTICLE).content.decode().lower()
    assert "reading list" not in Client().get(ARTICLE).content.decode().lower()
    assert "reading list" in staff.get(ARTICLE).content.decode().lower()


def test_a_search_page_shows_its_own_query_escaped() -> None:
    for query in ("intermediate", "<b>intermediate</b>", "intermediate "):
        body = Client().get("/search/", {"q": query}).content.decode()
        assert f'value="{query.replace("<", "&lt;").replace(">", "&gt;")}"' in body
    assert len(rendered_pages.searches._pages) == 3


def test_long_queries_and_failed_answers_are_not_stored() -> None:
    Client().get("/search/", {"q": "intermediate " * 20})
    Client().get("/learn/nowhere/")
    Client().get("/learn/trust-problems/")                   # a redirect
    assert not rendered_pages.searches._pages
    assert not rendered_pages.pages._pages


def test_the_store_forgets_the_least_recently_used_page_first() -> None:
    store = rendered_pages.RenderedPages(limit=2)
    version = (object(),)
    for key in ("a", "b"):
        store.put(key, rendered_pages._Stored(version, key.encode(), "text/html", False))
    assert store.get("a", version) is not None                # "a" is now the most recently used
    store.put("c", rendered_pages._Stored(version, b"c", "text/html", False))
    assert store.get("b", version) is None
    assert store.get("a", version) is not None and store.get("c", version) is not None
    assert store.get("a", (object(),)) is None                 # another version is not this page


def test_development_never_stores_a_page(settings) -> None:
    settings.DEBUG = True
    Client().get("/learn/")
    assert Client().get("/learn/").templates


def test_a_page_added_to_the_content_is_listed(settings, tmp_path) -> None:
    Client().get("/learn/")
    settings.CONTENT_DIR = write_content(tmp_path / "more", dict(SAMPLE, **{
        "learn/what-is-smime.md": page("What is S/MIME", "learn", "Signing and encryption.", order=3)}))
    current.reset()
    assert "What is S/MIME" in Client().get("/learn/").content.decode()
