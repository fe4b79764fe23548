"""The validity timeline: one bar per certificate from not-before to not-after, and a line for today.

The part of a bar that lies in the past is drawn lighter, an expired certificate's bar is drawn in the
error colour with a dashed outline, and one not valid yet in the warning colour, so the difference
does not rely on colour alone (the label at the bar's end says it in words too).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import printable, shorten

WIDTH = 720
LABEL_WIDTH = 210
ROW_HEIGHT = 34
TOP = 30
BOTTOM = 26
RIGHT = 16
LABEL_CHARACTERS = 30


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
    plot_width = WIDTH - LABEL_WIDTH - RIGHT
    height = TOP + len(rows) * ROW_HEIGHT + BOTTOM

    def x(moment: dt.datetime) -> float:
        return round(LABEL_WIDTH + (moment - start).total_seconds() / span * plot_width, 1)

    parts = [
        f'<svg class="timeline-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="timeline-svg-title timeline-svg-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="timeline-svg-title">When each certificate is valid</title>',
        f'<desc id="timeline-svg-desc">{escape(printable(_description(rows, today)))}</desc>',
    ]
    parts.extend(_year_ticks(start, end, x, height))
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        parts.append(f'<text class="timeline-label" x="{LABEL_WIDTH - 10}" y="{y + 19}" text-anchor="end">'
                     f'<title>{escape(printable(row.name))}</title>'
                     f'{escape(shorten(printable(row.name), LABEL_CHARACTERS))}</text>')
        parts.append(_bar(row, today, x, y))
    today_x = x(today)
    parts.append(f'<line class="timeline-today" x1="{today_x}" y1="{TOP - 12}" x2="{today_x}" '
                 f'y2="{height - BOTTOM + 4}" stroke-width="2"/>')
    parts.append(f'<text class="timeline-today-label" x="{today_x}" y="{TOP - 16}" text-anchor="middle">today</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _bar(row: TimelineRow, today: dt.datetime, x, y: int) -> str:
    left, right = x(row.not_before), x(row.not_after)
    width = max(right - left, 2.0)
    top, bar_height = y + 6, ROW_HEIGHT - 14
    if row.not_after < today:
        return (f'<rect class="timeline-bar state-expired" x="{left}" y="{top}" width="{width}" height="{bar_height}" '
                f'rx="3" stroke-width="1.5" stroke-dasharray="4 3"><title>Expired on {_day(row.not_after)}</title></rect>')
    if row.not_before > today:
        return (f'<rect class="timeline-bar state-future" x="{left}" y="{top}" width="{width}" height="{bar_height}" '
                f'rx="3" stroke-width="1.5"><title>Valid from {_day(row.not_before)}</title></rect>')
    now = x(today)
    return (f'<rect class="timeline-bar state-past" x="{left}" y="{top}" width="{max(now - left, 0)}" '
            f'height="{bar_height}" rx="3"/>'
            f'<rect class="timeline-bar state-valid" x="{now}" y="{top}" width="{max(right - now, 1.0)}" '
            f'height="{bar_height}" rx="3"><title>Valid until {_day(row.not_after)}</title></rect>')


def _year_ticks(start: dt.datetime, end: dt.datetime, x, height: int) -> list[str]:
    years = list(range(start.year + 1, end.year + 1))
    step = max(1, len(years) // 8)
    ticks = []
    for year in years[::step]:
        at = x(dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc))
        ticks.append(f'<line class="timeline-tick" x1="{at}" y1="{TOP - 4}" x2="{at}" y2="{height - BOTTOM}"/>'
                     f'<text class="timeline-year" x="{at}" y="{height - 8}" text-anchor="middle">{year}</text>')
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
