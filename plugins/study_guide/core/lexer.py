"""Where code is in a piece of Markdown: the one place that decides it.

The site renders notes with Python-Markdown and ``pymdownx.superfences``, so what is code is
what *they* say is code, not what CommonMark or an editor says. Every module that must leave
code alone (finding questions, headings and summary bullets; hashtags; notebook embeds; the
repairs of :mod:`study_guide.guards`) asks :func:`lex` instead of matching fences or backticks
itself, so they cannot disagree with each other or with the page.

The rules followed, each checked against the real renderer by ``tests/test_lexer.py``:

- **Fenced blocks** (superfences): a run of three or more backticks or tildes after any
  mix of spaces, tabs and ``>``, with an info string that superfences accepts (a language,
  ``{attributes}``, or its own options ``title=``, ``hl_lines=``, ``linenums=``): anything else
  after the fence, a backtick included, makes the line text. Every line of the block keeps
  the opening line's indentation and quotes; one that has less ends the attempt and the
  opening line is text. The closing fence is the same run exactly. A fence never closed is
  no code block at all: its lines are Markdown like any other.
- **Indented code** (Python-Markdown): a block indented by four columns or more, unless it
  continues a list (or an admonition) at that depth.
- **Raw HTML blocks**: a block-level tag at the start of a line, up to its end tag: no code
  span is looked for inside.
- **Code spans** (Python-Markdown's backtick rule, not CommonMark's): an opening run (a
  backslash before it escapes its first backtick) closes at the next run of the same length
  in the same paragraph, list item or heading; failing that, at the longest later run if it is
  shorter than the opening one. Spans may run over several lines.

What is not emulated (Python-Markdown's own corners, which notes do not reach): a heading, a rule
or raw HTML *inside* a list item's text, which splits it into blocks of its own; a fenced block
in the same paragraph as indented code, which superfences turns back into text. The lexer keeps
such a fence as code.

*As the page shows it* (the default): a fence at the margin never closed is text on the page,
written so that it cannot pair with a fence further down (see :func:`study_guide.guards.contain_html`),
so the search for fences goes on after it. ``lex(text, as_page=False)`` is Python-Markdown on the
text as it is, which looks for no fence after it; the tests compare that with the real renderer.

How a later pass uses it (Obsidian's ``[[links]]``, ``==highlights==``, ``%%comments%%``…)::

    code = lex(markdown)
    code.inside(offset)              # is the character at this offset code? (binary search)
    for start, end in code.segments():   # the text between code, in order
        ...                              # change markdown[start:end] only
    code.prose()                     # the text with code blanked out, offsets and lines kept:
                                     # run a pattern over it, then edit the original at its matches

Build it once per text and ask it many times: everything here runs in time linear in the text
(a 200 kB line included), and the blocks and spans are worked out on first use.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

TAB = 4
"""Python-Markdown's tab length: tabs are expanded to it before anything is parsed."""
MAX_QUOTES = 32
"""Quotes nested deeper are not looked into for indented code."""

