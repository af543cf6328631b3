"""Turn one Markdown note into a :class:`~study_guide.model.Lesson`.

Knows Markdown notes and nothing of MkDocs. Every line of the body ends up in
exactly one block (prose, questionnaire or summary), which is what lets the
renderer promise that nothing the learner wrote is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .model import (
    Block,
    Lesson,
    Problem,
    Prose,
    Question,
    Questionnaire,
    Severity,
    Summary,
    SummaryBullet,
)

_FRONTMATTER_FENCE = re.compile(r"^---[ \t]*$")
_FRONTMATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_QUESTION = re.compile(r"^(\d{1,5})[.)][ \t]+(\S.*)$")
_BULLET = re.compile(r"^[-*+][ \t]+(.*)$")
CODE_SPAN = re.compile(r"(`+).+?\1")
_FENCE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*(`{3,}|~{3,})")
_QUOTE_PREFIX = re.compile(r"^[ \t]{0,3}>[ \t]?")
# A hashtag starts a word and is not a heading, a URL fragment or an HTML entity.
HASHTAG = re.compile(r"(?<![\w&/#])#([A-Za-z][\w/-]*\w|[A-Za-z])")
# What learners write where they have no answer yet. Compared after normalising.
_PLACEHOLDERS = frozenset(
    {
        "",
        "na",
        "n/a",
        "tbd",
        "todo",
        "to do",
        "...",
        "?",
        "answer here",
        "your answer here",
        "to be done by the reader",
    }
)


def read_note(path: str | Path, display_path: str | None = None) -> Lesson:
    """Read and parse the note at *path*; undecodable bytes become an error, not an exception."""
    shown = display_path or str(path)
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = (
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; "
            "save the note as UTF-8 (most editors offer it under 'Save with encoding')"
        )
        return Lesson(path=shown, meta={}, problems=[Problem(line, message, Severity.ERROR)])
    return parse_note(text, shown)


def parse_note(text: str, path: str = "<note>") -> Lesson:
    """Parse the text of a note into a lesson; problems are collected, never raised."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, body_start, problems = _split_frontmatter(lines)
    lesson = Lesson(path=path, meta=meta, problems=problems)
    if lesson.errors:
        return lesson
    lesson.blocks = list(_Scanner(lines, body_start, lesson.problems).blocks())
    _check_numbering(lesson)
    if not lesson.questions and not lesson.bullets:
        lesson.problems.append(
            Problem(
                body_start + 1,
                "no questionnaire and no summary found; write questions as '1. Question?' "
                "followed by the answer as a '> ' blockquote, and the summary as '- ' bullets "
                "under a '## Summary' heading",
            )
        )
    return lesson


def _split_frontmatter(lines: list[str]) -> tuple[dict[str, Any], int, list[Problem]]:
    """Return the frontmatter mapping, the index of the first body line, and problems."""
    if not lines or not _FRONTMATTER_FENCE.match(lines[0]):
        return {}, 0, []
    end = next((i for i in range(1, len(lines)) if _FRONTMATTER_END.match(lines[i])), None)
    if end is None:
        message = "frontmatter opened with '---' is never closed; add a line '---' after its last key"
        return {}, 0, [Problem(1, message, Severity.ERROR)]
    source = "\n".join(lines[1:end])
    try:
        meta = frontmatter.YAMLHandler().load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if context is not None and context.line + 2 < line:
            reason += f", in what starts on line {context.line + 2}"
        message = f"frontmatter is not valid YAML ({reason}); write one 'key: value' per line"
        return {}, end + 1, [Problem(line, message, Severity.ERROR)]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        message = "frontmatter must be 'key: value' lines, not a list or a single value"
        return {}, end + 1, [Problem(2, message, Severity.ERROR)]
    return {str(k): v for k, v in meta.items()}, end + 1, []


@dataclass
class _Line:
    number: int  # 1-based line in the file
    text: str
    in_fence: bool  # inside (or opening/closing) a fenced code block


