"""Where a note's ``#tags`` are: one answer for the parser (what it counts) and the renderer (what it draws).

A tag written in a question, an answer or a summary bullet is a chip on the page and an entry on
the tags page, or neither: both ask :func:`hashtag_matches`.
"""

from __future__ import annotations

import bisect
import re

from .lexer import code_spans, lex, maybe_code
from .lines import HEADING

# A hashtag starts a word and is not a heading, a URL fragment or an HTML entity.
HASHTAG = re.compile(r"(?<![\w&/#])#([A-Za-z][\w/-]*\w|[A-Za-z])")


def hashtags(*texts: str) -> tuple[str, ...]:
    """The ``#tags`` of some Markdown, in order, once each: those :func:`hashtag_matches` finds."""
    found: list[str] = []
    for text in texts:
        if "#" in text:  # most lines have none
            found += [m.group(1) for m in hashtag_matches(text)]
    return tuple(dict.fromkeys(found))


def hashtag_matches(text: str) -> list[re.Match[str]]:
    """Where *text* (Markdown) holds ``#tags`` that the page shows as tags, in order.

    Not in code (as :mod:`study_guide.lexer` finds it), a heading line, an HTML tag, a link's
    address or an embed ``![[…]]``: the parser counts a tag and the renderer draws its chip
    with this one function, so a tag is on the page and on the tags page, or on neither.
    """
    if "#" not in text:
        return []
    matches = list(HASHTAG.finditer(text))
    if not matches:
        return []
    context = _Context(text)
    if not maybe_code(text):
        return [m for m in matches if not context.hides(m.start())]
    if "\n" not in text and "```" not in text and "~~~" not in text and text[:1] not in (" ", "\t"):
        # One line (a summary bullet, a question): no code block, only code spans to step over.
        spans = code_spans(text)
        starts = [a for a, _ in spans]

        def in_span(at: int) -> bool:
            k = bisect.bisect_right(starts, at) - 1
            return k >= 0 and at < spans[k][1]

        return [m for m in matches if not in_span(m.start()) and not context.hides(m.start())]
    code = lex(text)
    return [m for m in matches if not code.inside(m.start()) and not context.hides(m.start())]


class _Context:
    """Where a ``#`` is not a tag: looked up by position, each kind of bracket found once (linear time)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._pairs: dict[str, tuple[list[int], list[int]]] = {}
        self._line_starts: list[int] | None = None
        self._headings: dict[int, bool] = {}

    def _inside(self, position: int, opening: str, closing: str) -> bool:
        if opening not in self._pairs:
            opens = [m.start() for m in re.finditer(re.escape(opening), self.text)]
            closes = [m.start() for m in re.finditer(re.escape(closing), self.text)]
            self._pairs[opening] = (opens, closes)
        opens, closes = self._pairs[opening]
        if not opens:
            return False
        k = bisect.bisect_right(opens, position) - 1
        if k < 0:
            return False
        c = bisect.bisect_right(closes, opens[k])
        return c >= len(closes) or closes[c] > position

    def _in_heading(self, position: int) -> bool:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        start = self._line_starts[bisect.bisect_right(self._line_starts, position) - 1]
        if start not in self._headings:
            end = self.text.find("\n", start)
            self._headings[start] = bool(HEADING.match(self.text[start : end if end >= 0 else len(self.text)]))
        return self._headings[start]

    def hides(self, position: int) -> bool:
        # A heading's id would change with a chip in it; the others would break a tag, a link or an embed.
        return (
            self._in_heading(position)
            or self._inside(position, "<", ">")
            or self._inside(position, "](", ")")
            or self._inside(position, "[[", "]]")
        )
