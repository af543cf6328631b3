"""The Anki deck: opened as what it is (a zip holding an SQLite collection), from the command line and from a build."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.adapters.cli.cli import main
from study_guide.core import anki
from study_guide.core.cards import read_cards_script

from .conftest import MINIMAL_CONFIG, ROOT, make_project, mkdocs_build

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe"
    "a7359a1e0000000049454e44ae426082"
)


@dataclass
class Note:
    guid: str
    fields: dict[str, str]
    tags: list[str]
    deck: str
    mod: int


@dataclass
class Package:
    notes: dict[str, Note]  # by the question's text (its first field, as text)
    decks: list[str]
    media: dict[str, bytes]
    model_ids: list[int]


def read_package(path: Path) -> Package:
    """The package as Anki reads it: the collection's notes, cards and decks, the media index and files."""
    with zipfile.ZipFile(path) as package, tempfile.TemporaryDirectory() as tmp:
        names = set(package.namelist())
        assert {"collection.anki2", "media"} <= names
        index = json.loads(package.read("media"))
        media = {name: package.read(number) for number, name in index.items()}
        assert names == {"collection.anki2", "media", *index}
        (Path(tmp) / "c.anki2").write_bytes(package.read("collection.anki2"))
        db = sqlite3.connect(Path(tmp) / "c.anki2")
        try:
            models = json.loads(db.execute("select models from col").fetchone()[0])
            decks = {int(k): v["name"] for k, v in json.loads(db.execute("select decks from col").fetchone()[0]).items()}
            query = "select n.guid, n.mid, n.flds, n.tags, c.did, n.mod from notes n join cards c on c.nid = n.id"
            rows = db.execute(query).fetchall()
        finally:
            db.close()
    notes = {}
    for guid, mid, flds, tags, did, mod in rows:
        names = [f["name"] for f in models[str(mid)]["flds"]]
        fields = dict(zip(names, flds.split("\x1f"), strict=True))
        notes[BeautifulSoup(fields["Question"], "html.parser").get_text()] = Note(guid, fields, tags.split(), decks[did], mod)
    return Package(notes, sorted(name for name in decks.values() if name != "Default"), media, [int(k) for k in models])