class _Scanner:
    """Walk the body once, cutting it into blocks in document order."""

    def __init__(self, lines: list[str], start: int, problems: list[Problem]) -> None:
        self.lines = list(self._mark_fences(lines, start, problems))
        self.problems = problems
        self.bullet_count = 0

    @staticmethod
    def _mark_fences(lines: list[str], start: int, problems: list[Problem]) -> Iterator[_Line]:
        fence: str | None = None
        opened_at = 0
        for i in range(start, len(lines)):
            text = lines[i]
            match = _FENCE.match(text)
            if fence is None and match:
                fence, opened_at = match.group(1), i + 1
                yield _Line(i + 1, text, True)
                continue
            if fence is not None:
                if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                    fence = None
                yield _Line(i + 1, text, True)
                continue
            yield _Line(i + 1, text, False)
        if fence is not None:
            problems.append(
                Problem(opened_at, f"code block opened with {fence} is never closed; add a line {fence} after the code")
            )

    def blocks(self) -> Iterator[Block]:
        prose: list[_Line] = []
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            heading = None if line.in_fence else _HEADING.match(line.text)
            if heading and _normalise(heading.group(2)) == "summary":
                yield from self._prose(prose)
                prose = []
                i = yield from self._summary(i, len(heading.group(1)))
                continue
            if not line.in_fence and _QUESTION.match(line.text):
                yield from self._prose(prose)
                prose = []
                i = yield from self._questionnaire(i)
                continue
            prose.append(line)
            i += 1
        yield from self._prose(prose)

    @staticmethod
    def _prose(lines: list[_Line]) -> Iterator[Prose]:
        if any(line.text.strip() for line in lines):
            yield Prose("\n".join(line.text for line in lines), lines[0].number)

    def _questionnaire(self, i: int) -> Iterator[Block]:
        """Read questions from line *i* up to the next heading; return where it stopped."""
        first = self.lines[i].number
        questions: list[Question] = []
        seen: dict[str, int] = {}
        while i < len(self.lines):
            start = i
            match = _QUESTION.match(self.lines[i].text)
            assert match is not None
            i += 1
            while i < len(self.lines) and not self._ends_answer(self.lines[i]):
                i += 1
            number = int(match.group(1))
            anchor = f"q-{number}"
            if anchor in seen:
                seen[anchor] += 1
                anchor = f"{anchor}-{seen[f'q-{number}']}"
            else:
                seen[anchor] = 1
            questions.append(_question(number, match.group(2), self.lines[start + 1 : i], self.lines[start].number, anchor))
            if i >= len(self.lines) or not _QUESTION.match(self.lines[i].text):
                break
        yield Questionnaire(tuple(questions), first)
        return i

    @staticmethod
    def _ends_answer(line: _Line) -> bool:
        return not line.in_fence and bool(_HEADING.match(line.text) or _QUESTION.match(line.text))

    def _summary(self, i: int, level: int) -> Iterator[Block]:
        """Read the summary section from its heading at line *i*; return where it stopped."""
        heading = self.lines[i]
        i += 1
        bullets: list[SummaryBullet] = []
        while i < len(self.lines):
            line = self.lines[i]
            match = None if line.in_fence else _BULLET.match(line.text)
            if match is None:
                if line.text.strip():
                    break
                i += 1
                continue
            start = i
            i += 1
            # A bullet goes on over indented lines and lazy continuations, as in Markdown.
            while i < len(self.lines):
                nxt = self.lines[i].text
                if not nxt.strip():
                    if i + 1 < len(self.lines) and self.lines[i + 1].text[:1] in (" ", "\t"):
                        i += 1
                        continue
                    break
                if _BULLET.match(nxt) or _HEADING.match(nxt):
                    break
                i += 1
            text = "\n".join([match.group(1)] + [ln.text for ln in self.lines[start + 1 : i]])
            self.bullet_count += 1
            tags = hashtags(text)
            bullets.append(SummaryBullet(self.bullet_count, text, tags, self.lines[start].number))
        yield Summary(heading.text, tuple(bullets), heading.number)
        # What follows the bullets up to the next heading of the same level is kept as prose.
        rest: list[_Line] = []
        while i < len(self.lines):
            match = None if self.lines[i].in_fence else _HEADING.match(self.lines[i].text)
            if match and len(match.group(1)) <= level:
                break
            rest.append(self.lines[i])
            i += 1
        yield from self._prose(rest)
        return i


def _question(number: int, text: str, body: list[_Line], line: int, anchor: str) -> Question:
    """Build a question from its first line and the lines up to the next question."""
    while body and not body[0].text.strip():
        body = body[1:]
    while body and not body[-1].text.strip():
        body = body[:-1]
    # The answer is usually a blockquote; unquoting keeps lists and paragraphs inside it intact.
    answer = "\n".join(_QUOTE_PREFIX.sub("", ln.text, count=1) for ln in body)
    return Question(
        number=number,
        text=text.strip(),
        answer=answer,
        line=line,
        anchor=anchor,
        answer_line=body[0].number if body else None,
        placeholder=_normalise(answer) in _PLACEHOLDERS,
        tags=hashtags(text, *(ln.text for ln in body if not ln.in_fence)),
    )


def hashtags(*texts: str) -> tuple[str, ...]:
    """The ``#tags`` of some Markdown, in order, once each; code spans are not searched."""
    found: list[str] = []
    for text in texts:
        found += HASHTAG.findall(CODE_SPAN.sub("", text))
    return tuple(dict.fromkeys(found))


def _normalise(text: str) -> str:
    """Lower-case words only: for comparing headings and spotting placeholders."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\s_*`>\[\]]+", " ", text).strip()
    return text.rstrip(".:!").strip()


def _check_numbering(lesson: Lesson) -> None:
    for question in lesson.questions:
        if question.anchor != f"q-{question.number}":
            lesson.problems.append(
                Problem(
                    question.line,
                    f"question number {question.number} is used more than once; this one gets the id "
                    f"'{question.anchor}'. Renumber the questions so each number is used once",
                )
            )
