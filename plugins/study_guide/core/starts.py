"""Where a question starts: the record every finder returns, and the tests the finders share.

Each shape learners write questions in has a finder (:mod:`study_guide.questions` holds the
classic ones and the registry; :mod:`study_guide.html_questions`, :mod:`study_guide.list_questions`
and :mod:`study_guide.plain_questions` the looser ones). A finder returns :class:`Start` records;
what lies between two starts is the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Line
from .model import Problem, Severity

_INTERROGATIVE = re.compile(
    r"^(?:what|why|how|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|could|should|would|will|"
    r"name|list|give|explain|describe|define|compare|state|draw|write|find|identify|discuss|outline|summari[sz]e|"
    # Exercises: a questionnaire asks to do things as often as it asks things (verbs that rarely begin a title).
    r"rewrite|create|implement|calculate|compute|plot|prove|derive|modify|complete|visuali[sz]e|sketch|reproduce|"
    r"replicate)\b",
    re.IGNORECASE,
)
_EMPHASIS_AND_TAGS = re.compile(r"[*_`]+|<[^<>]{0,200}>")


@dataclass(frozen=True)
class Start:
    """Where one question starts, and where its own lines (the question text) end."""

    index: int  # index in the region's lines
    number: int | None  # as written; None for unnumbered shapes
    text: str
    body: int  # index of the first line after the question text
    end: int | None = None  # where the answer must stop (the end of a callout), if not at the next question
    unquote: bool = False  # the answer is a callout body: one level of '>' to remove
    marker: str = ""  # a label the learner wrote before the question, other than 'N.'
    inline: str | None = None  # the answer's start, on the question's own line (after an HTML title)
    consumed: int | None = None  # where the question's own markup ends, when past its answer (a closing tag)
    further: bool = False  # a question of the further-research group (a second kind of admonition)
    sure: bool = True  # False when only the shape of the text says it is a question


@dataclass
class Found:
    """What a finder found in a region: question starts and what it was unsure about."""

    starts: list[Start]
    notes: list[Problem]


def looks_like_question(text: str) -> bool:
    """Ends with a question mark, or begins like a question or an exercise."""
    plain = _EMPHASIS_AND_TAGS.sub("", text).strip().rstrip(")]\\ ")
    return plain.endswith("?") or bool(_INTERROGATIVE.match(plain))


def clean_question(text: str, opened: str | None) -> str:
    """The question's words without the markup that only made it stand out."""
    text = strip_break(text)
    if opened and text.endswith(opened):
        text = text[: -len(opened)].rstrip()
    if is_bold(text):
        text = text[2:-2].strip()
    return text


_BREAKS = ("<br>", "<br/>", "<br />", "\\")


def ends_with_break(text: str) -> bool:
    """A hard line break ends the line: two spaces, a backslash, or ``<br>`` (string tests, no regex)."""
    return text.endswith("  ") or text.rstrip().lower().endswith(_BREAKS)


def strip_break(text: str) -> str:
    """*text* without the hard line break that ends it, if any."""
    text = text.strip()
    lowered = text.lower()
    for mark in _BREAKS:
        if lowered.endswith(mark):
            return text[: -len(mark)].rstrip()
    return text


def is_bold(text: str) -> bool:
    """The whole of *text* is one bold span (``**…**`` or ``__…__``)."""
    text = text.strip()
    return len(text) > 4 and text[:2] in ("**", "__") and text.endswith(text[:2]) and text[:2] not in text[2:-2]


def unsure(line: Line, message: str) -> Problem:
    """A note (never a warning) about a line the finder was unsure about: ``check`` lists them."""
    return Problem(line.number, message, Severity.NOTE)
