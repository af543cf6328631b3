"""The review page's cards: every answered question of the course, in files the browser loads.

A card is what a lesson page shows of a question, taken from the page as rendered (so its HTML
went through the site's whole Markdown pipeline), with the identity that stored grades use
(``Question.key``). The cards file (``cards.js``) holds what the review needs to count and
schedule the cards and to show their questions; each lesson's answers are a file of their own
(``answers/<name>.js``, named by its content), loaded when one of the lesson's cards is shown:
their JSON deflated and in base64 (under half the bytes; the browser inflates it with its own
``DecompressionStream``). The files are scripts rather than JSON: a site opened from ``file://``
may load scripts but not fetch files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .markers import PageBlocks, QuestionBlock
from .model import Lesson, Question

CARDS_FILE = "cards.js"  # beside the front-end's other files
ANSWERS_DIR = "answers"  # beside it: a lesson's answers each
_PREFIX, _SUFFIX = "self.sgCards=JSON.parse('", "');\n"
_ANSWERS_PREFIX = "(self.sgAnswers=self.sgAnswers||{})"
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


def cards_files(lessons: Iterable[DeckLesson], packed: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """The review's files as ``(path in the front-end's folder, text)``: each lesson's answers file
    (``answers/<name>.js``), then the cards file, whose lesson rows name their answers file (``"a"``).

    A lesson at a time: the answers are never in memory all at once. An answers file is named by its
    content, so a browser that kept an older one never shows it for a changed lesson.

    *packed* (while serving): the answers deflated by the call before, by their JSON text; a lesson whose answers
    did not change is not deflated again, and *packed* is left holding this call's.
    """
    earlier = dict(packed) if packed else {}
    if packed is not None:
        packed.clear()
    parts = [_PREFIX + _escaped('{"v":2,"lessons":[')]
    for k, lesson in enumerate(lessons):
        row: dict[str, object] = {
            "id": lesson.lesson_id,
            "title": lesson.title,
            "url": lesson.url,
            "tags": list(lesson.tags),
            "cards": [_row(card) for card in lesson.cards],
        }
        if lesson.cards:
            answers = json.dumps([card.answer for card in lesson.cards], ensure_ascii=False, separators=(",", ":"))
            payload = earlier.get(answers) or _deflated(answers)
            if packed is not None:
                packed[answers] = payload
            name = hashlib.sha1(payload.encode("ascii")).hexdigest()[:12]
            yield f"{ANSWERS_DIR}/{name}.js", f'{_ANSWERS_PREFIX}["{name}"]="{payload}";\n'
            row["a"] = name
        parts.append(("," if k else "") + _escaped(json.dumps(row, ensure_ascii=False, separators=(",", ":"))))
    parts.append("]}" + _SUFFIX)
    yield CARDS_FILE, "".join(parts)


def write_cards_files(lessons: Iterable[DeckLesson], folder: Path, packed: dict[str, str] | None = None) -> None:
    """Write :func:`cards_files` into *folder* (the front-end's folder of the site), in place of any answers files
    an earlier build left there."""
    answers = folder / ANSWERS_DIR
    answers.mkdir(parents=True, exist_ok=True)
    earlier = {old.name: old.stat().st_size for old in answers.iterdir()}
    for name, text in cards_files(lessons, packed):
        path = folder / name
        data = text.encode("utf-8")
        # An answers file is named by its content: one already there whole is this one (a rebuild while serving).
        if path.parent != answers or earlier.pop(path.name, None) != len(data):
            path.write_bytes(data)
    for old in earlier:  # answers files no lesson has now
        (answers / old).unlink()


def _deflated(text: str) -> str:
    """*text* as UTF-8, deflated (raw: no zlib header, as ``DecompressionStream("deflate-raw")`` reads it) and in base64."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(text.encode("utf-8")) + packer.flush()).decode("ascii")


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
    return json.loads(_unescaped(literal))


def read_answers_script(text: str) -> list[str]:
    """The answers of an answers file, as the browser reads them (for tests and the benchmark)."""
    payload = text[text.index('="') + 2 :].removesuffix('";\n')
    return json.loads(zlib.decompress(base64.b64decode(payload), -15).decode("utf-8"))


def read_cards(folder: Path) -> dict[str, object]:
    """The cards of a site's front-end *folder*, each row with its answer back in place (its 4th item)."""
    data = read_cards_script((folder / CARDS_FILE).read_text(encoding="utf-8"))
    for lesson in data["lessons"]:  # type: ignore[attr-defined]
        name = lesson.pop("a", None)
        answers = read_answers_script((folder / ANSWERS_DIR / f"{name}.js").read_text(encoding="utf-8")) if name else []
        lesson["cards"] = [[*row[:3], answer, *row[3:]] for row, answer in zip(lesson["cards"], answers, strict=True)]
    return data


def _unescaped(literal: str) -> str:
    return re.sub(r"\\(u2028|u2029|.)", lambda m: _JS_UNESCAPES[m.group(1)], literal)


def _row(card: Card) -> Sequence[object]:
    return [card.anchor, card.key, card.question, list(card.tags), card.label]
