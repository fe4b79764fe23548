"""Full-text search over the content library, built once with the library.

An inverted index maps each term to the pages that contain it, with a
weight per field: a match in a title counts most, then the summary, then a
heading, then body text. Scoring is TF-IDF with those weights; the best
section of each page found (from its sections' term counts) gives the link
and the snippet.

Ranking: a page whose title is the query (or nearly: the same words, or all of the query's words)
comes first; then pages holding every word of the query; then the score. A query word that
is not in the index at all is read as the closest word that is (a typo: "certifcate" ->
"certificate"), found with rapidfuzz's Levenshtein distance among index words of a similar length.
"""
from __future__ import annotations

import heapq
import math
import re
from html import unescape
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from smimecenter.learn.glossary_terms import without_term_markup
from smimecenter.learn.library import Library, Page, collector_paused

FIELD_WEIGHTS = {"title": 8.0, "summary": 3.0, "heading": 2.5, "body": 1.0}
_HEADING_WEIGHT, _BODY_WEIGHT = FIELD_WEIGHTS["heading"], FIELD_WEIGHTS["body"]
MAX_QUERY_LENGTH = 200
MIN_QUERY_LENGTH = 2
# Typos: words shorter than this are never corrected (too many short words are one letter apart);
# up to this length one edit is allowed, above it two.
MIN_CORRECTED_LENGTH = 4
ONE_EDIT_UP_TO = 6
SNIPPET_CHARS = 220
# Words so common in this corpus or in English that they only add noise.
STOPWORDS = frozenset(
    "a an and are as at be but by can do for from has have how i if in into is it its my not of on or "
    "so that the their them then there these this to was what when where which who why will with you your".split()
)
# Runs of letters and digits, joined by single joiners ("S/MIME", "PKCS#12", "don't").
_TOKEN = re.compile(r"[^\W_]++(?:[#/.'’-][^\W_]++)*+")
# The same for a text without "_", where \w (letters, digits, "_") is quicker to test than [^\W_].
_TOKEN_WITHOUT_UNDERSCORE = re.compile(r"\w++(?:[#/.'’-]\w++)*+")
_JOINERS = str.maketrans("", "", "#/.'’-")
# "Not verified" call-outs are notes about the sources, not the article's advice: searched, never quoted.
_UNVERIFIED_NOTE = re.compile(
    r'<div class="admonition [a-z]+">\s*<p class="admonition-title">Not verified</p>.*?</div>'
    r'|<div class="admonition unverified">.*?</div>', re.S)
# A tag ends before the next "<" (the renderer escapes "<" in text and attributes): each scan stops there.
_BLOCK_OR_TAG = re.compile(r"(</?(?:p|div|li|ul|ol|pre|table|tr|td|th|h[1-6]|blockquote|br)\b[^<>]*>)|<[^<>]*>")


def _plain_text(html: str) -> str:
    """Text of an HTML fragment as the page's sections hold it (a space where a block starts or ends)."""
    return " ".join(unescape(_BLOCK_OR_TAG.sub(lambda m: " " if m.group(1) else "", html)).split())


def reader_notes(page: Page) -> list[str]:
    """The plain text of the page's "Not verified" call-outs, which snippets leave out."""
    return [text for text in (_plain_text(m.group(0)) for m in _UNVERIFIED_NOTE.finditer(without_term_markup(page.rendered.html))) if text]


def tokens(text: str) -> list[str]:
    """Lowercase terms with joiners removed (S/MIME -> smime, PKCS#12 -> pkcs12) and plurals folded."""
    return list(_terms(text))


def _terms(text: str) -> Iterator[str]:
    words = (_TOKEN if "_" in text else _TOKEN_WITHOUT_UNDERSCORE).findall(text)
    return filter(None, map(_term, words))


