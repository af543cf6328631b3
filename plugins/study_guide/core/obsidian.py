"""Obsidian's dialect in notes: ``%%comments%%``, ``[[wikilinks]]``, ``![[embeds]]``, ``^block`` ids and ``> [!callouts]``.

Learners write their notes in Obsidian; this module makes the site show a note as Obsidian does.
Every search for the syntax asks :mod:`study_guide.core.lexer` where code is, so that a
``[[link]]``, ``==mark==`` or ``%%`` written in code stays as written.

- **Comments** are taken out where the note's text is read (:func:`strip_comments`, called by the
  parser), before anything else sees the note: the page, search, cards, the Anki deck and the
  print page are all made from what is left, so a private note cannot reach any of them.
- **Callouts** become Material's admonitions (``!!!``, or ``???``/``???+`` when folded), as
  :func:`callouts` writes them into the page's Markdown.
- **Wikilinks and embeds** need the whole course: a :class:`Vault` knows every lesson by file name,
  title and alias, their headings, questions, summary bullets and block ids, and the site's files;
  :meth:`Vault.rewrite` turns one text into Markdown links, images and embedded notes.
- ``==highlights==`` are Markdown's (``pymdownx.mark``, which the adapters add to the site).

Everything here runs in time linear in the text: one lexer per text, one pass of a pattern that
cannot backtrack over it, dictionary look-ups to resolve.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from .lexer import lex, maybe_code
from .lines import HEADING, heading_text, split_lines
from .markers import Stash
from .model import Lesson, Problem, Prose, Severity, normalise_words

# --------------------------------------------------------------------------- comments


_COMMENT = re.compile("%%")
_PREFIX = re.compile(r"[ \t>]*")


def strip_comments(text: str, first_line: int = 1) -> tuple[str, list[Problem]]:
    """*text* without its ``%%comments%%`` (inline or over many lines), and a problem for one never closed.

    Lines are kept: each line a comment ran over stays, with its indentation and quotes (``> ``),
    so every later line number is the note's own. A ``%%`` in code is code. A comment never closed
    hides the rest of the note, as Obsidian does: a private note is never published by mistake.
    """
    if "%%" not in text:
        return text, []
    marks = [m.start() for s, e in lex(text).segments() for m in _COMMENT.finditer(text, s, e)]
    if not marks:
        return text, []
    out: list[str] = []
    problems: list[Problem] = []
    at = 0
    for k in range(0, len(marks), 2):
        start = marks[k]
        end = marks[k + 1] + 2 if k + 1 < len(marks) else len(text)
        if k + 1 >= len(marks):
            line = first_line + text.count("\n", 0, start)
            problems.append(
                Problem(
                    line,
                    "'%%' opens a comment that is never closed: Obsidian hides the rest of the note, and so does the site; "
                    "close it with '%%' (to show '%%' itself, write it as code: `%%`)",
                )
            )
        out.append(text[at:start])
        hidden = text[start:end].split("\n")
        out.append("\n".join([""] + [_PREFIX.match(rest).group() for rest in hidden[1:]]))  # type: ignore[union-attr]
        at = end
    out.append(text[at:])
    return "".join(out), problems


# --------------------------------------------------------------------------- callouts

_CALLOUT = re.compile(
    r"(?P<indent>[ ]*(?:>[ ]?)*)>[ \t]?\[!(?P<kind>[^\]\s|]+)(?:\|[^\]\n]*)?\](?P<fold>[+-]?)(?:[ \t]+(?P<title>[^\n]*?))?[ \t]*"
)
_ALIASES = {
    "summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip", "check": "success", "done": "success",
    "help": "question", "faq": "question", "caution": "warning", "attention": "warning", "fail": "failure",
    "missing": "failure", "error": "danger", "cite": "quote",
}  # fmt: skip
_NOT_A_CLASS = re.compile(r"[^\w-]+")
_QUOTES = re.compile(r"[ ]{0,3}(?:>[ ]?)+")


def _strip_quotes(line: str, depth: int) -> str:
    """*line* without its first *depth* quote marks ('>' and the space after each)."""
    at = 0
    for _ in range(depth):
        at = line.index(">", at) + 1
        if line[at : at + 1] == " ":
            at += 1
    return line[at:]


def callouts(text: str) -> str:
    """*text* with each Obsidian callout written as a Material admonition (folded ones as ``???``).

    ``> [!tip] Title`` → ``!!! tip "Title"``; ``> [!warning]-`` → ``??? warning``; ``> [!note]+``
    → ``???+ note``; nested callouts too. Obsidian's other names for a kind (``faq``, ``hint``…)
    become the kind Material draws. A callout in code stays as written.
    """
    if "[!" not in text:
        return text
    lines = text.split("\n")
    code = lex(text)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _CALLOUT.fullmatch(line) if "[!" in line and not code.line_in_code(i) else None
        if match is None:
            out.append(line)
            i += 1
            continue
        # Inside a quote, the admonition stays in it: its lines keep the outer '>'s, its body one '>' less.
        depth = match["indent"].count(">") + 1
        indent = re.sub(r"[ ]*>[ ]?", "> ", match["indent"]) if depth > 1 else match["indent"]
        j = i + 1
        body: list[str] = []
        while j < len(lines) and (inner := _QUOTES.match(lines[j])) is not None and inner.group().count(">") >= depth:
            body.append(_strip_quotes(lines[j], depth))
            j += 1
        kind = _NOT_A_CLASS.sub("-", match["kind"].casefold()).strip("-") or "note"
        kind = _ALIASES.get(kind, kind)
        opener = {"-": "???", "+": "???+"}.get(match["fold"], "!!!")
        title = match["title"] or ""
        header = f'{indent}{opener} {kind} "{title}"' if title else f"{indent}{opener} {kind}"
        if out and out[-1].strip(" >"):
            out.append(indent.rstrip())  # an admonition starts a block of its own
        out.append(header)
        out += [f"{indent}    {b}" if b.strip() else indent.rstrip() for b in callouts("\n".join(body)).split("\n")]
        if j < len(lines) and lines[j].strip():
            out.append(indent.rstrip())
        i = j
    return "\n".join(out)


# --------------------------------------------------------------------------- wikilinks

# Nothing in a link is a bracket or a line end: one pass, no backtracking, '[[' without ']]' is text. The pattern
# starts with its literal '[[', which the regex engine looks for at C speed (an optional '!' before it would make
# it try every position of the text: six times slower); the '!' of an embed is the character before.
_WIKILINK = re.compile(r"\[\[([^\[\]\n]+)\]\]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*$", re.MULTILINE)
_SIZE = re.compile(r"(\d+)(?:x(\d+))?")
_EMBED, _EMBED_TITLE = "sg-embed admonition quote", "sg-embed__title admonition-title"
_BLOCK_PREFIX = "block-"  # the id of a block of prose that a ^block-id names
IMAGES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "avif"})
ATTACHMENTS = "attachments"
"""The folder Obsidian's users keep images in, beside the note or at the top of the docs folder."""