_PREFIX = " \t>"
_BACKTICKS = re.compile(r"`+")
# Python-Markdown: '#' at the very start of a line is a heading, no space needed ('#tag' too).
_HEADING = re.compile(r"#{1,6}")
_RULE = re.compile(r"[ ]{0,3}(?:(?:\*[ ]*){3,}|(?:-[ ]*){3,}|(?:_[ ]*){3,})$")
# List items as Python-Markdown reads them: '1)' is no list item there, '1.' is.
_LIST_ITEM = re.compile(r"[ ]*(?:[*+-]|\d+\.)[ ]+\S")
_TOP_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.)[ ]+\S")
_LIST_ITEM_OR_NESTED = re.compile(r"[ ]{0,7}(?:[*+-]|\d+\.)[ ]+")
_CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?)[ ]?[\w-]")  # admonitions and details: indented bodies
_QUOTE = re.compile(r"[ ]{0,3}>")
_QUOTES = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
_QUOTE_LEVEL = re.compile(r"^[ ]{0,3}>[ ]?")
_HTML_OPEN = re.compile(r"[ ]{0,3}<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)")
_HTML_BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body canvas center colgroup dd details div dl dt fieldset figcaption figure
    footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main map math menu nav noscript
    object ol output p pre progress script section style summary table tbody td textarea tfoot th thead tr ul video
    """.split()
)
_VOID = frozenset({"hr"})
_PLACEHOLDER = "\x02wzxhzdk:0\x03"  # what a fenced block is to Python-Markdown once superfences took it out
_HL_LINES = re.compile(r"\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$")
_OPTION_KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9_]*")


@dataclass(frozen=True)
class Fence:
    """One fenced code block, as superfences finds it: lines *start* to *end*, both fences included."""

    start: int
    end: int
    indent: int  # columns of spaces, tabs and '>' before the fence: every line of the block shares them
    marks: str  # the opening run, ``` or ~~~ (or longer)


@dataclass(frozen=True)
class Unclosed:
    """A line that opens a fence the renderer never closes: its lines are Markdown, not code."""

    line: int
    marks: str
    stopped: int | None  # the line that ended the attempt (less indented or outside the quote); None: the text ended


class Code:
    """The code of one Markdown text: whole lines (blocks) and offsets (blocks and spans).

    Build it with :func:`lex` or :func:`lex_lines`. Offsets are into ``"\\n".join(lines)`` (*text*, when given).
    """

    def __init__(self, lines: Sequence[str], text: str | None = None, *, as_page: bool = True) -> None:
        self.lines = lines
        self.as_page = as_page
        if text is not None:
            self.__dict__["text"] = text  # the lines joined already: the cached property need not join them again
        self.fences: list[Fence] = []
        self.unclosed: list[Unclosed] = []
        self._given_back: list[Fence] = []
        self._code_lines: set[int] = set()
        self._html_lines: set[int] = set()
        self._fence_starts: set[int] = set()
        self._indented_fences: set[int] = set()  # fenced blocks that stand where indented code would
        self._blocks_found = False
        text = self.text
        if "```" in text or "~~~" in text:
            _find_fences(self)

    def _find_blocks(self) -> None:
        # Fences are all some callers need (the unclosed ones); blocks are found when first asked for.
        if not self._blocks_found:
            self._blocks_found = True
            if "    " in self.text or "\t" in self.text or "<" in self.text:
                _find_blocks(self)

    @property
    def given_back(self) -> list[Fence]:
        """Fences the page shows as text, not code: they are in a paragraph that opens with indented code."""
        self._find_blocks()
        return self._given_back

    def line_in_code(self, index: int) -> bool:
        """Whether line *index* is part of a code block (a fence, its content, or indented code)."""
        self._find_blocks()
        return index in self._code_lines

    @cached_property
    def code_lines(self) -> frozenset[int]:
        """Indexes of every line that belongs to a code block."""
        self._find_blocks()
        return frozenset(self._code_lines)

    @cached_property
    def line_starts(self) -> list[int]:
        """The offset of each line in the joined text."""
        starts, at = [], 0
        for line in self.lines:
            starts.append(at)
            at += len(line) + 1
        return starts

    @cached_property
    def text(self) -> str:
        """The lines joined, as offsets count them."""
        return "\n".join(self.lines)

    @cached_property
    def ranges(self) -> list[tuple[int, int]]:
        """Sorted, disjoint ``(start, end)`` offsets of all code: blocks (whole lines) and spans."""
        self._find_blocks()
        starts = self.line_starts
        found: list[tuple[int, int]] = []
        for index in sorted(self._code_lines):
            start, end = starts[index], starts[index] + len(self.lines[index])
            if found and found[-1][1] + 1 >= start:
                found[-1] = (found[-1][0], end)
            else:
                found.append((start, end))
        found += _spans(self)
        found.sort()
        merged: list[tuple[int, int]] = []
        for start, end in found:  # a span can run over a fenced block inside its paragraph
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    @cached_property
    def _range_starts(self) -> list[int]:
        return [start for start, _ in self.ranges]

    def inside(self, offset: int) -> bool:
        """Whether the character at *offset* is code (in a block or a span)."""
        k = bisect.bisect_right(self._range_starts, offset) - 1
        return k >= 0 and offset < self.ranges[k][1]

    def segments(self, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
        """``(start, end)`` offsets of the text between code, in order, within *start* to *end*."""
        end = len(self.text) if end is None else end
        at = start
        k = max(0, bisect.bisect_right(self._range_starts, start) - 1)
        for code_start, code_end in self.ranges[k:]:
            if code_start >= end:
                break
            if code_end <= at:
                continue
            if code_start > at:
                yield at, code_start
            at = max(at, code_end)
        if at < end:
            yield at, end

    def prose(self) -> str:
        """The text with every code character replaced by a space: offsets and lines stay where they were."""
        text = self.text
        if not self.ranges:
            return text
        out, at = [], 0
        for start, end in self.ranges:
            out += [text[at:start], _blank(text[start:end])]
            at = end
        out.append(text[at:])
        return "".join(out)


def lex(text: str, *, as_page: bool = True) -> Code:
    """The code of *text* (lines end in ``\\n``; see ``lines.split_lines`` for other endings).

    *as_page*: as the study page shows it. A fence at the margin that is never closed is text
    there, and written so that it cannot pair with a fence further down the page
    (:func:`study_guide.guards.contain_html`): fences after it are looked for. Python-Markdown on
    the text as it is (``as_page=False``) looks for none after it.
    """
    return Code(text.split("\n"), text, as_page=as_page)


def lex_lines(lines: Sequence[str], *, as_page: bool = True) -> Code:
    """The code of a text already split into lines (see :func:`lex`)."""
    return Code(lines, as_page=as_page)


def maybe_code(text: str) -> bool:
    """Cheap test: False when *text* can hold no code at all (no backtick, tilde run or indented line)."""
    return "`" in text or "~~~" in text or "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t"))


def _blank(text: str) -> str:
    return "".join("\n" if c == "\n" else " " for c in text)


# --------------------------------------------------------------------------- fenced blocks (superfences)


def _expanded(line: str) -> str:
    return line.expandtabs(TAB) if "\t" in line else line


def _opening(line: str) -> tuple[int, str] | None:
    """``(prefix length, marks)`` when *line* (tabs expanded) opens a fence superfences accepts."""
    stripped = line.lstrip(_PREFIX)
    if stripped[:3] not in ("```", "~~~"):
        return None
    mark = stripped[0]
    n = 3
    while n < len(stripped) and stripped[n] == mark:
        n += 1
    if not _valid_info(stripped[n:]):
        return None
    return len(line) - len(stripped), stripped[:n]


def _valid_info(info: str) -> bool:
    """Whether superfences (without ``relaxed_headers``) accepts what follows the fence's marks.

    A language (``python``, ``.c++``), then ``{attributes}`` or its options (``title="…"``,
    ``hl_lines="1 3"``, ``linenums="1"``); any other word makes the line no fence at all.
    """
    rest = info.strip(" \t")
    if not rest:
        return True
    token_end = next((i for i, c in enumerate(rest) if c in " \t"), len(rest))
    token = rest[:token_end]
    language = token[1:] if token.startswith(".") else token
    if language and all(c.isalnum() or c in "_#.+-" for c in language):
        rest = rest[token_end:].strip(" \t")
        if not rest:
            return True
    if rest.startswith("{") and rest.endswith("}"):
        return True
    return _valid_options(rest)


def _valid_options(rest: str) -> bool:
    at = 0
    while at < len(rest):
        while at < len(rest) and rest[at] in " \t":
            at += 1
        if at == len(rest):
            return True
        key = _OPTION_KEY.match(rest, at)
        if key is None:
            return False
        at = key.end()
        value: str | None = None
        if at < len(rest) and rest[at] == "=":
            quote = rest[at + 1 : at + 2]
            if quote not in ('"', "'"):
                return False
            close = rest.find(quote, at + 2)
            while close >= 0 and close + 1 < len(rest) and rest[close + 1] not in " \t":
                close = rest.find(quote, close + 1)
            if close < 0:
                return False
            value, at = rest[at + 2 : close], close + 1
        elif at < len(rest) and rest[at] not in " \t":
            return False
        name = key.group(0)
        shown = name if value is None else value
        if name == "hl_lines" and not _HL_LINES.match(shown):
            return False
        if name == "linenums" and not shown[:1].isdigit():
            return False
        if name not in ("title", "title_mode", "hl_lines", "linenums"):
            return False  # superfences passes other options on as attributes, and then refuses the fence
    return True


def _find_fences(code: Code) -> None:
    """Superfences' search, line by line: an opening, content as indented and quoted as it, the same closing run."""
    lines = code.lines
    # Only a line with ``` or ~~~ can open a fence: the others are not even looked at.
    candidates = [n for n, line in enumerate(lines) if "```" in line or "~~~" in line]
    c = 0
    i = 0
    while c < len(candidates):
        if candidates[c] < i:
            c += 1
            continue
        i = candidates[c]
        raw = lines[i]
        opened = _opening(_expanded(raw))
        if opened is None:
            i += 1
            continue
        prefix, marks = opened
        opener = _expanded(raw)[:prefix]
        quotes = opener.count(">")
        end, stopped = _fence_end(lines, i, prefix, quotes, marks)
        if end is None:
            code.unclosed.append(Unclosed(i, marks, stopped))
            if stopped is None:
                if code.as_page and not prefix:
                    i += 1  # shown as text on the page (see guards.contain_html): the search goes on after it
                    continue
                break  # superfences read every line after it as its content: none of them opens a fence
            i = stopped + 1  # nor is the line that stopped the attempt looked at again as an opening
            continue
        code.fences.append(Fence(i, end, prefix, marks))
        code._code_lines.update(range(i, end + 1))
        code._fence_starts.add(i)
        i = end + 1


