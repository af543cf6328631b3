"""Real ``mkdocs build`` runs, with the HTML they write parsed and checked."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import ROOT, SEED, make_project, mkdocs_build

GOLDEN = ROOT / "tests" / "golden" / "01-deep-learning.html"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def lesson_page(seed_site: Path) -> BeautifulSoup:
    return soup(seed_site / "lessons" / "01-deep-learning" / "index.html")


def test_every_question_has_its_stable_id(lesson_page: BeautifulSoup) -> None:
    ids = [el["id"] for el in lesson_page.select(".sg-qa")]
    assert ids == [f"q-{n}" for n in range(1, 34)]


def test_every_answer_is_collapsed(lesson_page: BeautifulSoup) -> None:
    answered = lesson_page.select("details.sg-qa")
    assert len(answered) == 31
    for details in answered:
        assert not details.has_attr("open"), details["id"]
        summary = details.find("summary", recursive=False)
        assert summary is not None and summary.get_text(strip=True)
        # The answer lives inside the <details>, after its <summary>: hidden until opened.
        assert details.select_one(".sg-qa__answer").get_text(strip=True) or details.select_one(".sg-qa__answer img")


def test_answers_render_as_markdown(lesson_page: BeautifulSoup) -> None:
    q4 = lesson_page.select_one("#q-4 .sg-qa__answer")
    assert len(q4.select("ol > li")) == 8
    assert q4.select_one("em").get_text() == "processing units"
    assert len(lesson_page.select("#q-2 .sg-qa__answer br")) == 9
    assert lesson_page.select_one("#q-13 .sg-qa__answer img")["alt"] == "samuel"
    assert len(lesson_page.select("#q-5 .sg-qa__answer p")) == 2


def test_placeholders_say_there_is_no_answer(lesson_page: BeautifulSoup) -> None:
    for anchor in ("q-8", "q-9"):
        block = lesson_page.select_one(f"#{anchor}")
        assert block.name == "div" and "sg-qa--unanswered" in block["class"]
        assert block.select_one(".sg-qa__none").get_text() == "No answer yet."
        assert block.select_one(".sg-qa__placeholder").get_text(strip=True) == "To be done by the reader."


def test_summary_bullets_and_tags(lesson_page: BeautifulSoup) -> None:
    bullets = lesson_page.select("li:has(> .sg-anchor)")
    assert len(bullets) == 47
    assert [b.select_one(".sg-anchor")["id"] for b in bullets] == [f"s-{n}" for n in range(1, 48)]
    tagged = [b for b in bullets if b.select_one('.sg-tag[data-tag="best-practice"]')]
    assert len(tagged) == 3
    assert {t.get_text() for t in lesson_page.select(".sg-tag")} == {"#best-practice", "#question"}


def test_nothing_of_the_seed_is_lost(lesson_page: BeautifulSoup) -> None:
    body = SEED.read_text(encoding="utf-8").split("---\n", 2)[2]
    article = lesson_page.select_one("article")
    shown = article.get_text(" ")
    shown += " ".join(el.get(attr, "") for el in article.find_all(True) for attr in ("href", "src", "alt"))
    words = set(re.findall(r"[^\W_]+", shown))
    missing = [w for w in re.findall(r"[^\W_]+", body) if w not in words]
    assert missing == []


def test_home_page_lists_lessons_from_the_notes(seed_site: Path) -> None:
    home = soup(seed_site / "index.html")
    rows = home.select("article table tbody tr")
    assert len(rows) == 1
    cells = [td.get_text(strip=True) for td in rows[0].select("td")]
    assert cells == ["Deep Learning", "33", "31", "47", ""]
    progress = rows[0].select_one(".sg-progress")
    assert (progress["data-sg-lesson"], progress["data-sg-total"]) == ("01-deep-learning", "31")  # answered: 100% reachable
    assert rows[0].select_one("a")["href"] == "lessons/01-deep-learning/"


def test_assets_are_shipped_once_and_linked(seed_site: Path, lesson_page: BeautifulSoup) -> None:
    assert (seed_site / "assets" / "study-guide" / "study-guide.css").is_file()
    links = [link["href"] for link in lesson_page.select("link[rel=stylesheet]")]
    assert "../../assets/study-guide/study-guide.css" in links
    assert "sg-qa" not in "".join(s.get_text() for s in lesson_page.select("style"))


def test_lesson_page_carries_what_the_front_end_needs(lesson_page: BeautifulSoup) -> None:
    toolbar = lesson_page.select_one(".sg-toolbar")
    assert (toolbar["data-sg-lesson"], toolbar["data-sg-total"]) == ("01-deep-learning", "31")  # answered ones
    keys = [el["data-sg-key"] for el in lesson_page.select(".sg-qa")]
    assert len(set(keys)) == 33 and all(re.fullmatch(r"[0-9a-f]{12}", k) for k in keys)
    config = json.loads(lesson_page.select_one("#sg-config")["data-sg-config"])
    assert config == {"site": "Study guide", "version": 1, "review": "../../review/", "newPerDay": 20}


def test_golden_html(lesson_page: BeautifulSoup) -> None:
    """The lesson's article as a whole; refresh with UPDATE_GOLDEN=1 after an intended change."""
    article = lesson_page.select_one("article").decode(formatter="minimal")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(article + "\n", encoding="utf-8")
    assert article + "\n" == GOLDEN.read_text(encoding="utf-8")


