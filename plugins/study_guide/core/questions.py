"""Find the questions of a questionnaire, however the learner wrote them.

Learners write the same questionnaire in several shapes ("families"). Each family has
a finder that returns where its questions start; what lies between two starts is the
answer. One file usually sticks to one family, so the parser picks the family that
finds the most questions (a frontmatter key can force one) and reads the file with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from .hashtags import hashtags
from .html_questions import find_html
from .lines import Line
from .list_questions import find_bullets
from .model import Problem, Question, normalise_words
from .plain_questions import find_plain
from .starts import Found, Start, clean_question, ends_with_break, is_bold, looks_like_question, unsure

__all__ = ["FAMILIES", "Found", "Start", "build_question", "find", "looks_like_question"]

FAMILIES = ("numbered", "quoted", "callout", "qa", "heading", "bold", "html", "bullets", "plain")
"""Question shapes, in the order ties are broken: the ones marked up plainest first, guesses last."""

_BOLD = r"(?:\*\*|__)"
_NUMBER = r"(?P<open>\*\*|__)?(?P<num>\d{1,4})\\?(?P<delim>[.)])(?P<close>\*\*|__)?(?:[ \t]+|(?=\*\*|__))(?P<text>\S.*)"
_NUMBERED = re.compile(rf"^{_NUMBER}$")
_QUOTED_NUMBERED = re.compile(rf"^[ ]{{0,3}}>[ \t]?{_NUMBER}$")
_BOLD_LINE = re.compile(
    r"^(?P<open>\*\*|__)(?!\d{1,4}\\?[.)])(?P<text>[^*_\s].*?)(?P=open)(?P<after>\?)?[ \t]*(?:<br\s*/?>[ \t]*)?\\?$"
)
# No two runs of blanks may meet in these patterns: that backtracks quadratically on huge lines.
_Q_LINE = re.compile(
    rf"^[ \t]*(?:[-*+][ \t]+)?{_BOLD}?(?P<marker>(?:Q|Question)[ \t]*(?:(?P<num>\d{{1,4}})[ \t]*)?[:.)\-–])"
    rf"{_BOLD}?[ \t]*(?P<text>.*)$",
    re.IGNORECASE,
)
_A_LINE = re.compile(
    rf"^[ \t]*(?:[-*+][ \t]+)?{_BOLD}?(?:A|Ans|Answer)[ \t]*(?:\d{{1,4}}[ \t]*)?[:.)\-–]{_BOLD}?[ \t]*", re.IGNORECASE
)
# An answer label ('Ans:', 'Answer -', '**A:**') ends a question that runs over several lines.
_ANSWER_LABEL = re.compile(rf"^[ \t]*(?:>[ \t]*)*{_BOLD}?(?:Ans|Answer|A)[ \t]*[:\-–]", re.IGNORECASE)
# What the lines these patterns match must start with: a string test spares most lines the regex.
_NUMBERED_FIRST = frozenset("0123456789*_")
_Q_LEAD = " \t-*+_"
_CALLOUT = re.compile(r"^[ ]{0,3}>[ \t]?\[!(?:question|faq|help|quiz|q|flashcard|card)\][-+]?[ \t]*(?P<text>.*)$", re.IGNORECASE)
_HEADING_NUMBER = re.compile(rf"^{_BOLD}?(?P<num>\d{{1,4}})\\?[.)]{_BOLD}?[ \t]*")
_RULE = re.compile(r"^[ ]{0,3}(?:-{3,}|\*{3,}|_{3,}|={3,})[ \t]*$")
# A line that starts a block of its own: not a hard-wrapped continuation of a question.
_BLOCK_START = re.compile(r"^(?:[ ]{2,}|\t|>|[-*+][ \t]|\d{1,4}[.)][ \t]|!\[|<|\||```|~~~|\$\$)")
_PLACEHOLDER_LENGTH = 60
# Tags that wrap nothing when empty: '<p></p>' is an answer left blank (an export writes one per question).
_WRAPPERS = re.compile(r"</?(?:p|div|span|br|b|i|em|strong)(?:\s[^<>]{0,200})?/?>", re.IGNORECASE)
_PLACEHOLDERS = frozenset(
    {"", "na", "n a", "tbd", "tba", "todo", "to do", "answer here", "your answer here", "answer", "to be done by the reader"}
)


def find(family: str, lines: Sequence[Line]) -> Found:
    """Question starts of *family* in *lines*."""
    return _FINDERS[family](lines)


def build_question(start: Start, answer: Sequence[Line], ordinal: int, line: int) -> Question:
    """A question from its start and the lines of its answer (numbering is settled later).

    *line* is the question's line in the file.
    """
    lines = [ln for ln in answer]
    while lines and lines[0].blank:
        lines.pop(0)
    if lines and start.inline is None and _RULE.match(lines[0].text):  # '---' under a question: a setext underline or a rule
        lines.pop(0)
    while lines and lines[-1].blank:
        lines.pop()
    texts = [ln.text for ln in lines]
    if start.unquote:
        texts = [_unquote(t) for t in texts]
    # Labels such as 'Ans:' stay: they are the learner's words, shown inside the revealed answer.
    answer_text = "\n".join(_dedent(_unquote_leading_quote(texts), [ln.in_code for ln in lines])).strip("\n")
    answer_line = lines[0].number if lines else None
    if start.inline is not None and start.inline.strip():
        answer_text = start.inline.strip() + ("\n" + answer_text if answer_text else "")
        answer_line = line
    return Question(
        number=start.number if start.number is not None else ordinal,
        numbered=start.number is not None,
        marker=start.marker,
        text=start.text,
        answer=answer_text,
        line=line,
        anchor="",  # set once every question of the note is known
        answer_line=answer_line,
        placeholder=_placeholder(answer_text),
        tags=hashtags(start.text, answer_text),
        sure=start.sure,
    )


def _placeholder(answer: str) -> bool:
    """Nothing, or a stand-in for an answer ('TODO', '[Answer here]', an empty ``<p></p>``)."""
    # Placeholders are short; normalising a long answer only to compare it would be wasted work.
    if len(answer) > _PLACEHOLDER_LENGTH:
        return False
    bare = _WRAPPERS.sub(" ", answer) if "<" in answer else answer
    return normalise_words(bare) in _PLACEHOLDERS


def _numbered(lines: Sequence[Line]) -> Found:
    """``5. question`` at the margin (also ``5)``, ``**5.**``, ``5. **question**``, ``1\\.``)."""
    candidates = [
        (i, m)
        for i, ln in enumerate(lines)
        if ln.text[:1] in _NUMBERED_FIRST and not ln.in_code and (m := _NUMBERED.match(ln.text))
    ]
    numbers = [int(m["num"]) for _, m in candidates]
    # Markdown renumbers lists, so some learners number every question '1.'.
    all_ones = len(numbers) >= 2 and set(numbers) == {1}
    starts: list[Start] = []
    notes: list[Problem] = []
    previous: int | None = None
    answer_list: int | None = None  # last number of a numbered list inside the current answer
    for i, match in candidates:
        number, text = int(match["num"]), clean_question(match["text"], match["open"])
        question_like = looks_like_question(text) or bool(match["open"] or match["close"]) or is_bold(match["text"])
        if answer_list is not None and number == answer_list + 1 and not question_like:
            accept = False  # the answer's own list goes on
        elif all_ones or previous is None or number == previous + 1:
            accept = True
        else:
            accept = question_like
        if not accept:
            answer_list = number
            if question_like:
                notes.append(
                    unsure(lines[i], f"'{number}.' looks like a question but does not follow {previous}; kept in the answer")
                )
            continue
        previous, answer_list = number, None
        full, body, note = _wrapped(lines, i, text)
        starts.append(Start(i, number, full, body, marker=f"{number}{match['delim']}"))
        notes += note
    return Found(starts, notes)


def _quoted(lines: Sequence[Line]) -> Found:
    """``> 3. question`` in a blockquote, with the answer as plain text after it."""
    starts: list[Start] = []
    last_text: Line | None = None
    for i, ln in enumerate(lines):
        match = _QUOTED_NUMBERED.match(ln.text) if ">" in ln.text[:4] and not ln.in_code else None
        # A numbered line inside a quoted answer (the seed's shape) follows a question or a quote;
        # one that follows a quoted question left without an answer is a question too.
        after_question = bool(starts) and last_text is lines[starts[-1].body - 1]
        if match and (after_question or last_text is None or not (_is_quoted(last_text.text) or _NUMBERED.match(last_text.text))):
            body = i + 1
            text = clean_question(match["text"], match["open"])
            while body < len(lines) and _is_quoted(lines[body].text) and _unquote(lines[body].text).strip():
                text += " " + clean_question(_unquote(lines[body].text).strip(), None)
                body += 1
            starts.append(Start(i, int(match["num"]), text, body, marker=f"{match['num']}{match['delim']}"))
            last_text = lines[body - 1]
            continue
        if not ln.blank:
            last_text = ln
    return Found(starts, [])


def _callout(lines: Sequence[Line]) -> Found:
    """Obsidian callouts: ``> [!question]- question`` with the answer in the callout's body."""
    starts: list[Start] = []
    i = 0
    while i < len(lines):
        match = _CALLOUT.match(lines[i].text) if "[!" in lines[i].text and not lines[i].in_code else None
        if not match:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and _is_quoted(lines[end].text):
            end += 1
        text, body = match["text"].strip(), i + 1
        if not text:  # '> [!question]' alone: the question is the body's first line
            while body < end and not _unquote(lines[body].text).strip():
                body += 1
            if body < end:
                text, body = _unquote(lines[body].text).strip(), body + 1
        starts.append(Start(i, None, clean_question(text, None), body, end=end, unquote=True))
        i = end
    return Found(starts, [])


