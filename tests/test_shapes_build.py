"""The shapes of issue 15 through a real ``mkdocs build --strict``: every question on its page, tags that lead somewhere."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from study_guide.core.parse import read_note

from .conftest import MINIMAL_CONFIG, make_project, mkdocs_build
from .lossless import missing_words

NOTES = Path(__file__).parent / "fixtures" / "notes"
SHAPES = [
    "html-admonitions",
    "bullet-questions",
    "plain-lines",
    "heading-imperatives",
    "bold-after-intro",
    "pandoc-export",
    "inline-fences",
    "mixed-shapes",
]
TAGGED = """\
1. Which tag does an answer give? #question

> This one: #in-an-answer, not `#in-code`.

2. What does a code block hide?

```python
x = 1  # not a tag, #not-one-either
```
"""
# The Markdown the lexer follows: the repository's own extensions (superfences above all).
# No deck: the raw-HTML fixture's <img src="loop.png"> points beside its page, where no image is (MkDocs
# leaves raw HTML's addresses as written), and the deck's check of images would fail the strict build.
CONFIG = MINIMAL_CONFIG.replace("  - study-guide\n", "  - study-guide:\n      anki_deck: ''\n") + """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.inlinehilite
  - pymdownx.tasklist
"""
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("shapes")
    notes = {f"lessons/{name}.md": (NOTES / f"{name}.md").read_text(encoding="utf-8") for name in SHAPES}
    notes["lessons/zz-tagged.md"] = TAGGED
    config = make_project(root, notes, config=CONFIG)
    for image in ("loop.png", "lr_find.png"):
        (root / "docs" / "lessons" / image).write_bytes(PNG)
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    return root, result.stderr


def page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / "lessons" / name / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("name", SHAPES)
def test_every_question_is_on_its_page_and_no_word_is_lost(site: tuple[Path, str], name: str) -> None:
    root, _ = site
    lesson = read_note(NOTES / f"{name}.md")
    article = page(root, name).select_one("article")
    assert [block["id"] for block in article.select(".sg-qa")] == [q.anchor for q in lesson.questions]
    answered = [block["id"] for block in article.select("details.sg-qa")]
    assert answered == [q.anchor for q in lesson.questions if q.has_answer]
    note = (NOTES / f"{name}.md").read_text(encoding="utf-8")
    assert missing_words(note, str(article)) == []


def test_html_admonitions_become_questions_and_further_research(site: tuple[Path, str]) -> None:
    article = page(site[0], "html-admonitions").select_one("article")
    assert [h.get_text(strip=True) for h in article.select("h2")][-1].startswith("Further research")
    q4 = article.select_one("#q-4 .sg-qa__answer")
    assert q4.select("ol > li")[0].get_text() == "Initialise the weights."
    assert article.select_one("#q-3 img")["alt"] == "the training loop, drawn by hand"
    assert "No answer yet" in article.select_one("#q-5").get_text()


def test_code_at_the_margin_stays_in_the_bullet_questions_answer(site: tuple[Path, str]) -> None:
    article = page(site[0], "bullet-questions").select_one("article")
    assert "loss_with_wd" in article.select_one("#q-5 .sg-qa__answer pre").get_text()
    assert "user_bias" in article.select_one("#q-4 .sg-qa__answer pre").get_text()
    assert article.select_one("#q-3 .sg-qa__answer blockquote")


def test_three_backticks_inline_are_code_and_nothing_is_swallowed(site: tuple[Path, str]) -> None:
    article = page(site[0], "inline-fences").select_one("article")
    assert article.select_one("#q-1 code").get_text() == "pythonCopyresult = a - b"
    assert article.select_one("#q-5 code").get_text().startswith("this <div>")  # a code span over two lines, not repaired
    assert "![[notebooks/lesson.ipynb#inside-code]]" in article.select_one("#q-4 pre").get_text()


def test_tags_in_answers_are_chips_and_the_tags_page_links_only_to_anchors_that_exist(site: tuple[Path, str]) -> None:
    root, stderr = site
    assert "does not contain an anchor" not in stderr
    article = page(root, "zz-tagged").select_one("article")
    assert [chip["data-tag"] for chip in article.select(".sg-tag")] == ["question", "in-an-answer"]
    tags = BeautifulSoup((root / "site" / "tags" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in tags.select("article li a")]
    assert any(link.endswith("zz-tagged/#q-1") for link in links)
    for link in links:
        target = urlsplit(link)
        if target.fragment:
            shown = (root / "site" / "tags" / target.path / "index.html").resolve()
            assert BeautifulSoup(shown.read_text(encoding="utf-8"), "html.parser").select_one(f"#{target.fragment}"), link
