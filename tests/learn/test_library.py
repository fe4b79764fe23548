from __future__ import annotations

from pathlib import Path

from smimecenter.learn.library import load_library
from tests.learn.conftest import SAMPLE, page, write_content


def problems(tmp_path: Path, pages: dict[str, str]) -> list[str]:
    return [str(p) for p in load_library(write_content(tmp_path, pages)).problems]


def test_the_sample_content_has_no_problems(tmp_path: Path) -> None:
    assert problems(tmp_path, SAMPLE) == []


def test_it_reports_a_missing_required_key(tmp_path: Path) -> None:
    text = SAMPLE["guides/thunderbird.md"].replace('summary = "Summary of thunderbird."\n', "")
    assert any("missing front-matter key(s): summary" in p for p in problems(tmp_path, {**SAMPLE, "guides/thunderbird.md": text}))


def test_it_reports_an_unknown_key(tmp_path: Path) -> None:
    text = page("X", "guides", "Body", extra='author = "me"')
    assert any("unknown front-matter key(s): author" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_page_without_sources(tmp_path: Path) -> None:
    text = page("X", "guides", "Body").replace('[[sources]]\ntitle = "RFC 8551"\nurl = "https://www.rfc-editor.org/rfc/rfc8551"\n', "")
    assert any("sources" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_duplicate_slug_across_sections(tmp_path: Path) -> None:
    text = page("Thunderbird again", "learn", "Body")
    assert any("duplicate slug 'thunderbird'" in p for p in problems(tmp_path, {**SAMPLE, "learn/thunderbird.md": text}))


def test_it_reports_an_unknown_related_slug(tmp_path: Path) -> None:
    text = page("X", "guides", "Body", extra='related = ["nowhere"]')
    assert any("related page 'nowhere' does not exist" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_link_to_a_missing_page(tmp_path: Path) -> None:
    text = page("X", "guides", "See [this](/learn/nowhere/).")
    assert any("'/learn/nowhere/' points to a page that does not exist" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_link_to_a_missing_anchor(tmp_path: Path) -> None:
    text = page("X", "guides", "See [this](/learn/why-trust-fails/#gone).")
    assert any("anchor that does not exist" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_missing_same_page_anchor(tmp_path: Path) -> None:
    text = page("X", "guides", "## Here {: #here }\n\nSee [above](#here) and [nothing](#nothing).")
    found = problems(tmp_path, {**SAMPLE, "guides/x.md": text})
    assert any("'#nothing'" in p for p in found)
    assert not any("'#here'" in p for p in found)


def test_it_reports_a_section_that_does_not_match_the_folder(tmp_path: Path) -> None:
    text = page("X", "learn", "Body")
    assert any("section is 'learn' but the file is in guides/" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_quoted_date(tmp_path: Path) -> None:
    text = page("X", "guides", "Body").replace("updated = 2026-10-01", 'updated = "2026-10-01"')
    assert any("'updated' must be a date" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": text}))


def test_it_reports_a_file_without_front_matter(tmp_path: Path) -> None:
    assert any("must start with a front-matter block" in p for p in problems(tmp_path, {**SAMPLE, "guides/x.md": "# Just text\n"}))


def test_pinned_ids_survive_and_other_headings_get_ids(tmp_path: Path) -> None:
    library = load_library(write_content(tmp_path, SAMPLE))
    assert library.pages["why-trust-fails"].rendered.anchors == {"missing-intermediate", "untrusted-root"}


def test_the_first_use_of_a_glossary_term_is_linked_once(tmp_path: Path) -> None:
    html = load_library(write_content(tmp_path, SAMPLE)).pages["why-trust-fails"].rendered.html
    assert html.count('href="/glossary/#intermediate"') == 1
    assert 'A request for a certificate. <a href="/glossary/#csr">In the glossary</a>' in html
    # Terms in headings are never linked.
    assert '<h2 id="missing-intermediate">Missing intermediate certificate<a' in html


def test_redirect_from_maps_old_slugs(tmp_path: Path) -> None:
    library = load_library(write_content(tmp_path, SAMPLE))
    assert library.resolve("/learn/trust-problems/") == "/learn/why-trust-fails/"


def test_code_blocks_are_searchable_text_not_placeholders(tmp_path: Path) -> None:
    text = page("X", "guides", "## Run it {: #run }\n\n```sh\nopenssl pkcs12 -info -noout -in a.p12\n```\n")
    library = load_library(write_content(tmp_path, {**SAMPLE, "guides/x.md": text}))
    section = library.pages["x"].rendered.sections[-1]
    assert "openssl pkcs12 -info" in section.text
    assert "wzxhzdk" not in section.text and "\x02" not in section.text
