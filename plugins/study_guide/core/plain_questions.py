"""Questions written as plain lines, with nothing to mark them: read from the shape of the text.

::

    What is a convolution?
    - A small matrix slid over the image.
    Why do we pad the input
    - To keep the output as large as the input.
    What is a stride?
    Notes:
    - The lecture ran long.

A plain line (no number, no bullet, no bold, no heading) is a question when it ends with '?'.
One that does not is a question when ``-`` bullets follow it (its answer) and it stands between
two such lines: the last one ("Notes:" above) is taken for a label of what follows. A line between
two questions that begins like one ("Explain …") is a question without an answer. The answer is
the bullets right below the question; whatever follows them is kept as text. Every question that
does not end with '?' is a note for ``check``: this reading is a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line
from .model import normalise_words
from .starts import Found, Start, looks_like_question, strip_break, unsure

_NOT_PLAIN = re.compile(r"[ \t]|[-*+][ \t]|\d{1,4}\\?[.)]|#|>|<|\||```|~~~|!\[|\*\*|__|\$\$|[=-]{2,}[ \t]*$")
# No two runs of blanks may meet in these patterns: that backtracks quadratically on huge lines.
_LABEL = re.compile(r"(?:q|question|a|ans|answer)[ \t]*(?:\d{1,4}[ \t]*)?[:.)\-–]", re.IGNORECASE)
_ANSWER_LINE = re.compile(r"[ ]{0,3}(?:[-*+]|\d{1,4}[.)])[ \t]|[ \t]")
_SECTION = re.compile(r"(?:my )?(?:notes?|resources?|references?|links?|further reading|reading list|see also|summary)\b")
_MIN_QUESTIONS = 2
_LAST_LABEL = "bullets follow this line, but no question comes after it: read as text, not as a question"


def find_plain(lines: Sequence[Line]) -> Found:
    """Plain lines that end with '?', or that bullets follow between two such lines."""
    candidates: list[tuple[int, bool, bool]] = []  # (index, ends with '?', bullets follow)
    for i, ln in enumerate(lines):
        if ln.blank or ln.in_code or ln.heading or _NOT_PLAIN.match(ln.text) or _LABEL.match(ln.text):
            continue
        asks = strip_break(ln.text).rstrip("*_) ").endswith("?")
        answered = i + 1 < len(lines) and not lines[i + 1].in_code and _bullet(lines[i + 1].text)
        candidates.append((i, asks, answered))
    shaped = [c for c in candidates if c[1] or c[2]]
    if sum(asks for _, asks, _ in shaped) < 1 or len(shaped) < _MIN_QUESTIONS:
        return Found([], [])
    first, last = shaped[0][0], shaped[-1][0]
    starts: list[Start] = []
    notes = []
    for i, asks, answered in candidates:
        text = strip_break(lines[i].text)
        between = first < i < last
        if asks:
            starts.append(_start(lines, i, text, sure=True))
        elif _SECTION.match(normalise_words(text)):
            continue  # 'Notes:' and its bullets are notes, wherever they stand
        elif answered and between:
            starts.append(_start(lines, i, text, sure=False))
            notes.append(unsure(lines[i], "read as a question because bullets follow it, though it does not end with '?'"))
        elif between and looks_like_question(text):
            starts.append(_start(lines, i, text, sure=False))
            notes.append(unsure(lines[i], "read as a question because it begins like one, though it does not end with '?'"))
        elif answered:
            notes.append(unsure(lines[i], _LAST_LABEL))
    return Found(starts, notes)


def _bullet(text: str) -> bool:
    return text.lstrip(" ")[:1] in ("-", "*", "+") and text.lstrip(" ")[1:2] in (" ", "\t")


def _start(lines: Sequence[Line], i: int, text: str, *, sure: bool) -> Start:
    """A question on line *i*; its answer is the bullets (and their indented lines) right below it."""
    end = i + 1
    while end < len(lines):
        ln = lines[end]
        if ln.blank:
            nxt = end + 1
            if nxt < len(lines) and _ANSWER_LINE.match(lines[nxt].text):
                end = nxt
                continue
            break
        if not (ln.in_code or _ANSWER_LINE.match(ln.text)):
            break
        end += 1
    return Start(i, None, text, i + 1, end=end, sure=sure)