def _fence_end(lines: Sequence[str], start: int, width: int, quotes: int, marks: str) -> tuple[int | None, int | None]:
    """Where the fence opened at *start* closes, or ``(None, the line that stopped it)``."""
    if not width:
        # At the margin (most fences), every line is content but the closing one: no prefix to weigh.
        close = marks[0]
        for j in range(start + 1, len(lines)):
            line = lines[j]
            if line[:1] == close and line.startswith(marks) and not line[len(marks) :].strip(" \t"):
                return j, None
        return None, None
    empty = False
    for j in range(start + 1, len(lines)):
        line = _expanded(lines[j])
        if not line.strip():
            line = ""
        n = 0
        while n < len(line) and n < width and line[n] in _PREFIX:
            n += 1
        ws, content = line[:n], line[n:]
        level = ws.count(">")
        closes = content.startswith(marks) and not content[len(marks) :].strip(" \t")
        if quotes:
            if level > quotes:
                return None, j
            if content == "":
                empty = True
                continue
            if len(ws) < width or (empty and level < quotes):
                return None, j
            if closes:
                return j, None
            empty = False
            continue
        if level:
            return None, j  # a quoted line inside a fence that is not quoted
        if not content.strip():
            continue
        if len(ws) != width:
            return None, j
        if closes:
            return j, None
    return None, None