def export(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["export", "anki", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


NOTE_A = """\
---
title: Networks
tags: [deep learning, intro]
---
1. What is a GPU? #hardware

> A **graphics card**, with `many cores`:
>
> | part | use |
> | --- | --- |
> | cores | maths |
>
> ![a card](gpu.png)

2. How is a loss written?

> As $L = \\sum_i (y_i - \\hat y_i)^2$, and in code:
>
> ```python
> loss = ((y - p) ** 2).sum()
> ```

3. Left for later?

> TODO

4. What does this answer hold?

> <script>alert(1)</script><img src="x.png" onerror="alert(2)"> Only [text](https://example.com/a)
> and [a link to lesson B](02-other.md#q-1).

5. Where is the sketch?

> Here:
>
> ![sketch](missing/sketch.png)
"""
NOTE_B = "---\ntitle: Networks\n---\n1. Same title, other lesson?\n\n> Yes.\n"
NOTE_C = "---\ntitle: Nothing answered\n---\n1. Open question?\n\n2. Another?\n\n> TBD\n"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A small course: two lessons of one title, one without any answer; images beside the notes."""
    lessons = tmp_path / "docs" / "lessons"
    lessons.mkdir(parents=True)
    (lessons / "01-networks.md").write_text(NOTE_A, encoding="utf-8")
    (lessons / "02-other.md").write_text(NOTE_B, encoding="utf-8")
    (lessons / "03-open.md").write_text(NOTE_C, encoding="utf-8")
    (lessons / "gpu.png").write_bytes(PNG)
    (lessons / "x.png").write_bytes(PNG)
    return lessons


def test_the_deck_holds_a_note_per_answered_question_in_a_subdeck_per_lesson(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "course.apkg"
    code, stdout, stderr = export([str(course), "-o", str(out), "--deck", "ML course", "--site-url", "https://example.org/ml/"])
    assert code == 0, stderr
    assert "wrote" in stdout and "5 notes in 2 subdecks" in stdout
    deck = read_package(out)
    assert deck.model_ids == [anki.MODEL_ID]
    # No empty subdeck for the lesson with nothing answered; two lessons of one title told apart by their numbers.
    assert deck.decks == ["ML course::01 Networks", "ML course::02 Networks"]
    gpu = deck.notes["What is a GPU? #hardware"]
    assert gpu.deck == "ML course::01 Networks"
    assert gpu.fields["Lesson"] == "Networks"
    assert gpu.fields["Link"] == "https://example.org/ml/lessons/01-networks/#q-1"
    assert sorted(gpu.tags) == ["deep_learning", "hardware", "intro"]
    answer = gpu.fields["Answer"]
    assert "<strong>graphics card</strong>" in answer and "<code>many cores</code>" in answer and "<table>" in answer
    # The image travels inside the package, under a name made from its content.
    [name] = [n for n, d in deck.media.items() if d == PNG]
    assert f'src="{name}"' in answer and name.endswith(".png")
    loss = deck.notes["How is a loss written?"].fields["Answer"]
    assert '<span class="arithmatex">\\(L = \\sum_i (y_i - \\hat y_i)^2\\)</span>' in loss  # MathJax, as Anki renders it
    assert 'class="highlight"' in loss and "loss" in loss
    assert "Left for later?" not in deck.notes  # a placeholder is no answer


def test_nothing_executable_reaches_anki(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "course.apkg"
    assert export([str(course), "-o", str(out), "--site-url", "https://example.org/"])[0] == 0
    held = read_package(out).notes["What does this answer hold?"].fields["Answer"]
    assert "<script" not in held and "alert" not in held and "onerror" not in held
    assert '<a href="https://example.com/a">text</a>' in held
    # A link to another note: to its page, as the site has it.
    assert '<a href="https://example.org/lessons/02-other/#q-1">a link to lesson B</a>' in held


def test_a_missing_image_is_said_on_the_card_and_warned_with_its_line(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "course.apkg"
    code, _, stderr = export([str(course), "-o", str(out)])
    assert code == 0
    line = NOTE_A.splitlines().index("> ![sketch](missing/sketch.png)") + 1
    assert f"01-networks.md:{line}: image 'missing/sketch.png' in the answer to q-5 is missing" in stderr
    assert "Traceback" not in stderr
    answer = read_package(out).notes["Where is the sketch?"].fields["Answer"]
    assert "[image not found: sketch]" in answer and "<img" not in answer


def test_edits_keep_each_notes_guid_and_renumbering_too(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # set by make: it would date every deck alike (tested below)
    first, second, third = tmp_path / "1.apkg", tmp_path / "2.apkg", tmp_path / "3.apkg"
    assert export([str(course), "-o", str(first)])[0] == 0
    before = read_package(first).notes
    note = course / "01-networks.md"
    note.write_text(NOTE_A.replace("A **graphics card**", "A **graphics processor**"), encoding="utf-8")
    os.utime(note, (note.stat().st_atime, note.stat().st_mtime + 60))  # edited a minute later
    assert export([str(course), "-o", str(second)])[0] == 0
    edited = read_package(second).notes
    assert {q: n.guid for q, n in edited.items()} == {q: n.guid for q, n in before.items()}
    gpu = "What is a GPU? #hardware"
    assert "graphics processor" in edited[gpu].fields["Answer"] and "graphics card" in before[gpu].fields["Answer"]
    assert edited[gpu].mod > before[gpu].mod  # newer: Anki updates the note it has
    # Renumbered (a question inserted first, the rest moved down), respaced and recased: the same notes.
    inserted = "1. A new first question?\n\n> New.\n\n2. what is a  GPU? #hardware"
    renumbered = NOTE_A.replace("1. What is a GPU? #hardware", inserted)
    renumbered = renumbered.replace("2. How is a loss", "3. How is a loss")
    note.write_text(renumbered, encoding="utf-8")
    assert export([str(course), "-o", str(third)])[0] == 0
    moved = read_package(third).notes
    assert moved["what is a  GPU? #hardware"].guid == before[gpu].guid
    assert moved["How is a loss written?"].guid == before["How is a loss written?"].guid
    assert moved["How is a loss written?"].fields["Link"] == ""  # no site address given: no link
    assert moved["A new first question?"].guid not in {n.guid for n in before.values()}


def test_source_date_epoch_dates_the_notes(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")  # reproducible builds: the same notes, the same package
    one, two = tmp_path / "1.apkg", tmp_path / "2.apkg"
    assert export([str(course), "-o", str(one)])[0] == 0
    os.utime(course / "01-networks.md")  # touched, not changed
    assert export([str(course), "-o", str(two)])[0] == 0
    assert one.read_bytes() == two.read_bytes()
    assert {n.mod for n in read_package(one).notes.values()} == {1764288000}


def test_an_output_that_cannot_be_written_is_a_clear_error_and_leaves_nothing(course: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, _, stderr = export([str(course), "-o", str(blocker / "course.apkg")])
    assert code == 1 and "cannot be written" in stderr and "Traceback" not in stderr
    # The package is written beside its place, then renamed: a failed rename leaves no part behind.
    taken = tmp_path / "taken.apkg"
    taken.mkdir()
    code, _, stderr = export([str(course), "-o", str(taken)])
    assert code == 1 and f"{taken}: cannot be written" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "docs", "taken.apkg"]
    assert list(taken.iterdir()) == []


def test_bad_notes_and_paths(tmp_path: Path) -> None:
    assert export([str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.apkg")])[0] == 2
    broken = tmp_path / "lessons" / "01-broken.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [oops\n---\n1. Q?\n\n> A.\n", encoding="utf-8")
    code, _, stderr = export([str(broken.parent), "-o", str(tmp_path / "x.apkg")])
    assert code == 1 and "01-broken.md:3: frontmatter is not valid YAML" in stderr
    assert not (tmp_path / "x.apkg").exists()


def test_the_command_reads_the_sites_markdown_extensions(course: Path, tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Site course\nsite_url: https://example.net/\ntheme: material\nplugins: [search, study-guide]\n"
        "markdown_extensions: [attr_list, toc]\n",
        encoding="utf-8",
    )
    (course.parent / "index.md").write_text("# Home\n", encoding="utf-8")
    out = tmp_path / "course.apkg"
    code, _, stderr = export([str(course), "-o", str(out), "--config-file", str(config)])
    assert code == 0, stderr
    deck = read_package(out)
    assert deck.decks == ["Site course::01 Networks", "Site course::02 Networks"]
    loss = deck.notes["How is a loss written?"].fields["Answer"]
    assert "arithmatex" not in loss and "$L" in loss  # this site writes no maths markup: neither does its deck
    assert deck.notes["How is a loss written?"].fields["Link"] == "https://example.net/lessons/01-networks/#q-2"


def test_the_seed_lesson_exports_as_the_site_shows_it(seed_site: Path, seed_url: str, tmp_path: Path) -> None:
    out = tmp_path / "seed.apkg"
    result = subprocess.run(
        [sys.executable, "-m", "study_guide", "export", "anki", "docs/lessons", "-o", str(out), "--site-url", seed_url + "/"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "31 notes in 1 subdecks" in result.stdout
    exported = read_package(out)
    built = read_package(seed_site / "course.apkg")
    # The same notes whether made by the command or by the build: same GUIDs, same fields.
    assert {q: (n.guid, n.fields, n.tags, n.deck) for q, n in exported.notes.items()} == {
        q: (n.guid, n.fields, n.tags, n.deck) for q, n in built.notes.items()
    }
    assert exported.media == built.media and len(built.media) == 1  # the notebook figure placed at q-31
    cards = read_cards_script((seed_site / "assets" / "study-guide" / "cards.js").read_text(encoding="utf-8"))
    [lesson] = cards["lessons"]
    guids = {anki.note_guid("01-deep-learning", row[1]) for row in lesson["cards"]}
    assert guids == {n.guid for n in built.notes.values()}  # the identity the site's review keeps grades under


def test_a_site_build_links_its_deck_and_can_leave_it_out(tmp_path: Path) -> None:
    notes = {"lessons/01-a.md": "1. Q?\n\n> A.\n", "lessons/02-b.md": "1. Open?\n"}
    config = make_project(tmp_path / "on", notes)
    assert mkdocs_build(config, tmp_path / "on" / "site").returncode == 0
    site = tmp_path / "on" / "site"
    deck = read_package(site / "course.apkg")
    assert deck.decks == ["Test course::01 A"] and list(deck.notes) == ["Q?"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="course.apkg" download="Test course.apkg">the Anki deck</a> (1 card,' in home
    assert 'href="../course.apkg"' in (site / "review" / "index.html").read_text(encoding="utf-8")
    off = textwrap.dedent("""\
        site_name: T
        theme: material
        plugins:
          - study-guide:
              anki_deck: ''
              print_page: ''
        """)
    config = make_project(tmp_path / "off", notes, config=off)
    assert mkdocs_build(config, tmp_path / "off" / "site").returncode == 0
    assert not list((tmp_path / "off" / "site").rglob("*.apkg"))
    assert "sg-takeaway" not in (tmp_path / "off" / "site" / "index.html").read_text(encoding="utf-8")


def test_deck_names_never_nest_or_collide() -> None:
    from study_guide.core.cards import DeckLesson

    lessons = [
        DeckLesson("01-a", "Part: one::two", "lessons/01-a/", (), ()),
        DeckLesson("intro", "Same", "lessons/intro/", (), ()),
        DeckLesson("outro", "Same", "lessons/outro/", (), ()),
        DeckLesson("02-b", "02 Already numbered", "lessons/02-b/", (), ()),
    ]
    assert anki.deck_names("My::course", lessons) == [
        "My:course::01 Part: one:two",
        "My:course::Same (intro)",
        "My:course::Same (outro)",
        "My:course::02 Already numbered",
    ]
    assert anki.deck_id("c", "01-a") == anki.deck_id("c", "01-a") != anki.deck_id("c", "02-b")


def card_back(note: Note) -> str:
    """The back of a note's card, as Anki fills the templates (the fields are HTML already)."""
    front = anki._QUESTION.replace("{{Lesson}}", note.fields["Lesson"]).replace("{{Question}}", note.fields["Question"])
    back = anki._ANSWER.replace("{{FrontSide}}", front).replace("{{Answer}}", note.fields["Answer"])
    link = note.fields["Link"]
    if not link:
        return back.split("{{#Link}}")[0]
    return back.replace("{{#Link}}", "").replace("{{/Link}}", "").replace("{{Link}}", link)


@pytest.mark.browser
@pytest.mark.parametrize("night", ["", "nightMode", "night_mode"])  # light; Anki's desktop and iPhone apps; AnkiDroid
def test_cards_read_well_light_and_dark_on_a_phone(browser, course: Path, tmp_path: Path, night: str) -> None:
    from .test_browser_learner import CONTRAST

    out = tmp_path / "course.apkg"
    assert export([str(course), "-o", str(out), "--site-url", "https://example.org/"])[0] == 0
    notes = read_package(out).notes
    page = browser.new_page(viewport={"width": 390, "height": 800})  # a phone
    try:
        for question in ("What is a GPU? #hardware", "How is a loss written?", "Where is the sketch?"):
            body = f'<body class="card {night}">{card_back(notes[question])}</body>'
            page.set_content(f"<!doctype html><meta charset=utf-8><style>{anki.model().css}</style>{body}")
            texts = page.locator(".sg-lesson, .sg-question, .sg-answer :is(p, td, th, code, span), .sg-source a")
            ratios = {texts.nth(i).inner_text()[:30]: texts.nth(i).evaluate(CONTRAST) for i in range(texts.count())}
            assert ratios and min(ratios.values()) >= 4.5, ratios
            assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    finally:
        page.close()


def test_a_site_that_trusts_its_notes_html_still_sends_anki_nothing_that_runs(tmp_path: Path) -> None:
    note = '1. Q?\n\n> <b onclick="alert(1)">A</b> <script>alert(2)</script> <iframe src="https://example.com"></iframe>\n'
    config = make_project(tmp_path, {"lessons/01-a.md": note}, config=MINIMAL_CONFIG.replace(
        "  - study-guide\n", "  - study-guide:\n      raw_html: trust\n"))  # fmt: skip
    assert mkdocs_build(config, tmp_path / "site").returncode == 0
    assert "<script>alert(2)</script>" in (tmp_path / "site" / "lessons" / "01-a" / "index.html").read_text(encoding="utf-8")
    answer = read_package(tmp_path / "site" / "course.apkg").notes["Q?"].fields["Answer"]
    assert "<b>A</b>" in answer and "alert" not in answer and "iframe" not in answer
