"""The lexer says what the site's renderer says: Python-Markdown with superfences, on the same text."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from study_guide.core.lexer import code_spans, lex

from .lossless import EXTENSIONS

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_TOKEN = re.compile(r"zq\d+")


class _CodeWords(HTMLParser):
    """Which tokens the page shows inside ``<code>`` or ``<pre>``, and which outside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.inside: set[str] = set()
        self.outside: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        (self.inside if self.depth else self.outside).update(_TOKEN.findall(data))


def rendered_code_tokens(text: str) -> tuple[set[str], set[str]]:
    parser = _CodeWords()
    parser.feed(markdown.markdown(text, extensions=EXTENSIONS))
    return parser.inside, parser.outside


def lexed_code_tokens(text: str) -> tuple[set[str], set[str]]:
    code = lex(text, as_page=False)
    inside, outside = set(), set()
    for match in _TOKEN.finditer(text):
        (inside if code.inside(match.start()) else outside).add(match.group(0))
    return inside, outside


def assert_agrees(text: str) -> None:
    page_in, page_out = rendered_code_tokens(text)
    lexed_in, lexed_out = lexed_code_tokens(text)
    shown = page_in | page_out
    assert lexed_in & shown == page_in - page_out, text
    assert lexed_out & shown == page_out - page_in, text


# --------------------------------------------------------------------------- the cases the issue names


def test_three_backticks_inline_are_a_code_span_not_a_fence() -> None:
    text = "> ```pythonCopyresult = a - b```\n\n1. zq1 next question?\n\n> zq2 answer\n"
    code = lex(text)
    assert not code.fences and not code.unclosed
    assert code.inside(text.index("result")) and not code.inside(text.index("zq1"))
    assert_agrees(text)


def test_fence_indented_under_a_list_item() -> None:
    text = "- item zq1\n\n    ```python\n    zq2\n    ```\n\nzq3\n"
    code = lex(text)
    assert [(f.start, f.end, f.indent) for f in code.fences] == [(2, 4, 4)]
    assert_agrees(text)


def test_unclosed_fence_is_no_code() -> None:
    text = "zq1\n\n```python\nzq2\n\n# zq3\n"
    code = lex(text, as_page=False)
    assert not code.fences and [(u.line, u.marks, u.stopped) for u in code.unclosed] == [(2, "```", None)]
    assert not code.inside(text.index("zq2"))
    assert_agrees(text)


def test_a_fence_in_the_paragraph_of_indented_code_is_given_back_as_text() -> None:
    # Superfences reverts every fence of a paragraph that opens with indented code: the marks show.
    text = "    zq1\n```python\nzq2 `zq3`\n---\n```\nzq4\n\n```\nzq5\n```\n"
    code = lex(text)
    assert [(f.start, f.end) for f in code.given_back] == [(1, 4)]
    assert [(f.start, f.end) for f in code.fences] == [(7, 9)]  # a blank line first: a fence as written
    assert code.inside(text.index("zq1")) and code.inside(text.index("zq5"))
    assert not code.inside(text.index("zq4"))  # a line of the paragraph, as the fence's own lines now are
    assert_agrees(text)


def test_a_fence_after_a_blank_line_below_indented_code_stays_code() -> None:
    text = "    zq1\n\n```python\nzq2\n```\n"
    code = lex(text)
    assert not code.given_back and [(f.start, f.end) for f in code.fences] == [(2, 4)]
    assert_agrees(text)


def test_a_line_less_indented_stops_a_fence_and_is_not_an_opening_itself() -> None:
    text = "  ```\n  zq1\n ```\n```\nzq2\n```\n"
    code = lex(text)
    assert [(u.line, u.stopped) for u in code.unclosed] == [(0, 2)]
    assert [(f.start, f.end) for f in code.fences] == [(3, 5)]
    assert_agrees(text)


def test_quoted_fence_and_lazy_line() -> None:
    assert_agrees("> ```py\n> zq1\nzq2 lazy\n> ```\n")
    assert_agrees("> ```py\n> zq1\n>\n> ```\n\nzq2\n")


