"""The result page's Jinja2 templates (smimecenter/jinja.py) read values as the Django templates did, escape
what they show, and every form in any template carries the CSRF token."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils.safestring import mark_safe

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def jinja(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_key_is_read_before_an_attribute_as_in_django_templates():
    # `file.keys` of a .p12 entry is its list of keys, not the dict method of the same name.
    assert jinja("{{ file.keys|length }}", file={"keys": ["k1", "k2"]}) == "2"
    assert jinja("{{ card.data.emails|join(', ') }}", card={"data": {"emails": ["a@x.example", "b@x.example"]}}) \
        == "a@x.example, b@x.example"


def test_an_attribute_is_still_read_when_there_is_no_such_key():
    class Box:
        state = "ok"
    assert jinja("{{ box.state }}", box=Box()) == "ok"
    assert jinja("{{ box.items() | list | length }}", box={"a": 1}) == "1"


def test_something_missing_reads_as_nothing_even_when_looked_into():
    assert jinja("[{{ report.online.fetched }}]", report={}) == "[]"
    assert jinja("{% if report.online.fetched %}yes{% else %}no{% endif %}", report={"online": None}) == "no"
    assert jinja("[{{ nothing_here }}]") == "[]"


def test_what_is_shown_is_escaped_unless_already_safe():
    assert jinja("{{ name }}", name='<script>alert("x")</script>') == \
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    assert jinja("{{ html }}", html=mark_safe("<em>kept</em>")) == "<em>kept</em>"


@pytest.mark.parametrize(("jinja_filter", "django_filter", "value"), [
    ("printable", "printable", "Alice\x00\u202eCorp"),
    ("address", "address", "p\u0430ypal@example.com"),  # a Cyrillic "а": the mixed-script warning
    ("friendly_name", "friendly_name", "CN=Alice Example,O=Example Ltd,C=GB"),
    ("usage_words", "usage_words", ["digital_signature", "key_encipherment"]),
    ("fingerprint", "fingerprint", "ab" * 32),
    ('date("j F Y, H:i")', 'date:"j F Y, H:i"', dt.datetime(2026, 3, 4, 5, 6, tzinfo=dt.timezone.utc)),
    ("pluralize", "pluralize", 2),
    ('pluralize("is,are")', 'pluralize:"is,are"', 1),
])
def test_the_filters_write_what_the_django_pages_write(jinja_filter, django_filter, value):
    django_text = engines["django"].from_string(
        "{% load certificate_text %}{{ value|" + django_filter + " }}").render({"value": value})
    assert jinja("{{ value|" + jinja_filter + " }}", value=value) == django_text.replace("&#x27;", "&#39;")
    assert "\x00" not in django_text


@pytest.mark.django_db
def test_a_jinja_form_gets_this_visitors_csrf_token():
    request = RequestFactory().get("/")
    html = engines["jinja2"].from_string("<form method=post>{{ csrf_input }}</form>").render({}, request)
    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}">', html)


def _post_forms(text: str) -> list[str]:
    return re.findall(r"<form\b[^>]*method=\"?post\"?[^>]*>.*?</form>", text, re.S | re.I)


@pytest.mark.parametrize("path", sorted([*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.jinja")]),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_post_form_in_every_template_carries_the_csrf_token(path):
    for form in _post_forms(path.read_text(encoding="utf-8")):
        assert "{% csrf_token %}" in form or "{{ csrf_input }}" in form, form[:200]


def test_the_form_scan_sees_the_forms_of_both_kinds_of_template():
    counted = {suffix: sum(len(_post_forms(p.read_text(encoding="utf-8"))) for p in TEMPLATES.rglob(f"*{suffix}"))
               for suffix in (".html", ".jinja")}
    assert counted[".html"] >= 5 and counted[".jinja"] >= 3


def test_with_debug_on_a_missing_value_still_reads_as_nothing():
    # Django gives the environment DebugUndefined when DEBUG is on, which would print "{{ x }}" on the page.
    from jinja2 import DebugUndefined

    from smimecenter.jinja import environment

    assert environment(undefined=DebugUndefined).from_string("[{{ x }}][{{ x.y }}]").render() == "[][]"


@pytest.fixture
def fragments():
    kept = engines["jinja2"].env.globals["shared_fragment"]
    kept._kept.clear()
    yield kept
    kept._kept.clear()


@pytest.mark.django_db
def test_ca_cards_and_the_mail_app_table_are_rendered_once_and_the_persons_card_never_kept(client, fragments):
    from tests.diagnostics.builders import make_chain, pem

    chain = make_chain(email="alice@example.com")
    fields = {"text": pem(chain.leaf, chain.intermediate).decode(), "email": "alice@example.com"}
    first = client.post("/tools/diagnose/", fields, follow=True).content.decode()
    kept_keys = " ".join(key for _, key in fragments._kept)
    assert chain.intermediate.sha256 in kept_keys
    assert chain.leaf.sha256 not in kept_keys and "alice@example.com" not in kept_keys
    assert {name for name, _ in fragments._kept} == {"tools/_certificate_card.jinja", "expert/_compatibility.jinja"}

    second = client.post("/tools/diagnose/", fields, follow=True).content.decode()
    names = [name for name, _ in fragments._kept]
    # The same table came from what was kept; the CA's card too, unless its "days left" turned over between
    # the two checks (its words are part of the key, so it is then rendered anew).
    assert names.count("expert/_compatibility.jinja") == 1 and names.count("tools/_certificate_card.jinja") in (1, 2)
    table = r'<section class="x-section" aria-labelledby="compat-title">.*?</section>'
    assert re.search(table, first, re.S).group(0) == re.search(table, second, re.S).group(0)
    assert f'id="certificate-{chain.intermediate.sha256[:16]}"' in second and "Intermediate" in second


def test_a_fragment_with_other_values_is_rendered_anew_and_the_kept_ones_are_bounded(fragments):
    source = "tools/_certificate_card.jinja"
    card = {"id": "certificate-1", "state": "ok", "heading": "Intermediate", "name": "Example CA",
            "validity_state": "ok", "validity": "Valid until 1 January 2030 (10 days left)", "data": {"is_ca": True},
            "not_before": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
            "not_after": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)}
    ten = fragments(source, card=card)
    nine = fragments(source, card={**card, "validity": "Valid until 1 January 2030 (9 days left)"})
    assert "10 days left" in ten and "9 days left" in nine
    for n in range(fragments.MOST_KEPT + 5):
        fragments(source, card={**card, "id": f"certificate-{n}"})
    assert len(fragments._kept) == fragments.MOST_KEPT


def test_a_kept_fragment_is_escaped_like_the_rest(fragments):
    card = {"id": "c", "name": "<script>x</script>", "data": {"is_ca": True, "subject": "CN=<b>"},
            "not_before": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
            "not_after": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)}
    html = fragments("tools/_certificate_card.jinja", card=card)
    assert "<script>" not in html and "&lt;script&gt;" in html and "CN=&lt;b&gt;" in html


def test_with_debug_on_nothing_is_kept_so_template_edits_show(fragments, settings):
    settings.DEBUG = True
    card = {"id": "c", "name": "Example CA", "data": {"is_ca": True},
            "not_before": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
            "not_after": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)}
    assert "Example CA" in fragments("tools/_certificate_card.jinja", card=card)
    assert len(fragments._kept) == 0
