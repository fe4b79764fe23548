"""Full-text search over the content library, built once with the library.

An inverted index maps each term to the sections that contain it, with a
weight per field: a match in a title counts most, then the summary, then a
heading, then body text. Scoring is TF-IDF with those weights; the best
section of each page gives the link and the snippet.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from smimecenter.learn.library import Library, Page

FIELD_WEIGHTS = {"title": 8.0, "summary": 3.0, "heading": 2.5, "body": 1.0}
MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
SNIPPET_CHARS = 220
# Words so common in this corpus or in English that they only add noise.
STOPWORDS = frozenset(
    "a an and are as at be but by can do for from has have how i if in into is it its my not of on or "
    "so that the their them then there these this to was what when where which who why will with you your".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:[#/.'’-][^\W_]+)*")


def tokens(text: str) -> list[str]:
    """Lowercase terms with joiners removed (S/MIME -> smime, PKCS#12 -> pkcs12) and plurals folded."""
    result = []
    for raw in _TOKEN.findall(text.lower()):
        word = re.sub(r"[#/.'’-]", "", raw)
        if word in STOPWORDS:
            continue
        result.append(_fold(word))
    return result


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Hit:
    page: Page
    anchor: str
    heading: str
    snippet: SafeString
    score: float

    @property
    def url(self) -> str:
        return self.page.url + (f"#{self.anchor}" if self.anchor else "")


class QueryProblem(ValueError):
    """A query we cannot usefully answer; the message is shown to the reader."""


class SearchIndex:
    def __init__(self, library: Library) -> None:
        self.pages: list[Page] = list(library.pages.values())
        # term -> {page index: weighted frequency}
        self.page_postings: dict[str, dict[int, float]] = defaultdict(dict)
        # term -> {page index: {section index: weighted frequency}}: picks the section to link to.
        self.section_postings: dict[str, dict[int, dict[int, float]]] = defaultdict(dict)
        for number, page in enumerate(self.pages):
            self._add(number, -1, page.title, "title")
            self._add(number, -1, page.summary, "summary")
            for index, section in enumerate(page.rendered.sections):
                self._add(number, index, section.heading, "heading")
                self._add(number, index, section.text, "body")
        self.idf = {
            term: math.log(1 + len(self.pages) / len(postings)) for term, postings in self.page_postings.items()
        }

    def _add(self, page: int, section: int, text: str, field: str) -> None:
        weight = FIELD_WEIGHTS[field]
        counts: dict[str, int] = defaultdict(int)
        for term in tokens(text):
            counts[term] += 1
        for term, count in counts.items():
            # Dampened term frequency: the tenth mention matters less than the first.
            value = weight * (1 + math.log(count))
            self.page_postings[term][page] = self.page_postings[term].get(page, 0.0) + value
            if section >= 0:
                sections = self.section_postings[term].setdefault(page, {})
                sections[section] = sections.get(section, 0.0) + value

    def search(self, query: str, *, limit: int = 20) -> list[Hit]:
        terms = validate_query(query)
        terms = [term for term in dict.fromkeys(terms) if term in self.page_postings]
        if not terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for term in terms:
            idf = self.idf[term]
            for page, value in self.page_postings[term].items():
                scores[page] += value * idf
                matched[page] += 1
        # Pages that contain every word of the query come first.
        ranked = sorted(scores, key=lambda p: (matched[p], scores[p]), reverse=True)[:limit]
        return [self._hit(page, terms, scores[page]) for page in ranked]

    def _hit(self, number: int, terms: list[str], score: float) -> Hit:
        page = self.pages[number]
        section_scores: dict[int, float] = defaultdict(float)
        for term in terms:
            for section, value in self.section_postings[term].get(number, {}).items():
                section_scores[section] += value * self.idf[term]
        section = None
        if section_scores:
            section = page.rendered.sections[max(section_scores, key=section_scores.__getitem__)]
        return Hit(
            page=page,
            anchor=section.anchor if section else "",
            heading=section.heading if section else "",
            snippet=highlight(section.text if section else page.summary, terms),
            score=score,
        )


def validate_query(query: str) -> list[str]:
    query = query.strip()
    if not query:
        raise QueryProblem("Type a word or a phrase to search for, such as “missing intermediate”.")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryProblem(f"That search is too long. Try a few key words (up to {MAX_QUERY_LENGTH} characters).")
    if len(query) < MIN_QUERY_LENGTH:
        raise QueryProblem("That search is too short. Try a whole word, such as “CSR” or “Outlook”.")
    terms = tokens(query)
    if not terms:
        raise QueryProblem("That search has no words we can look for. Try letters or numbers, such as “p12 password”.")
    return terms


def highlight(text: str, terms: list[str]) -> SafeString:
    """An escaped excerpt around the first match, with matching words in <mark>."""
    wanted = set(terms)
    matches = [m for m in _TOKEN.finditer(text) if _fold(re.sub(r"[#/.'’-]", "", m.group(0).lower())) in wanted]
    start = 0
    if matches:
        start = max(0, matches[0].start() - SNIPPET_CHARS // 3)
        # Begin on a word boundary.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start > 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    space = text.find(" ", end)
    end = space if space != -1 and space - end < 30 else end
    parts = ["…" if start > 0 else ""]
    cursor = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts.append(escape(text[cursor: match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        cursor = match.end()
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))