def _qa(lines: Sequence[Line]) -> Found:
    """``Q: question`` / ``A: answer`` pairs (also bold, numbered, or as bullets)."""
    starts: list[Start] = []
    for i, ln in enumerate(lines):
        match = _Q_LINE.match(ln.text) if ln.text.lstrip(_Q_LEAD)[:1] in "qQ" and not ln.in_code else None
        if not match:
            continue
        body = i + 1
        text = match["text"].strip()
        # The question runs on until the answer label or a blank line.
        while body < len(lines) and not lines[body].blank and not _A_LINE.match(lines[body].text):
            text += " " + lines[body].text.strip()
            body += 1
        number = int(match["num"]) if match["num"] else None
        starts.append(Start(i, number, clean_question(text, None), body, marker=match["marker"]))
    return Found(starts, [])


def _heading(lines: Sequence[Line]) -> Found:
    """A heading per question (``## question?``, ``### 5. **question**``); the section is the answer.

    Between two question headings, a heading of their level is a question too ("## Rewrite the
    class"): an exercise reads like no question, but stands where questions stand.
    """
    found: list[tuple[int, int, int | None, str, bool]] = []  # (index, level, number, text, reads like a question)
    for i, ln in enumerate(lines):
        heading = ln.heading
        if heading is None or heading[0] < 2:
            continue
        level, text = heading
        numbered = _HEADING_NUMBER.match(text)
        rest = text[numbered.end() :] if numbered else text
        if rest:
            asks = bool(numbered) or looks_like_question(rest)
            found.append((i, level, int(numbered["num"]) if numbered else None, rest, asks))
    asking = [f for f in found if f[4]]
    if not asking:
        return Found([], [])
    levels = [f[1] for f in asking]
    level = max(set(levels), key=lambda n: (levels.count(n), -n))  # the level most questions have
    first, last = asking[0][0], asking[-1][0]
    starts: list[Start] = []
    notes: list[Problem] = []
    for i, lvl, number, text, asks in found:
        if asks:
            starts.append(Start(i, number, clean_question(text, None), i + 1))
        elif lvl == level and first < i < last:
            starts.append(Start(i, number, clean_question(text, None), i + 1, sure=False))
            notes.append(unsure(lines[i], f"read as a question: a heading of the questions' level (h{level}), between two"))
    # An answer ends at the next heading of the same or a higher level, not at its own subheadings.
    ends = []
    for start in starts:
        own = lines[start.index].heading
        assert own is not None
        nxt = next((j for j in range(start.body, len(lines)) if (h := lines[j].heading) and h[0] <= own[0]), len(lines))
        ends.append(replace(start, end=nxt))
    return Found(ends, notes)


