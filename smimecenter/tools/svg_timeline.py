"""The validity timeline: one bar per certificate from not-before to not-after, and a line for today.

The SVG has no viewBox: positions are percentages of its width and text has a fixed size in pixels,
so on a phone the bars get shorter while every word stays readable (13 px, never scaled down).
Each bar has its name above it and its dates below it; a legend beside the picture (in the
template) says what the colours mean. The part of a bar that lies in the past is drawn lighter, an
expired certificate's bar in the error colour with a dashed outline, one not valid yet in the warning
colour, so the difference never relies on colour alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import printable, shorten

ROW_HEIGHT = 64      # name (13 px), bar (14 px), dates (13 px), spacing
TOP = 26             # room for the "today" label
BOTTOM = 22          # room for the years
LEFT, RIGHT = 1.0, 99.0   # the plot, in percent of the picture's width
LABEL_CHARACTERS = 44


@dataclass(frozen=True)
class TimelineRow:
    name: str
    not_before: dt.datetime
    not_after: dt.datetime


def timeline_svg(rows: list[TimelineRow], today: dt.datetime) -> SafeString:
    if not rows:
        return mark_safe("")
    start = min(min(row.not_before for row in rows), today)
    end = max(max(row.not_after for row in rows), today)
    span = max((end - start).total_seconds(), 86400.0)
    height = TOP + len(rows) * ROW_HEIGHT + BOTTOM

    def x(moment: dt.datetime) -> float:
        return round(LEFT + (moment - start).total_seconds() / span * (RIGHT - LEFT), 2)

    parts = [
        f'<svg class="timeline-svg" width="100%" height="{height}" '
        f'role="img" aria-labelledby="timeline-svg-title timeline-svg-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="timeline-svg-title">When each certificate is valid</title>',
        f'<desc id="timeline-svg-desc">{escape(printable(_description(rows, today)))}</desc>',
    ]
    parts.extend(_year_ticks(start, end, x, height))
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        parts.append(f'<text class="timeline-label" x="{LEFT}%" y="{y + 14}">'
                     f'<title>{escape(printable(row.name))}</title>'
                     f'{escape(shorten(printable(row.name), LABEL_CHARACTERS))}</text>')
        parts.append(_bar(row, today, x, y + 22))
        parts.append(_dates(row, x, y + 52))
    today_x = x(today)
    parts.append(f'<line class="timeline-today" x1="{today_x}%" y1="{TOP - 8}" x2="{today_x}%" '
                 f'y2="{height - BOTTOM}" stroke-width="2"/>')
    anchor = "start" if today_x < 15 else "end" if today_x > 85 else "middle"
    parts.append(f'<text class="timeline-today-label" x="{today_x}%" y="{TOP - 12}" '
                 f'text-anchor="{anchor}">today</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _bar(row: TimelineRow, today: dt.datetime, x, top: int) -> str:
    left, right = x(row.not_before), x(row.not_after)
    width = max(round(right - left, 2), 0.5)
    bar_height = 14
    if row.not_after < today:
        return (f'<rect class="timeline-bar state-expired" x="{left}%" y="{top}" width="{width}%" '
                f'height="{bar_height}" rx="3" stroke-width="1.5" stroke-dasharray="4 3">'
                f'<title>Expired on {_day(row.not_after)}</title></rect>')
    if row.not_before > today:
        return (f'<rect class="timeline-bar state-future" x="{left}%" y="{top}" width="{width}%" '
                f'height="{bar_height}" rx="3" stroke-width="1.5"><title>Valid from {_day(row.not_before)}</title></rect>')
    now = x(today)
    return (f'<rect class="timeline-bar state-past" x="{left}%" y="{top}" width="{max(round(now - left, 2), 0)}%" '
            f'height="{bar_height}" rx="3"/>'
            f'<rect class="timeline-bar state-valid" x="{now}%" y="{top}" width="{max(round(right - now, 2), 0.5)}%" '
            f'height="{bar_height}" rx="3"><title>Valid until {_day(row.not_after)}</title></rect>')


def _dates(row: TimelineRow, x, baseline: int) -> str:
    """Both dates in one label under the bar, starting at the bar's start (or ending at its end when
    the bar starts in the right half), so the label never runs off the picture."""
    left, right = x(row.not_before), x(row.not_after)
    words = f"{_day(row.not_before)} – {_day(row.not_after)}"
    if left <= 50:
        return f'<text class="timeline-dates" x="{left}%" y="{baseline}">{words}</text>'
    return f'<text class="timeline-dates" x="{right}%" y="{baseline}" text-anchor="end">{words}</text>'


def _year_ticks(start: dt.datetime, end: dt.datetime, x, height: int) -> list[str]:
    # At most five labelled years, so that they stay apart on a 390 px phone.
    years = list(range(start.year + 1, end.year + 1))
    step = max(1, -(-len(years) // 5))
    ticks = []
    for year in years[::step]:
        at = x(dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc))
        ticks.append(f'<line class="timeline-tick" x1="{at}%" y1="{TOP - 4}" x2="{at}%" y2="{height - BOTTOM}"/>'
                     f'<text class="timeline-year" x="{at}%" y="{height - 6}" text-anchor="middle">{year}</text>')
    return ticks


def _description(rows: list[TimelineRow], today: dt.datetime) -> str:
    words = []
    for row in rows:
        if row.not_after < today:
            state = f"expired on {_day(row.not_after)}"
        elif row.not_before > today:
            state = f"not valid until {_day(row.not_before)}"
        else:
            state = f"valid from {_day(row.not_before)} until {_day(row.not_after)}"
        words.append(f"{row.name}: {state}")
    return "; ".join(words)


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"
