"""Hostile notes: each either renders safely or stops the build with path:line, never a traceback or a hang."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.core.search_chunks import read_chunks, read_index_text

from .conftest import make_project, mkdocs_build

# Generous: the point is "never a hang", not speed (the benchmark measures speed).
BUILD_SECONDS = 240
BOMB = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]" for p, x in zip("abcdefgh", "bcdefghi", strict=True)]
)


@dataclass(frozen=True)
class Hostile:
    note: bytes
    error: str | None = None  # the message of a build stopped with path:line; None: it must render
    line: int | None = None
    questions: int | None = None  # how many question blocks the page must still have


CASES = {
    "script-in-question": Hostile(
        b'1. Is <script>alert("q")</script> "quoted" & <b>bold</b> \'fine\' < 4 > 3?\n\n> <script>alert("a")</script> yes\n',
        questions=1,
    ),
    "closing-tags-in-answer": Hostile(
        b"1. First?\n\n> broken </details> and </summary> and </div> here\n\n2. Second?\n\n> still a question\n", questions=2
    ),
    "comment-never-closed": Hostile(b"1. First?\n\n> <!-- this never ends\n\n2. Second?\n\n> still here -->\n", questions=2),
    "div-never-closed": Hostile(b'1. First?\n\n<div class="x">\nopen forever\n\n2. Second?\n\n> still here\n', questions=2),
    "body-never-closed": Hostile(b"1. First?\n\n<body onload=alert(1)>\n\n2. Second?\n\n> still here\n", questions=2),
    "noscript-closed-in-an-attribute": Hostile(
        b'1. First?\n\n<noscript><p title="</noscript><img src=x onerror=alert(1)>">\n\n2. Second?\n\n> here\n', questions=2
    ),
    "bold-never-closed": Hostile(b"1. First?\n\n> <b>bold forever\n\n2. Second?\n\n> still here\n", questions=2),
    "huge-line": Hostile(b"1. Huge?\n\n> " + b"word " * 200_000 + b"\n", questions=1),
    "five-thousand-questions": Hostile(
        b"".join(f"{n}. Question {n}?\n\n> Answer {n}.\n\n".encode() for n in range(1, 5001)), questions=5000
    ),
    "deep-nesting": Hostile(b"1. Deep?\n\n" + b"".join(b"    " * i + b"- level\n" for i in range(300)), error="nested", line=27),
    "deep-quotes": Hostile(b"1. Deep?\n\n" + b"> " * 400 + b"x\n", error="nested", line=3),
    "invalid-utf8": Hostile(b"1. Caf\xe9?\n\n> yes\n", error="not valid UTF-8", line=1),
    "binary-junk": Hostile(b"PK\x03\x04\x14\x00\x00\x00\x08\x00 a zip renamed .md\n", error="NUL bytes", line=1),
    "binary-image": Hostile(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", error="not valid UTF-8", line=1),
    "yaml-bomb": Hostile(f"---\n{BOMB}\ntags: [*i]\n---\n1. Q?\n\n> A\n".encode(), error="anchors or aliases", line=2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_note(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    config = make_project(tmp_path, {})
    (tmp_path / "docs" / "lessons" / f"01-{name}.md").write_bytes(case.note)
    started = time.monotonic()
    result = mkdocs_build(config, tmp_path / "site")
    assert time.monotonic() - started < BUILD_SECONDS
    assert "Traceback" not in result.stderr
    if case.error is not None:
        assert result.returncode != 0
        assert f"01-{name}.md:{case.line}: " in result.stderr and case.error in result.stderr
        return
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((tmp_path / "site" / "lessons" / f"01-{name}" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(page.select(".sg-qa")) == case.questions
    json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    read_chunks(tmp_path / "site" / "search")  # every chunk reads back
    index = read_index_text(tmp_path / "site" / "search")
    # Nothing from a note reaches the index or an attribute as live markup, nor the page as something that runs.
    assert "<script" not in index.lower()
    article = page.select_one("article")
    assert not article.select("script, iframe, object, embed, style, form, base")
    assert not [attr for el in article.find_all(True) for attr in el.attrs if attr.startswith("on")]
    assert "\ue000" not in str(article)
    for element in page.select(".sg-qa, .sg-qa *"):
        # Text attributes may show '<' (a note's title="a < b"): text, escaped, never markup.
        assert not any("<" in str(value) for name, value in element.attrs.items() if name not in ("title", "alt")), element


def test_closing_tags_stay_in_their_answer(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"lessons/01-tags.md": CASES["closing-tags-in-answer"].note.decode()})
    assert mkdocs_build(config, tmp_path / "site").returncode == 0
    page = BeautifulSoup((tmp_path / "site" / "lessons" / "01-tags" / "index.html").read_text(encoding="utf-8"), "html.parser")
    first = page.select_one("#q-1 .sg-qa__answer").get_text()
    assert "</details>" in first and "</summary>" in first and "</div>" in first
    assert page.select_one("#q-2 .sg-qa__answer").get_text(strip=True) == "still a question"


def test_empty_link_warns_and_shows_its_address(tmp_path: Path) -> None:
    note = "1. Q?\n\n> A\n\n[  \n](https://example.org/next)\n"
    config = make_project(tmp_path, {"lessons/01-link.md": note})
    strict = mkdocs_build(config, tmp_path / "strict")
    assert strict.returncode != 0 and "01-link.md:5: link to https://example.org/next has no text" in strict.stderr
    config.write_text(config.read_text().replace("  - study-guide\n", "  - study-guide:\n      empty_links: info\n"))
    quiet = mkdocs_build(config, tmp_path / "quiet")
    assert quiet.returncode == 0, quiet.stderr
    page = BeautifulSoup((tmp_path / "quiet" / "lessons" / "01-link" / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('article a[href="https://example.org/next"]')
    assert link.get_text() == "https://example.org/next"


# Lines built to make a backtracking pattern take quadratic time or worse: each must stay linear.
N = 100_000
PATHOLOGICAL = {
    "blanks": " " * N + "x",
    "bold-then-blanks": "**a** " + " " * N + "x",
    "q-label-then-blanks": "Q" + " " * N + "x",
    "a-label-then-blanks": "1. Q?\nA" + " " * N + "x",
    "closing-hashes": "## " + "# " * N,
    "unmatched-backticks": "`` " * N,
    "unclosed-tags": "1. What <" + "<" * N,
    "bullet-then-blanks": "## Summary\n- a" + " " * N + "b (1:00",
    "quote-then-blanks": "> " + " " * N + "x",
    "break-then-blanks": "1. Q" + " " * N + "<br",
    "fence-markers": " " * N + ">" * N,
    "many-numbers": "1. " * N,
    "unclosed-elements": "1. Q?\n\n> " + "<svg><p title='</svg>'>" * (N // 25),
    # The lexer and the looser shapes (issue 15).
    "fence-info-options": "```python " + 'title="' * (N // 7),
    "backtick-runs": "1. Q?\n\n" + "`" + "``x" * (N // 3),
    "quotes-then-fence": "> " * (N // 2) + "```",
    "admonition-class": '<div class="admonition ' + "a " * (N // 2) + '"><p class="admonition-title">1. Q?</p>',
    "admonitions-on-one-line": '<div class="admonition note"><p class="admonition-title">Q?</p><p>' * (N // 64),
    "tags-and-tags": "1. Q?\n\n> " + "#tag <a " * (N // 8),
    "tags-and-backticks": "1. Q?\n\n> " + "``x #t `" * (N // 8),
    "tags-and-spans-in-a-bullet": "## Summary\n- " + "`x` #t " * (N // 7),
    "html-and-backticks": "1. Q?\n\n> " + "`<div>`` " * (N // 9),
    "embeds-and-backticks": "1. Q?\n\n> " + "![[n.ipynb#x]] `" * (N // 16),
    "plain-label-then-blanks": "What?\nAnswer" + " " * N + "x\nWhy?",
    "setext-then-blanks": "Title" + " " * N + "\n---",
    "bullet-question-then-blanks": "- What?" + " " * N + "\n    - a",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_lines_parse_in_linear_time(name: str) -> None:
    from study_guide.core.parse import parse_note
    from study_guide.core.render import PageContext, render_lesson

    started = time.monotonic()
    render_lesson(parse_note(PATHOLOGICAL[name], "x.md"), PageContext("x"))
    # Linear work on 100,000 characters takes milliseconds; quadratic work takes minutes.
    assert time.monotonic() - started < 20


def test_a_broken_notes_page_shows_its_problems_and_text_as_text() -> None:
    """While serving, a note that cannot be shown gets a page with its problems: a backtick in one cannot end its code."""
    import markdown

    from study_guide.core.model import Problem, Severity
    from study_guide.core.parse import parse_note
    from study_guide.core.render import render_problems

    lesson = parse_note("---\ntitle: [broken\n---\n1. Q <img src=x onerror=alert(1)>?\n", "n.md")
    embed = "![[n`<img src=x onerror=alert(2)>`.ipynb#x]]"
    lesson.problems.append(Problem(5, f"figure {embed}: no notebook", Severity.ERROR))
    page = BeautifulSoup(markdown.markdown(render_problems(lesson), extensions=["admonition"]), "html.parser")
    assert not page.select("img")  # without the sanitiser too: everything from the note is code
    shown = [code.get_text() for code in page.select("li code")]
    assert shown == ["n.md:3: " + lesson.errors[0].message, f"n.md:5: figure {embed}: no notebook"]
    assert "<img src=x onerror=alert(1)>" in page.select_one("pre").get_text()