class Wikilink(NamedTuple):
    """One ``[[target#fragment|text]]`` (or ``![[…]]``, an embed) at ``start:end`` of its text.

    A named tuple: a course holds tens of thousands, each made in a fraction of a dataclass's time.
    """

    start: int
    end: int
    embed: bool
    name: str  # the note or file, as written ("" for the note itself: ``[[#heading]]``)
    fragment: str  # a heading, or ``^block``; "" for none
    text: str | None  # what to show instead of the target, or the embed's size or alt text

    @property
    def written(self) -> str:
        """The link as the note writes it, without its text."""
        return self.name + (f"#{self.fragment}" if self.fragment else "")

    @property
    def shown(self) -> str:
        """What Obsidian shows: the text given, else the note's name and heading (``note > heading``)."""
        return _shown(self.name, self.fragment, self.text)


@functools.lru_cache(maxsize=4096)
def _shown(name: str, fragment: str, text: str | None) -> str:
    if text:
        return text
    fragment = fragment.lstrip("^")
    return " > ".join(p for p in (name, fragment) if p) or name


@functools.lru_cache(maxsize=4096)
def _parts(inner: str, embed: bool) -> tuple[str, str, str | None] | None:
    """``(name, fragment, text)`` of a link written ``[[inner]]``; None for a notebook embed (figures.py's)."""
    target, _, shown = inner.replace("\\|", "|").partition("|")
    name, _, fragment = target.partition("#")
    name = name.strip()
    if embed and name.casefold().endswith(".ipynb"):
        return None
    fragment = fragment.split("#")[-1].strip()  # [[note#Part#Section]]: Obsidian goes to the last one
    return name, fragment, shown.strip() or None


def find_wikilinks(text: str) -> list[Wikilink]:
    """Every wikilink and embed of *text* (Markdown) that is not in code, in order.

    Notebook embeds (``![[nb.ipynb#label]]``) are left to :mod:`study_guide.core.figures`.
    """
    if "[[" not in text:
        return []
    matches = list(_WIKILINK.finditer(text))
    if matches and maybe_code(text) and not _clear_of_code(text, matches):
        return [link for start, end in lex(text).segments() for link in _links(text, _WIKILINK.finditer(text, start, end), start)]
    return _links(text, matches, 0)


def _links(text: str, matches: Iterable[re.Match[str]], segment: int) -> list[Wikilink]:
    """The links *matches* found in the text from *segment* on (the '!' of an embed is there too, outside code)."""
    found = []
    for match in matches:
        start = match.start()
        embed = start > segment and text[start - 1] == "!"
        parts = _parts(match.group(1), embed)
        if parts is not None:
            found.append(_tuple(Wikilink, (start - embed, match.end(), embed, *parts)))
    return found


_tuple = tuple.__new__  # a Wikilink made without the Python call its class's __new__ is


