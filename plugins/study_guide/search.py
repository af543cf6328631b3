"""Search entries for single questions and summary bullets, read back from a rendered page.

Site search splits pages at headings, so a question (which is no heading) would only be
found as part of one large "Questionnaire" section. The renderer marks question blocks and
the summary list ``data-search-exclude``; this module gives each of them an entry of its
own instead: the question as title, ``page/#q-N`` as location, the answer as text.
Nothing here knows about MkDocs; entries use the shape of a lunr-style search index.

The page is HTML this project rendered, so its blocks are found by their classes with a
few linear scans rather than a full HTML parse: this runs on every page of the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from html import escape, unescape
from typing import Any

_TITLE_WIDTH = 90
_QUESTION = re.compile(r'<(details|div) (?=[^>]*\bclass="sg-qa[ "])[^>]*\bid="([^"]+)"[^>]*>')
_QUESTION_TEXT = re.compile(r'<(summary|p) class="sg-qa__question"[^>]*>(.*?)</\1>', re.DOTALL)
_ANSWER = re.compile(r'<div class="sg-qa__(?:answer|placeholder)"[^>]*>')
_BULLET = re.compile(r'<span class="sg-anchor" id="([^"]+)"></span>')
# Tags kept in an entry's text, as the site search keeps them in its own entries; the rest go.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_INLINE_TAGS = frozenset({"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup", "u"})
_ALT = re.compile(r'\balt="([^"]*)"')
_PREFIXES = ("q-", "fr-", "s-")


@dataclass(frozen=True)
class SearchEntry:
    """One search result: where it leads, its title, and the text it is found by."""

    location: str
    title: str
    text: str

    def as_json(self) -> dict[str, str]:
        """The entry as it stands in ``search_index.json``."""
        return asdict(self)


def page_entries(page_html: str, url: str, *, answers: bool = True) -> list[SearchEntry]:
    """Entries for every question and summary bullet of a rendered lesson page.

    With *answers* false (spoiler-free), a question's entry carries no answer text.
    """
    entries = []
    for anchor, block in _blocks(page_html, _QUESTION, "details|div"):
        title = _QUESTION_TEXT.search(block)
        answer = _ANSWER.search(block)
        text = _index_text(block[answer.end() :]) if answer and answers else ""
        entries.append(SearchEntry(f"{url}#{anchor}", _plain(title.group(2)) if title else "", text))
    for anchor, bullet in _blocks(page_html, _BULLET, "li"):
        text = _index_text(bullet)
        title, rest = _title_and_rest(text)
        # The text holds what the title does not: the index need not carry the same words twice.
        entries.append(SearchEntry(f"{url}#{anchor}", title, rest))
    return entries


def merge_entries(index: dict[str, Any], entries: dict[str, list[SearchEntry]]) -> dict[str, Any]:
    """Put the entries of each page URL into a search index, replacing earlier ones of that page.

    Replacing rather than appending keeps the index right when only some pages were rebuilt.
    """
    docs = [doc for doc in index.get("docs", []) if not _is_ours(doc.get("location", ""), entries)]
    for page in sorted(entries):
        docs.extend(entry.as_json() for entry in entries[page])
    # A partial rebuild can leave a page's old entries beside its new ones: the later one wins.
    latest = {doc.get("location", ""): doc for doc in docs}
    return {**index, "docs": list(latest.values())}


def _is_ours(location: str, pages: Iterable[str]) -> bool:
    page, _, anchor = location.partition("#")
    return page in pages and anchor.startswith(_PREFIXES)


def _blocks(html: str, start: re.Pattern[str], tags: str) -> Iterator[tuple[str, str]]:
    """``(id, inner HTML)`` of each block *start* finds, up to the close of its element.

    For a bullet, *start* is the anchor inside the ``<li>``: the block runs to that item's end.
    """
    nesting = re.compile(rf"<(/?)(?:{tags})\b[^>]*>")
    for match in start.finditer(html):
        depth = 0 if match.group(0).startswith("<span") else 1
        end = len(html)
        for tag in nesting.finditer(html, match.end()):
            depth += -1 if tag.group(1) else 1
            if depth < 0 or (depth == 0 and tag.group(1) and not match.group(0).startswith("<span")):
                end = tag.start()
                break
        anchor = match.group(2) if match.re is _QUESTION else match.group(1)
        yield anchor, html[match.end() : end]


def _index_text(html: str) -> str:
    """Text for the index: paragraphs, lists and code kept as bare tags, everything else dropped."""

    def tag(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if name in _KEPT_TAGS:  # kept as control characters until the text is escaped
            return f"\x00{match.group(1)}{name}\x01"
        if name == "img":  # an image is found by its alt text, as a reader of the page would know it
            alt = _ALT.search(match.group(3))
            return f" {alt.group(1)} " if alt else " "
        return " " if name in ("br", "hr") else ""

    text = _text(_TAG.sub(tag, html.replace("\x00", "").replace("\x01", "")))
    text = " ".join(text.replace("\x00", "<").replace("\x01", ">").split())
    text = _AROUND_BLOCKS.sub(r"\1", text)
    return _EMPTY_ELEMENT.sub("", text).strip()


_AROUND_BLOCKS = re.compile(r" ?(</?(?:p|li|ol|ul|pre)>) ?")
_EMPTY_ELEMENT = re.compile(r"<(p|li|code|pre|ol|ul|sub|sup)></\1>")


def _text(html: str) -> str:
    return escape(unescape(html), quote=False)


def _plain(html: str) -> str:
    """Text without any tags, escaped: for titles."""
    return _text(" ".join(_TAG.sub(lambda m: "" if m.group(2).lower() in _INLINE_TAGS else " ", html).split()))


def _title_and_rest(text: str) -> tuple[str, str]:
    """A bullet's first words as a title (cut at a word boundary), and the words after them."""
    plain = _plain(text)
    if len(plain) <= _TITLE_WIDTH:
        return plain, ""
    cut = plain[:_TITLE_WIDTH].rsplit(" ", 1)[0]
    return cut + " …", "… " + plain[len(cut) :].strip()
