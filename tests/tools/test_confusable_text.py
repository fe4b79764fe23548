"""Hidden characters are shown as escapes, and look-alike addresses get a warning on every page."""
from __future__ import annotations

import pytest
from django.template import Context, Template

from smimecenter.tools.scripts import is_mixed_script, scripts_in
from smimecenter.tools.text import printable


@pytest.mark.parametrize(("hidden", "shown"), [
    ("\u061c", "\\u061c"),        # Arabic letter mark (Cf)
    ("\u00ad", "\\xad"),          # soft hyphen (Cf)
    ("\u180e", "\\u180e"),        # Mongolian vowel separator (Cf)
    ("\U000e0041", "\\U000e0041"),  # tag letter A (Cf)
    ("\U000e007f", "\\U000e007f"),  # cancel tag (Cf)
    ("\u202e", "\\u202e"),        # right-to-left override (Cf)
    ("\u200d", "\\u200d"),        # zero-width joiner (Cf)
    ("\x07", "\\x07"),            # bell (Cc)
    ("\ue000", "\\ue000"),        # private use (Co)
    ("\U0010fffd", "\\U0010fffd"),  # private use, plane 16 (Co)
    ("\u0378", "\\u0378"),        # unassigned (Cn)
    ("\u2028", "\\u2028"),        # line separator (Zl)
])
def test_every_hidden_character_is_written_out(hidden, shown):
    assert printable(f"alice{hidden}@example.com") == f"alice{shown}@example.com"


@pytest.mark.parametrize("visible", ["alice@example.com", "Ærøskøbing Ltd", "株式会社", "Zoë O’Brien",
                                     "müller\u00a0gmbh", "עברית", "e\u0301"])
def test_visible_text_is_left_alone(visible):
    assert printable(visible) == visible


def test_printable_is_fast_on_long_hostile_text():
    import time

    text = "\U000e0041\u00ad" * 100_000
    started = time.perf_counter()
    assert printable(text).startswith("\\U000e0041\\xad")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("address", ["\u0430lice@ex\u0430mple.com", "p\u0430ypal.com", "alice@\u03bfrg.example",
                                     "admin@例え.example"])
def test_addresses_that_mix_scripts_are_detected(address):
    assert is_mixed_script(address)


@pytest.mark.parametrize("address", ["alice@example.com", "иван@пример.рф", "用户@例子.广告", "ユーザー@例え.テスト",
                                     "사용자@예시.한국", "zoe\u0308@example.com", "δοκιμή@παράδειγμα.δοκιμή", ""])
def test_single_script_addresses_are_not_flagged(address):
    assert not is_mixed_script(address)


def test_the_warning_names_the_scripts():
    assert scripts_in("\u0430lice@example.com") == ["Cyrillic", "Latin"]


def render(value: str) -> str:
    return Template("{% load certificate_text %}{{ value|address }}").render(Context({"value": value}))


def test_the_address_filter_warns_and_escapes():
    html = render("\u0430lice@ex\u0430mple.com<b>")
    assert "mixes Cyrillic and Latin letters" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_the_address_filter_is_quiet_for_a_plain_address():
    assert render("alice@example.com") == "alice@example.com"


@pytest.mark.django_db
def test_the_result_page_warns_about_a_look_alike_address_that_was_typed(client):
    from tests.diagnostics.builders import make_chain

    chain = make_chain(email="alice@example.com")
    # Certificates carry ASCII addresses (or punycode); the typed address can hold Unicode in its domain.
    response = client.post("/tools/diagnose/", {"text": chain.supplied_pem.decode(), "email": "alice@ex\u0430mple.com"},
                           follow=True)
    assert response.status_code == 200
    assert "mixes Latin and Cyrillic letters" in response.content.decode()


@pytest.mark.django_db
def test_the_result_page_shows_no_warning_for_a_plain_address(client):
    from tests.diagnostics.builders import make_chain

    chain = make_chain(email="alice@example.com")
    response = client.post("/tools/diagnose/", {"text": chain.supplied_pem.decode(), "email": "alice@example.com"},
                           follow=True)
    assert response.status_code == 200
    assert "mixes" not in response.content.decode()


def test_a_punycode_domain_is_judged_by_what_it_reads():
    html = render("alice@xn--exmple-4nf.com")  # what a browser sends for alice@ex\u0430mple.com
    assert "reads alice@ex\u0430mple.com" in html and "mixes Latin and Cyrillic letters" in html


def test_a_plain_punycode_domain_gets_no_warning():
    assert render("info@xn--bcher-kva.example") == "info@xn--bcher-kva.example"  # bücher: Latin only
