"""The render-to-a-folder route: the seed site rendered, then built by Zensical and by MkDocs without our plugin.

Real builds into temporary folders: ``python -m study_guide render``, ``zensical build`` or
``mkdocs build``, ``python -m study_guide index``, as the README and ``make zensical`` run them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.core.cards import read_answers_script

from .conftest import ROOT

LESSON = "lessons/01-deep-learning"
QUESTIONS = 33


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300, check=False)


def build_route(root: Path, generator: str, config: Path = ROOT / "mkdocs.yml") -> Path:
    """Render the seed's docs into *root*/docs, build them with *generator*, index the site; return the site."""
    rendered = run("-m", "study_guide", "render", ROOT / "docs", "--out", root / "docs", "--for", generator, "-f", config)
    assert rendered.returncode == 0, rendered.stderr
    if generator == "zensical":
        built = run("-m", "zensical", "build", "--strict", "-f", root / "mkdocs.yml")
    else:
        built = run("-m", "mkdocs", "build", "--strict", "-f", root / "mkdocs.yml")
    assert built.returncode == 0, built.stdout + built.stderr
    indexed = run("-m", "study_guide", "index", root / "site")
    assert indexed.returncode == 0, indexed.stderr
    return root / "site"


@pytest.fixture(scope="module", params=["zensical", "mkdocs"])
def route(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    generator = request.param
    return generator, build_route(tmp_path_factory.mktemp(f"route-{generator}"), generator)


def lesson(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / LESSON / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_lesson_page_has_every_question_closed_and_our_front_end(route: tuple[str, Path]) -> None:
    _, site = route
    page = lesson(site)
    blocks = page.select(".sg-qa")
    assert [b["id"] for b in blocks] == [f"q-{n}" for n in range(1, QUESTIONS + 1)]
    assert not [d["id"] for d in page.select("details.sg-qa[open]")]
    assert page.select_one(".sg-toolbar[data-sg-lesson='01-deep-learning']") is not None
    scripts = [s["src"] for s in page.select("script[src]")]
    ours = [src for src in scripts if src.endswith("assets/study-guide/study-guide.js")]
    assert ours and (site / LESSON / ours[0]).resolve().is_file()
    styles = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any(href.endswith("assets/study-guide/study-guide.css") for href in styles)
    config = json.loads(page.select_one("#sg-config")["data-sg-config"])
    assert config["site"] == "Study guide" and config["review"] == "../../review/"


def test_the_blocks_are_those_of_the_plugins_site(route: tuple[str, Path], seed_site: Path) -> None:
    """Question blocks, summary and figures as the plugin's own site has them, images and links included."""
    _, site = route
    ours, theirs = lesson(site), lesson(seed_site)
    for selector in (".sg-qa", ".sg-summary", ".sg-toolbar", "figure"):
        assert [str(e) for e in ours.select(selector)] == [str(e) for e in theirs.select(selector)], selector
    for image in ours.select("article img[src^='../']"):
        assert (site / LESSON / image["src"]).resolve().is_file(), image["src"]


def test_the_course_pages_are_there(route: tuple[str, Path]) -> None:
    _, site = route
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = home.select_one("article table a")
    assert link is not None and link["href"].rstrip("/").endswith(LESSON) and link.text == "Deep Learning"
    assert home.select_one(".sg-dashboard") is not None
    tags = BeautifulSoup((site / "tags" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert tags.select_one("#tag-best-practice") is not None
    review = BeautifulSoup((site / "review" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert review.select_one(".sg-review") is not None
    cards = (site / "assets" / "study-guide" / "cards.js").read_text(encoding="utf-8")
    assert "What is y_range used for?" in cards
    [answers] = (site / "assets" / "study-guide" / "answers").iterdir()  # the lesson's answers, named in the cards file
    assert answers.stem in cards and any("y_range" in a for a in read_answers_script(answers.read_text(encoding="utf-8")))


def test_search_finds_single_questions(route: tuple[str, Path]) -> None:
    generator, site = route
    if generator == "zensical":
        items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    else:
        items = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    found = {item["location"]: item for item in items}
    question = found[f"{LESSON}/#q-31"]
    assert question["title"].startswith("31. What is y_range used for?")
    assert "y_range is being used to limit" in question["text"]
    # The whole page's entry is ours (the text before the first heading), not the generator's copy of every answer.
    assert "y_range" not in found[f"{LESSON}/"]["text"]
    assert not (site / "assets" / "study-guide" / "search-entries.json").exists()
    if generator == "zensical":
        assert question["level"] == 2 and question["path"] == ["Lessons", "Deep Learning"]


def test_rendering_twice_gives_the_same_folder(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = run("-m", "study_guide", "render", ROOT / "docs", "--out", tmp_path / name / "docs")
        assert result.returncode == 0, result.stderr
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in sorted((tmp_path / "a").rglob("*")) if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in sorted((tmp_path / "b").rglob("*")) if p.is_file()}
    assert first == second


def test_the_configuration_lists_our_assets_and_not_our_plugin(tmp_path: Path) -> None:
    result = run("-m", "study_guide", "render", ROOT / "docs", "--out", tmp_path / "docs")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "study-guide:" not in text and "- search" in text
    assert "extra_javascript:\n- assets/study-guide/study-guide.js" in text
    assert "extra_css:\n- assets/study-guide/study-guide.css" in text
    assert "docs_dir: docs" in text


def test_render_refuses_to_overwrite_what_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    result = run("-m", "study_guide", "render", ROOT / "docs", "--out", tmp_path / "docs")
    assert result.returncode == 1
    assert "was not written by render" in result.stderr
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    inside = run("-m", "study_guide", "render", ROOT / "docs", "--out", ROOT / "docs" / "rendered")
    assert inside.returncode == 1 and "outside the docs folder" in inside.stderr
    assert not (ROOT / "docs" / "rendered").exists()


def test_index_says_what_to_do_without_entries(tmp_path: Path) -> None:
    result = run("-m", "study_guide", "index", tmp_path)
    assert result.returncode == 1
    assert "search-entries.json: not there" in result.stderr


def test_an_error_in_a_note_stops_render_with_its_line(tmp_path: Path) -> None:
    docs = tmp_path / "notes"
    (docs / "lessons").mkdir(parents=True)
    (docs / "lessons" / "01-bad.md").write_text("---\ntitle: [unclosed\n---\n\n1. Why?\n\n> Because.\n", encoding="utf-8")
    result = run("-m", "study_guide", "render", docs, "--out", tmp_path / "build" / "docs", cwd=tmp_path)
    assert result.returncode == 1
    assert "lessons/01-bad.md:" in result.stderr
    assert not (tmp_path / "build" / "docs").exists()


def test_the_routes_options_have_the_plugins_defaults() -> None:
    from study_guide.adapters.docs_folder.site_config import Options
    from study_guide.adapters.mkdocs_plugin.config import StudyGuideConfig

    plugin = StudyGuideConfig()
    plugin.load_dict({})
    assert not plugin.validate()[0]
    for option in dataclasses.fields(Options):
        assert getattr(Options(), option.name) == plugin[option.name], option.name


def article_parts(page: Path) -> list[str]:
    """The top-level elements of a page's article, without what the theme adds and the page's settings.

    Images go by their file's name: MkDocs leaves the address a note's raw HTML gives an image as
    written (relative to the note, wrong on the page), where Zensical and the route make it the page's.
    """
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    for added in article.select("#sg-config, .md-source-file, .md-content__button, #__skip"):
        added.decompose()
    for image in article.select("img[src]"):
        image["src"] = posixpath.basename(image["src"])
    return [str(child).strip() for child in article.children if str(child).strip()]


@pytest.mark.parametrize("generator", ["zensical", "mkdocs"])
def test_every_shape_of_note_gives_the_plugins_page(tmp_path: Path, generator: str) -> None:
    """Each fixture note (every shape the parser reads, kept HTML too) gives the page the plugin gives it, element for element.

    Images the notes name are made to exist: Zensical and MkDocs differ on links to missing files, not we.
    """
    from .conftest import mkdocs_build

    notes = [*sorted((ROOT / "tests" / "fixtures" / "notes").glob("*.md")), ROOT / "tests" / "fixtures" / "kept-html.md"]
    lessons = tmp_path / "project" / "docs" / "lessons"
    lessons.mkdir(parents=True)
    for note in notes:
        text = note.read_text(encoding="utf-8")
        (lessons / note.name).write_text(text, encoding="utf-8")
        for image in re.findall(r'(?:\]\(|src=")([\w-]+\.(?:png|jpe?g|gif|svg))', text):
            (lessons / image).write_bytes(b"")
    (lessons.parent / "index.md").write_text("# Course\n\n<!-- study-guide:lessons -->\n", encoding="utf-8")
    config = tmp_path / "project" / "mkdocs.yml"
    source = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(source.replace("strict: true", "strict: false"), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "plugin-site", strict=False)
    assert result.returncode == 0, result.stderr
    route = tmp_path / "route"
    rendered = run("-m", "study_guide", "render", lessons.parent, "--out", route / "docs", "--for", generator, "-f", config)
    assert rendered.returncode == 0, rendered.stderr
    built = run("-m", generator, "build", "-f", tmp_path / "route" / "mkdocs.yml")
    assert built.returncode == 0, built.stdout + built.stderr
    pages = sorted((tmp_path / "plugin-site" / "lessons").glob("*/index.html"))
    assert len(pages) == len(notes)
    for page in pages:
        ours = tmp_path / "route" / "site" / page.relative_to(tmp_path / "plugin-site")
        assert article_parts(ours) == article_parts(page), page.parent.name
        for image in BeautifulSoup(ours.read_text(encoding="utf-8"), "html.parser").select("article img[src]"):
            assert (ours.parent / image["src"]).resolve().is_file(), (page.parent.name, image["src"])
