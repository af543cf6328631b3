"""Turn a :class:`~study_guide.model.Lesson` into page Markdown.

The output is Markdown with a few HTML wrappers marked ``markdown="1"``
(Python-Markdown's ``md_in_html``), so the learner's own Markdown inside answers
still goes through the site's whole Markdown pipeline: links are checked and
rewritten, code is highlighted, and nothing here knows about MkDocs.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .model import Block, Lesson, Prose, Question, Questionnaire, Summary, SummaryBullet
from .parse import HASHTAG

_ENDS_WITH_HEADING = re.compile(r"(?:^|\n)#{1,6}[ \t]+[^\n]*\s*$")


def render_lesson(lesson: Lesson, lesson_id: str) -> str:
    """Page Markdown for one lesson: its blocks in the order the note has them.

    *lesson_id* names the lesson in the learner's stored progress (the note's file name).
    """
    parts: list[str] = []
    previous: Block | None = None
    toolbar = render_toolbar(lesson_id, len(lesson.questions))
    for block in lesson.blocks:
        if isinstance(block, Prose):
            parts.append(block.text)
        elif isinstance(block, Questionnaire):
            if not (isinstance(previous, Prose) and _ENDS_WITH_HEADING.search(previous.text)):
                parts.append("## Questionnaire")
            parts.append(toolbar)
            toolbar = ""
            parts.append(render_questionnaire(block))
        else:
            parts.append(render_summary(block))
        previous = block
    return "\n\n".join(parts) + "\n"


def render_toolbar(lesson_id: str, total: int) -> str:
    """An empty element that the front-end fills with the self-test controls (none without JS)."""
    return f'<div class="sg-toolbar" data-sg-lesson="{html.escape(lesson_id)}" data-sg-total="{total}"></div>'


def render_config(settings: dict[str, object]) -> str:
    """Settings for the front-end as one JSON payload, escaped into an attribute.

    Not a ``<script type="application/json">``: Material's instant navigation re-creates
    the scripts of a new page without their ``type`` and would run the JSON as code.
    """
    payload = html.escape(json.dumps(settings, sort_keys=True, ensure_ascii=False), quote=True)
    return f'<div id="sg-config" hidden data-sg-config="{payload}"></div>'


def render_questionnaire(block: Questionnaire) -> str:
    """Every question its own block, with the answer collapsed until asked for."""
    return "\n\n".join(render_question(q) for q in block.questions)


def render_question(question: Question) -> str:
    """A ``<details>`` when there is an answer to reveal; a plain block saying so otherwise."""
    number = f'<span class="sg-qa__number">{question.number}.</span>'
    anchor = html.escape(question.anchor)
    key = f'data-sg-key="{question.key}"'
    if question.has_answer:
        return (
            f'<details class="sg-qa question" id="{anchor}" {key} markdown="1">\n'
            f'<summary class="sg-qa__question" markdown="span">{number} {question.text}</summary>\n'
            f'<div class="sg-qa__answer" markdown="1">\n\n{question.answer}\n\n</div>\n'
            "</details>"
        )
    # Whatever the learner put as a placeholder is kept visible: nothing is dropped.
    kept = f'<div class="sg-qa__placeholder" markdown="1">\n\n{question.answer}\n\n</div>\n' if question.answer.strip() else ""
    return (
        f'<div class="sg-qa sg-qa--unanswered" id="{anchor}" {key} markdown="1">\n'
        f'<p class="sg-qa__question" markdown="span">{number} {question.text}</p>\n'
        '<p class="sg-qa__none">No answer yet.</p>\n'
        f"{kept}"
        "</div>"
    )


def render_summary(block: Summary) -> str:
    """The summary heading as written, then its bullets with anchors and tag chips."""
    return block.heading + "\n\n" + "\n".join(render_bullet(b) for b in block.bullets)


def render_bullet(bullet: SummaryBullet) -> str:
    """One summary bullet; continuation lines keep their indentation."""
    text = HASHTAG.sub(_tag_chip, bullet.text)
    return f'- <span class="sg-anchor" id="{bullet.anchor}"></span>{text}'


def _tag_chip(match: re.Match[str]) -> str:
    # The hashtag regex admits only word characters, '-' and '/', so no escaping is needed.
    return f'<span class="sg-tag" data-tag="{match.group(1)}">#{match.group(1)}</span>'


@dataclass(frozen=True)
class LessonEntry:
    """What the home page shows of one lesson."""

    src_uri: str
    lesson_id: str
    title: str
    questions: int
    answered: int
    bullets: int


def render_lesson_table(entries: Iterable[LessonEntry], from_uri: str) -> str:
    """A Markdown table of the lessons, with links relative to the page at *from_uri*."""
    rows = list(_lesson_rows(entries, posixpath.dirname(from_uri)))
    if not rows:
        return "_No lessons yet: add notes under the lessons folder._"
    header = "| Lesson | Questions | Answered | Summary points | Known |\n| --- | ---: | ---: | ---: | --- |"
    return "\n".join([header, *rows])


def _lesson_rows(entries: Iterable[LessonEntry], base: str) -> Iterator[str]:
    for entry in entries:
        link = posixpath.relpath(entry.src_uri, base or ".")
        title = _escape_table_text(entry.title)
        # The front-end fills the progress cell from the learner's stored grades.
        progress = (
            f'<span class="sg-progress" data-sg-lesson="{html.escape(entry.lesson_id)}" data-sg-total="{entry.questions}"></span>'
        )
        yield f"| [{title}](<{link}>) | {entry.questions} | {entry.answered} | {entry.bullets} | {progress} |"


def _escape_table_text(text: str) -> str:
    """Keep a title from breaking out of a table cell or a link label."""
    return re.sub(r"([\\|\[\]<>*_`])", r"\\\1", text)