# --------------------------------------------------------------------------- blocks: indented code, raw HTML


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _find_blocks(code: Code) -> None:
    """Indented code and raw HTML blocks, as Python-Markdown's block parser finds them once fences are out."""
    fences = {f.start: f for f in code.fences}
    if "<" in code.text:
        _find_html(code, fences)
    if "    " in code.text or "\t" in code.text:  # no line can be indented code without either
        _blocks(code, [(i, _expanded(line)) for i, line in enumerate(code.lines)], fences, level=0)


def _find_html(code: Code, fences: dict[int, Fence]) -> None:
    """Raw HTML blocks: Python-Markdown takes them out before it reads any other block, quotes and lists included."""
    lines = code.lines
    i = 0
    while i < len(lines):
        fence = fences.get(i)
        if fence is not None:
            i = fence.end + 1
            continue
        if "<" in lines[i][:4] and _HTML_OPEN.match(lines[i]):
            end = _html_block(lines, i, code._code_lines)
            if end is not None:
                code._html_lines.update(j for j in range(i, end + 1) if j not in code._code_lines)
                i = end + 1
                continue
        i += 1


def _blocks(code: Code, items: list[tuple[int, str]], fences: dict[int, Fence], *, level: int) -> None:
    """The blocks of *items* (line index, text as this level sees it): a quote's lines are seen without their '>'."""
    depth = 0  # lists or admonitions open, each four columns deeper
    at_block_start = True
    admonition = False  # the innermost container open is an admonition, whose body ends at a line not indented
    continued = False  # the current block continues a list item (it started indented)
    k = 0
    while k < len(items):
        i, line = items[k]
        fence = fences.get(i)
        width = 1 if fence is None else fence.end - fence.start + 1
        if fence is not None:
            # A fenced block is one line to the block parser: a placeholder, indented and quoted as its opening.
            line = line[: len(line) - len(line.lstrip(_PREFIX))] + "\x02"
        if not line.strip() or i in code._html_lines:
            at_block_start, continued = True, False  # a raw HTML block stands for a block of its own
            if i in code._html_lines:
                depth = 0
            k += 1
            continue
        indent = _indent(line)
        if admonition and indent < TAB:
            # An admonition's body is its indented lines only: this line starts a block after it.
            admonition, at_block_start, continued, depth = False, True, False, 0
        if at_block_start and indent >= TAB and (depth == 0 or indent // TAB > depth):
            k = _indented_code(code, items, k, depth, fences)
            # What follows in the same paragraph stays in the list item the code is in.
            at_block_start = True
            continued = bool(depth) and k < len(items) and bool(items[k - 1][1].strip())
            continue
        lead = line[indent : indent + 1]
        if indent < TAB and lead == ">":
            in_list = bool(depth) and not admonition and not at_block_start
            k = _quote(code, items, k, fences, level + 1, in_list=in_list)
            if not in_list:  # a quote inside a list item leaves the list open
                depth, at_block_start, admonition = 0, True, False
            continue
        if (lead == "#" and _HEADING.match(line)) or (lead in "*-_" and _RULE.match(line)):
            # A heading or a rule is a block of its own, and ends a list, unless it is in a block
            # that a list item's indentation takes in whole.
            if not (depth and (continued or (at_block_start and indent >= TAB))):
                depth, admonition = 0, False
            at_block_start = True
            k += width
            continue
        if indent < TAB and lead in "!?" and _CONTAINER.match(line[indent:]):
            depth, at_block_start = 1, True  # an admonition's title: its body, even on the next line, is a block
            admonition = True
            k += width
            continue
        if at_block_start and indent < TAB:
            admonition = False
        if at_block_start:
            continued = indent >= TAB
            depth = _depth_after(line, indent)
        elif depth and lead in "*+-0123456789" and _LIST_ITEM.match(line):
            depth = indent // TAB + 1  # a list item inside a list's block: the list nests this deep now
        at_block_start = False
        k += width


def _quote(code: Code, items: list[tuple[int, str]], k: int, fences: dict[int, Fence], level: int, *, in_list: bool) -> int:
    """Read the blocks of the quote that starts at item *k* (up to a blank line); return the item after it.

    Quotes nested deeper than :data:`MAX_QUOTES` are not read further (the guards refuse such notes
    anyway): each level reads its lines again, which must not make a line of quotes cost quadratic time.
    """
    inner: list[tuple[int, str]] = []
    while k < len(items):
        i, line = items[k]
        fence = fences.get(i)
        if fence is None and (not line.strip() or i in code._html_lines):
            break
        if in_list and inner and _LIST_ITEM_OR_NESTED.match(line):
            break  # inside a list's block, a list item line is the list's next item, not the quote's
        if inner and fence is None and (_HEADING.match(line) or _RULE.match(line)):
            break  # headings and rules are found in a paragraph before quotes are
        width = 1 if fence is None else fence.end - fence.start + 1
        inner += [(j, _QUOTE_LEVEL.sub("", text, count=1)) for j, text in items[k : k + width]]
        k += width
    if level <= MAX_QUOTES and any("    " in text for _, text in inner):  # tabs are expanded by now
        _blocks(code, inner, fences, level=level)
    return k


def _depth_after(line: str, indent: int) -> int:
    """How many lists (or admonitions) are open after a block that starts with *line*."""
    if indent < TAB:
        return 1 if _TOP_LIST_ITEM.match(line) or _CONTAINER.match(line[indent:]) else 0
    level = indent // TAB
    return level + 1 if _LIST_ITEM.match(line) else level


def _indented_code(code: Code, items: list[tuple[int, str]], k: int, depth: int, fences: dict[int, Fence]) -> int:
    """Mark the indented code block at item *k*; return the item after it."""
    need = (depth + 1) * TAB
    last = k
    j = k
    while j < len(items):
        i, line = items[j]
        fence = fences.get(i)
        if fence is None and not line.strip():
            j += 1
            continue
        if _indent(line) < need or i in code._html_lines:
            break
        if fence is not None:
            code._indented_fences.add(i)  # indented code, not a line of the paragraph around it
        j += 1 if fence is None else fence.end - fence.start + 1
        last = j - 1
    code._code_lines.update(items[n][0] for n in range(k, last + 1))
    if j == last + 1:  # the paragraph goes on after the code, with no blank line between
        _give_back_fences(code, items, j, fences)
    return last + 1


def _give_back_fences(code: Code, items: list[tuple[int, str]], k: int, fences: dict[int, Fence]) -> None:
    """Fences in the rest of a paragraph that opens with indented code, from item *k* to its end: no code.

    Superfences' indented-code processor gives every fenced block of that paragraph back as text (it
    takes them for fences it found inside the code by mistake), so the page shows their marks and
    their lines are read as Markdown; CommonMark readers such as Obsidian show code there instead.
    """
    while k < len(items):
        i, line = items[k]
        fence = fences.pop(i, None)
        if fence is None:
            if not line.strip() or i in code._html_lines:
                return
            k += 1
            continue
        code.fences.remove(fence)
        code._fence_starts.discard(i)
        code._code_lines.difference_update(range(fence.start, fence.end + 1))
        code._given_back.append(fence)
        k += fence.end - fence.start + 1  # the paragraph went on after the fence's placeholder line


def _html_block(lines: Sequence[str], start: int, code_lines: set[int]) -> int | None:
    """The last line of a raw HTML block opened at *start*, or None when *start* opens none."""
    match = _HTML_OPEN.match(lines[start])
    if match is None or match.group(1) or match.group(2).lower() not in _HTML_BLOCK_TAGS:
        return None
    name = match.group(2).lower()
    first = lines[start]
    if "markdown=" in first[: first.find(">") + 1 if ">" in first else len(first)]:
        return None  # md_in_html: Markdown inside
    if name in _VOID:
        return start
    opening = re.compile(rf"<(/?){name}(?=[\s/>]|$)", re.IGNORECASE)
    depth = 0
    for j in range(start, len(lines)):
        if "<" not in lines[j] or j in code_lines:
            continue
        for tag in opening.finditer(lines[j]):
            depth += -1 if tag.group(1) else 1
            if depth <= 0:
                return j
    return len(lines) - 1


# --------------------------------------------------------------------------- code spans (Python-Markdown)


def _inline_runs(code: Code) -> Iterator[tuple[int, int]]:
    """``(first, last)`` lines of each paragraph, list item or heading: where a code span can run.

    Python-Markdown starts a list only after a blank line (inside a paragraph, '- ' is text),
    but a quote, a heading or a rule anywhere; a quote's lines without '>' continue it.
    """
    lines = code.lines
    first: int | None = None
    quotes = 0  # how deeply the current paragraph is quoted
    in_list = in_body = False
    block_start = True
    fences = {f.start: f for f in code.fences}
    fenced = {j for f in code.fences for j in range(f.start + 1, f.end + 1)}
    for i, line in enumerate(lines):
        if i in fenced:
            continue  # a fenced block is one line of the paragraph around it, if any: a placeholder
        if i in fences and i not in code._indented_fences:
            line = line[: fences[i].indent] + "\x02"
        elif i in code._code_lines or i in code._html_lines or not line.strip():
            if first is not None:
                yield first, i - 1
            first, block_start = None, True
            continue
        prefix = _QUOTES.match(line) if ">" in line[:4] else None
        level = prefix.group(0).count(">") if prefix else 0
        content = line[prefix.end() :] if prefix else line
        lead = content.lstrip(" ")[:1]
        own_line = (lead == "#" and bool(_HEADING.match(content))) or (
            lead in "!?" and bool(_CONTAINER.match(content.lstrip(" ")))
        )
        item = lead in "*+-0123456789" and bool(_LIST_ITEM.match(content))
        rule = lead in "*-_" and bool(_RULE.match(content))
        # An admonition's body is its indented lines: the first line that is not ends it, and starts a block.
        body_ends = in_body and _indent(_expanded(line)) < TAB
        in_body = in_body and not body_ends
        if block_start or body_ends:
            in_list = item
        starts = own_line or rule or (item and in_list) or level > quotes or body_ends
        if first is not None and starts:
            yield first, i - 1
            first = None
        if first is None:
            first, quotes = i, level
        block_start = False
        if own_line or rule:
            yield first, i
            first, block_start = None, True
            in_body = own_line and lead in "!?"
    if first is not None:
        yield first, len(lines) - 1


def _spans(code: Code) -> list[tuple[int, int]]:
    """Code spans of every paragraph, in offsets of the whole text.

    Each paragraph is read as Python-Markdown reads it (without its quotes' '>', a fenced block as
    one placeholder), since where it goes on searching after an unmatched opening counts characters.
    """
    found: list[tuple[int, int]] = []
    lines, starts = code.lines, code.line_starts
    fenced = {f.start: f.end for f in code.fences}
    for first, last in _inline_runs(code):
        if not any("`" in lines[i] for i in range(first, last + 1) if i not in code._code_lines):
            continue
        parts: list[str] = []
        where: list[tuple[int, int]] = []  # (offset in the paragraph, offset in the text) where each line starts
        at = 0
        i = first
        while i <= last:
            if i in fenced:
                content, skip = _PLACEHOLDER, 0
            else:
                quotes = _QUOTES.match(lines[i]) if ">" in lines[i][:4] else None
                skip = quotes.end() if quotes else 0
                content = lines[i][skip:]
            parts.append(content)
            where.append((at, starts[i] + skip))
            at += len(content) + 1
            i = fenced[i] + 1 if i in fenced else i + 1
        text = "\n".join(parts)
        offsets = [a for a, _ in where]

        def back(offset: int, where: list[tuple[int, int]] = where, offsets: list[int] = offsets) -> int:
            k = bisect.bisect_right(offsets, offset) - 1
            return where[k][1] + offset - where[k][0]

        found += [(back(a), back(b - 1) + 1) for a, b in code_spans(text)]
    return found


def code_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each code span of one paragraph's *text*, backticks included (Python-Markdown's rule)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    if not runs:
        return []
    by_length: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(k)
    # The longest run from k on, and the first run that long: the fallback closing of an opening at k - 1.
    longest: list[tuple[int, int]] = [(0, -1)] * (len(runs) + 1)
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        longest[k] = (length, k) if length >= longest[k + 1][0] else longest[k + 1]
    spans: list[tuple[int, int]] = []
    at = 0  # where the search for an opening goes on
    k = 0
    while k < len(runs):
        a, b = runs[k]
        if b <= at:
            k += 1
            continue
        a = max(a, at)
        if a == runs[k][0] and _escaped(text, a):
            a += 1  # '\`' is a backtick, not an opening; the rest of the run may open
        if a >= b:
            k += 1
            continue
        length = b - a
        same = by_length.get(length, [])
        j = bisect.bisect_right(same, k)
        if j < len(same):
            close = runs[same[j]]
            spans.append((a, close[1]))
            at, k = close[1], same[j] + 1
            continue
        fallback, where = longest[k + 1]
        if 0 < fallback < length:
            spans.append((a, runs[where][1]))
            at, k = runs[where][1], where + 1
            continue
        at = a + 2 * length  # Python-Markdown goes on searching this far on: twice the opening's length
    return spans


def _escaped(text: str, at: int) -> bool:
    n = 0
    while at - n - 1 >= 0 and text[at - n - 1] == "\\":
        n += 1
    return n % 2 == 1
