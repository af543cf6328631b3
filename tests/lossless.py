"""Render a note the way the site does (without MkDocs) and find words that did not make it."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

import markdown

from study_guide.core import markers
from study_guide.core.lines import split_lines
from study_guide.core.parse import parse_note
from study_guide.core.render import PageContext, render_lesson
from study_guide.core.sanitize import sanitize_html

# The Markdown extensions of the repository's mkdocs.yml, plus what the plugin adds.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.tasklist",
]
_WORD = re.compile(r"[^\W_]+")
# Markup the parser consumes on purpose: the type of an Obsidian callout is no word of the learner's.
# So is the language named after a code fence (it becomes a CSS class) and the number of an
# ordered list item (HTML numbers items itself).
_STRUCTURE = re.compile(r"\[![A-Za-z]+\][-+]?|<[^>\n]*>|^[ \t>]*(?:`{3,}|~{3,})[^\n]*|^[ \t>]*\**\d{1,9}\\?[.)]", re.MULTILINE)


_INLINE = frozenset({"a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup", "u"})


def render_html(text: str) -> str:
    """Page HTML for a note, from parse and render, through Python-Markdown and the sanitiser."""
    lesson = parse_note(text, "note.md")
    context = PageContext("note")
    return markers.finish(markdown.markdown(render_lesson(lesson, context), extensions=EXTENSIONS), context.stash, sanitize_html)


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def source_words(note: str) -> Counter[str]:
    """Words of the note's body, as a reader of the Markdown source would count them."""
    lines = split_lines(note)
    if lines and lines[0].rstrip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is not None:
            lines = lines[end + 1 :]
    return words(_STRUCTURE.sub(" ", "\n".join(lines)))


class _Shown(HTMLParser):
    """Everything a reader can get at: text, comments, link targets, image sources and alt text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.parts.append(f" {data} ")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Inline elements (a highlighted token of code) continue a word; attributes stand apart.
        self.parts.extend(f" {v} " for k, v in attrs if k in ("href", "src", "alt", "title") and v)
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")


def shown_words(html: str) -> Counter[str]:
    parser = _Shown()
    parser.feed(html)
    parser.close()
    return words("".join(parser.parts))


def missing_words(note: str, html: str | None = None) -> list[str]:
    """Words of the note that the page shows fewer times than the note has them (numbers: at all)."""
    shown = shown_words(render_html(note) if html is None else html)
    missing = []
    for word, count in source_words(note).items():
        # Question numbers may be replaced by positions (a note numbering every question '1.').
        needed = 1 if word.isdigit() else count
        if shown[word] < needed:
            missing.append(word)
    return sorted(missing)
