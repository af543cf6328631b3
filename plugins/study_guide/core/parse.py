"""Turn one Markdown note into a :class:`~study_guide.model.Lesson`.

Knows Markdown notes and nothing of MkDocs. Every line of the body ends up in
exactly one block (prose, questionnaire or summary), which is what lets the
renderer promise that nothing the learner wrote is dropped. Where the questions
start is up to :mod:`study_guide.questions`, which knows the shapes learners use.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from . import figures, guards, questions, timestamps
from .figures import FigureRef
from .hashtags import hashtags
from .lines import Line, mark_code, split_lines
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
    normalise_words,
)
from .obsidian import strip_comments
from .questions import FAMILIES
from .yaml_errors import frontmatter_error

FURTHER = "Further research"
"""The title of the further-research questions' group (ids fr-1, fr-2, …)."""
FAMILY_KEY = "questionnaire_format"
"""Frontmatter key that forces a questionnaire family instead of detecting it."""

_FRONTMATTER_FENCE = re.compile(r"^---[ \t]*$")
_FRONTMATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_BULLET = re.compile(r"^[-*+][ \t]+(.*)$")
# Sections that are not the questionnaire, whatever numbered lists they hold.
_OTHER_SECTIONS = re.compile(r"^(?:my )?(?:notes?|resources?|references?|links?|further reading|reading list|see also)\b")


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
        source = data.decode("utf-8", errors="replace")
        return Lesson(path=shown, meta={}, problems=[Problem(line, message, Severity.ERROR)], source=source)
    sidecar = Path(path).with_name(Path(path).name.removesuffix(".md") + timestamps.SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return parse_note(text, shown)
    shown_sidecar = str(Path(shown).with_name(sidecar.name))
    entries, length, problems = timestamps.read_sidecar(sidecar, shown_sidecar)
    lesson = parse_note(text, shown, (entries, length, shown_sidecar))
    lesson.problems[:0] = problems
    return lesson


def parse_note(
    text: str, path: str = "<note>", sidecar: tuple[list[timestamps.SidecarEntry], int | None, str] | None = None
) -> Lesson:
    """Parse the text of a note into a lesson; problems are collected, never raised.

    *sidecar* holds the times read from the note's timestamps file, its video length, and its path.
    """
    binary = guards.binary_problem(text)
    if binary is not None:
        return Lesson(path=path, meta={}, problems=[binary], source=text)
    lines = split_lines(text)
    meta, body_start, problems = _split_frontmatter(lines)
    # Private comments go first, before anything else sees the note: no output can publish them.
    written = "\n".join(lines[body_start:])
    body_text, hidden = strip_comments(written, body_start + 1)
    if body_text != written:
        lines[body_start:] = body_text.split("\n")
        text = "\n".join(lines)
    lesson = Lesson(path=path, meta=meta, problems=problems + hidden, source=text, body_start=body_start)
    if lesson.errors:
        return lesson
    body, code = mark_code(lines, body_start, lesson.problems)
    lesson.problems += guards.nesting_problems(body)
    if lesson.errors:
        return lesson
    lesson.heading = _first_heading(body)
    lesson.headings = [(line.number, *line.heading) for line in body if line.heading]
    lesson.problems += _video_problems(meta, lines[:body_start])
    lesson.problems += guards.empty_link_problems(body, code)
    lesson.blocks = list(_Reader(lesson, body).blocks())
    _number(lesson)
    entries, length, sidecar_path = sidecar or ([], None, None)
    timestamps.apply_times(lesson, entries, length, sidecar_path)
    _find_figures(lesson, lines)
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


def _find_figures(lesson: Lesson, lines: list[str]) -> None:
    """The notebook outputs the note embeds in its text and places from its frontmatter, with their lines.

    Embeds are found in the text each block gives the page (an answer without its quote's '>', say),
    so that the page can put each figure at the offset where it was found.
    """
    anchors = [q.anchor for q in lesson.questions] + [b.anchor for b in lesson.bullets]
    lesson.placements, problems = figures.placed_refs(lesson.meta, lines, anchors)
    lesson.problems += problems
    if ".ipynb" not in lesson.source:
        return  # most notes embed nothing
    for b, block in enumerate(lesson.blocks):
        if isinstance(block, Prose):
            lesson.blocks[b] = replace(block, figures=tuple(figures.find_figure_refs(block.text, first_line=block.line)))
        elif isinstance(block, Questionnaire):
            found = tuple(
                replace(q, figures=tuple(figures.find_figure_refs(q.answer, first_line=q.answer_line or q.line)))
                for q in block.questions
            )
            lesson.blocks[b] = replace(block, questions=found)
        else:
            found_bullets = tuple(
                replace(s, figures=tuple(figures.find_figure_refs(s.text, first_line=s.line))) for s in block.bullets
            )
            lesson.blocks[b] = replace(block, bullets=found_bullets)
    lesson.figure_refs = [ref for block in lesson.blocks for ref in _block_figures(block)]


def _block_figures(block: Block) -> Iterator[FigureRef]:
    if isinstance(block, Prose):
        yield from block.figures
    elif isinstance(block, Questionnaire):
        for question in block.questions:
            yield from question.figures
    else:
        for bullet in block.bullets:
            yield from bullet.figures


def _first_heading(body: list[Line]) -> str | None:
    """The plain text of the first level-1 heading, as the page shows it (MkDocs titles a page by it)."""
    text = next((line.heading[1] for line in body if line.heading and line.heading[0] == 1), None)
    if not text:
        return None
    text = _ATTR_LIST.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text).replace("`", "")
    text = _EMPHASIS.sub(r"\2", text)
    text = _UNDERSCORES.sub(r"\2", text)
    text = html.unescape(_ESCAPED.sub(r"\1", text))
    return " ".join(text.split()) or None


