"""What a note must not do to the site: crash the renderer, swallow the page, or hide text.

Notes come from anywhere (copied from forums, exported by tools, written half asleep).
These checks run before rendering and say ``path:line`` what to change; the repairs keep
every word of the note on the page while keeping the page's own structure intact.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

import yaml

from .lexer import Code, lex, lex_lines
from .lines import Line, split_lines
from .markers import MARK
from .model import Problem, Severity
from .sanitize import SWALLOWING

MAX_NESTING = 24
"""Lists and quotes nested deeper than this make Markdown renderers overflow their stack."""
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_QUOTES = re.compile(r"^(?:[ \t]*>)+")
# A line nests no deeper than its leading '>'s, or than its list item's indentation in columns
# plus one (each level is indented further): only such lines can go past MAX_NESTING. A tab is
# at most 4 columns, so an item needs 6 leading blanks or more to reach 25 levels.
_MAYBE_DEEP = re.compile(rf"^(?:[ \t]*>){{{MAX_NESTING + 1}}}|^[ \t]{{6,}}(?:[-*+]|\d{{1,9}}[.)])(?:[ \t]|$)", re.MULTILINE)
# Tags that the renderer wraps answers in: a stray one in an answer would close the wrapper. With
# them, the block elements whose end tag HTML requires: Python-Markdown takes one never closed, at the
# start of a line, as raw HTML up to the end of the page.
_STRUCTURE_TAG = re.compile(
    r"<(/?)(details|summary|div|body|html|head|main|section|article|aside|nav|header|footer|address|hgroup|menu|form"
    r"|fieldset|legend|figure|figcaption|blockquote|canvas|video|map|object|output|progress|dl|ol|ul|pre"
    r"|h[1-6])(?![\w-])[^<>]{0,500}>",
    re.IGNORECASE,
)
_COMMENT_OPEN = "<!--"
# Elements that, never closed, would swallow the rest of their answer (see sanitize.SWALLOWING).
_SWALLOWING_NAMES = "|".join(sorted(SWALLOWING, key=lambda name: (-len(name), name)))
_SWALLOWING = re.compile(rf"<({_SWALLOWING_NAMES})(?![\w-])", re.IGNORECASE)
_SWALLOWING_END = re.compile(rf"</({_SWALLOWING_NAMES})(?![\w-])", re.IGNORECASE)
EMPTY_LINK = "empty-link"
"""Code of the warning about links without text (the plugin's ``empty_links`` option can make it info)."""
_EMPTY_LINK = re.compile(r"(?<!!)\[[ \t]*(?:\n[ \t]*)?\]\((?P<url><[^<>\n]*>|[^()\s]*)\)")


def binary_problem(text: str) -> Problem | None:
    """An error for text that is no note at all (a NUL byte: an image or archive renamed ``.md``)."""
    at = text.find("\x00")
    if at < 0:
        return None
    line = text.count("\n", 0, at) + 1
    return Problem(line, "this file holds NUL bytes, so it is not a text note; save the note as plain UTF-8 text", Severity.ERROR)


def alias_problem(source: str, first_line: int) -> Problem | None:
    """An error for YAML anchors and aliases in frontmatter: a few lines of them can expand a billion-fold."""
    if "&" not in source and "*" not in source:
        return None  # no anchor or alias can be written without them
    try:
        for event in yaml.parse(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = first_line + event.start_mark.line
                return Problem(
                    line, "frontmatter uses YAML anchors or aliases (&name, *name); write each value out", Severity.ERROR
                )
    except yaml.YAMLError:
        return None  # the YAML loader reports it, with its line
    return None


def nesting_problems(lines: Sequence[Line]) -> list[Problem]:
    """Errors for lists or quotes nested deeper than :data:`MAX_NESTING` levels."""
    problems: list[Problem] = []
    if not _MAYBE_DEEP.search("\n".join(line.text for line in lines)):
        return problems
    indents: list[int] = []
    for line in lines:
        if line.in_code or line.blank:
            continue
        quotes = _QUOTES.match(line.text)
        depth = quotes.group(0).count(">") if quotes else 0
        item = _LIST_ITEM.match(line.text)
        if item:
            indent = len(item.group(1).expandtabs(4))
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            depth += len(indents)
        elif not line.text[:1].isspace():
            indents = []
        if depth > MAX_NESTING:
            problems.append(
                Problem(
                    line.number,
                    f"lists or quotes nested {depth} levels deep; Markdown renders at most {MAX_NESTING}: indent less",
                    Severity.ERROR,
                )
            )
            break  # one message is enough: the lines below are nested as deep
    return problems


def empty_link_problems(lines: Sequence[Line], code: Code) -> list[Problem]:
    """Warnings for links whose text is empty (``[ ](url)``): nobody can see or click them.

    *code* is the lexed code of *lines*: a link written in code is no link.
    """
    text = "\n".join(line.text for line in lines)
    if "](" not in text:
        return []
    first = lines[0].number if lines else 1
    problems = []
    for match in _EMPTY_LINK.finditer(code.prose()):
        line = first + text.count("\n", 0, match.start())
        url = match.group("url").strip("<>")
        message = f"link to {url} has no text, so readers cannot see it; write its text between [ and ]; shown as its address"
        problems.append(Problem(line, message, code=EMPTY_LINK))
    return problems


REMOTE_IMAGES = "remote-images"
"""Code of the warning about images fetched from other sites (``check`` only: the site builds the same)."""
_REMOTE_IMAGE = re.compile(
    r"!\[[^\]\n]*\]\([ \t]*<?((?:https?:)?//[^\s)>]+)"  # ![alt](https://…)
    r"|<img\b[^>\n]*?\bsrc=[\"']?((?:https?:)?//[^\s\"'>]+)",  # <img src="https://…">
    re.IGNORECASE,
)


def remote_image_problem(text: str) -> Problem | None:
    """A warning listing the images a note shows from other sites: the offline copy cannot show them."""
    prose = lex_lines(split_lines(text)).prose()
    found = [(prose.count("\n", 0, m.start()) + 1, m.group(1) or m.group(2)) for m in _REMOTE_IMAGE.finditer(prose)]
    if not found:
        return None
    listed = ", ".join(f"{url} (line {number})" for number, url in found)
    count, each, it = ("an image comes", "it", "it") if len(found) == 1 else (f"{len(found)} images come", "each", "them")
    message = (
        f"{count} from another site, so the offline copy (make offline) cannot show {it}: {listed}; "
        f"download {each} next to the note and link it by file name, or turn on Material's privacy plugin "
        f"to download {it} while the site builds (on a machine that is online)"
    )
    return Problem(found[0][0], message, code=REMOTE_IMAGES)


def show_empty_links(markdown: str) -> str:
    """Give links without text their address as text, so the page shows them (not in code: no link there)."""
    if "](" not in markdown or not _EMPTY_LINK.search(markdown):
        return markdown
    code = lex(markdown)
    out, at = [], 0
    for match in _EMPTY_LINK.finditer(markdown):
        url = match.group("url").strip("<>")
        if url and not code.inside(match.start()):
            out += [markdown[at : match.start()], f"[{url}](<{url}>)"]
            at = match.end()
    out.append(markdown[at:])
    return "".join(out)


def contain_html(markdown: str) -> str:
    """Keep an answer's raw HTML inside the answer.

    Closing tags with no opening tag in the answer (``</details>``, ``</div>``) would close the
    blocks the answer is rendered in, and an opening tag never closed, or a comment never
    ended, would swallow the questions after it. Those are shown as text instead; balanced
    HTML, and anything inside code, is left alone, as Markdown would treat it. So is a
    ``<script>``, ``<style>``, ``<svg>``… never closed: it would swallow the rest of the answer.
    """
    if "<" not in markdown and MARK not in markdown and "```" not in markdown and "~~~" not in markdown:
        return markdown  # the common case, on every answer of every page
    lexed = lex(markdown)
    code = lexed.inside  # worked out at the first question: answers with a fence but no HTML never need it
    spans = [m for m in _STRUCTURE_TAG.finditer(markdown) if not code(m.start())] if "<" in markdown else []
    escape: set[int] = set()
    open_tags: list[tuple[str, int]] = []
    for i, match in enumerate(spans):
        closing, name = match.group(1) == "/", match.group(2).lower()
        if not closing:
            open_tags.append((name, i))
        elif open_tags and open_tags[-1][0] == name:
            open_tags.pop()
        else:
            escape.add(i)
    escape.update(i for _, i in open_tags)
    shown = {spans[i].start(): "&lt;" for i in escape}
    if "<" in markdown:
        shown.update((at, "&lt;") for at in _unended_comments(markdown, code))
        shown.update((at, "&lt;") for at in _unclosed_swallowing(markdown, code))
    # The renderer's marker character, written by the learner, is kept as a character reference.
    if MARK in markdown:
        shown.update((m.start(), _MARK_REFERENCE) for m in re.finditer(MARK, markdown) if not code(m.start()))
    # A fence at the margin never closed is text here, but the page's next fence would close it:
    # an invisible character before it keeps superfences from reading it as an opening.
    for unclosed in lexed.unclosed:
        if unclosed.stopped is None and markdown[lexed.line_starts[unclosed.line]] in "`~":
            at = lexed.line_starts[unclosed.line]
            shown[at] = _NOT_A_FENCE + markdown[at]
    out, start = [], 0
    for at in sorted(shown):
        out += [markdown[start:at], shown[at]]
        start = at + 1
    out.append(markdown[start:])
    return "".join(out)


_MARK_REFERENCE = f"&#x{ord(MARK):X};"
_NOT_A_FENCE = "\u200b"  # a zero-width space: shows nothing, and is no indentation either


def _unended_comments(markdown: str, code: Callable[[int], bool]) -> list[int]:
    found, at = [], markdown.find(_COMMENT_OPEN)
    while at >= 0:
        end = markdown.find("-->", at + len(_COMMENT_OPEN))
        if end < 0 and not code(at):
            found.append(at)
        at = markdown.find(_COMMENT_OPEN, at + 1 if end < 0 else end + 3)
    return found


def _unclosed_swallowing(markdown: str, code: Callable[[int], bool]) -> list[int]:
    found = [m for m in _SWALLOWING.finditer(markdown) if not code(m.start())]
    if not found:
        return []
    # An end tag inside another tag's quoted attribute closes nothing (`<p title="</noscript>">`).
    quoted = [m.span() for m in _QUOTED_TAG.finditer(markdown)] if '"' in markdown or "'" in markdown else []
    starts = [start for start, _ in quoted]
    last_end: dict[str, int] = {}  # where each element's last real end tag is
    for match in _SWALLOWING_END.finditer(markdown):
        k = bisect.bisect_right(starts, match.start()) - 1
        if k < 0 or match.start() >= quoted[k][1]:
            last_end[match.group(1).lower()] = match.start()
    return [m.start() for m in found if last_end.get(m.group(1).lower(), -1) < m.end()]


_QUOTED_TAG = re.compile(r"""<[A-Za-z][^<>"']{0,500}(?:(?:"[^"]{0,2000}"|'[^']{0,2000}')[^<>"']{0,500}){1,50}>""")
