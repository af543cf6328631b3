"""The elements a lesson page wraps around the learner's Markdown, marked in the text.

Answers and summary bullets are the learner's Markdown and must go through the site's whole
Markdown pipeline (links checked, code highlighted). Wrapping them in ``<details markdown="1">``
(Python-Markdown's ``md_in_html``) does that, but costs a third of a lesson page's Markdown
time, and so would HTML comments as markers: raw HTML is what Markdown is slowest at. So the
renderer writes markers as paragraphs that start with a private-use character (U+E000), which
Markdown treats as any text; :func:`finish` swaps them for the elements in one pass over the
page's HTML, and :func:`take_apart` also gives its blocks to search.

- A question is one paragraph, ``MARK q q-4 <key> <label>MARK_END`` then the question's text:
  starting with the marker, its text cannot start a list, a heading or any other block.
- Every other marker is a paragraph of its own: ``MARK a`` (the answer follows), ``MARK /q``…

A learner's own U+E000 is written as a character reference (see ``guards.contain_html``), so
only the renderer can write markers.

The page's own inline elements (a bullet's anchor and time, tag chips, figures, the toolbar, the
video box) wait in a :class:`Stash` while Markdown and the sanitiser run: the renderer writes a
token in their place, and :func:`take_apart` puts them back once the learner's HTML between the
markers has been cleaned. Our markup is thus added after the sanitiser, never allow-listed by it.
"""

from __future__ import annotations

import html as html_module
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

MARK = "\ue000"
_MARK_END = "\ue001"

# Anchors are q-N / fr-N / s-N, keys and labels hex: nothing in a marker is Markdown or needs escaping.
_MARKER = re.compile(r"<p>\ue000(/?[a-z]+)(?: ([\w-]+) ([0-9a-f]+) ([0-9a-f]*)\ue001 ?|</p>)")


def question(anchor: str, key: str, label: str) -> str:
    """The start of an answered question's paragraph; its text follows. *label* is its number as written."""
    return f"{MARK}q {anchor} {key} {label.encode().hex()}{_MARK_END} "


def unanswered(anchor: str, key: str, label: str) -> str:
    """The start of the paragraph of a question without an answer yet; its text follows."""
    return f"{MARK}u {anchor} {key} {label.encode().hex()}{_MARK_END} "


ANSWER = f"{MARK}a"  # ends the question's text; the answer follows
QUESTION_END = f"{MARK}/q"
NO_ANSWER = f"{MARK}none"  # ends an unanswered question's text
KEPT = f"{MARK}kept"  # opens what the learner wrote in place of an answer ("TBD")
KEPT_END = f"{MARK}/kept"
UNANSWERED_END = f"{MARK}/u"
SUMMARY = f"{MARK}s"
SUMMARY_END = f"{MARK}/s"

_OPEN = {
    "q": '<details class="sg-qa question" id="{0}" data-sg-key="{1}">\n<summary class="sg-qa__question">{2}',
    # Material's admonition classes: drawn as the answered questions are, without an arrow to open.
    "u": (
        '<div class="sg-qa sg-qa--unanswered admonition question" id="{0}" data-sg-key="{1}">\n'
        '<p class="sg-qa__question admonition-title">{2}'
    ),
}
_REPLACE = {
    "a": '</summary>\n<div class="sg-qa__answer">',
    "/q": "</div>\n</details>",
    "none": '</p>\n<p class="sg-qa__none">No answer yet.</p>',
    "kept": '<div class="sg-qa__placeholder">',
    "/kept": "</div>",
    "/u": "</div>",
    "s": '<div class="sg-summary">',
    "/s": "</div>",
}
# Markers that take the place of the question paragraph's </p> (before them); openings take its <p>.
_EATS_END_P = frozenset({"a", "none"})


_STASH_OPEN = "\ue002"
_STASH_CLOSE = "\ue003"


class Stash:
    """The page's own elements, kept out of Markdown and out of the sanitiser until the page is finished.

    :meth:`put` gives a token to write in the page's Markdown instead of the element;
    :meth:`restore` puts the elements back. A token holds a key drawn for each page: the
    sanitiser turns a note's character references into characters, so a note could write any
    fixed token, but cannot know the key. Tokens never reach the site.
    """

    def __init__(self) -> None:
        self._key = secrets.token_hex(6)
        self._pieces: list[tuple[str, str]] = []  # (HTML, text shown where an element cannot stand)
        # The token starts with its own character, which the regex engine looks for at C speed (an optional '<p>'
        # before it would make it try every position of the page). A block element stands alone in its paragraph:
        # the paragraph goes, the element stays.
        self._token = re.compile(f"{_STASH_OPEN}{self._key}(\\d+){_STASH_CLOSE}")

    def put(self, html: str, text: str = "") -> str:
        """A token for *html*; *text* (plain) stands for it where Markdown put it inside an attribute (an image's alt)."""
        self._pieces.append((html, text))
        return f"{_STASH_OPEN}{self._key}{len(self._pieces) - 1}{_STASH_CLOSE}"

    def restore(self, html: str) -> str:
        """*html* with every token replaced by its element."""
        if not self._pieces or _STASH_OPEN not in html:
            return html
        out: list[str] = []
        at = 0
        opened = closed = -1  # the last '<' and '>' before *at*: a token after a '<' and no '>' is inside a tag
        for match in self._token.finditer(html):
            start, end = match.span()
            opened, closed = max(opened, html.rfind("<", at, start)), max(closed, html.rfind(">", at, start))
            piece, text = self._pieces[int(match.group(1))]
            if opened > closed:
                piece = html_module.escape(text)  # inside a tag: sanitised HTML has no other '<' or '>' there
            elif start - 3 >= at and html.startswith("<p>", start - 3) and html.startswith("</p>", end):
                start, end, opened, closed = start - 3, end + 4, end, end + 3
            out += (html[at:start], piece)
            at = end
        out.append(html[at:])
        return "".join(out)