def _clear_of_code(text: str, matches: list[re.Match[str]]) -> bool:
    """Whether no link of *matches* can touch code, without lexing *text* (most answers: a code span elsewhere).

    True only when no block of code can be in *text* (no fence, no indented line) and no paragraph holding
    a link has a backtick. A wikilink is one line and a code span never crosses a blank line, so the lexer
    would find no code there. Linear: blank lines found once, each paragraph with a link searched once.
    """
    if "```" in text or "~~~" in text or "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t")):
        return False
    if ">    " in text or ">\t" in text:  # indented code inside a quote
        return False
    # First, at C speed: no backtick from the empty line before the first link to the one after the last. Those
    # lines are blank lines, so that stretch holds every paragraph with a link (and maybe more: it is only a test).
    before, after = text.rfind("\n\n", 0, matches[0].start()), text.find("\n\n", matches[-1].end())
    if text.find("`", max(before, 0), after if after >= 0 else len(text)) < 0:
        return True
    blanks = _BLANK_LINE.finditer(text)
    upcoming = next(blanks, None)
    paragraph, checked = 0, -1  # where the link's paragraph starts; the paragraph last looked into
    for m in matches:
        while upcoming is not None and upcoming.start() <= m.start():
            paragraph, upcoming = upcoming.end(), next(blanks, None)
        if paragraph != checked:  # each paragraph once: 10,000 links in one are one search
            if text.find("`", paragraph, upcoming.start() if upcoming is not None else len(text)) >= 0:
                return False
            checked = paragraph
    return True


def plain_text(text: str, links: list[Wikilink] | None = None) -> str:
    """*text* with each wikilink as the words it shows and no ``^block-id``: for excerpts of a question or bullet."""
    if "[[" not in text and "^" not in text:
        return text
    out, at = [], 0
    for link in find_wikilinks(text) if links is None else links:
        out += [text[at : link.start], link.shown]
        at = link.end
    return _BLOCK_ID.sub("", "".join(out) + text[at:])


def block_ids(text: str) -> list[re.Match[str]]:
    """The ``^block-id`` marks that end lines of *text*, not in code."""
    if "^" not in text:
        return []
    code = lex(text) if maybe_code(text) else None
    return [m for m in _BLOCK_ID.finditer(text) if code is None or not code.inside(m.start(1))]


@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _aliases(lesson: Lesson) -> list[str]:
    raw = lesson.meta.get("aliases")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [str(a).strip() for a in raw if isinstance(a, str | int | float) and not isinstance(a, bool) and str(a).strip()]


@dataclass(frozen=True)
class Target:
    """Where a wikilink goes: a lesson (and an anchor on its page), a file of the site, or a concept."""

    kind: str  # "lesson", "file", "concept"
    uri: str = ""  # the lesson's or the file's path in the docs folder
    anchor: str = ""  # q-N, s-N, a heading's id, ^block; "" for the top of the page
    name: str = ""  # the concept's name (as first written)
    how: str = ""  # how a lesson was named: "file", "title" or "alias"


_UNKNOWN = Target("unknown")  # a link not resolved yet


class Mention(NamedTuple):
    """One place of the course that links to a concept: a question (with its answer), a summary bullet, or a lesson's text.

    A named tuple, as :class:`Wikilink` is: a big course has thousands.
    """

    lesson_uri: str
    lesson_title: str
    anchor: str  # "" for the lesson's text outside questions and bullets
    label: str
    excerpt: str


@dataclass(frozen=True)
class LinkReport:
    """A wikilink or embed of a note, as ``check`` lists it: where it is, and what it resolved to (None: nothing)."""

    line: int
    written: str
    embed: bool
    resolved: str | None


@dataclass
class _Page:
    """What the vault knows of one lesson to resolve links into it."""

    uri: str
    title: str
    anchors: dict[str, str] = field(default_factory=dict)  # a heading's or question's words → its anchor
    blocks: dict[str, str] = field(default_factory=dict)  # a block id → its anchor
    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (line index in body, level, words)
    body: list[str] = field(default_factory=list)  # the note's body lines, comments taken out