_ATTR_LIST = re.compile(r"[ \t]*\{[^{}\n]*\}[ \t]*$")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_HTML_TAG = re.compile(r"<[^<>]*>")
_EMPHASIS = re.compile(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORES = re.compile(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")


def _video_problems(meta: dict[str, Any], frontmatter: list[str]) -> list[Problem]:
    """A warning for a ``video:`` that names no video the page can play (the page would show no player)."""
    value = meta.get("video")
    if value is None or (isinstance(value, str) and not value.strip()) or timestamps.parse_video(value) is not None:
        return []
    line = next((i + 1 for i, text in enumerate(frontmatter) if text.startswith("video:")), 1)
    message = (
        f"video: {value!r} is not a YouTube address or id, nor the address of a video file, so the page has no player; "
        "write it as https://www.youtube.com/watch?v=ID, https://youtu.be/ID, or the address of a .mp4 file"
    )
    return [Problem(line, message)]


def _split_frontmatter(lines: list[str]) -> tuple[dict[str, Any], int, list[Problem]]:
    """Return the frontmatter mapping, the index of the first body line, and problems."""
    if not lines or not _FRONTMATTER_FENCE.match(lines[0]):
        return {}, 0, []
    end = next((i for i in range(1, len(lines)) if _FRONTMATTER_END.match(lines[i])), None)
    if end is None:
        message = "frontmatter opened with '---' is never closed; add a line '---' after its last key"
        return {}, 0, [Problem(1, message, Severity.ERROR)]
    source = "\n".join(lines[1:end])
    aliases = guards.alias_problem(source, 2)
    if aliases is not None:
        return {}, end + 1, [aliases]
    try:
        meta = frontmatter.YAMLHandler().load(source) if source.strip() else {}
    except yaml.YAMLError as exc:
        line, message = frontmatter_error(exc, lines[1:end], 2)
        return {}, end + 1, [Problem(line, message, Severity.ERROR)]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        message = "frontmatter must be 'key: value' lines, not a list or a single value"
        return {}, end + 1, [Problem(2, message, Severity.ERROR)]
    return {str(k): v for k, v in meta.items()}, end + 1, []


def _sections(lines: list[Line]) -> Iterator[tuple[str, int, int]]:
    """Cut the body into ``(kind, start, end)`` runs: summary, further, other, or questions.

    A section named like a summary, further research, or notes runs from its heading to the
    next heading of the same or a higher level; everything else may hold questions.
    """
    i = start = 0
    while i < len(lines):
        heading = lines[i].heading
        kind = _section_kind(heading[1]) if heading else None
        if heading is None or kind is None:
            i += 1
            continue
        if start < i:
            yield "questions", start, i
        end = next((j for j in range(i + 1, len(lines)) if (h := lines[j].heading) and h[0] <= heading[0]), len(lines))
        yield kind, i, end
        i = start = end
    if start < len(lines):
        yield "questions", start, len(lines)


def _section_kind(heading: str) -> str | None:
    if heading.rstrip("*_ ").endswith("?"):
        return None  # a question, even one that mentions a summary or notes
    words = normalise_words(heading)
    if "summary" in words.split():
        return "summary"
    if words.startswith("further research"):
        return "further"
    if _OTHER_SECTIONS.match(words):
        return "other"
    return None


_GUESSED = (
    "no question is numbered or marked up, so questions were read from the shape of the text (a line ending "
    "with '?', or one that bullets follow); the lines below are the guesses: number the questions (1. …) to be sure"
)


def _choose_family(lesson: Lesson, scores: dict[str, int], first_line: int) -> str:
    """The family that finds the most questions, unless the frontmatter names one."""
    forced = lesson.meta.get(FAMILY_KEY)
    if forced is not None:
        if forced in FAMILIES:
            return str(forced)
        lesson.problems.append(
            Problem(2, f"{FAMILY_KEY}: {forced!r} is not a questionnaire format; write one of {', '.join(FAMILIES)}")
        )
    ranked = sorted(FAMILIES, key=lambda f: -scores[f])  # sorted() is stable: ties keep FAMILIES' order
    best, runner_up = ranked[0], ranked[1]
    if scores[best] == 0:
        return "none"
    if scores[best] >= 2 and scores[runner_up] * 2 >= scores[best]:
        lesson.problems.append(
            Problem(
                first_line,
                f"questions could be read as '{best}' ({scores[best]}) or '{runner_up}' ({scores[runner_up]}); "
                f"read as '{best}'. Add '{FAMILY_KEY}: {runner_up}' to the frontmatter if that is wrong",
                Severity.NOTE,
            )
        )
    return best


class _Reader:
    """Turns the body's lines into blocks, in document order, once the family is known."""

    def __init__(self, lesson: Lesson, lines: list[Line]) -> None:
        self.lesson = lesson
        self.lines = lines
        self.bullet_count = 0
        self._found: dict[tuple[str, int, int], questions.Found] = {}

    def blocks(self) -> Iterator[Block]:
        sections = list(_sections(self.lines))
        regions = [self.lines[a:b] for kind, a, b in sections if kind in ("questions", "further")]
        chunked = {f: [c for r in regions for c in _chunks(r, f == "heading")] for f in ("heading", "other")}
        # Only the questions a shape is sure of count: a guess never outvotes a shape the note spells out.
        scores = {
            f: sum(sum(s.sure for s in self._find(f, c).starts) for c in chunked["heading" if f == "heading" else "other"])
            for f in FAMILIES
        }
        first_line = regions[0][0].number if regions and regions[0] else 1
        self.lesson.family = _choose_family(self.lesson, scores, first_line)
        if self.lesson.family != "none":
            self.lesson.problems += self._other_shapes(chunked)
        if self.lesson.family == "plain":
            self.lesson.problems.append(Problem(first_line, _GUESSED, Severity.NOTE))
        for kind, start, end in sections:
            region = self.lines[start:end]
            if kind == "summary":
                yield from self._summary(region)
            elif kind == "other" or self.lesson.family == "none":
                yield from _prose(region)
            else:
                title = FURTHER if kind == "further" else None
                yield from self._questions(region, title)

    def _other_shapes(self, chunked: dict[str, list[list[Line]]]) -> list[Problem]:
        """A note for each line that another shape reads as a question, and the family read does not.

        A note that mixes shapes is read in the one it uses most; these are the lines that may be
        questions it left in an answer. Plain lines are not listed: every line ending with '?' would be.
        """
        family = self.lesson.family
        chunks = chunked["heading" if family == "heading" else "other"]
        taken = {
            c[j].number for c in chunks for s in self._find(family, c).starts for j in range(s.index, max(s.body, s.index + 1))
        }
        found: dict[int, str] = {}
        for other in FAMILIES:
            if other in (family, "plain"):
                continue
            for c in chunked["heading" if other == "heading" else "other"]:
                for s in self._find(other, c).starts:
                    if s.sure and c[s.index].number not in taken:
                        found.setdefault(c[s.index].number, other)
        return [
            Problem(
                line,
                f"reads like a question written as '{other}', but the note is read as '{family}' (the shape it uses most): "
                f"kept as part of the text around it; write it as the other questions are to make it one",
                Severity.NOTE,
            )
            for line, other in sorted(found.items())
        ]

    def _find(self, family: str, chunk: list[Line]) -> questions.Found:
        """Question starts of *family* in *chunk*; each chunk is searched once per family."""
        key = (family, chunk[0].number if chunk else 0, len(chunk))
        if key not in self._found:
            self._found[key] = questions.find(family, chunk)
        return self._found[key]

    def _questions(self, region: list[Line], title: str | None) -> Iterator[Block]:
        """Questions of one region; a heading between them ends an answer (except per-question headings)."""
        for chunk in _chunks(region, self.lesson.family == "heading"):
            if chunk and chunk[0].heading and self.lesson.family != "heading":
                yield from _prose(chunk)
            else:
                yield from self._questionnaires(chunk, title)

    def _questionnaires(self, region: list[Line], title: str | None) -> Iterator[Block]:
        found = self._find(self.lesson.family, region)
        self.lesson.problems.extend(found.notes)
        starts = found.starts
        if not starts:
            yield from _prose(region)
            return
        yield from _prose(region[: starts[0].index])
        group: list[Question] = []
        further = False  # the group holds further-research questions (a second kind of box)
        for k, start in enumerate(starts):
            if group and start.further != further:
                yield Questionnaire(tuple(group), group[0].line, FURTHER if further else title)
                group = []
            further = start.further
            following = starts[k + 1].index if k + 1 < len(starts) else len(region)
            end = following if start.end is None else min(start.end, following)
            answer = region[start.body : end]
            group.append(questions.build_question(start, answer, len(group) + 1, region[start.index].number))
            consumed = end if start.consumed is None else min(max(start.consumed, end), following)
            leftover = region[consumed:following]
            if any(not ln.blank for ln in leftover):
                # Text between two questions that belongs to neither (after a callout): kept as it is.
                yield Questionnaire(tuple(group), group[0].line, FURTHER if further else title)
                yield from _prose(leftover)
                group = []
        if group:
            yield Questionnaire(tuple(group), group[0].line, FURTHER if further else title)

    def _summary(self, region: list[Line]) -> Iterator[Block]:
        """The summary heading, its bullets, and whatever else the section holds, kept as prose."""
        heading, i = region[0], 1
        heading_text = heading.text
        if len(region) > 1 and region[1].underline:
            heading_text, i = f"{heading.text}\n{region[1].text}", 2
        bullets: list[SummaryBullet] = []
        while i < len(region):
            line = region[i]
            match = None if line.in_code else _BULLET.match(line.text)
            if match is None:
                if not line.blank:
                    break
                i += 1
                continue
            start = i
            i += 1
            # A bullet goes on over indented lines and lazy continuations, as in Markdown.
            while i < len(region):
                nxt = region[i]
                if nxt.blank:
                    if i + 1 < len(region) and region[i + 1].text[:1] in (" ", "\t"):
                        i += 1
                        continue
                    break
                if _BULLET.match(nxt.text) or nxt.heading:
                    break
                i += 1
            text = "\n".join([match.group(1)] + [ln.text for ln in region[start + 1 : i]])
            self.bullet_count += 1
            bullets.append(self._bullet(text, region[start].number))
        yield Summary(heading_text, tuple(bullets), heading.number)
        yield from _prose(region[i:])

    def _bullet(self, text: str, line: int) -> SummaryBullet:
        """A summary bullet, with the time it carries (``[12:34] text``) taken out of its text."""
        rest, written = timestamps.split_bullet_time(text)
        seconds = timestamps.parse_time(written) if written else None
        if (written and seconds is None) or (not written and timestamps.looks_like_time(text)):
            shown = written or text.split()[0]
            self.lesson.problems.append(
                Problem(line, f"{shown!r} is not a time; write it as [12:34] or [1:02:03] at the start of the bullet")
            )
            rest, written = text, None
        return SummaryBullet(self.bullet_count, rest, hashtags(rest), line, seconds, written)


def _chunks(region: list[Line], per_question_headings: bool) -> list[list[Line]]:
    """Where answers end: at every heading, each heading a chunk of its own (unless headings are questions)."""
    if per_question_headings:
        return [region]
    chunks: list[list[Line]] = [[]]
    for line in region:
        if line.heading:
            chunks += [[line], []]
        elif line.underline and len(chunks) >= 2 and not chunks[-1]:
            chunks[-2].append(line)  # a setext heading's underline stays with it
        else:
            chunks[-1].append(line)
    return [c for c in chunks if c]


def _prose(lines: list[Line]) -> Iterator[Prose]:
    if any(not line.blank for line in lines):
        yield Prose("\n".join(line.text for line in lines), lines[0].number)


def _number(lesson: Lesson) -> None:
    """Give every question its stable id: its written number, or its position when numbers repeat.

    Ids must be unique on a page; written numbers are kept whenever they can serve as ids.
    """
    groups: dict[str, list[tuple[int, int, Question]]] = {}
    numbered: dict[int, dict[int, Question]] = {}  # block index → question index → numbered question
    for b, block in enumerate(lesson.blocks):
        if isinstance(block, Questionnaire):
            prefix = "fr" if block.title else "q"
            groups.setdefault(prefix, []).extend((b, k, q) for k, q in enumerate(block.questions))
    for prefix, entries in groups.items():
        numbers = [q.number for _, _, q in entries]
        unnumbered = not all(q.numbered for _, _, q in entries)
        repeated = next((q for (_, _, q), n in zip(entries[1:], numbers, strict=False) if q.number <= n), None)
        all_ones = set(numbers) == {1}  # a style of its own: Markdown renumbers such lists
        if repeated is not None and not unnumbered and not all_ones:
            lesson.problems.append(
                Problem(repeated.line, "question numbers repeat or go backwards; their ids follow their positions", Severity.NOTE)
            )
        by_position = unnumbered or repeated is not None
        for ordinal, (b, k, q) in enumerate(entries, start=1):
            number = ordinal if by_position else q.number
            # Shown as written ('5.' twice stays so), except a list of '1.' that Markdown would renumber.
            marker = "" if all_ones and q.marker[:1].isdigit() else q.marker
            numbered.setdefault(b, {})[k] = replace(q, number=number, anchor=f"{prefix}-{number}", marker=marker)
    for b, changed in numbered.items():
        block = lesson.blocks[b]
        assert isinstance(block, Questionnaire)
        lesson.blocks[b] = replace(block, questions=tuple(changed.get(k, q) for k, q in enumerate(block.questions)))
