"""Lines of a note, with what the parser must know before looking for questions.

Knowing which lines are code (as :mod:`study_guide.lexer` decides) is what keeps a
``# comment`` or a ``1. step`` inside a code block from being read as a heading or a question.
"""

from __future__ import annotations

import re

from .lexer import Code, lex_lines
from .model import Problem

# Patterns here run on every line of notes that may hold huge lines: none of them backtracks.
HEADING = re.compile(r"^[ ]{0,3}(#{1,6})(?:[ \t]+(.*))?$")
UNDERLINE = re.compile(r"(?:=+|-+)[ ]*$")
# Lines that Markdown reads as something else first, or that the parser keeps as questions.
_NOT_A_SETEXT_TEXT = re.compile(r"[ \t]|[-*+][ \t]|\d{1,9}\\?[.)]|>|<|\||```|~~~|\*\*|__|!\[")
# Characters that show nothing but break pattern matching: soft hyphen, zero-width ones, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


class Line:
    """One line of the note body, with what the parser asks of it worked out once.

    A plain class with slots rather than a dataclass: every line of every note is one.
    """

    __slots__ = ("blank", "heading", "in_code", "number", "text", "underline")

    def __init__(self, number: int, text: str, in_code: bool) -> None:
        self.number = number  # 1-based line in the file
        self.text = text
        self.in_code = in_code  # part of a code block: a fence, its content, or indented code
        self.blank = not text.strip()
        self.underline = False  # the '===' or '---' under a setext heading (the line above is the heading)
        # (level, text) of an ATX heading outside code
        match = HEADING.match(text) if not in_code and "#" in text[:4] else None
        self.heading: tuple[int, str] | None = (len(match.group(1)), heading_text(match.group(2) or "")) if match else None

    def __repr__(self) -> str:
        return f"Line({self.number}, {self.text!r}, in_code={self.in_code})"


def heading_text(text: str) -> str:
    """A heading's text without the optional closing ``#``s (``## Title ##``)."""
    text = text.strip()
    bare = text.rstrip("#")
    return bare.rstrip() if bare != text and (not bare or bare[-1] in " \t") else text


def split_lines(text: str) -> list[str]:
    """The note's lines, whatever the line endings, without invisible characters."""
    return text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n").split("\n")


def mark_code(lines: list[str], start: int, problems: list[Problem]) -> tuple[list[Line], Code]:
    """Lines from *start* on, each knowing whether it is code (as :mod:`study_guide.lexer` decides), and the lexed code.

    A fence the renderer never closes is no code block: its lines are read like any others, and
    a warning says how to close it.
    """
    code = lex_lines(lines[start:])
    for fence in code.given_back:
        problems.append(
            Problem(
                start + fence.start + 1,
                f"code block opened with {fence.marks} follows indented code with no blank line between, so the page "
                "shows it as text; put a blank line before it",
            )
        )
    for unclosed in code.unclosed:
        line = start + unclosed.line + 1
        if unclosed.stopped is None:
            message = (
                f"code block opened with {unclosed.marks} is never closed, so the page shows it as text; "
                f"add a line {unclosed.marks} after the code"
            )
        else:
            message = (
                f"code block opened with {unclosed.marks} stops at line {start + unclosed.stopped + 1}, which is less "
                "indented or quoted than its first line, so the page shows it as text; indent (or quote) every line "
                f"of the block like its first, and close it with {unclosed.marks}"
            )
        problems.append(Problem(line, message))
    code_lines = code.code_lines
    body = [Line(i + 1, lines[i], i - start in code_lines) for i in range(start, len(lines))]
    _mark_setext(body)
    return body, code


def _mark_setext(lines: list[Line]) -> None:
    """Setext headings (a line, then '===' or '---' under it) as Python-Markdown reads them.

    Pandoc and some editors write section headings so. A question underlined by a rule
    (``1. What is X?`` then ``---``) stays a question: the parser reads the rule as a separator.
    """
    for k in range(1, len(lines)):
        under, text = lines[k], lines[k - 1]
        if under.in_code or under.text[:1] not in ("=", "-") or not UNDERLINE.match(under.text):
            continue
        if text.blank or text.in_code or text.heading or (k >= 2 and not lines[k - 2].blank and not lines[k - 2].underline):
            continue
        words = text.text.strip()
        if _NOT_A_SETEXT_TEXT.match(text.text) or words.rstrip("*_ ").endswith("?"):
            continue
        text.heading = (1 if under.text[0] == "=" else 2, heading_text(words))
        under.underline = True