class Vault:
    """The course as Obsidian sees a vault: lessons by name, their anchors, the site's files, who links to whom.

    *lessons* by their path in the docs folder (in course order); *files*: every file of the site's
    docs folder, as paths in it (images are looked for there). Built once per build; problems
    found (links to nothing, missing embeds, loops of embeds) are added to the lessons' problems.
    """

    def __init__(
        self,
        lessons: Mapping[str, Lesson],
        files: Iterable[str] = (),
        concepts_page: str | None = None,
        urls: Mapping[str, str] | None = None,
    ) -> None:
        self.lessons = lessons
        self.concepts_page = concepts_page
        # Pages' addresses by their files' paths (as the site writes them): links to lessons go there as HTML,
        # with no Markdown link to parse and rewrite. Without them, links are to the notes' files (``x.md``).
        self.urls: dict[str, str] = dict(urls or {})
        self._resolved: dict[tuple[str, str, str, bool], Target | None] = {}
        self._quiet: set[tuple[str, str, str, bool]] = set()  # links the scan resolved without a problem to report
        self._embedded_notes: set[str] = set()  # lessons some note embeds (their text is kept)
        self._relative: dict[tuple[str, str], str] = {}
        self._titles: dict[str, str] = {}  # lessons' titles as HTML
        # (lesson, page) → what each link, by (embed, name, fragment, text), becomes there: Markdown, or (element, text)
        self._written: dict[tuple[str, str], dict[tuple[bool, str, str, str | None], str | tuple[str, str]]] = {}
        self.files = sorted(set(files))
        self._file_set = set(self.files)
        self._by_basename: dict[str, list[str]] = {}
        for path in self.files:
            self._by_basename.setdefault(posixpath.basename(path).casefold(), []).append(path)
        self.pages: dict[str, _Page] = {}
        self._names: dict[str, tuple[str, str]] = {}  # a name's key → (lesson uri, how it is named: file, title, alias)
        self._found: dict[str, list[Wikilink]] = {}  # texts already searched (the page asks again for each)
        self.concepts: dict[str, tuple[str, list[Mention]]] = {}  # key → (name as first written, its mentions)
        self.backlinks: dict[str, list[str]] = {}  # lesson uri → lessons linking to it, in course order
        self._embeds: dict[str, list[tuple[str, int]]] = {}  # lesson uri → (lesson it embeds, line)
        for uri, lesson in lessons.items():
            self.pages[uri] = _read_page(uri, lesson)
        for kind in ("file", "title", "alias"):
            for uri, lesson in lessons.items():
                for name in _names(uri, lesson, kind):
                    self._name(_key(name), uri, kind, lesson)
        for uri, lesson in lessons.items():
            self._scan(uri, lesson)
        self._report_loops()
        for uri, page in self.pages.items():
            if uri not in self._embedded_notes:
                page.body = []  # only an embedded note's text is needed again (a build lets the notes' text go)

    # ---------------------------------------------------------------- building

    def _name(self, key: str, uri: str, kind: str, lesson: Lesson) -> None:
        if not key:
            return
        taken = self._names.get(key)
        if taken is None:
            self._names[key] = (uri, kind)
        elif taken[0] != uri and kind != "file":
            lesson.problems.append(
                Problem(
                    1,
                    f"the {kind} {key!r} also names {taken[0]} (its {taken[1]}): [[{key}]] goes there; "
                    "give this lesson another alias or title to link to it",
                    Severity.NOTE,
                )
            )

    def _scan(self, uri: str, lesson: Lesson) -> None:
        """Resolve every link of *lesson* once: its report for ``check``, problems, backlinks, concepts, embeds."""
        concepts: list[tuple[int, Wikilink]] = []
        aliases: list[tuple[int, Wikilink, str]] = []
        title = lesson.title
        quiet: dict[tuple[bool, str, str, str | None], Target | None] = {}  # links written so resolved with nothing to say
        mentioned: set[tuple[str, str, str]] = set()  # (concept, anchor, label) listed already
        for text, first_line, anchor, label, excerpt in _texts(lesson):
            line, counted = first_line, 0
            for link in self.find(text):
                line += text.count("\n", counted, link.start)  # counted from the previous link: linear
                counted = link.start
                written = link[2:]  # (embed, name, fragment, text)
                target = quiet.get(written, _UNKNOWN)
                if target is _UNKNOWN:
                    problems = len(lesson.problems)
                    target = self.resolve(link, uri, lesson, line)
                    if len(lesson.problems) == problems:
                        quiet[written] = target
                if target is None:
                    continue
                if target.kind == "concept":
                    concepts.append((line, link))
                    mention = (_key(target.name), anchor, label)
                    if mention not in mentioned:  # a set: a concept may have thousands
                        mentioned.add(mention)
                        _, mentions = self.concepts.setdefault(mention[0], (target.name, []))
                        mentions.append(Mention(uri, title, anchor, label, self.plain(excerpt)))
                    continue
                if target.kind != "lesson":
                    continue
                if target.how == "alias" and not link.embed:
                    aliases.append((line, link, target.uri))
                if link.embed:
                    self._embedded_notes.add(target.uri)
                if target.uri != uri:
                    linking = self.backlinks.setdefault(target.uri, [])
                    if not linking or linking[-1] != uri:  # lessons are scanned in order: this one is last if there
                        linking.append(uri)
                    if link.embed:
                        self._embeds.setdefault(uri, []).append((target.uri, line))
                elif link.embed and not link.fragment:
                    self._embeds.setdefault(uri, []).append((uri, line))
        # One note each, not one per link: a vault links to many notes it does not publish.
        if concepts:
            lesson.problems.append(
                Problem(
                    concepts[0][0],
                    _listed(
                        [f"[[{link.written}]] (line {line})" for line, link in concepts[:8]],
                        len(concepts),
                        "name no lesson of the site",
                    )
                    + (": shown as text, and listed as concepts"),
                    Severity.NOTE,
                )
            )
        if aliases:
            lesson.problems.append(
                Problem(
                    aliases[0][0],
                    _listed(
                        [f"[[{link.written}]] (line {line}: {to})" for line, link, to in aliases[:8]],
                        len(aliases),
                        "name a lesson by its alias",
                    )
                    + (": linked to that lesson (a lesson wins over a concept of the same name)"),
                    Severity.NOTE,
                )
            )

    @functools.cached_property
    def reports(self) -> dict[str, list[LinkReport]]:
        """Each lesson's wikilinks and embeds, as ``check`` lists them: what the scan resolved, read again when asked.

        A build never asks: keeping a report of each of a big course's links would only give the memory's
        collector tens of thousands of objects more to go over.
        """
        reports: dict[str, list[LinkReport]] = {}
        for uri, lesson in self.lessons.items():
            found = reports[uri] = []
            for text, line, *_ in _texts(lesson):
                counted = 0
                for link in self.find(text):
                    line += text.count("\n", counted, link.start)
                    counted = link.start
                    found.append(LinkReport(line, link.written, link.embed, _describe(self.resolve(link, uri))))
        return reports

    def _report_loops(self) -> None:
        """An embed whose note embeds, in turn, the note it is in: shown once, and reported."""
        for uri, edges in self._embeds.items():
            for target, line in edges:
                path = self._path(target, uri)
                if path is not None:
                    chain = " → ".join(posixpath.basename(p) for p in [uri, *path])
                    self.lessons[uri].problems.append(
                        Problem(line, f"this embed makes a loop ({chain}): the note is shown once, the loop stopped there")
                    )

    def _path(self, start: str, goal: str) -> list[str] | None:
        """The embeds leading from *start* to *goal* (both included), or None."""
        seen = {start}
        stack = [(start, [start])]
        while stack:
            at, path = stack.pop()
            if at == goal:
                return path
            for nxt, _ in self._embeds.get(at, []):
                if nxt not in seen or nxt == goal:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
        return None

    # ---------------------------------------------------------------- resolving

    def find(self, text: str) -> list[Wikilink]:
        """:func:`find_wikilinks`, each text searched once (the scan and the page ask for the same texts)."""
        if "[[" not in text:
            return []
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = find_wikilinks(text)
        return found

    def plain(self, text: str) -> str:
        """*text* with each wikilink as the words it shows, without block ids (for excerpts)."""
        return plain_text(text, self.find(text))

    def lesson(self, name: str) -> tuple[str, str] | None:
        """The lesson named *name* (file name, path, title or alias, any case) and how it was named."""
        key = _key(name.removesuffix(".md"))
        return self._names.get(key) or (self._names.get(key.rsplit("/", 1)[-1]) if "/" in key else None)

    def resolve(self, link: Wikilink, uri: str, lesson: Lesson | None = None, line: int = 0) -> Target | None:
        """Where *link*, written in the lesson at *uri*, goes; problems go to *lesson* when given (at *line*).

        Resolved once per name and folder: the page asks again for every link the scan resolved.
        """
        key = (uri if not link.name or "." in link.name else "", link.name, link.fragment, link.embed)
        if lesson is not None and key not in self._quiet:
            problems = len(lesson.problems)
            target = self._resolve(link, uri, lesson, line)
            if len(lesson.problems) == problems:  # nothing to say: the same link anywhere resolves the same, as quietly
                self._quiet.add(key)
                self._resolved[key] = target
            return target
        if key not in self._resolved:
            self._resolved[key] = self._resolve(link, uri)
        return self._resolved[key]

    def _resolve(self, link: Wikilink, uri: str, lesson: Lesson | None = None, line: int = 0) -> Target | None:

        def problem(message: str, severity: Severity = Severity.NOTE) -> None:
            if lesson is not None:
                lesson.problems.append(Problem(line, message, severity))

        written = f"{'!' if link.embed else ''}[[{link.written}]]"
        named = (uri, "file") if not link.name else self.lesson(link.name)
        if named is not None:
            target_uri, how = named
            if how == "alias" and not link.embed and lesson is not None:
                problem(
                    f"{written} is an alias of {target_uri}: linked to that lesson (a lesson wins over a concept of that name)"
                )
            anchor = self._anchor(target_uri, link.fragment)
            if anchor is None:
                problem(f"{written}: {target_uri} has no heading or block {link.fragment!r}; linked to the top of the lesson")
                anchor = ""
            return Target("lesson", target_uri, anchor, how=how)
        path = self._file(link.name, uri)
        if path is not None:
            return Target("file", path)
        if link.embed:
            problem(
                f"{written}: no lesson or file of the site is named {link.name!r}; the page shows that it is missing. "
                f"Put the file beside the note, in an '{ATTACHMENTS}' folder, or write its path in the docs folder",
                Severity.WARNING,
            )
            return None
        return Target("concept", name=link.name)

    def _anchor(self, uri: str, fragment: str) -> str | None:
        if not fragment:
            return ""
        page = self.pages[uri]
        if fragment.startswith("^"):
            return page.blocks.get(fragment[1:].casefold())
        return page.anchors.get(normalise_words(fragment))

    def _file(self, name: str, uri: str) -> str | None:
        """The site's file that ``![[name]]`` means, from the note at *uri*, found as Obsidian finds it."""
        if not name or "." not in posixpath.basename(name):
            return None
        folder = posixpath.dirname(uri)
        for candidate in (
            posixpath.join(folder, name),
            posixpath.join(folder, ATTACHMENTS, name),
            posixpath.join(ATTACHMENTS, name),
            name.lstrip("/"),
        ):
            path = posixpath.normpath(candidate)
            if path in self._file_set:
                return path
        same = self._by_basename.get(posixpath.basename(name).casefold(), [])
        return same[0] if same else None

    # ---------------------------------------------------------------- rendering

    def rewriter(self, uri: str) -> Callable[[str, Stash], str]:
        """The function that rewrites a text of the lesson at *uri* for its page (see :meth:`rewrite`)."""
        return lambda text, stash: self.rewrite(text, uri, stash)

    def rewrite(self, text: str, uri: str, stash: Stash, embedding: tuple[str, ...] = (), page: str | None = None) -> str:
        """*text*, of the lesson at *uri*, with links as Markdown links, embeds as images or notes, block ids as anchors.

        *page*: the lesson whose page shows the text, when another's embeds it (links start from there).
        """
        page = page or uri
        links = self.find(text)
        ids = block_ids(text)
        if not links and not ids:
            return text
        edits: list[tuple[int, int, str]] = []
        # What a link becomes on this page, by how it is written: a course writes the same links over and over.
        written = self._written.setdefault((uri, page), {})
        for link in links:
            done = written.get(link[2:])  # (embed, name, fragment, text)
            if done is None:
                target = self.resolve(link, uri)
                if target is not None and target.kind == "lesson" and link.embed:
                    edits.append((link.start, link.end, self._embedded(link, target, uri, stash, text, embedding, page)))
                    continue
                done = written[link[2:]] = self._markdown(link, target, page)
            edits.append((link.start, link.end, done if isinstance(done, str) else stash.put(*done)))
        for match in ids:
            anchor = self.pages[uri].blocks.get(match.group(1).casefold(), "") if uri in self.pages else ""
            own = anchor.startswith(_BLOCK_PREFIX) and not embedding  # an embedded note's ids are its own page's
            kept = stash.put(f'<span class="sg-anchor" id="{anchor}"></span>') if own else ""
            edits.append((match.start(), match.end(), kept))
        edits.sort()
        out, at = [], 0
        for start, end, new in edits:
            if start < at:
                continue  # a block id inside a link's text: the link was written already
            out += [text[at:start], new]
            at = end
        out.append(text[at:])
        return "".join(out)

    def _markdown(self, link: Wikilink, target: Target | None, page: str) -> str | tuple[str, str]:
        """What shows *link* (not an embedded note) on the page of *page*: Markdown, or our element and its text to stash."""
        if target is None:
            return f'<span class="sg-missing">{_html(link.written)}: not found</span>', _escape(f"{link.written}: not found")
        if target.kind != "file":
            # A course links to the same few pages thousands of times: each element is written once per page.
            return self._element(link, target, page), link.shown
        href = _relative(target.uri, page)
        if not link.embed:
            return f"[{_escape(link.shown)}](<{href}>)"
        extension = target.uri.rsplit(".", 1)[-1].casefold()
        if extension not in IMAGES:
            return f"[{_escape(link.text or posixpath.basename(target.uri))}](<{href}>)"
        size = _SIZE.fullmatch(link.text or "")
        alt = posixpath.basename(target.uri) if size or not link.text else link.text
        attributes = ""
        if size:
            attributes = f'{{ width="{size.group(1)}"' + (f' height="{size.group(2)}"' if size.group(2) else "") + " }"
        return f"![{_escape(alt)}](<{href}>){attributes}"

    def _element(self, link: Wikilink, target: Target, page: str) -> str:
        """Our HTML for a link to a concept or to a lesson, on the page of *page*."""
        shown = _html(link.shown)
        if target.kind == "lesson":
            return f'<a href="{_html(self.href(target.uri, target.anchor, page))}">{shown}</a>'
        if self.concepts_page:
            shown = f'<a href="{_html(self.href(self.concepts_page, concept_anchor(target.name), page))}">{shown}</a>'
        return f'<span class="sg-wikilink sg-wikilink--unresolved">{shown}</span>'

    def _embedded(
        self, link: Wikilink, target: Target, uri: str, stash: Stash, text: str, embedding: tuple[str, ...], page: str
    ) -> str:
        """Another note's text (or a part of it) in place of ``![[note]]``, in a box; a loop is stopped (and was reported)."""
        key = f"{target.uri}#{link.fragment}"
        chain = embedding or (f"{uri}#",)
        title = self.pages[target.uri].title + (f" › {link.fragment.lstrip('^')}" if link.fragment else "")
        if key in chain or f"{target.uri}#" in chain:
            shown = f"{title}: embedded above (a loop of embeds stops here)"  # plain text, escaped below
            return stash.put(f'<span class="sg-missing">{_html(shown)}</span>', shown)
        part = self._part(target.uri, link.fragment)
        inner = self.rewrite(callouts(part), target.uri, stash, (*chain, key), page)
        line_start = text.rfind("\n", 0, link.start) + 1
        indent = re.match(r"[ \t>]*", text[line_start : link.start]).group()  # type: ignore[union-attr]
        href = _html(self.href(target.uri, target.anchor, page))
        body = [
            # Drawn as Material's quote admonition: a box every theme already styles.
            stash.put(f'<div class="{_EMBED}"><p class="{_EMBED_TITLE}"><a href="{href}">{_html(title)}</a></p>'),
            *inner.split("\n"),
            stash.put("</div>"),
        ]
        return "\n\n" + "\n".join(indent + line if line else indent.rstrip() for line in _blocks(body)) + "\n\n" + indent

    def href(self, target: str, anchor: str, uri: str) -> str:
        """The address of *target*'s page (at *anchor*) from the page of *uri*."""
        if target == uri and anchor:
            return f"#{anchor}"
        relative = self._relative.get((target, uri))
        if relative is None:
            relative = self._relative[target, uri] = relative_url(self.urls.get(target, target), self.urls.get(uri, uri))
        return relative + (f"#{anchor}" if anchor else "")

    def _part(self, uri: str, fragment: str) -> str:
        """The note's body, or the section under a heading, or the line with a block id."""
        page = self.pages[uri]
        if not fragment:
            first = page.headings[0][0] if page.headings and page.headings[0][1] == 1 else -1
            return self._lines(page, 0, len(page.body), skip=first)
        if fragment.startswith("^"):
            wanted = fragment[1:].casefold()
            for line in page.body:
                for m in _BLOCK_ID.finditer(line):
                    if m.group(1).casefold() == wanted:
                        return line[: m.start()]
            return ""
        words = normalise_words(fragment)
        for k, (index, level, heading) in enumerate(page.headings):
            if heading == words:
                end = next((i for i, lv, _ in page.headings[k + 1 :] if lv <= level), len(page.body))
                return self._lines(page, index + 1, end)
        return ""

    @staticmethod
    def _lines(page: _Page, start: int, end: int, skip: int = -1) -> str:
        """Body lines *start* to *end* of a note shown in another: its headings as bold lines (no second id, no toc entry)."""
        headings = {index for index, _, _ in page.headings}
        out = []
        for index in range(start, end):
            line = page.body[index]
            if index == skip:
                continue
            if index in headings and (match := HEADING.match(line)) is not None:
                line = f"**{heading_text(match.group(2) or '')}**"
            out.append(line)
        return "\n".join(out)

    def linked_from(self, uri: str, stash: Stash) -> str:
        """The lesson page's last section: the lessons whose notes link to it ("" when none).

        The list is our element (a lesson is linked from dozens in a big course: no Markdown links to parse).
        """
        linking = self.backlinks.get(uri, [])
        if not linking:
            return ""
        items = "".join(f'<li><a href="{_html(self.href(other, "", uri))}">{self._title(other)}</a></li>' for other in linking)
        listed = stash.put(f'<ul class="sg-linked-from">{items}</ul>')
        return f"\n\n## Linked from {{ #linked-from }}\n\n{listed}\n"

    def _title(self, uri: str) -> str:
        """The lesson's title as HTML (each is listed in "Linked from" on dozens of pages)."""
        title = self._titles.get(uri)
        if title is None:
            title = self._titles[uri] = _html(self.pages[uri].title)
        return title

    def anchors(self, uri: str) -> set[str]:
        """Ids the vault adds to the lesson's page (its prose's block ids)."""
        page = self.pages.get(uri)
        return {a for a in page.blocks.values() if a.startswith(_BLOCK_PREFIX)} if page else set()


