"""The table of contents of an article: `##` sections numbered, their `###` steps nested beneath."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from smimecenter.learn.rendering import Heading


@dataclass
class TocEntry:
    heading: Heading
    children: list[Heading] = field(default_factory=list)


def nested(headings: Iterable[Heading]) -> list[TocEntry]:
    """Each `###` goes under the `##` before it (one before any `##` stands on its own), so the
    numbered list counts sections only: "1, 2, 3", never "1, 2, ◦, 4"."""
    entries: list[TocEntry] = []
    for heading in headings:
        if heading.level > 2 and entries:
            entries[-1].children.append(heading)
        else:
            entries.append(TocEntry(heading))
    return entries
