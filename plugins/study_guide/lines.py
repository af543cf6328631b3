"""Lines of a note, with what the parser must know before looking for questions.

Knowing which lines are inside fenced code is what keeps a ``# comment`` or a
``1. step`` inside a code block from being read as a heading or a question.
"""

from __future__ import annotations

import re

from .model import Problem

# Patterns here run on every line of notes that may hold huge lines: none of them backtracks.
HEADING = re.compile(r"^[ ]{0,3}(#{1,6})(?:[ \t]+(.*))?$")
_FENCE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})")
# Characters that show nothing but break pattern matching: soft hyphen, zero-width ones, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


class Line:
    """One line of the note body, with what the parser asks of it worked out once.

    A plain class with slots rather than a dataclass: every line of every note is one.
    """

    __slots__ = ("blank", "heading", "in_fence", "number", "text")

    def __init__(self, number: int, text: str, in_fence: bool) -> None:
        self.number = number  # 1-based line in the file
        self.text = text
        self.in_fence = in_fence  # inside a fenced code block, or one of its fences
        self.blank = not text.strip()
        # (level, text) of an ATX heading outside code
        match = HEADING.match(text) if not in_fence and "#" in text[:4] else None
        self.heading: tuple[int, str] | None = (len(match.group(1)), heading_text(match.group(2) or "")) if match else None

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.text!r}, in_fence={self.in_fence})"


def heading_text(text: str) -> str:
    """A heading's text without the optional closing ``#``s (``## Title ##``)."""
    text = text.strip()
    bare = text.rstrip("#")
    return bare.rstrip() if bare != text and (not bare or bare[-1] in " \t") else text


def split_lines(text: str) -> list[str]:
    """The note's lines, whatever the line endings, without invisible characters."""
    return text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n").split("\n")


def mark_fences(lines: list[str], start: int, problems: list[Problem]) -> list[Line]:
    """Lines from *start* on, each knowing whether it is inside fenced code."""
    fenced = _fenced(lines, start, problems)
    return [Line(i + 1, lines[i], i in fenced) for i in range(start, len(lines))]


def _fenced(lines: list[str], start: int, problems: list[Problem]) -> set[int]:
    """Indexes of the lines inside fenced code, fences included.

    Only a line with ``` or ~~~ can open or close a fence: the others are not even matched.
    """
    marks = [
        (i, m.group(1))
        for i in range(start, len(lines))
        if ("``" in lines[i] or "~~" in lines[i]) and (m := _FENCE.match(lines[i]))
    ]
    fenced: set[int] = set()
    fence: str | None = None
    opened_at = 0
    for i, mark in marks:
        if fence is None:
            fence, opened_at = mark, i
        elif mark[0] == fence[0] and len(mark) >= len(fence):
            fenced.update(range(opened_at, i + 1))
            fence = None
    if fence is not None:
        fenced.update(range(opened_at, len(lines)))
        message = f"code block opened with {fence} is never closed; add a line {fence} after the code"
        problems.append(Problem(opened_at + 1, message))
    return fenced
