"""The review page's cards: every answered question of the course, in one file the browser loads.

A card is what a lesson page shows of a question, taken from the page as rendered (so its HTML
went through the site's whole Markdown pipeline), with the identity that stored grades use
(``Question.key``). The file is a script rather than JSON: a site opened from ``file://`` may
load scripts but not fetch files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .markers import PageBlocks, QuestionBlock
from .model import Lesson, Question

CARDS_FILE = "cards.js"  # beside the front-end's other files
_PREFIX, _SUFFIX = "self.sgCards=JSON.parse('", "');\n"
_JS_ESCAPES = (("\\", "\\\\"), ("'", "\\'"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
_JS_UNESCAPES = {"\\": "\\", "'": "'", "u2028": "\u2028", "u2029": "\u2029"}


@dataclass(frozen=True)
class Card:
    """One answered question: where it is on its page, its identity, and what the review shows."""

    anchor: str
    key: str
    question: str  # HTML, without the question's number
    answer: str  # HTML, with links and images relative to the lesson page
    tags: tuple[str, ...] = ()
    label: str = ""  # the question's number as the note writes it ("5.", "5)")
    line: int = 0  # where its answer starts in the note, for messages about it
    source: str = ""  # the answer as Markdown, to find the line of what a message names


@dataclass(frozen=True)
class DeckLesson:
    """A lesson's cards, with what the review page shows of the lesson."""

    lesson_id: str  # names the lesson in stored progress, as on its page
    title: str
    url: str  # the lesson page, relative to the site's root
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    path: str = ""  # the note, as messages name it
    links_from: str | None = None  # the folder (site path) the cards' relative URLs start from; None: the page's
    modified: float = 0.0  # when the note was last changed (seconds since 1970)


def lesson_cards(blocks: PageBlocks, lesson: Lesson) -> tuple[Card, ...]:
    """The cards of a lesson page: its answered questions, in page order, with their hashtags.

    Unanswered questions are no cards: there is nothing to recall.
    """
    questions = {q.anchor: q for q in lesson.questions}
    return tuple(_card(b, questions.get(b.anchor)) for b in blocks.questions if b.answered)


def _card(block: QuestionBlock, question: Question | None) -> Card:
    if question is None:  # not from this note (cannot happen with the renderer's markers)
        return Card(block.anchor, block.key, block.text, block.answer, label=block.label)
    line = question.answer_line or question.line
    return Card(block.anchor, block.key, block.text, block.answer, question.tags, block.label, line, question.answer)


def cards_script(lessons: Iterable[DeckLesson]) -> str:
    """The cards file: ``self.sgCards = JSON.parse('{...}')``, lessons in course order, cards as compact rows."""
    return "".join(cards_script_parts(lessons))


def cards_script_parts(lessons: Iterable[DeckLesson]) -> Iterator[str]:
    """:func:`cards_script` in pieces, a lesson at a time: written as they come, the file is never in memory whole."""
    # JSON.parse of a string is much faster for a browser than the same data written as a literal.
    yield _PREFIX + _escaped('{"v":1,"lessons":[')
    for k, lesson in enumerate(lessons):
        row = {
            "id": lesson.lesson_id,
            "title": lesson.title,
            "url": lesson.url,
            "tags": list(lesson.tags),
            "cards": [_row(card) for card in lesson.cards],
        }
        yield ("," if k else "") + _escaped(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
    yield "]}" + _SUFFIX


def _escaped(payload: str) -> str:
    """JSON as a single-quoted JavaScript string holds it (JSON has no raw line breaks).

    The backslash first, so that the escapes added after it are not escaped again; each escape
    stands for one character, so that pieces escaped apart join into the whole escaped.
    """
    for char, escaped in _JS_ESCAPES:
        if char in payload:
            payload = payload.replace(char, escaped)
    return payload


def read_cards_script(text: str) -> dict[str, object]:
    """The data of a cards file, as the browser reads it (for tests and the benchmark)."""
    literal = text.removeprefix(_PREFIX).removesuffix(_SUFFIX)
    return json.loads(re.sub(r"\\(u2028|u2029|.)", lambda m: _JS_UNESCAPES[m.group(1)], literal))


def _row(card: Card) -> Sequence[object]:
    return [card.anchor, card.key, card.question, card.answer, list(card.tags), card.label]
