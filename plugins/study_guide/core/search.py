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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

from . import markers

_TITLE_WIDTH = 90
_BULLET = re.compile(r'<span class="sg-anchor" id="([^"]+)"></span>')
_LIST_TAG = re.compile(r"<(/?)(?:li|ul|ol)\b[^>]*>")
_CAPTION = re.compile(r'<p class="sg-figure__caption">(.*?)</p>', re.DOTALL)
_HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]*)"[^>]*>(.*?)</h\1>', re.DOTALL)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
# No pattern may run across the separator of pieces read in one pass (see _each).
_SKIPPED = re.compile(r"<(script|style|object)\b[^\x05]*?</\1>", re.IGNORECASE)
# Where and when a figure was computed, and its notebook's name: provenance, not what the answer says.
_PROVENANCE = re.compile(r'<p class="sg-figure__provenance">[^\x05]*?</p>')
_IMAGE = re.compile(r'<img\b[^>\x05]*?\balt="([^"\x05]*)"[^>\x05]*>')
_BREAK = re.compile(r"<(?:br|hr|img)\b[^>\x05]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>\x05]*>")
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|em|i|kbd|mark|s|small|span|strong|sub|sup|u)\b[^>\x05]*>")
_EMPTY_ELEMENT = re.compile(r"<(p|li|code|pre|ol|ul|sub|sup)></\1>")


@dataclass(frozen=True)
class SearchEntry:
    """One search result: where it leads, its title, and the text it is found by."""

    location: str
    title: str
    text: str
    tags: tuple[str, ...] | None = None  # the lesson's tags: on its page's own entry only
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
    page: markers.PageBlocks,
    url: str,
    title: str = "",
    *,
    answers: bool = True,
    tags: Sequence[str] | None = None,
    boost: float | None = None,
) -> list[SearchEntry]:
    """Every entry of a lesson page, from its blocks as ``markers.take_apart`` finds them.

    *title* names the part of the page before its first heading. With *answers* false
    (spoiler-free), a question's entry carries no answer text. The lesson's *tags* go on the
    page's own (first) entry only: a search for a tag finds the lesson, as the tags page lists it,
    rather than each of its questions and bullets. *boost* goes on every entry.
    """
    sections = _sections(page.prose)
    bullets = [bullet for summary in page.summaries for bullet in _bullets(summary)]
    questions = page.questions
    # All pieces in two passes, one per transform: a call costs more than the text it reads.
    answer_html = [q.answer if answers else "" for q in questions]
    section_texts, answer_texts, bullet_texts = _each(
        _index_text, [html for _, _, html in sections], answer_html, [html for _, html, _ in bullets]
    )
    headings, question_titles, bullet_titles, captions = _each(
        _plain,
        [heading for _, heading, _ in sections],
        [q.question for q in questions],
        bullet_texts,
        [caption for _, _, caption in bullets],
    )
    # A part without a title (what comes before the first heading) goes by the page's title.
    found = [
        (f"{url}#{anchor}" if anchor else url, heading or _text(title), text)
        for (anchor, _, _), heading, text in zip(sections, headings, section_texts, strict=True)
    ]
    found += [(f"{url}#{q.anchor}", t, a) for q, t, a in zip(questions, question_titles, answer_texts, strict=True)]
    # A bullet's text holds what its title does not (the index need not carry the same words twice), then the
    # captions of its figures.
    for (anchor, _, _), text, caption in zip(bullets, bullet_titles, captions, strict=True):
        title, rest = _title_and_rest(text)
        found.append((f"{url}#{anchor}", title, f"{rest} {caption}".strip()))
    first_tags = tuple(tags) if tags is not None else None
    return [
        SearchEntry(location, entry_title, text, first_tags if k == 0 else None, boost)
        for k, (location, entry_title, text) in enumerate(found)
    ]


def merge_entries(index: dict[str, Any], entries: dict[str, list[SearchEntry]]) -> dict[str, Any]:
    """Put the entries of each page URL into a search index, in place of any the index has for that page.

    Replacing rather than appending keeps the index right when only some pages were rebuilt.
    """
    kept = latest_entries(doc for doc in index.get("docs", []) if doc.get("location", "").partition("#")[0] not in entries)
    ours = [entry.as_json() for page in sorted(entries) for entry in entries[page]]
    return {**{key: value for key, value in index.items() if key != "docs"}, "docs": kept + ours}


