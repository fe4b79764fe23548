"""What result pages borrow from the knowledge center: glossary definitions (opened the same way as in
the articles) and, under each "Learn more", the article's section to read in place."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from smimecenter.learn import current
from smimecenter.learn.excerpts import section_excerpt
from smimecenter.learn.library import Glossary, Library
from smimecenter.learn.glossary_terms import TermMatcher, link_plain_text

from .text import printable


_QUOTED = re.compile(r"(“[^”]*”)")
_built: tuple[Library, TermMatcher] | None = None


def _matcher(library: Library) -> TermMatcher:
    """One matcher per loaded library (a reload of the content makes a new Library object)."""
    global _built
    built = _built
    if built is None or built[0] is not library:
        built = _built = (library, TermMatcher([entry.term for entry in library.glossary.entries],
                                               base_url=Glossary.url))
    return built[1]


def explain_terms(text: object, used: set[str]) -> SafeString:
    """Engine text, escaped and made printable, with the first use on the page of each glossary term
    opening its definition. `used` is shared by every call for one page, so each term (and each
    definition's id) appears once."""
    parts = []
    for number, part in enumerate(_QUOTED.split(printable(text))):
        html = escape(part)
        # Odd parts are quoted names ("Example S/MIME Issuing CA"): a certificate's name, not our words.
        if number % 2 == 0 and part:
            try:
                html = link_plain_text(part, _matcher(current.library()), used)
            except Exception:  # noqa: BLE001 - the words matter more than their links: never fail the page
                html = escape(part)
        parts.append(html)
    return mark_safe("".join(parts))


def with_learning(groups: Iterable[Mapping]) -> list[dict]:
    """The finding groups of a result page with `explanation_html` and `fix_html` (glossary terms
    linked) and `excerpt` (the Learn-more section, for the first finding that links to it) added."""
    used: set[str] = set()
    shown: set[str] = set()
    library = current.library()
    linked = []
    for group in groups:
        findings = []
        for finding in group["findings"]:
            url = str(finding.get("learn_more") or "")
            excerpt = None
            if url and url not in shown:
                shown.add(url)
                try:
                    excerpt = section_excerpt(library, url)
                except Exception:  # noqa: BLE001 - the link still works; the excerpt is a comfort
                    excerpt = None
            findings.append(dict(finding, excerpt=excerpt,
                                 explanation_html=explain_terms(finding.get("explanation"), used),
                                 fix_html=explain_terms(finding.get("fix"), used) if finding.get("fix") else ""))
        linked.append(dict(group, findings=findings))
    return linked
