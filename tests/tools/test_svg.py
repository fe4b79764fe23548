"""The chain picture and the validity timeline, drawn from plain values."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from smimecenter.tools.svg_chain import ChainBox, chain_svg
from smimecenter.tools.svg_timeline import TimelineRow, timeline_svg
from smimecenter.tools.text import group_hex, printable

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # well-formed XML, so also well-formed inline SVG


def test_the_chain_has_one_box_per_certificate_and_arrows_between():
    svg = parse(chain_svg([ChainBox("Your certificate", "alice", "Valid", "ok", link="certificate-1"),
                           ChainBox("Intermediate certificate", "CA", "Valid", "ok"),
                           ChainBox("Root certificate", "Root", "Trusted", "ok", anchor="Mozilla email roots")]))
    boxes = svg.findall(f".//{SVG}rect[@height='70']")
    assert len(boxes) == 3
    assert len(svg.findall(f".//{SVG}g[@class='chain-arrow']")) == 2
    assert svg.find(f".//{SVG}g[@class='chain-anchor']") is not None
    assert svg.find(f".//{SVG}a").get("href") == "#certificate-1"


def test_a_missing_certificate_is_a_dashed_box_named_after_its_issuer():
    svg = parse(chain_svg([ChainBox("Your certificate", "alice", "Valid", "ok"),
                           ChainBox("Missing certificate", "CN=Example Issuing CA", "Not supplied", "missing")]))
    missing = [r for r in svg.iter(f"{SVG}rect") if "state-missing" in r.get("class", "")]
    assert len(missing) == 1 and missing[0].get("stroke-dasharray")
    assert "CN=Example Issuing CA" in "".join(svg.itertext())


def test_chain_text_is_escaped_and_made_printable():
    svg = str(chain_svg([ChainBox("Your certificate", "<script>x</script>\x07", "<b>", "err")]))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "\\x07" in svg
    parse(svg)


def test_no_style_attributes_in_either_picture():
    chain = str(chain_svg([ChainBox("a", "b", "c", "ok")]))
    timeline = str(timeline_svg([TimelineRow("a", TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=10))],
                                TODAY))
    assert "style=" not in chain and "style=" not in timeline


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
    today_x = float(svg.find(f".//{SVG}line[@class='timeline-today']").get("x1"))
    past = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "timeline-bar state-past")
    valid = next(r for r in svg.iter(f"{SVG}rect") if r.get("class") == "timeline-bar state-valid")
    assert float(past.get("x")) < today_x == float(valid.get("x"))
    assert abs(float(past.get("width")) - float(valid.get("width"))) < 1.0


def test_an_empty_timeline_draws_nothing():
    assert str(timeline_svg([], TODAY)) == ""


def test_printable_writes_out_invisible_characters():
    assert printable("a\x00b\x1bc\u202ed\u200be") == "a\\x00b\\x1bc\\u202ed\\u200be"
    assert printable("Zoë <ok>") == "Zoë <ok>"
    assert printable(None) == ""


def test_fingerprints_are_grouped_in_pairs():
    assert group_hex("ab01ff") == "AB:01:FF"