def concept_anchor(name: str) -> str:
    """The id of a concept's section on the concepts page."""
    return "concept-" + (re.sub(r"[^\w-]+", "-", name.casefold()).strip("-") or "x")


def _blocks(lines: list[str]) -> list[str]:
    """Lines with a blank line between the box's opening, its content and its end."""
    return [lines[0], "", lines[1], "", *lines[2:-1], "", lines[-1]]


def _listed(shown: list[str], count: int, what: str) -> str:
    """``N wikilinks <what>: a, b… and M more``: *shown*, the first eight of *count*."""
    more = f" and {count - 8} more" if count > 8 else ""
    return f"{count} wikilink{'s' if count > 1 else ''} {what}: {', '.join(shown[:8])}{more}"


def _describe(target: Target | None) -> str | None:
    if target is None:
        return None
    if target.kind == "concept":
        return f"concept {target.name!r}"
    return target.uri + (f"#{target.anchor}" if target.anchor else "")


def _names(uri: str, lesson: Lesson, kind: str) -> list[str]:
    if kind == "file":
        stem = uri.removesuffix(".md")
        return [stem, posixpath.basename(stem)]
    if kind == "title":
        return [lesson.title]
    return _aliases(lesson)


def _read_page(uri: str, lesson: Lesson) -> _Page:
    """The anchors of a lesson's page: questions by their words, headings by Markdown's ids, block ids."""
    page = _Page(uri, lesson.title)
    lines = split_lines(lesson.source)
    page.body = lines[lesson.body_start :]
    questions = {q.line: q for q in lesson.questions}
    seen: set[str] = set()
    for number, level, text in lesson.headings:
        words = normalise_words(_BLOCK_ID.sub("", text))
        page.headings.append((number - 1 - lesson.body_start, level, words))
        question = questions.get(number)
        anchor = question.anchor if question is not None else _unique(_heading_id(text), seen)
        page.anchors.setdefault(words, anchor)
    for q in lesson.questions:
        page.anchors.setdefault(normalise_words(_BLOCK_ID.sub("", q.text)), q.anchor)
        for m in block_ids(q.text + "\n" + q.answer):
            page.blocks.setdefault(m.group(1).casefold(), q.anchor)
    for b in lesson.bullets:
        for m in block_ids(b.text):
            page.blocks.setdefault(m.group(1).casefold(), b.anchor)
    for block in lesson.blocks:
        if isinstance(block, Prose):
            for m in block_ids(block.text):
                page.blocks.setdefault(m.group(1).casefold(), _BLOCK_PREFIX + m.group(1).casefold())
    return page


