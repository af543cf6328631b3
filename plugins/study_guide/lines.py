"""Lines of a note, with what the parser must know before looking for questions.

Knowing which lines are inside fenced code is what keeps a ``# comment`` or a
``1. step`` inside a code block from being read as a heading or a question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .model import Problem

# Patterns here run on every line of notes that may hold huge lines: none of them backtracks.
HEADING = re.compile(r"^[ ]{0,3}(#{1,6})(?:[ \t]+(.*))?$")
_FENCE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})")
# Characters that show nothing but break pattern matching: soft hyphen, zero-width ones, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Line:
    """One line of the note body, with what the parser asks of it worked out once."""

    number: int  # 1-based line in the file
    text: str
    in_fence: bool  # inside a fenced code block, or one of its fences
    blank: bool = field(init=False)
    heading: tuple[int, str] | None = field(init=False)  # (level, text) of an ATX heading outside code

    def __post_init__(self) -> None:
        object.__setattr__(self, "blank", not self.text.strip())
        match = None if self.in_fence else HEADING.match(self.text)
        object.__setattr__(self, "heading", (len(match.group(1)), heading_text(match.group(2) or "")) if match else None)


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
    return list(_marked(lines, start, problems))


def _marked(lines: list[str], start: int, problems: list[Problem]) -> Iterator[Line]:
    fence: str | None = None
    opened_at = 0
    for i in range(start, len(lines)):
        text = lines[i]
        match = _FENCE.match(text)
        if fence is None and match:
            fence, opened_at = match.group(1), i + 1
            yield Line(i + 1, text, True)
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            yield Line(i + 1, text, True)
            continue
        yield Line(i + 1, text, False)
    if fence is not None:
        problems.append(Problem(opened_at, f"code block opened with {fence} is never closed; add a line {fence} after the code"))
