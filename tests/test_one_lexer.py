"""Every module asks the lexer where code is, and so agrees with the page: questions, tags, figures, repairs."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from study_guide.core import markers
from study_guide.core.figures import embed_figures, find_figure_refs
from study_guide.core.guards import contain_html, show_empty_links
from study_guide.core.hashtags import hashtags
from study_guide.core.lexer import lex
from study_guide.core.lines import split_lines
from study_guide.core.parse import parse_note
from study_guide.core.render import PageContext, link_hashtags, render_lesson
from study_guide.core.sanitize import sanitize_html

from .conftest import SEED
from .lossless import EXTENSIONS, render_html

NOTES = Path(__file__).parent / "fixtures" / "notes"
_WORD = re.compile(r"[^\W_]+")


def parse(text: str):
    return parse_note(textwrap.dedent(text).lstrip("\n"), "note.md")


# --------------------------------------------------------------------------- the lexer on real shapes


class _CodeWords(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.words: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.words.update(_WORD.findall(data))


@pytest.mark.parametrize("path", [*sorted(NOTES.glob("*.md")), SEED], ids=lambda p: p.stem)
def test_lexer_finds_the_code_the_renderer_shows(path: Path) -> None:
    """Rendered as it is, each note shows as code exactly the words the lexer says are code."""
    text = "\n".join(split_lines(path.read_text(encoding="utf-8")))
    code = lex(text, as_page=False)
    lexed = Counter(w for start, end in code.ranges for w in _WORD.findall(text[start:end]))
    lexed.subtract(w for fence in code.fences for w in _WORD.findall(code.lines[fence.start]))  # a fence's language
    page = _CodeWords()
    page.feed(markdown.markdown(text, extensions=EXTENSIONS))
    # A <code> element the note writes as HTML is code on the page, and no Markdown code.
    written = Counter(w for m in re.finditer(r"<code>(.*?)</code>", text) for w in _WORD.findall(m.group(1)))
    assert +lexed == page.words - written


# --------------------------------------------------------------------------- tags: everywhere or nowhere

TAGGED = """
    1. Which tags count? #question

    > A tag in the answer counts: #best-practice, and `#not-in-code`.
    >
    > ```python
    > x = 1  #not-in-a-fence
    > ```
    >
    >     #not-in-indented-code
    >
    > ### A heading #not-in-a-heading
    >
    > [a link](#not-a-link-target) <span style="color: #ff0000">red</span> ![[x.ipynb#not-an-embed]]
    > #obsidian-style at the start of a line
"""


def test_a_tag_in_an_answer_is_a_tag_and_a_chip() -> None:
    lesson = parse(TAGGED)
    (question,) = lesson.questions
    assert question.tags == ("question", "best-practice", "obsidian-style")
    chips = re.findall(r'data-tag="([^"]+)"', render_html(textwrap.dedent(TAGGED)))
    assert chips == ["question", "best-practice", "obsidian-style"]


def test_tags_and_chips_come_from_one_function() -> None:
    for text in ("`a #b` #c", "```\n#d\n```\n#e", "## h #f\n#g", "<b title='#h'>#i</b>", "[x](#j) #k", "![[n.ipynb#l|#m]] #n"):
        stash = markers.Stash()
        linked = link_hashtags(text, "tags/", stash)
        assert linked.count("\ue002") == len(hashtags(text)), text


# --------------------------------------------------------------------------- figures where the lexer found them


def test_a_figure_goes_where_its_embed_is_not_where_the_same_text_first_appears() -> None:
    lesson = parse(
        """
        1. Which embed is a figure?

        > Written as code: `![[nb.ipynb#a]]`, then for real:
        >
        > ![[nb.ipynb#a]]

        2. And inside a fence indented under a list item?

        - Item:

            ```
            ![[nb.ipynb#b]]
            ```
        """
    )
    (ref,) = lesson.figure_refs
    assert (ref.label, ref.line) == ("a", 5)
    context = PageContext("note", inline={ref: "<figure>A</figure>"})
    page = markers.finish(markdown.markdown(render_lesson(lesson, context), extensions=EXTENSIONS), context.stash, sanitize_html)
    assert "<code>![[nb.ipynb#a]]</code>" in page and "<figure>A</figure>" in page
    assert "![[nb.ipynb#b]]" in page and page.count("<figure>") == 1


def test_embed_figures_replaces_at_the_offsets_it_was_given() -> None:
    text = "`![[nb.ipynb#a]]` and ![[nb.ipynb#a]]"
    (ref,) = find_figure_refs(text)
    assert ref.start == text.index(" and ") + 5

    class Figure:
        def __init__(self) -> None:
            self.ref, self.html = ref, "<figure>A</figure>"

    assert embed_figures(text, [Figure()]) == "`![[nb.ipynb#a]]` and <figure>A</figure>"  # type: ignore[list-item]


# --------------------------------------------------------------------------- repairs leave code alone


def test_a_code_span_over_two_lines_is_not_repaired() -> None:
    answer = "Like `this <div>\none` which stays code."
    assert contain_html(answer) == answer
    assert contain_html("Like this <div>\none which is not code.") == "Like this &lt;div>\none which is not code."


def test_an_empty_link_in_code_is_no_link() -> None:
    assert show_empty_links("`[ ](x.md)` and [ ](y.md)") == "`[ ](x.md)` and [y.md](<y.md>)"


def test_an_unclosed_fence_in_one_answer_does_not_swallow_the_next_ones() -> None:
    text = textwrap.dedent(
        """
        1. What opens a fence?

        ```python
        never closed

        2. What does a fence hold?

        ~~~
        3. not a question: code
        ~~~

        3. Is this still a question?

        ````
        a fence that closes (three backticks would have closed the first one)
        ````
        """
    ).lstrip("\n")
    lesson = parse_note(text, "note.md")
    assert [(q.anchor, q.text) for q in lesson.questions] == [
        ("q-1", "What opens a fence?"),
        ("q-2", "What does a fence hold?"),
        ("q-3", "Is this still a question?"),
    ]
    assert [p.line for p in lesson.problems if "never closed" in p.message] == [3]
    page = render_html(text)
    assert all(f'id="{anchor}"' in page for anchor in ("q-1", "q-2", "q-3"))
    first_answer = page.split('id="q-1"')[1].split('id="q-2"')[0]
    assert "```python" in first_answer and "<pre" not in first_answer  # shown as text
    assert "3. not a question: code" in page.split('id="q-2"')[1].split('id="q-3"')[0].split("<code>")[1]
    assert "a fence that closes" in page.split('id="q-3"')[1].split("<code>")[1]