def _texts(lesson: Lesson) -> Iterator[tuple[str, int, str, str, str]]:
    """Each text of the lesson that links may be in: (text, its first line, anchor, label, excerpt)."""
    for block in lesson.blocks:
        if isinstance(block, Prose):
            yield block.text, block.line, "", "lesson text", ""
    for q in lesson.questions:
        yield q.text, q.line, q.anchor, f"question {q.number}", q.text
        yield q.answer, q.answer_line or q.line, q.anchor, f"question {q.number}", q.text
    for b in lesson.bullets:
        yield b.text, b.line, b.anchor, f"summary point {b.index}", b.text


_ATTR_ID = re.compile(r"\{[^{}\n]*#([\w-]+)[^{}\n]*\}[ \t]*$")


def _heading_id(text: str) -> str:
    """The id Python-Markdown's ``toc`` gives a heading (its default slugify), or the one an attribute list sets."""
    from markdown.extensions.toc import slugify

    given = _ATTR_ID.search(text)
    if given:
        return given.group(1)
    plain = re.sub(r"!?\[([^\[\]]*)\]\([^()]*\)", r"\1", text)
    plain = re.sub(r"\[\[([^\[\]|]*\|)?([^\[\]]*)\]\]", r"\2", plain)
    plain = re.sub(r"<[^<>]*>|[`*_]|==", "", plain)
    return slugify(plain, "-")


