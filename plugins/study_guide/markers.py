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
"""

from __future__ import annotations

import html as html_module
import re
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


def finish(html: str) -> str:
    """The page's HTML with every marker replaced by the element it stands for."""
    return take_apart(html)[0] if MARK in html else html


def _number(label: str) -> str:
    text = html_module.escape(bytes.fromhex(label).decode())
    return f'<span class="sg-qa__number">{text}</span> '


@dataclass(frozen=True)
class QuestionBlock:
    """One question as rendered: its anchor, the question's HTML, and what is revealed under it."""

    anchor: str
    question: str
    answer: str  # the answer, or what the learner kept in its place; "" when nothing
    answered: bool


@dataclass(frozen=True)
class PageBlocks:
    """A marked lesson page taken apart: the prose around the blocks, the questions, the summary lists."""

    prose: str
    questions: list[QuestionBlock]
    summaries: list[str]


def take_apart(html: str) -> tuple[str, PageBlocks]:
    """The finished page (every marker replaced by its element), and its blocks, in one pass.

    The question's paragraph becomes the ``<summary>`` (or the question's own ``<p>``): the
    marker that follows it takes the place of its ``</p>``.
    """
    out: list[str] = []
    prose: list[str] = []
    questions: list[QuestionBlock] = []
    summaries: list[str] = []
    block: dict[str, str] | None = None  # the open block: its kind, anchor, label, and HTML by marker
    part = ""
    at = 0
    for match in _MARKER.finditer(html):
        kind, anchor, key, label = match.groups()
        before = html[at : match.start()]
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
            block, part = {"kind": kind, "anchor": anchor or "", "label": label or ""}, kind
        elif kind == "/" + block["kind"]:
            _close(block, questions, summaries)
            block = None
        else:
            part = kind
    out.append(html[at:])
    prose.append(html[at:])
    return "".join(out), PageBlocks("".join(prose), questions, summaries)


def _close(block: dict[str, str], questions: list[QuestionBlock], summaries: list[str]) -> None:
    kind = block["kind"]
    if kind == "s":
        summaries.append(block["s"])
        return
    text = _number(block["label"]) + block[kind].strip().removesuffix("</p>")
    answer = block.get("a", block.get("kept", ""))
    questions.append(QuestionBlock(block["anchor"], text, answer, kind == "q"))
