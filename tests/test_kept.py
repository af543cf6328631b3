"""What a build keeps of each lesson page until its end (core/kept.py), and what it lets go of on the way."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from study_guide.core import kept
from study_guide.core.cards import Card, DeckLesson, read_cards, write_cards_files

from .conftest import make_project, mkdocs_build
from .test_trust import course_note


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_shelf_gives_the_cards_files_of_the_course_in_course_order(tmp_path: Path) -> None:
    first = (Card("q-1", "k1", "What is one?", "<p>One.</p>", ("a",), "1.", 3, "One."),)
    second = (Card("q-1", "k2", "What is two?", "<p>Two.</p>"), Card("q-2", "k3", "And three?", "<p>Three.</p>"))
    course = [
        ("lessons/01.md", DeckLesson("01", "One", "", ("t",), (), path="docs/lessons/01.md")),
        ("lessons/02.md", DeckLesson("02", "Two", "", (), (), path="docs/lessons/02.md")),
        ("lessons/03.md", DeckLesson("03", "Three", "", (), (), path="docs/lessons/03.md")),  # its page gave no cards
    ]
    name = kept.shelf_name()
    try:
        kept.start(name, None)
        kept.keep_page(name, "lessons/02.md", "lessons/02/", second, None)  # pages are made in any order
        kept.keep_page(name, "lessons/01.md", "lessons/01/", first, None)
        kept.write_cards(name, course, tmp_path / "kept", None)
        whole = [
            DeckLesson("01", "One", "lessons/01/", ("t",), first, path="docs/lessons/01.md"),
            DeckLesson("02", "Two", "lessons/02/", (), second, path="docs/lessons/02.md"),
        ]
        write_cards_files(whole, tmp_path / "whole")
        assert _files(tmp_path / "kept") == _files(tmp_path / "whole")
        assert [lesson["id"] for lesson in read_cards(tmp_path / "kept")["lessons"]] == ["01", "02"]

        kept.start(name, {"lessons/02/"})  # a dirty rebuild that makes lesson 01's page again keeps lesson 02's cards
        kept.write_cards(name, course, tmp_path / "dirty", None)
        assert [lesson["id"] for lesson in read_cards(tmp_path / "dirty")["lessons"]] == ["02"]
        kept.start(name, None)  # a build of its own keeps nothing of the one before
        kept.write_cards(name, course, tmp_path / "fresh", None)
        assert read_cards(tmp_path / "fresh")["lessons"] == []
    finally:
        kept.drop(name)
    assert name != kept.shelf_name()


def _rows(page: Path) -> list[list[str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [[td.get_text(strip=True) for td in row.select("td")] for row in soup.select("article table tbody tr")]


def test_a_lesson_list_made_after_the_lesson_pages_counts_what_the_notes_hold(tmp_path: Path) -> None:
    # A lesson page lets go of its parsed note once made: a page that lists the lessons, made after them
    # (MkDocs makes the pages of a folder after those of the folders before it), shows what the notes hold all the same.
    notes = {f"lessons/{n:02d}-lesson.md": course_note(n) for n in range(3)}
    notes["zz/overview.md"] = "# Overview\n\n<!-- study-guide:lessons -->\n"
    config = make_project(tmp_path, notes)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home, overview = _rows(tmp_path / "site" / "index.html"), _rows(tmp_path / "site" / "zz" / "overview" / "index.html")
    assert home == [[f"Lesson {n}", "3", "2", "2", ""] for n in range(3)]
    assert overview == home
    takeaway = BeautifulSoup((tmp_path / "site" / "zz" / "overview" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "6 cards" in takeaway.get_text(" ", strip=True)
