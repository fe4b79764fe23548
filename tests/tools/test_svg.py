"""The chain picture and the validity timeline, drawn from plain values."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

from smimecenter.tools.presentation import ChainBox
from smimecenter.tools.svg_timeline import TimelineRow, timeline_svg
from smimecenter.tools.text import group_hex, printable

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # well-formed XML, so also well-formed inline SVG


def chain_html(boxes: list[ChainBox]) -> str:
    return render_to_string("tools/_chain.jinja", {"chain_boxes": boxes}, using="jinja2")


def test_the_chain_has_one_box_per_certificate_and_arrows_between():
    html = chain_html([ChainBox("Your certificate", "alice", "Valid", "ok", link="certificate-1"),
                       ChainBox("Intermediate certificate", "CA", "Valid", "ok"),
                       ChainBox("Root certificate", "Root", "Trusted", "ok", anchor="Mozilla email roots")])
    assert html.count('<li class="chain-box') == 3
    assert html.count('class="chain-arrow"') == 2
    assert html.count("Trust anchor") == 1
    assert '<a href="#certificate-1">alice</a>' in html


def test_a_missing_certificate_is_a_dashed_box_with_its_dn_on_request():
    html = chain_html([ChainBox("Your certificate", "alice", "Valid", "ok"),
                       ChainBox("Missing certificate", "Example Issuing CA", "Not supplied", "missing",
                                technical="CN=Example Issuing CA")])
    missing = html[html.index('class="chain-box state-missing"'):]
    assert "Example Issuing CA" in missing
    assert missing.index("Technical details") < missing.index("CN=Example Issuing CA")


def test_chain_text_is_escaped_and_made_printable():
    html = chain_html([ChainBox("Your certificate", "<script>x</script>\x07", "<b>", "err")])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "\\x07" in html


def test_no_style_attributes_in_either_picture():
    chain = chain_html([ChainBox("a", "b", "c", "ok")])
    timeline = str(timeline_svg([TimelineRow("a", TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=10))],
                                TODAY))
    assert "style=" not in chain and "style=" not in timeline


def test_timeline_text_keeps_its_size_on_a_phone():
    # No viewBox: the picture is never scaled down, so its 13 px text stays 13 px at 390 px.
    svg = parse(timeline_svg([TimelineRow("a", TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=10))],
                             TODAY))
    assert svg.get("viewBox") is None and svg.get("width") == "100%"


def test_the_dates_are_written_under_each_bar():
    row = TimelineRow("alice", dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc),
                      dt.datetime(2027, 3, 1, tzinfo=dt.timezone.utc))
    svg = parse(timeline_svg([row], TODAY))
    dates = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "timeline-dates"]
    assert [d.text for d in dates] == ["1 Mar 2025 – 1 Mar 2027"]


def test_the_timeline_marks_today_and_draws_expired_bars_differently():
    rows = [TimelineRow("valid", TODAY - dt.timedelta(days=100), TODAY + dt.timedelta(days=265)),
            TimelineRow("expired", TODAY - dt.timedelta(days=800), TODAY - dt.timedelta(days=35)),
            TimelineRow("future", TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=400))]
    svg = parse(timeline_svg(rows, TODAY))
    classes = [r.get("class") for r in svg.iter(f"{SVG}rect")]
    assert "timeline-bar state-expired" in classes
    assert "timeline-bar state-future" in classes
    assert "timeline-bar state-valid" in classes and "timeline-bar state-past" in classes
    expired = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "timeline-bar state-expired")
    assert expired.get("stroke-dasharray")
    today = svg.find(f".//{SVG}line[@class='timeline-today']")
    assert today is not None
    description = svg.find(f"{SVG}desc").text
    assert "expired on 27 Apr 2026" in description


def test_the_today_line_sits_between_a_valid_bars_ends():
    row = TimelineRow("valid", TODAY - dt.timedelta(days=100), TODAY + dt.timedelta(days=100))
    svg = parse(timeline_svg([row], TODAY))
    today_x = float(svg.find(f".//{SVG}line[@class='timeline-today']").get("x1").rstrip("%"))
    past = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "timeline-bar state-past")
    valid = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "timeline-bar state-valid")
    assert float(past.get("x").rstrip("%")) < today_x == float(valid.get("x").rstrip("%"))
    assert abs(float(past.get("width").rstrip("%")) - float(valid.get("width").rstrip("%"))) < 1.0


def test_an_empty_timeline_draws_nothing():
    assert str(timeline_svg([], TODAY)) == ""


def test_printable_writes_out_invisible_characters():
    assert printable("a\x00b\x1bc\u202ed\u200be") == "a\\x00b\\x1bc\\u202ed\\u200be"
    assert printable("Zoë <ok>") == "Zoë <ok>"
    assert printable(None) == ""


def test_fingerprints_are_grouped_in_pairs():
    assert group_hex("ab01ff") == "AB:01:FF"
