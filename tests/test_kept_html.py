"""What learners legitimately write stays: their HTML, and the markup of Markdown's usual extensions, through the sanitiser."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup

from study_guide.core.sanitize import sanitize_html

from .conftest import MINIMAL_CONFIG, ROOT, make_project, mkdocs_build

FIXTURE = ROOT / "tests" / "fixtures" / "kept-html.md"
GOLDEN = ROOT / "tests" / "golden" / "kept-html.html"
EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - footnotes
  - tables
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.inlinehilite
  - pymdownx.keys
  - pymdownx.mark
  - pymdownx.tasklist
  - pymdownx.tabbed:
      alternate_style: true
"""


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    root = tmp_path_factory.mktemp("kept")
    # Its raw <img src="gpu.png"> points nowhere on the built page: the Anki deck would say so, in a warning.
    config_text = MINIMAL_CONFIG.replace("  - study-guide\n", "  - study-guide:\n      anki_deck: ''\n") + EXTENSIONS
    config = make_project(root, {"lessons/01-kept.md": FIXTURE.read_text(encoding="utf-8")}, config=config_text)
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((root / "site" / "lessons" / "01-kept" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return page.select_one("article")


def test_golden_html(article: BeautifulSoup) -> None:
    """The whole article; refresh with UPDATE_GOLDEN=1 after an intended change."""
    html = article.decode(formatter="minimal")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html + "\n", encoding="utf-8")
    assert html + "\n" == GOLDEN.read_text(encoding="utf-8")


def test_learners_own_html_is_kept(article: BeautifulSoup) -> None:
    span = article.select_one("span.hl")
    assert (span.get_text(), span["style"]) == ("a red span", "color:#c00")
    assert [el.get_text() for el in article.select("sub, sup:not([id])")] == ["2", "2"]
    assert [kbd.get_text() for kbd in article.select("p > kbd")] == ["Ctrl", "C"]
    assert article.select_one("br") and article.select_one("mark").get_text() == "marked"
    assert article.select_one("div.note-box").get_text(strip=True) == "A div with a class."  # style: on spans and paragraphs only
    assert article.select_one('p[style="color:green;text-align:center"]').get_text() == "A green paragraph."
    image = article.select_one("#q-1 img")
    assert (image["src"], image["alt"], image["width"]) == ("gpu.png", "A GPU", "200")
    details = article.select_one("#q-1 .sg-qa__answer details")
    assert details.summary.get_text() == "More" and "Hidden until opened." in details.get_text()
    assert [td.get_text() for td in article.select("#q-1 td")] == ["1", "64"]
    assert article.select_one("#s-1 ~ span.kw").get_text() == "a class"


def test_extensions_markup_is_kept(article: BeautifulSoup) -> None:
    maths = article.select("#q-2 .arithmatex")
    assert [m.name for m in maths] == ["span", "div"] and maths[0].get_text().startswith("\\(L =")
    assert article.select("#q-2 .highlight code span.n")  # highlighting spans
    assert article.select_one("#q-3 .admonition.tip .admonition-title").get_text() == "Admonition"
    tabs = article.select_one("#q-3 .tabbed-set")
    assert tabs["data-tabs"] == "1:2" and len(tabs.select("input[type=radio]")) == 2
    assert [label["for"] for label in tabs.select("label")] == ["__tabbed_1_1", "__tabbed_1_2"]
    assert len(article.select("#q-3 .task-list-item input[type=checkbox][disabled]")) == 2
    assert article.select_one("#q-3 sup a.footnote-ref")["href"] == "#fn:1"
    assert article.select_one('.footnote li[id="fn:1"]')
    assert [k.get_text() for k in article.select("#q-3 .keys kbd")] == ["Ctrl", "Alt", "Del"]


def test_the_project_classes_and_ids_are_not_the_notes_to_claim() -> None:
    note = '<div class="sg-toolbar extra" id="sg-config" data-sg-lesson="x">fake</div><a class="sg-time" href="#q-1">t</a>'
    assert sanitize_html(note) == '<div class="extra">fake</div><a href="#q-1">t</a>'
