"""The review's cards file and answers files: every answered question of the course, as the lesson pages show it."""

from __future__ import annotations

from pathlib import Path

from study_guide.core.cards import (
    Card,
    DeckLesson,
    cards_files,
    read_answers_script,
    read_cards,
    read_cards_script,
    write_cards_files,
)

from .conftest import make_project, mkdocs_build


def test_the_cards_file_holds_any_text_safely() -> None:
    tricky = 'it\'s \\ "quoted" \u2028 \u2029 </script> ${x} `y` \\u2028'
    lesson = DeckLesson("01-x", tricky, "lessons/01-x/", ("a",), (Card("q-1", "ab12", tricky, f"<p>{tricky}</p>", ("t",)),))
    files = dict(cards_files([lesson]))
    for text in files.values():
        assert "\u2028" not in text and "\u2029" not in text and "\n" not in text.rstrip("\n")
    data = read_cards_script(files["cards.js"])
    assert data["lessons"][0]["title"] == tricky
    # The cards file holds no answer: the lesson's answers file does, named in its row.
    assert data["lessons"][0]["cards"] == [["q-1", "ab12", tricky, ["t"], ""]]
    name = data["lessons"][0]["a"]
    assert list(files) == [f"answers/{name}.js", "cards.js"]
    assert read_answers_script(files[f"answers/{name}.js"]) == [f"<p>{tricky}</p>"]


def test_an_answers_file_is_named_by_what_it_holds() -> None:
    # A browser that kept a lesson's older answers file never shows it for the changed lesson.
    def names(answer: str) -> list[str]:
        lessons = [
            DeckLesson("01-x", "X", "lessons/01-x/", (), (Card("q-1", "k", "Q", answer),)),
            DeckLesson("02-y", "Y", "u/", (), ()),
        ]
        return [name for name, _ in cards_files(lessons)]

    assert names("<p>A</p>") == names("<p>A</p>") and len(names("<p>A</p>")) == 2  # a lesson without cards has none
    assert names("<p>A</p>")[0] != names("<p>B</p>")[0]


def test_while_serving_unchanged_answers_are_not_deflated_again() -> None:
    def course(answer: str) -> list[DeckLesson]:
        return [
            DeckLesson("01-x", "X", "lessons/01-x/", (), (Card("q-1", "k", "Q", "<p>kept</p>"),)),
            DeckLesson("02-y", "Y", "lessons/02-y/", (), (Card("q-1", "k", "Q", answer),)),
        ]

    packed: dict[str, str] = {}
    first = dict(cards_files(course("<p>A</p>"), packed))
    assert sorted(packed) == ['["<p>A</p>"]', '["<p>kept</p>"]']
    kept = packed['["<p>kept</p>"]']
    edited = dict(cards_files(course("<p>B</p>"), packed))
    # The same files as without the cache; what it holds is this build's answers, the unchanged lesson's reused.
    assert edited == dict(cards_files(course("<p>B</p>")))
    assert first == dict(cards_files(course("<p>A</p>")))
    assert sorted(packed) == ['["<p>B</p>"]', '["<p>kept</p>"]'] and packed['["<p>kept</p>"]'] is kept


def test_a_rebuild_writes_the_answers_files_it_needs_and_removes_the_others(tmp_path: Path) -> None:
    def course(answer: str) -> list[DeckLesson]:
        return [
            DeckLesson("01-x", "X", "lessons/01-x/", (), (Card("q-1", "k", "Q", "<p>kept</p>"),)),
            DeckLesson("02-y", "Y", "lessons/02-y/", (), (Card("q-1", "k", "Q", answer),)),
        ]

    write_cards_files(course("<p>A</p>"), tmp_path)
    kept, changed = (tmp_path / name for name, _ in cards_files(course("<p>A</p>")) if name.startswith("answers/"))
    kept.write_text(kept.read_text(encoding="utf-8")[:-5], encoding="utf-8")  # cut short, as by an interrupted build
    write_cards_files(course("<p>B</p>"), tmp_path)
    assert sorted(tmp_path.glob("answers/*.js")) == sorted(
        tmp_path / name for name, _ in cards_files(course("<p>B</p>")) if name.startswith("answers/")
    )
    assert not changed.exists() and read_cards(tmp_path)["lessons"][0]["cards"][0][3] == "<p>kept</p>"


def test_the_seed_site_has_a_card_per_answered_question(seed_site: Path) -> None:
    data = read_cards(seed_site / "assets" / "study-guide")
    [lesson] = data["lessons"]
    assert (lesson["id"], lesson["title"], lesson["url"]) == ("01-deep-learning", "Deep Learning", "lessons/01-deep-learning/")
    anchors = [row[0] for row in lesson["cards"]]
    assert len(anchors) == 31 and "q-8" not in anchors and "q-9" not in anchors  # "To be done by the reader."
    card = dict(zip(anchors, lesson["cards"], strict=True))["q-13"]
    assert card[2] == "Draw a picture that summarizes Arthur Samuel’s view of a machine learning model"  # no number
    assert '<img alt="samuel" src="https://forums.fast.ai/' in card[3]  # the answer's image, as on the page


def test_cards_follow_the_course_and_its_tags(tmp_path: Path) -> None:
    notes = {
        "lessons/02-b.md": "---\ntitle: B\n---\n1. Second lesson's question? #hard\n\n> Its answer.\n",
        "lessons/01-a.md": (
            "---\ntitle: A\ntags: [intro]\n---\n1. First?\n\n> Yes.\n\n2. Unanswered?\n\n3. Third?\n\n> `code` and **bold**\n"
        ),
    }
    config = make_project(tmp_path, notes)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    data = read_cards(tmp_path / "site" / "assets" / "study-guide")
    assert [(lesson["id"], lesson["tags"]) for lesson in data["lessons"]] == [("01-a", ["intro"]), ("02-b", [])]
    assert [row[0] for row in data["lessons"][0]["cards"]] == ["q-1", "q-3"]
    assert data["lessons"][0]["cards"][1][3].strip() == "<p><code>code</code> and <strong>bold</strong></p>"
    assert data["lessons"][1]["cards"][0][4] == ["hard"]
    assert (tmp_path / "site" / "review" / "index.html").is_file()


def test_no_review_page_and_no_cards_when_turned_off(tmp_path: Path) -> None:
    # The print page reads the cards file too: without either page, there is none.
    config = make_project(
        tmp_path,
        {"lessons/01-a.md": "1. Q?\n\n> A.\n"},
        config=(
            "site_name: T\ntheme: material\nplugins:\n  - search\n  - study-guide:\n      review_page: ''\n      print_page: ''\n"
        ),
    )
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "review").exists()
    assert not (tmp_path / "site" / "assets" / "study-guide" / "cards.js").exists()
    assert not (tmp_path / "site" / "assets" / "study-guide" / "answers").exists()
    assert '"review"' not in (tmp_path / "site" / "lessons" / "01-a" / "index.html").read_text(encoding="utf-8")
