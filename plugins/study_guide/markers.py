"""The elements a lesson page wraps around the learner's Markdown, marked by comments.

Answers and summary bullets are the learner's Markdown and must go through the site's whole
Markdown pipeline (links checked, code highlighted). Wrapping them in ``<details markdown="1">``
(Python-Markdown's ``md_in_html``) does that, but costs a third of a lesson page's Markdown
time. So the renderer writes an HTML comment on a line of its own where each element opens
and closes; Markdown passes comments through untouched, and :func:`finish` swaps them for
the elements in one pass over the page's HTML. :func:`read` gives the same blocks to search.

A learner's own ``<!--sg:`` comment is shown as text (see ``guards.contain_html``), so only
the renderer can write markers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

PREFIX = "<!--sg:"

# Anchors are q-N / fr-N / s-N and keys are hex digests: nothing in them needs escaping.
_MARKER = re.compile(r"<!--sg:(/?[a-z]+)(?: ([\w-]+) ([0-9a-f]+))?-->")
_PARAGRAPH = re.compile(r"\s*<p>")


def question(anchor: str, key: str) -> str:
    """Opens an answered question; the paragraph after it is the question, shown as the summary."""
    return f"{PREFIX}q {anchor} {key}-->"


def unanswered(anchor: str, key: str) -> str:
    """Opens a question without an answer yet; the paragraph after it is the question."""
    return f"{PREFIX}u {anchor} {key}-->"


ANSWER = f"{PREFIX}a-->"  # ends the question's text; the answer follows
QUESTION_END = f"{PREFIX}/q-->"
NO_ANSWER = f"{PREFIX}none-->"  # ends an unanswered question's text
KEPT = f"{PREFIX}kept-->"  # opens what the learner wrote in place of an answer ("TBD")
KEPT_END = f"{PREFIX}/kept-->"
UNANSWERED_END = f"{PREFIX}/u-->"
SUMMARY = f"{PREFIX}s-->"
SUMMARY_END = f"{PREFIX}/s-->"

_OPEN = {
    "q": '<details class="sg-qa question" id="{0}" data-sg-key="{1}">\n<summary class="sg-qa__question">',
    "u": '<div class="sg-qa sg-qa--unanswered" id="{0}" data-sg-key="{1}">\n<p class="sg-qa__question">',
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
    """The page's HTML with every marker replaced by the element it stands for.

    The question is a paragraph of its own in the Markdown: its ``<p>`` and ``</p>`` give way to
    the ``<summary>`` (or the question's own ``<p>``) that the markers around it open and close.
    """
    if PREFIX not in html:
        return html
    out: list[str] = []
    at = 0
    for match in _MARKER.finditer(html):
        kind = match.group(1)
        before = html[at : match.start()]
        if kind in _EATS_END_P and before.rstrip().endswith("</p>"):
            before = before.rstrip()[:-4]
        out.append(before)
        at = match.end()
        if kind in _OPEN:
            out.append(_OPEN[kind].format(match.group(2), match.group(3)))
            paragraph = _PARAGRAPH.match(html, at)
            if paragraph:
                at = paragraph.end()
        else:
            out.append(_REPLACE[kind])
    out.append(html[at:])
    return "".join(out)


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


def read(html: str) -> PageBlocks:
    """Split marked HTML (before :func:`finish`) into prose, questions and summaries."""
    prose: list[str] = []
    questions: list[QuestionBlock] = []
    summaries: list[str] = []
    at = 0
    for kind, start, end, parts in _blocks(html):
        prose.append(html[at:start])
        at = end
        if kind == "s":
            summaries.append(parts["s"])
        else:
            anchor, text = parts["anchor"], parts[kind]
            answer = parts.get("a", parts.get("kept", ""))
            questions.append(QuestionBlock(anchor, _strip_p(text), answer, kind == "q"))
    prose.append(html[at:])
    return PageBlocks("".join(prose), questions, summaries)


def _blocks(html: str) -> Iterator[tuple[str, int, int, dict[str, str]]]:
    """``(kind, start, end, parts)`` of each top-level block; *parts* holds the HTML after each marker."""
    kind: str | None = None
    start = 0
    parts: dict[str, str] = {}
    previous: tuple[str, int] | None = None
    for match in _MARKER.finditer(html):
        name = match.group(1)
        if previous is not None:
            parts[previous[0]] = html[previous[1] : match.start()]
        previous = (name, match.end())
        if kind is None:
            kind, start, parts = name, match.start(), {"anchor": match.group(2) or ""}
        elif name == f"/{kind}":
            yield kind, start, match.end(), parts
            kind, previous = None, None


def _strip_p(html: str) -> str:
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        return html[3:-4]
    return html
