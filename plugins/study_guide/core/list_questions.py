"""Questions as top-level bullets, each answer nested under its bullet.

::

    * What is a latent factor?
        * A learned number that describes a user or a movie.
    - Rewrite the `DotProduct` class with a bias.
        ```python
        class DotProductBias(Module): ...
        ```
    - What does weight decay add to the loss?
    ```python
    loss_with_wd = loss + wd * (parameters**2).sum()
    ```

A bullet at the margin is a question when it reads like one, or when something is indented
under it (bullets, a numbered list, a quote, code); its answer is everything up to the next
such bullet, code at the margin included (Markdown ends the list there, the learner did not).
A bullet that is neither stays in the answer above it, and ``check`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line
from .starts import Found, Start, clean_question, looks_like_question, unsure

_MARKS = frozenset("-*+")
_TOP_BULLET = re.compile(r"[ ]?[-*+][ \t]+(?P<text>\S.*)")
_INDENTED_ANSWER = "read as a question because an answer is indented under it, though it reads like none"
_NO_QUESTION = "a bullet that is no question (no '?', nothing indented under it): kept in the answer above"


def find_bullets(lines: Sequence[Line]) -> Found:
    """``- question`` at the margin, with its answer indented under it."""
    bullets = [
        (i, m)
        for i, ln in enumerate(lines)
        if (ln.text[:1] in _MARKS or (ln.text[:1] == " " and ln.text[1:2] in _MARKS))
        and not ln.in_code
        and (m := _TOP_BULLET.fullmatch(ln.text))
    ]
    starts: list[Start] = []
    notes = []
    for k, (i, match) in enumerate(bullets):
        following = bullets[k + 1][0] if k + 1 < len(bullets) else len(lines)
        text = clean_question(match["text"], None)
        nested = any(not ln.blank and (ln.text[:1] in " \t" or ln.in_code) for ln in lines[i + 1 : following])
        if looks_like_question(text):
            starts.append(Start(i, None, text, i + 1))
        elif nested:
            starts.append(Start(i, None, text, i + 1, sure=False))
            notes.append(unsure(lines[i], _INDENTED_ANSWER))
        elif starts:
            notes.append(unsure(lines[i], _NO_QUESTION))
    return Found(starts, notes)