def latest_entries(docs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The site search's entries, a location seen twice keeping its last, in the order of their first.

    The site search's dirty rebuilds keep a rebuilt page's old entries when it was not the first page
    rebuilt (the home page, redone with each lesson): the later entry of a location is the page as it is.
    """
    return list({doc.get("location", ""): doc for doc in docs}.values())


def _sections(prose: str) -> list[tuple[str, str, str]]:
    """``(anchor, title HTML, HTML)`` of each part of the prose that starts at a heading, as the site search cuts it.

    What comes before the first heading is the page's own part, with no anchor and no title (the
    page's title stands for it); so is a first ``<h1>``, with its text as the title.
    """
    headings = list(_HEADING.finditer(prose))
    preface = prose[: headings[0].start()] if headings else prose
    parts = [("", "", preface)]
    if headings and headings[0].group(1) == "1" and not _index_text(preface):
        first = headings.pop(0)
        parts = [("", _PERMALINK.sub("", first.group(3)), prose[first.end() : headings[0].start() if headings else len(prose)])]
    for k, heading in enumerate(headings):
        end = headings[k + 1].start() if k + 1 < len(headings) else len(prose)
        parts.append((heading.group(2), _PERMALINK.sub("", heading.group(3)), prose[heading.end() : end]))
    return parts


def _each(transform: Callable[[str], str], *groups: list[str]) -> list[list[str]]:
    """*transform* applied to every piece of every group, in one call over all of them.

    The pieces are joined by a control character that HTML has no use for (removed from the
    pieces if one holds it); the results come back in groups of the same sizes.
    """
    pieces = [piece for group in groups for piece in group]
    if not pieces:
        return [[] for _ in groups]
    joined = _SEPARATOR.join(pieces)
    if joined.count(_SEPARATOR) != len(pieces) - 1:  # the page had the character itself
        joined = _SEPARATOR.join(piece.replace(_SEPARATOR, "") for piece in pieces)
    done = [text.strip() for text in transform(joined).split(_SEPARATOR)]
    out, at = [], 0
    for group in groups:
        out.append(done[at : at + len(group)])
        at += len(group)
    return out


_SEPARATOR = "\x05"


def _bullets(summary: str) -> Iterator[tuple[str, str, str]]:
    """``(anchor, HTML, captions)`` of each summary bullet: from its anchor to the end of its list item, and the
    captions of the figures placed after it (between its list and the next bullet), which a learner reads with it."""
    anchors = list(_BULLET.finditer(summary))
    for k, anchor in enumerate(anchors):
        stop = anchors[k + 1].start() if k + 1 < len(anchors) else len(summary)
        end, depth = stop, 0
        for tag in _LIST_TAG.finditer(summary, anchor.end(), stop):
            depth += -1 if tag.group(1) else 1
            if depth < 0:
                end = tag.start()
                break
        captions = " ".join(_CAPTION.findall(summary, end, stop)) if "sg-figure__caption" in summary[end:stop] else ""
        yield anchor.group(1), summary[anchor.end() : end], captions


def _index_text(html: str) -> str:
    """Text for the index: paragraphs, lists and code kept as bare tags, everything else dropped.

    This runs on every answer of every lesson, so it sticks to ``str.replace`` and regexes with
    literal replacements (a replacement naming a group costs a Python call per match). Kept tags
    stand as control characters until the text is escaped: \\x02…\\x03 for blocks, around which
    spaces go, and \\x00…\\x01 for code, sub- and superscripts, which sit inside sentences.
    """
    if "<" in html:
        if "<script" in html or "<style" in html or "<object" in html:  # code and styles are nobody's words
            html = _SKIPPED.sub("", html)
        if "sg-figure__provenance" in html:
            html = _PROVENANCE.sub("", html)
        html = html.translate(_NO_CONTROL)
        if _ATTRIBUTES_ON_KEPT.search(html):
            html = _ATTRIBUTES_ON_KEPT.sub(lambda m: f"<{m.group(1)}>", html)
        for tag, token in _KEPT:
            html = html.replace(tag, token)
        if "<img" in html:  # an image is found by its alt text, as a reader of the page would know it
            html = _IMAGE.sub(lambda m: f" {m.group(1)} ", html)
        html = _TAG.sub("", _BREAK.sub(" ", html))
    text = " ".join(_text(html).split()).replace(" \x02", "\x02").replace("\x03 ", "\x03")
    text = text.translate(_TAG_BRACKETS)
    return _EMPTY_ELEMENT.sub("", text).strip() if "></" in text else text.strip()


_BLOCK_TAGS = ("p", "li", "ol", "ul", "pre")
_INLINE_KEPT = ("code", "sub", "sup")
_KEPT = [(f"<{c}{t}>", f"\x02{c}{t}\x03") for t in _BLOCK_TAGS for c in ("", "/")] + [
    (f"<{c}{t}>", f"\x00{c}{t}\x01") for t in _INLINE_KEPT for c in ("", "/")
]
_ATTRIBUTES_ON_KEPT = re.compile(rf"<(/?(?:{'|'.join(_BLOCK_TAGS + _INLINE_KEPT)}))\s[^>\x05]*>")
_NO_CONTROL = dict.fromkeys(range(4))
_TAG_BRACKETS = {0: "<", 1: ">", 2: "<", 3: ">"}


def _text(html: str) -> str:
    return escape(unescape(html), quote=False)


def _plain(html: str) -> str:
    """Text without any tags, escaped: for titles."""
    return _text(" ".join(_TAG.sub(" ", _INLINE_TAG.sub("", html)).split()))


def _title_and_rest(plain: str) -> tuple[str, str]:
    """A bullet's first words as a title (cut at a word boundary), and the words after them."""
    if len(plain) <= _TITLE_WIDTH:
        return plain, ""
    cut = plain[:_TITLE_WIDTH].rsplit(" ", 1)[0]
    return cut, plain[len(cut) :].strip()