def _unique(anchor: str, seen: set[str]) -> str:
    found, n = anchor, 0
    while found in seen:
        n += 1
        found = f"{anchor}_{n}"
    seen.add(found)
    return found


def relative_url(url: str, other: str) -> str:
    """*url* relative to the page at *other* (both site addresses or files), as MkDocs writes its links."""
    if other != "." and not other.endswith("/"):  # a page's address ending with '/' is its folder
        folder, name = posixpath.split(other)
        other = folder if "." in name else other
    relative = _relpath(url, other)
    return relative + "/" if url.endswith("/") else relative


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for two paths inside the site, without asking the system for its folder (called per link)."""
    to, base = _segments(path), _segments(start)
    common, most = 0, min(len(to), len(base))
    while common < most and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + list(to[common:])) or "."


@functools.lru_cache(maxsize=4096)
def _segments(path: str) -> tuple[str, ...]:
    """A path's parts, normalised: a course's few hundred pages' addresses are split once each."""
    return tuple(p for p in posixpath.normpath(path or ".").split("/") if p not in ("", "."))


def _relative(target: str, uri: str) -> str:
    path = posixpath.relpath(target, posixpath.dirname(uri) or ".")
    return path.replace("<", "%3C").replace(">", "%3E")


def _escape(text: str) -> str:
    """Plain text as Markdown shows it as written."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\|\[\]>*_`#{}])", r"\\\1", text)


def html_text(text: str) -> str:
    """*text* escaped for HTML, quotes included."""
    return _html(text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