def _bold(lines: Sequence[Line]) -> Found:
    """Unnumbered bold paragraphs as questions: ``**What is a GPU?**`` (also ``**What is a GPU**?``).

    A bold line that ends with '?' is a question wherever it stands (learners leave out the blank
    line before it); one that only begins like a question ("**Explain …**") must start a paragraph.
    """
    starts: list[Start] = []
    for i, ln in enumerate(lines):
        match = _BOLD_LINE.match(ln.text) if ln.text[:2] in ("**", "__") and not ln.in_code else None
        if not match or _A_LINE.match(ln.text):
            continue
        text = clean_question(match["text"], None) + (match["after"] or "")
        paragraph_start = i == 0 or lines[i - 1].blank
        if text.endswith("?") or (paragraph_start and looks_like_question(text)):
            starts.append(Start(i, None, text, i + 1))
    return Found(starts, [])


_FINDERS: dict[str, Callable[[Sequence[Line]], Found]] = {
    "numbered": _numbered,
    "quoted": _quoted,
    "callout": _callout,
    "qa": _qa,
    "heading": _heading,
    "bold": _bold,
    "html": find_html,
    "bullets": find_bullets,
    "plain": find_plain,
}


def _wrapped(lines: Sequence[Line], i: int, text: str) -> tuple[str, int, list[Problem]]:
    """A question hard-wrapped over several lines: join them until the question is complete."""
    body = i + 1
    first_line_break = ends_with_break(lines[i].text)
    while body < len(lines) and not first_line_break and not text.rstrip("*_ ").endswith(("?", ":")):
        ln = lines[body]
        if ln.blank or ln.in_code or ln.heading or _BLOCK_START.match(ln.text) or _RULE.match(ln.text):
            break
        if _ANSWER_LABEL.match(ln.text):
            break
        text = f"{text} {clean_question(ln.text.strip(), None)}"
        body += 1
        if ends_with_break(ln.text):
            break
    notes = []
    if body > i + 1 and not looks_like_question(text):
        notes.append(
            unsure(
                lines[i + 1], "joined this line to the question above; leave a blank line after a question to start its answer"
            )
        )
    return text, body, notes


