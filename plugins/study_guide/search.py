"""Search entries for single questions and summary bullets, read back from a rendered page.

Site search splits pages at headings, so a question (which is no heading) would only be
found as part of one large "Questionnaire" section. The renderer marks question blocks and
the summary list ``data-search-exclude``; this module gives each of them an entry of its
own instead: the question as title, ``page/#q-N`` as location, the answer as text.
Nothing here knows about MkDocs; entries use the shape of a lunr-style search index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from html import escape
from html.parser import HTMLParser
from typing import Any

# Tags kept in an entry's text, as the site search keeps them in its own entries.
_KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_TITLE_WIDTH = 90


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
    collector = _Collector()
    collector.feed(page_html)
    collector.close()
    entries = []
    for anchor, title, text in collector.questions:
        entries.append(SearchEntry(f"{url}#{anchor}", title, text if answers else ""))
    for anchor, text in collector.bullets:
        entries.append(SearchEntry(f"{url}#{anchor}", _title_from(text), text))
    return entries


def merge_entries(index: dict[str, Any], entries: dict[str, list[SearchEntry]]) -> dict[str, Any]:
    """Put the entries of each page URL into a search index, replacing earlier ones of that page.

    Replacing rather than appending keeps the index right when only some pages were rebuilt.
    """
    docs = [doc for doc in index.get("docs", []) if not _is_ours(doc.get("location", ""), entries)]
    for page in sorted(entries):
        docs.extend(entry.as_json() for entry in entries[page])
    return {**index, "docs": docs}


def _is_ours(location: str, pages: Iterable[str]) -> bool:
    page, _, anchor = location.partition("#")
    return page in pages and (anchor.startswith("q-") or anchor.startswith("s-"))


def _title_from(text: str) -> str:
    """A bullet's first words as a title, cut at a word boundary."""
    plain = " ".join(_strip_tags(text).split())
    if len(plain) <= _TITLE_WIDTH:
        return escape(plain, quote=False)
    cut = plain[:_TITLE_WIDTH].rsplit(" ", 1)[0]
    return escape(cut, quote=False) + " …"


def _strip_tags(text: str) -> str:
    stripper = _TextOnly()
    stripper.feed(text)
    stripper.close()
    return "".join(stripper.parts)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Block boundaries (a nested list) separate words.
        self.parts.append(" ")


class _Collector(HTMLParser):
    """Walks the page once, gathering the text of question blocks and summary bullets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.questions: list[tuple[str, str, str]] = []
        self.bullets: list[tuple[str, str]] = []
        # Open captures: (depth where it ends, kind, anchor, collected parts)
        self.captures: list[tuple[int, str, str, list[str]]] = []
        self.question_anchor = ""
        self.question_title = ""
        self.li_depths: list[int] = []
        self._answer_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        classes = attributes.get("class", "").split()
        if tag in _VOID_TAGS:
            # An image is found by its alt text, as a reader of the page would know it.
            self._text(" " + escape(attributes.get("alt", ""), quote=False) + " ")
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if tag == "li":
            self.li_depths.append(depth)
        if "sg-qa" in classes and attributes.get("id"):
            self.question_anchor, self.question_title = attributes["id"], ""
            self.captures.append((depth, "question", attributes["id"], []))
        elif "sg-qa__question" in classes:
            self.captures.append((depth, "title", self.question_anchor, []))
        elif {"sg-qa__answer", "sg-qa__placeholder"} & set(classes):
            self.captures.append((depth, "answer", self.question_anchor, []))
        elif "sg-anchor" in classes and attributes.get("id") and self.li_depths:
            self.captures.append((self.li_depths[-1], "bullet", attributes["id"], []))
        if tag in _KEPT_TAGS:
            self._markup(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or tag not in self.stack:
            return
        while self.stack:
            depth = len(self.stack)
            closed = self.stack.pop()
            if closed == "li" and self.li_depths and self.li_depths[-1] == depth:
                self.li_depths.pop()
            # A capture ends before its own closing tag: a bullet's text holds no stray '</li>'.
            self._finish(depth)
            if closed in _KEPT_TAGS:
                self._markup(f"</{closed}>")
            if closed == tag:
                break

    def _finish(self, depth: int) -> None:
        while self.captures and self.captures[-1][0] == depth:
            _, kind, anchor, parts = self.captures.pop()
            text = " ".join("".join(parts).split())
            if kind == "title":
                self.question_title = text
            elif kind == "answer":
                self._answer_parts.append(text)
            elif kind == "question":
                self.questions.append((anchor, self.question_title, " ".join(self._answer_parts)))
                self._answer_parts = []
            elif kind == "bullet":
                self.bullets.append((anchor, text))

    def handle_data(self, data: str) -> None:
        self._text(escape(data, quote=False))

    def _text(self, text: str) -> None:
        for _, kind, _, parts in self.captures:
            if kind in ("title", "answer", "bullet"):
                parts.append(text)

    def _markup(self, tag: str) -> None:
        # Titles stay plain text; answers and bullets keep paragraphs, lists and code.
        for _, kind, _, parts in self.captures:
            if kind in ("answer", "bullet"):
                parts.append(tag)
