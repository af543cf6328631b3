"""Search entries for a lesson page: its sections, and each question and summary bullet.

Site search splits pages at headings, so a question (which is no heading) would only be
found as part of one large "Questionnaire" section. This module gives each question an entry
of its own instead (the question as title, ``page/#q-N`` as location, the answer as text),
each summary bullet too, and the page's sections as the site search would, without the
questions and bullets in them. The plugin keeps the site search off lesson pages, so the
page's HTML is read once, here. Nothing here knows about MkDocs; entries use the shape of a
lunr-style search index.

The page is HTML this project rendered, with its blocks marked (see :mod:`study_guide.markers`),
so it is read with a few linear scans rather than a full HTML parse: this runs on every lesson.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

from . import markers

_TITLE_WIDTH = 90
_BULLET = re.compile(r'<span class="sg-anchor" id="([^"]+)"></span>')
_LIST_TAG = re.compile(r"<(/?)(?:li|ul|ol)\b[^>]*>")
_HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]*)"[^>]*>(.*?)</h\1>', re.DOTALL)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_SKIPPED = re.compile(r"<(script|style|object)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
# Tags kept in an entry's text, as the site search keeps them in its own entries; the rest go.
_KEPT_TAG = re.compile(r"<(/?)(p|code|pre|li|ol|ul|sub|sup)\b[^>]*>")
_IMAGE = re.compile(r'<img\b[^>]*?\balt="([^"]*)"[^>]*>')
_BREAK = re.compile(r"<(?:br|hr|img)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|em|i|kbd|mark|s|small|span|strong|sub|sup|u)\b[^>]*>")
_AROUND_BLOCKS = re.compile(r" ?(</?(?:p|li|ol|ul|pre)>) ?")
_EMPTY_ELEMENT = re.compile(r"<(p|li|code|pre|ol|ul|sub|sup)></\1>")


@dataclass(frozen=True)
class SearchEntry:
    """One search result: where it leads, its title, and the text it is found by."""

    location: str
    title: str
    text: str
    tags: tuple[str, ...] | None = None  # the page's tags, as the site search gives every entry of a page
    boost: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry as it stands in ``search_index.json``."""
        entry: dict[str, Any] = {"location": self.location, "title": self.title, "text": self.text}
        if self.tags is not None:
            entry["tags"] = list(self.tags)
        if self.boost is not None:
            entry["boost"] = self.boost
        return entry


def page_entries(
    page_html: str,
    url: str,
    title: str = "",
    *,
    answers: bool = True,
    tags: Sequence[str] | None = None,
    boost: float | None = None,
) -> list[SearchEntry]:
    """Every entry of a lesson page, from its marked HTML (before ``markers.finish``).

    *title* names the part of the page before its first heading. With *answers* false
    (spoiler-free), a question's entry carries no answer text.
    """
    page = markers.read(page_html)
    found = list(_sections(page.prose, url, title))
    for question in page.questions:
        text = _index_text(question.answer) if answers else ""
        found.append((f"{url}#{question.anchor}", _plain(question.question), text))
    for summary in page.summaries:
        for anchor, bullet in _bullets(summary):
            # The text holds what the title does not: the index need not carry the same words twice.
            found.append((f"{url}#{anchor}", *_title_and_rest(_index_text(bullet))))
    shared = tuple(tags) if tags is not None else None
    return [SearchEntry(location, title, text, shared, boost) for location, title, text in found]


def page_tags(tags: object) -> list[str] | None:
    """A page's ``tags:`` frontmatter as the site search puts it on the page's entries (a list, or none)."""
    if not isinstance(tags, list):
        return None
    return [str(tag) for tag in tags if tag and isinstance(tag, str | int | float | bool)]


def merge_entries(index: dict[str, Any], entries: dict[str, list[SearchEntry]]) -> dict[str, Any]:
    """Put the entries of each page URL into a search index, in place of any the index has for that page.

    Replacing rather than appending keeps the index right when only some pages were rebuilt.
    """
    docs = [doc for doc in index.get("docs", []) if doc.get("location", "").partition("#")[0] not in entries]
    for page in sorted(entries):
        docs.extend(entry.as_json() for entry in entries[page])
    return {**index, "docs": docs}


def _sections(prose: str, url: str, title: str) -> Iterator[tuple[str, str, str]]:
    """``(location, title, text)`` of each part of the prose that starts at a heading, as the site search cuts it.

    What comes before the first heading is the page's own entry, under *title*; so is a first
    ``<h1>``, with its text as the title.
    """
    headings = list(_HEADING.finditer(prose))
    preface = prose[: headings[0].start()] if headings else prose
    if headings and headings[0].group(1) == "1" and not _index_text(preface):
        first = headings.pop(0)
        title, preface = _heading_title(first), prose[first.end() : headings[0].start() if headings else len(prose)]
    yield url, _text(title), _index_text(preface)
    for k, heading in enumerate(headings):
        end = headings[k + 1].start() if k + 1 < len(headings) else len(prose)
        yield f"{url}#{heading.group(2)}", _heading_title(heading), _index_text(prose[heading.end() : end])


def _heading_title(heading: re.Match[str]) -> str:
    return _plain(_PERMALINK.sub("", heading.group(3)))


def _bullets(summary: str) -> Iterator[tuple[str, str]]:
    """``(anchor, HTML)`` of each summary bullet: from its anchor to the end of its list item."""
    anchors = list(_BULLET.finditer(summary))
    for k, anchor in enumerate(anchors):
        stop = anchors[k + 1].start() if k + 1 < len(anchors) else len(summary)
        end, depth = stop, 0
        for tag in _LIST_TAG.finditer(summary, anchor.end(), stop):
            depth += -1 if tag.group(1) else 1
            if depth < 0:
                end = tag.start()
                break
        yield anchor.group(1), summary[anchor.end() : end]


def _index_text(html: str) -> str:
    """Text for the index: paragraphs, lists and code kept as bare tags, everything else dropped.

    Substitutions by template, without a Python call per tag: this runs on every answer.
    """
    if "<" in html:
        if "<script" in html or "<style" in html or "<object" in html:  # code and styles are nobody's words
            html = _SKIPPED.sub("", html)
        html = html.replace("\x00", "").replace("\x01", "")
        html = _KEPT_TAG.sub("\x00\\1\\2\x01", html)  # kept as control characters until the text is escaped
        if "<img" in html:  # an image is found by its alt text, as a reader of the page would know it
            html = _IMAGE.sub(r" \1 ", html)
        html = _TAG.sub("", _BREAK.sub(" ", html))
    text = " ".join(_text(html).replace("\x00", "<").replace("\x01", ">").split())
    text = _AROUND_BLOCKS.sub(r"\1", text)
    return _EMPTY_ELEMENT.sub("", text).strip()


def _text(html: str) -> str:
    return escape(unescape(html), quote=False)


def _plain(html: str) -> str:
    """Text without any tags, escaped: for titles."""
    return _text(" ".join(_TAG.sub(" ", _INLINE_TAG.sub("", html)).split()))


def _title_and_rest(text: str) -> tuple[str, str]:
    """A bullet's first words as a title (cut at a word boundary), and the words after them."""
    plain = _plain(text)
    if len(plain) <= _TITLE_WIDTH:
        return plain, ""
    cut = plain[:_TITLE_WIDTH].rsplit(" ", 1)[0]
    return cut + " …", "… " + plain[len(cut) :].strip()