def test_bad_note_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"lessons/01-bad.md": "---\ntitle: [oops\n---\n1. Q?\n\n> A\n"})
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/lessons/01-bad.md:" in result.stderr
    assert "not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_fail_only_under_strict(tmp_path: Path) -> None:
    note = "1. One?\n\n> a\n\n2. Code?\n\n```\nx = 1\n"
    config = make_project(tmp_path, {"lessons/01-fence.md": note})
    strict = mkdocs_build(config, tmp_path / "strict")
    assert strict.returncode != 0 and "01-fence.md:7: code block opened with ``` is never closed" in strict.stderr
    lenient = mkdocs_build(config, tmp_path / "lenient", strict=False)
    assert lenient.returncode == 0, lenient.stderr
    page = soup(tmp_path / "lenient" / "lessons" / "01-fence" / "index.html")
    assert [el["id"] for el in page.select(".sg-qa")] == ["q-1", "q-2"]


def test_invalid_utf8_note_is_reported_not_crashed(tmp_path: Path) -> None:
    config = make_project(tmp_path, {})
    (tmp_path / "docs" / "lessons" / "01-latin1.md").write_bytes(b"1. Q?\n\n> caf\xe9\n")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "01-latin1.md:3: byte 0xe9 is not valid UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_plugin_can_be_disabled(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"lessons/01-a.md": "1. Q?\n\n> A\n"})
    config.write_text(config.read_text().replace("  - study-guide\n", "  - study-guide:\n      enabled: false\n"))
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not soup(tmp_path / "site" / "lessons" / "01-a" / "index.html").select(".sg-qa")


def test_long_courses_get_navigation_groups_and_pages_carry_only_theirs(tmp_path: Path) -> None:
    notes = {f"lessons/{n:02d}-lesson.md": f"---\ntitle: Lesson {n}\n---\n1. Q{n}?\n\n> A\n" for n in range(1, 31)}
    config = make_project(tmp_path, notes)
    text = config.read_text().replace("features: [navigation.instant]", "features: [navigation.instant, navigation.prune]")
    config.write_text(text.replace("  - study-guide\n", "  - study-guide:\n      nav_group_size: 10\n"))
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site" / "lessons" / "15-lesson" / "index.html")
    nav = page.select_one("nav.md-nav--primary")
    shown = {link.get_text(" ", strip=True) for link in nav.select(".md-nav__link")}
    assert {"Lessons 1–10", "Lessons 11–20", "Lessons 21–30"} <= shown
    assert {f"Lesson {n}" for n in range(11, 21)} <= shown
    assert not {"Lesson 1", "Lesson 30"} & shown  # the other groups: a link to each, not their lessons


def test_links_to_questions_and_bullets_need_no_anchor_message(tmp_path: Path) -> None:
    # The tags page links each tagged question and bullet; MkDocs checks such anchors against what it saw.
    note = "---\ntitle: Tagged\n---\n1. One?\n\n> a\n\n2. Two? #deploy\n\n> b\n\n## Summary\n\n- A point #deploy\n"
    config = make_project(tmp_path, {"lessons/02-production.md": note})
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    tags = (tmp_path / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "02-production/#q-2" in tags and "02-production/#s-1" in tags
    assert "does not contain an anchor" not in result.stderr


def test_navigation_does_not_repeat_the_sites_name(seed_site: Path) -> None:
    nav = soup(seed_site / "index.html").select_one("nav.md-nav--primary")
    site_name = nav.select_one(".md-nav__title").get_text(strip=True)
    entries = [link.get_text(" ", strip=True) for link in nav.select(":scope > ul > li > .md-nav__link")]
    assert site_name == "Study guide" and entries[0] == "Home"
    assert site_name not in entries