def _is_quoted(text: str) -> bool:
    return text.lstrip(" ").startswith(">")


def _unquote(text: str) -> str:
    """The line without one level of ``>`` (up to three spaces may come before it)."""
    at = text.find(">", 0, 4)
    if at < 0 or text[:at].strip(" "):
        return text
    return text[at + 2 :] if text[at + 1 : at + 2] in (" ", "\t") else text[at + 1 :]


def _unquote_leading_quote(texts: list[str]) -> list[str]:
    """An answer written as a blockquote, unquoted, so lists and paragraphs inside it stay intact.

    Only the quote the answer starts with: a quotation later in an answer stays a quotation.
    """
    if not texts or not _is_quoted(texts[0]):
        return texts
    end = 0
    while end < len(texts) and (_is_quoted(texts[end]) or (not texts[end].strip() and _quote_resumes(texts, end))):
        end += 1
    return [_unquote(t) for t in texts[:end]] + texts[end:]


def _quote_resumes(texts: list[str], i: int) -> bool:
    following = next((t for t in texts[i:] if t.strip()), None)
    return following is not None and _is_quoted(following)


def _dedent(texts: list[str], code: list[bool]) -> list[str]:
    """Remove the indentation the answer's lines share: an answer indented under its question is not code.

    A code block at the margin (a fence that ends a list, say) keeps its lines as they are and
    does not count: the lines around it are still indented under the question.
    """
    expanded = [_expand_indent(t) if "\t" in t else t for t in texts]
    margin = _margin_code(expanded, code) if any(code) else [False] * len(expanded)
    indents = [len(t) - len(t.lstrip(" ")) for k, t in enumerate(expanded) if t.strip() and not margin[k]]
    cut = min(indents, default=0)
    if not cut:
        return [t if t.strip() else "" for t in expanded]
    return [t if margin[k] else (t[min(cut, len(t) - len(t.lstrip(" "))) :] if t.strip() else "") for k, t in enumerate(expanded)]


def _margin_code(texts: list[str], code: list[bool]) -> list[bool]:
    """Which lines belong to a run of code lines whose first line stands at the margin."""
    margin = [False] * len(texts)
    k = 0
    while k < len(texts):
        if k < len(code) and code[k]:
            run_end = k
            while run_end < len(texts) and run_end < len(code) and code[run_end]:
                run_end += 1
            if not texts[k][:1].isspace():
                margin[k:run_end] = [True] * (run_end - k)
            k = run_end
        else:
            k += 1
    return margin


def _expand_indent(text: str) -> str:
    rest = text.lstrip(" \t")
    return text[: len(text) - len(rest)].expandtabs(4) + rest