class _TermCache(dict):
    """The index term of each word as written ("" for a stopword), worked out once per word.

    The vocabulary of the site is small, so this makes indexing several times
    faster. Queries add words too: the cache starts again past a bound.
    """

    LIMIT = 200_000

    def __missing__(self, raw: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        word = raw.lower().translate(_JOINERS)
        term = self[raw] = "" if word in STOPWORDS else _fold(word)
        return term


_TERMS = _TermCache()


# The index term for one word as written, or "" for a stopword (a C-level call: highlighting makes many).
_term = _TERMS.__getitem__


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Dampened term frequency, 1 + ln(count): the tenth mention matters less than the first.
# Worked out once for the counts a section has.
_TABLED = 1000
_DAMPENED = [0.0] + [1 + math.log(count) for count in range(1, _TABLED)]


def _dampened(count: int) -> float:
    return _DAMPENED[count] if count < _TABLED else 1 + math.log(count)


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


class _SectionTerms(NamedTuple):
    """How often each term appears in one section's heading and in its text."""

    heading: Counter[str]
    body: Counter[str]

    def weight(self, term: str) -> float:
        """The term's weighted frequency in the section (0 when absent)."""
        heading, body = self.heading.get(term), self.body.get(term)
        return (_HEADING_WEIGHT * _dampened(heading) if heading else 0.0) + (
            _BODY_WEIGHT * _dampened(body) if body else 0.0)


def page_terms(page: Page) -> tuple[dict[str, float], list[_SectionTerms]]:
    """Weighted term frequencies of a whole page, and the term counts of each of its sections."""
    whole: dict[str, float] = defaultdict(float)
    sections = []
    for text, field in ((page.title, "title"), (page.summary, "summary")):
        _add(whole, Counter(_terms(text)), FIELD_WEIGHTS[field])
    for section in page.rendered.sections:
        terms = _SectionTerms(Counter(_terms(section.heading)), Counter(_terms(section.text)))
        _add(whole, terms.heading, _HEADING_WEIGHT)
        _add(whole, terms.body, _BODY_WEIGHT)
        sections.append(terms)
    return whole, sections


def _add(into: dict[str, float], counts: Counter[str], weight: float) -> None:
    for term, count in counts.items():
        into[term] += weight * _dampened(count)


@dataclass(frozen=True)
class Results:
    """The hits of a query, and the words it was read as when a typo was corrected."""

    hits: list[Hit]
    corrections: dict[str, str]   # word as typed (index term) -> the index word used instead


class SearchIndex:
    def __init__(self, library: Library) -> None:
        self.pages: list[Page] = list(library.pages.values())
        self.title_terms: list[frozenset[str]] = [frozenset(_terms(page.title)) for page in self.pages]
        self.notes: list[list[str]] = [reader_notes(page) for page in self.pages]
        # term -> the pages whose title holds it (few per term: ranking by title touches only those).
        self.title_postings: dict[str, list[int]] = defaultdict(list)
        for number, words in enumerate(self.title_terms):
            for term in words:
                self.title_postings[term].append(number)
        # term -> {page index: weighted frequency}
        self.page_postings: dict[str, dict[int, float]] = defaultdict(dict)
        # page index -> term counts of each section: picks the section to link to.
        self.section_terms: list[list[_SectionTerms]] = []
        with collector_paused():
            for number, page in enumerate(self.pages):
                whole, sections = page_terms(page)
                self.section_terms.append(sections)
                for term, value in whole.items():
                    self.page_postings[term][number] = value
        self.idf = {
            term: math.log(1 + len(self.pages) / len(postings)) for term, postings in self.page_postings.items()
        }
        # The vocabulary by word length: a typo is looked up among words at most two letters longer or shorter.
        self.vocabulary_by_length: dict[int, list[str]] = defaultdict(list)
        for term in self.page_postings:
            self.vocabulary_by_length[len(term)].append(term)

    def search(self, query: str, *, limit: int = 20, section: str | None = None) -> list[Hit]:
        return self.results(query, limit=limit, section=section).hits

    def results(self, query: str, *, limit: int = 20, section: str | None = None) -> Results:
        """Hits for `query`, best first, only from `section` when one is named."""
        terms, corrections = self._corrected(validate_query(query))
        terms = [term for term in dict.fromkeys(terms) if term in self.page_postings]
        if not terms:
            return Results([], corrections)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for term in terms:
            idf = self.idf[term]
            for page, value in self.page_postings[term].items():
                scores[page] += value * idf
                matched[page] += 1
        if section:
            scores = {page: score for page, score in scores.items() if self.pages[page].section == section}
        in_title: dict[int, int] = defaultdict(int)
        for term in terms:
            for page in self.title_postings.get(term, ()):
                in_title[page] += 1
        wanted = frozenset(terms)
        # The title is the query (2), or holds all of its words (1): the page the person named.
        named = {page: 2 if self.title_terms[page] == wanted else int(count == len(wanted) and count >= 2)
                 for page, count in in_title.items()}
        ranked = heapq.nlargest(limit, scores, key=lambda p: (named.get(p, 0), matched[p], in_title.get(p, 0),
                                                               scores[p]))
        return Results([self._hit(page, terms, scores[page]) for page in ranked], corrections)

    def _corrected(self, terms: list[str]) -> tuple[list[str], dict[str, str]]:
        corrections: dict[str, str] = {}
        read = []
        for term in terms:
            if term not in self.page_postings and len(term) >= MIN_CORRECTED_LENGTH and not term.isdigit():
                closest = self._closest(term)
                if closest:
                    corrections[term] = closest
                    term = closest
            read.append(term)
        return read, corrections

    def _closest(self, term: str) -> str | None:
        """The index word fewest edits away (within the allowance), the most widely used on a tie."""
        allowed = 1 if len(term) <= ONE_EDIT_UP_TO else 2
        candidates = [word for length in range(len(term) - allowed, len(term) + allowed + 1)
                      for word in self.vocabulary_by_length.get(length, ())]
        found = process.extract(term, candidates, scorer=Levenshtein.distance, score_cutoff=allowed, limit=8)
        if not found:
            return None
        return min(found, key=lambda match: (match[1], -len(self.page_postings[match[0]]), match[0]))[0]

    def _hit(self, number: int, terms: list[str], score: float) -> Hit:
        page = self.pages[number]
        # The best-scoring section; on a tie, the one holding the earliest query word, then the first.
        section, best = None, (0.0, 0)
        idfs = [self.idf[term] for term in terms]
        for index, counts in enumerate(self.section_terms[number]):
            value, first = 0.0, None
            for position, term in enumerate(terms):
                weight = counts.weight(term)
                if weight:
                    value += weight * idfs[position]
                    first = position if first is None else first
            if first is not None and (section is None or (value, -first) > best):
                section, best = page.rendered.sections[index], (value, -first)
        text = section.text if section else page.summary
        for note in self.notes[number]:
            text = text.replace(note, " ")
        return Hit(
            page=page,
            anchor=section.anchor if section else "",
            heading=section.heading if section else "",
            snippet=highlight(" ".join(text.split()) if self.notes[number] else text, terms),
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
    """An escaped excerpt around the first match, with matching words in <mark>.

    Words are read lazily and only up to the end of the excerpt: the cost is
    the distance to the first match, not the length of the section.
    """
    wanted = set(terms)
    words = _TOKEN.finditer(text)
    first = next((m for m in words if _term(m.group(0)) in wanted), None)
    start = 0
    if first is not None:
        start = max(0, first.start() - SNIPPET_CHARS // 3)
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start > 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    space = text.find(" ", end)
    end = space if space != -1 and space - end < 30 else end
    marks = []
    if first is not None:
        marks.append(first)
        for match in words:
            if match.end() > end:
                break
            if _term(match.group(0)) in wanted:
                marks.append(match)
    parts = ["…" if start > 0 else ""]
    cursor = start
    for match in marks:
        if match.start() < start or match.end() > end:
            continue
        parts.append(escape(text[cursor: match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        cursor = match.end()
    parts.append(escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))