Clean = Callable[[str], str]
"""A sanitiser: HTML in, safe HTML out (``sanitize.sanitize_html``)."""


def finish(html: str, stash: Stash | None = None, clean: Clean | None = None) -> str:
    """The page's HTML with every marker replaced by the element it stands for (see :func:`take_apart`)."""
    if MARK in html:
        return take_apart(html, stash, clean)[0]
    html = clean(html) if clean is not None else html
    return stash.restore(html) if stash is not None else html


def _number(label: str) -> str:
    text = html_module.escape(bytes.fromhex(label).decode())
    return f'<span class="sg-qa__number">{text}</span> '


@dataclass(frozen=True)
class QuestionBlock:
    """One question as rendered: its anchor, the question's HTML, and what is revealed under it."""

    anchor: str
    question: str  # its number as written, then its text
    answer: str  # the answer, or what the learner kept in its place; "" when nothing
    answered: bool
    key: str = ""  # the question's identity (see ``Question.key``)
    text: str = ""  # the question's text alone, without its number
    label: str = ""  # its number as the note writes it ("5.", "5)", "Q2.")


@dataclass(frozen=True)
class PageBlocks:
    """A marked lesson page taken apart: the prose around the blocks, the questions, the summary lists."""

    prose: str
    questions: list[QuestionBlock]
    summaries: list[str]


def take_apart(html: str, stash: Stash | None = None, clean: Clean | None = None) -> tuple[str, PageBlocks]:
    """The finished page (every marker replaced by its element), and its blocks, in one pass.

    The question's paragraph becomes the ``<summary>`` (or the question's own ``<p>``): the
    marker that follows it takes the place of its ``</p>``.

    With *clean*, the HTML between two markers (the learner's) is sanitised piece by piece,
    before *stash* puts our elements back and before the markers become elements: an element a
    note leaves open is closed within its own answer, and a character reference that the
    sanitiser decodes never stands where markers are looked for (they were found before).
    """
    out: list[str] = []
    prose: list[str] = []
    questions: list[QuestionBlock] = []
    summaries: list[str] = []
    block: dict[str, str] | None = None  # the open block: its kind, anchor, label, and HTML by marker
    part = ""
    at = 0
    in_paragraph = False  # the piece is a question's text, inside the paragraph its marker opened
    for match in _MARKER.finditer(html):
        kind, anchor, key, label = match.groups()
        before = _learners(html[at : match.start()], stash, clean, in_paragraph)
        in_paragraph = anchor is not None
        if block is None:
            prose.append(before)
        else:
            block[part] = before
        if kind in _EATS_END_P and before.rstrip().endswith("</p>"):
            before = before.rstrip()[:-4]
        out.append(before)
        out.append(_REPLACE[kind] if anchor is None else _OPEN[kind].format(anchor, key, _number(label)))
        at = match.end()
        if block is None:
            block, part = {"kind": kind, "anchor": anchor or "", "key": key or "", "label": label or ""}, kind
        elif kind == "/" + block["kind"]:
            _close(block, questions, summaries)
            block = None
        else:
            part = kind
    rest = _learners(html[at:], stash, clean, in_paragraph)
    out.append(rest)
    prose.append(rest)
    return "".join(out), PageBlocks("".join(prose), questions, summaries)


def _learners(piece: str, stash: Stash | None, clean: Clean | None, in_paragraph: bool) -> str:
    """A piece of the learner's HTML between two markers, cleaned, with our elements back in it."""
    if clean is not None and piece:
        if in_paragraph:
            # Cleaned alone, the paragraph's end would stand unopened: clean it with its opening.
            piece = clean("<p>" + piece).removeprefix("<p>")
        else:
            piece = clean(piece)
    return stash.restore(piece) if stash is not None else piece


def _close(block: dict[str, str], questions: list[QuestionBlock], summaries: list[str]) -> None:
    kind = block["kind"]
    if kind == "s":
        summaries.append(block["s"])
        return
    text = block[kind].strip().removesuffix("</p>")
    answer = block.get("a", block.get("kept", ""))
    label = bytes.fromhex(block["label"]).decode()
    number = _number(block["label"])
    questions.append(QuestionBlock(block["anchor"], number + text, answer, kind == "q", block["key"], text, label))
