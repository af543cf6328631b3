"""Typed objects passed from parsing to rendering.

Every element keeps the 1-based line of the note it came from, so that any
complaint about it can name ``path:line``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .figures import FigureRef


class Severity(StrEnum):
    """How bad a problem is: warnings let the build go on (unless ``--strict``).

    Notes are what the parser was unsure about: ``check`` shows them, builds never fail on them.
    """

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    """Something wrong with a note, with the line it is on and what to write instead."""

    line: int
    message: str
    severity: Severity = Severity.WARNING
    path: str | None = None  # another file than the note itself (its timestamps sidecar)
    code: str = ""  # names a kind of problem that a site can choose to report as info

    def format(self, path: str) -> str:
        """The problem as the ``path:line: message`` string users see."""
        return f"{self.path or path}:{self.line}: {self.message}"


_WORD = re.compile(r"[^\W_]+")


def normalise_words(text: str) -> str:
    """Lower-case words and digits only, single-spaced: what two versions of a question share."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


@dataclass(frozen=True)
class Question:
    """One questionnaire entry: the question and the learner's answer, as Markdown."""

    number: int
    text: str
    answer: str
    line: int
    anchor: str
    answer_line: int | None = None
    placeholder: bool = False
    tags: tuple[str, ...] = ()
    marker: str = ""  # the learner's own label before the question ("5)", "Q2."); "" shows the number
    numbered: bool = True  # False when the note gave no number and ``number`` is the position
    figures: tuple[FigureRef, ...] = ()  # notebook embeds in the answer, at their offsets in it
    sure: bool = True  # False when only the shape of the text says it is a question (see ``check``)

    @property
    def key(self) -> str:
        """Identity of the question across edits: a hash of its normalised words.

        Stored progress is keyed by this rather than by the number, so renumbering
        a note or fixing its spacing, case or punctuation keeps a learner's grades.
        """
        return hashlib.sha1(normalise_words(self.text).encode("utf-8")).hexdigest()[:12]

    @property
    def has_answer(self) -> bool:
        """True when the learner wrote a real answer (not nothing, not ``TODO``)."""
        return bool(self.answer.strip()) and not self.placeholder


@dataclass(frozen=True)
class SummaryBullet:
    """One bullet of the ``## Summary``: a moment of the lecture, in video order."""

    index: int
    text: str
    tags: tuple[str, ...]
    line: int
    time: int | None = None  # seconds into the lesson video
    time_label: str | None = None  # the time as the learner wrote it, if in the bullet
    time_line: int | None = None  # where the time was given, when not on the bullet's line
    time_source: str | None = None  # the sidecar file that gave the time, if any
    figures: tuple[FigureRef, ...] = ()  # notebook embeds in the text, at their offsets in it

    @property
    def anchor(self) -> str:
        """The stable id of the bullet on the page (``s-3``)."""
        return f"s-{self.index}"


@dataclass(frozen=True)
class Prose:
    """Markdown the parser keeps as written: everything that is not Q&A or summary."""

    text: str
    line: int
    figures: tuple[FigureRef, ...] = ()  # notebook embeds in the text, at their offsets in it


@dataclass(frozen=True)
class Questionnaire:
    """A run of questions, in the order the note gives them.

    *title* names a group other than the main questionnaire ("Further research").
    """

    questions: tuple[Question, ...]
    line: int
    title: str | None = None


@dataclass(frozen=True)
class Summary:
    """The ``## Summary`` section: its heading line as written, then its bullets."""

    heading: str
    bullets: tuple[SummaryBullet, ...]
    line: int


Block = Prose | Questionnaire | Summary


@dataclass
class Lesson:
    """One parsed note: its frontmatter and its body as blocks in document order.

    What the frontmatter says is read here once (title, tags, search options, spoiler-free):
    the home page, the page, the navigation, the search entries and the tags page all ask this.
    """

    path: str
    meta: dict[str, Any]
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    family: str = "none"  # how the questionnaire is written; see questions.FAMILIES
    heading: str | None = None  # the text of the note's first '# heading', which a page shows as its title
    source: str = ""  # the note's text as read, Obsidian's %%comments%% taken out (a broken note's page shows it)
    figure_refs: list[FigureRef] = field(default_factory=list)  # notebook outputs embedded in the text
    placements: list[tuple[str, FigureRef]] = field(default_factory=list)  # outputs the frontmatter places at q-N / s-N
    body_start: int = 0  # the index of the body's first line in ``source`` (after the frontmatter)
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (line, level, text) of the body's headings

    @property
    def title(self) -> str:
        """The title from frontmatter, else the note's first ``#`` heading, else the file's name made readable."""
        title = self.meta.get("title")
        if isinstance(title, str | int | float) and not isinstance(title, bool) and str(title).strip():
            return str(title).strip()
        if self.heading:
            return self.heading
        stem = self.path.rsplit("/", 1)[-1].removesuffix(".md")
        return stem.lstrip("0123456789-_ ").replace("-", " ").replace("_", " ").capitalize() or stem

    @property
    def tags(self) -> tuple[str, ...]:
        """The frontmatter's ``tags``, written as a list or as a string (``a, b`` or ``a b``), without ``#``."""
        raw = self.meta.get("tags")
        if isinstance(raw, str):
            raw = raw.replace(",", " ").split()
        if not isinstance(raw, list):
            return ()
        tags = (str(t).strip().lstrip("#") for t in raw if isinstance(t, str | int | float) and not isinstance(t, bool))
        return tuple(dict.fromkeys(t for t in tags if t))

    @property
    def search(self) -> dict[str, Any]:
        """The frontmatter's ``search:`` options (``exclude``, ``boost``), as the site search reads them."""
        search = self.meta.get("search")
        return dict(search) if isinstance(search, dict) else {}

    @property
    def spoiler_free(self) -> bool | None:
        """``spoiler_free:`` from the frontmatter; None when it does not say (the site's option decides)."""
        value = self.meta.get("spoiler_free")
        return value if isinstance(value, bool) else None

    @property
    def questions(self) -> list[Question]:
        """All questions of the note, across its questionnaires."""
        return [q for b in self.blocks if isinstance(b, Questionnaire) for q in b.questions]

    @property
    def bullets(self) -> list[SummaryBullet]:
        """All summary bullets of the note."""
        return [s for b in self.blocks if isinstance(b, Summary) for s in b.bullets]

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def problems_by_weight(lessons: Iterable[Lesson], info_only: set[str]) -> tuple[list[str], list[str], list[str]]:
    """The notes' problems as ``path:line: message``, as a build reports them: errors, warnings, and the rest.

    Warnings whose code is in *info_only* go with the rest: the site's options asked for them as info.
    """
    errors: list[str] = []
    warnings: list[str] = []
    rest: list[str] = []
    for lesson in lessons:
        for problem in lesson.problems:
            if problem.severity is Severity.ERROR:
                errors.append(problem.format(lesson.path))
            elif problem.severity is Severity.WARNING and problem.code not in info_only:
                warnings.append(problem.format(lesson.path))
            else:
                rest.append(problem.format(lesson.path))
    return errors, warnings, rest
