"""The chain picture: one box per certificate from leaf (top) to root (bottom), as inline SVG.

Every piece of certificate text goes through escape() and printable() before it is placed; colours
come from classes styled in tools.css (the page's CSP forbids style attributes).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import printable, shorten

WIDTH = 560
BOX_HEIGHT = 70
GAP = 38
MARGIN = 6
LABEL_CHARACTERS = 58


@dataclass(frozen=True)
class ChainBox:
    heading: str      # "Your certificate", "Intermediate certificate", "Root certificate"
    name: str         # how a person recognises it
    note: str         # its state in words: "Valid", "Expired", "Missing: not supplied"
    state: str        # "ok" | "warn" | "err" | "missing"
    anchor: str | None = None  # the store's name when this box is the trust anchor
    link: str | None = None    # the id of its details card on the page


def chain_svg(boxes: list[ChainBox]) -> SafeString:
    height = MARGIN * 2 + len(boxes) * BOX_HEIGHT + max(len(boxes) - 1, 0) * GAP
    summary = "; ".join(f"{box.heading}: {box.name} ({box.note})" for box in boxes)
    parts = [
        f'<svg class="chain-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        # A group, not an image: its boxes are links to the certificate cards below.
        f'role="group" aria-labelledby="chain-svg-title" aria-describedby="chain-svg-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        '<title id="chain-svg-title">The certificate chain, from your certificate to the root</title>',
        f'<desc id="chain-svg-desc">{escape(printable(summary))}</desc>',
    ]
    for index, box in enumerate(boxes):
        top = MARGIN + index * (BOX_HEIGHT + GAP)
        parts.append(_box(box, top))
        if index < len(boxes) - 1:
            parts.append(_arrow(top + BOX_HEIGHT, top + BOX_HEIGHT + GAP))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _box(box: ChainBox, top: int) -> str:
    left, width = MARGIN, WIDTH - 2 * MARGIN
    dashed = ' stroke-dasharray="7 5"' if box.state == "missing" else ""
    rect = (f'<rect class="chain-box state-{escape(box.state)}" x="{left}" y="{top}" width="{width}" '
            f'height="{BOX_HEIGHT}" rx="8" stroke-width="2"{dashed}/>')
    text = [
        f'<text class="chain-heading" x="{left + 14}" y="{top + 21}">{escape(box.heading)}</text>',
        f'<text class="chain-name" x="{left + 14}" y="{top + 42}">'
        f'<title>{escape(printable(box.name))}</title>{escape(shorten(printable(box.name), LABEL_CHARACTERS))}</text>',
        f'<text class="chain-note" x="{left + 14}" y="{top + 61}">{escape(printable(box.note))}</text>',
    ]
    if box.anchor:
        text.append(
            f'<g class="chain-anchor"><rect x="{left + width - 176}" y="{top + 8}" width="166" height="22" rx="11"/>'
            f'<text x="{left + width - 93}" y="{top + 23}" text-anchor="middle">Trust anchor</text></g>')
    body = rect + "".join(text)
    if box.link:
        return f'<a href="#{escape(box.link)}">{body}</a>'
    return f"<g>{body}</g>"


def _arrow(start: int, end: int) -> str:
    middle = WIDTH // 2
    return (f'<g class="chain-arrow"><line x1="{middle}" y1="{start + 2}" x2="{middle}" y2="{end - 8}" stroke-width="2"/>'
            f'<path d="M{middle - 6} {end - 10} L{middle} {end - 2} L{middle + 6} {end - 10} Z"/>'
            f'<text x="{middle + 12}" y="{(start + end) // 2 + 4}">issued by</text></g>')
