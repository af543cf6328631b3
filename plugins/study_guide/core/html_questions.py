"""Questions as raw HTML admonitions, one per question, as static-site exports write them.

A site built with Python-Markdown's admonitions, copied back into a note, gives one line per question::

    <div class="admonition note"><p class="admonition-title">12. Question?</p><p>Answer</p></div>

The title is the question (its number, if any, taken off); the rest of the box is the answer,
as HTML (``<p>``, ``<img>``, ``<br>``, ``<ol><li>``…); an empty ``<p></p>`` is no answer. A second
kind of box (``tip`` beside ``note``) holds the further-research questions. A box may also run
over several lines, up to a line that ends it with ``</div>``.

Everything is found with string operations and one anchored pattern, so a huge line costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line
from .starts import Found, Start, looks_like_question, unsure

# Possessive where a class attribute could be huge: no backtracking over it.
_OPENING = re.compile(
    r'[ ]{0,3}<div\s+class="admonition\s+(?P<kind>[\w-]++)[^"<>]*+"[^<>]*+>\s*+<p\s+class="admonition-title"[^<>]*+>'
)
_NUMBER = re.compile(r"(?P<num>\d{1,4})\\?[.)][ \t]*")
_TITLE_END = "</p>"
_CLOSE = "</div>"


def find_html(lines: Sequence[Line]) -> Found:
    """``<div class="admonition note"><p class="admonition-title">question</p>answer</div>`` per question."""
    boxes: list[tuple[int, str, str, str, int, int]] = []  # (line, kind, title, answer, body, consumed)
    i = 0
    while i < len(lines):
        text = lines[i].text
        match = _OPENING.match(text) if "admonition" in text and not lines[i].in_code else None
        if match is None:
            i += 1
            continue
        title_end = text.find(_TITLE_END, match.end())
        if title_end < 0:
            i += 1
            continue
        title = text[match.end() : title_end].strip()
        rest = text[title_end + len(_TITLE_END) :].rstrip()
        body = consumed = i + 1
        if rest.endswith(_CLOSE):
            rest = rest[: -len(_CLOSE)]
        else:
            # A box over several lines: its answer runs to the line that closes it, before the next box.
            j = i + 1
            while j < len(lines) and "admonition-title" not in lines[j].text:
                if lines[j].text.rstrip() == _CLOSE:
                    consumed = j + 1
                    break
                j += 1
        boxes.append((i, match["kind"].lower(), title, rest, body, consumed))
        i = consumed
    questions = [box for box in boxes if _NUMBER.match(box[2]) or looks_like_question(box[2])]
    if not questions:
        return Found([], [])
    main_kind = questions[0][1]
    starts: list[Start] = []
    notes = []
    for index, kind, title, rest, body, consumed in questions:
        number = _NUMBER.match(title)
        text = title[number.end() :].strip() if number else title
        end = consumed - 1 if consumed > body else body  # a closing '</div>' line is markup, not answer
        starts.append(
            Start(
                index,
                int(number["num"]) if number else None,
                text,
                body,
                end=end,
                inline=rest,
                consumed=consumed,
                further=kind != main_kind,
            )
        )
        if kind != main_kind and kind != questions[-1][1]:
            notes.append(unsure(lines[index], f"a box of a third kind ({kind!r}): read as a further-research question"))
    return Found(starts, notes)