def test_info_strings_superfences_refuses() -> None:
    for info in ("python foo", "python:main.py", "js (x)", "python```", 'python title="x" hl_lines="a"'):
        text = f"```{info}\nzq1\n```\n"
        assert not lex(text).fences, info
        assert_agrees(text)
    for info in ("", "python", " .c++", "{.python #id}", 'python title="a b" linenums="1"', 'py hl_lines="1 2-3"'):
        assert lex(f"```{info}\nzq1\n```\n").fences, info


def test_indented_code() -> None:
    assert_agrees("zq1\n\n    zq2\n\nzq3\n")
    assert_agrees("- zq1\n\n        zq2\n\n    zq3\n")
    assert_agrees("1) zq1\n\n    zq2\n")  # '1)' is no list item to Python-Markdown
    assert_agrees("## zq1\n    zq2\n")
    assert_agrees("!!! note\n\n    zq1\n\n        zq2\n")


def test_code_spans_follow_python_markdown() -> None:
    assert code_spans("a ``x`y` b") == [(2, 6)]
    assert code_spans("```` a``b ` c") == [(0, 8)]
    assert code_spans("\\```x```") == []
    assert code_spans("\\\\`x`") == [(2, 5)]
    for text in ("a `x\nzq1` b", "- a `zq1\n- b` zq2", "p `zq1\n> zq2` z", "a ``zq1`zq2` b zq3", "\\`zq1` `zq2`"):
        assert_agrees(text)


def test_no_code_span_inside_raw_html() -> None:
    assert_agrees("para\n<div>zq1 `zq2` </div>\nafter `zq3`\n")
    assert_agrees("<div>zq1 `zq2`\n\nstill `zq3` </div>\n`zq4`\n")


def test_after_a_fence_never_closed_the_page_looks_for_fences_again() -> None:
    text = "```python\nnever closed\n\n~~~\nzq1\n~~~\n"
    assert not lex(text, as_page=False).fences  # Python-Markdown on the text as it is
    assert [(f.start, f.end) for f in lex(text).fences] == [(3, 5)]  # the page, where the first line is text


def test_segments_and_prose() -> None:
    text = "a `b` c\n```\nd\n```\ne"
    code = lex(text)
    assert [text[a:b] for a, b in code.segments()] == ["a ", " c\n", "\ne"]
    assert code.prose() == "a     c\n   \n \n   \ne"
    assert len(code.prose()) == len(text)


def test_linear_on_a_huge_line() -> None:
    # Shapes that make naive patterns quadratic: no assertion on time, only that it finishes.
    for line in ("`" * 3 + "x`" * 50_000, "```" + ' title="' * 30_000, "``x" * 60_000, "> " * 60_000 + "```"):
        assert lex(line + "\n" + line).ranges is not None


# --------------------------------------------------------------------------- agreement on generated text

_PREFIXES = ["", "", "", "> ", "- ", "1. ", "    ", "  ", "        ", "\t", "    - ", "1) "]
_BODIES = [
    "W", "W W", "`W`", "``W`` `W", "\\`W` W", "W ```W```", "```", "```python", "~~~", "````", "```python W",
    "``` {.py}", "W``", "`W", "W\\", "```W",
]  # fmt: skip
# Blocks that learners write at the margin only: a heading, a rule or raw HTML inside a list item splits
# the item's text into blocks of their own, which the lexer does not emulate.
_MARGIN = ["", "\n!!! note", "<div>W `W`", "</div>", "<p>W</p>", "# W", "***"]
line = st.one_of(
    st.sampled_from(_MARGIN), st.builds(lambda p, b: p + b, st.sampled_from(_PREFIXES), st.sampled_from(_BODIES))
)


def _reverted_fences(lines: list[str]) -> bool:
    """Superfences turns a fenced block back into text when indented code is in the same paragraph:
    how that text then reads is beyond what the lexer emulates (it keeps such fences as code)."""
    indented = False
    for text in "\n".join(lines).split("\n"):
        if not text.strip():
            indented = False
        elif indented and ("```" in text or "~~~" in text):
            return True
        indented = indented or text.expandtabs(4).startswith("    ")
    return False


@given(st.lists(line, min_size=1, max_size=14))
def test_lexer_agrees_with_the_renderer(lines: list[str]) -> None:
    assume(not _reverted_fences(lines))
    counter = iter(range(10_000))
    text = re.sub("W", lambda _: f"zq{next(counter)}", "\n".join(lines))
    assert_agrees(text)
