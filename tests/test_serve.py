"""``make serve`` keeps serving through a broken note, and recovers once it is fixed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.core.cards import read_cards_script
from study_guide.core.search_chunks import FOLDER, doc_rows, parse_script

from .conftest import MINIMAL_CONFIG, make_project

GOOD = "---\ntitle: Serving\n---\n1. What is served?\n\n> The {word} site.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


@contextmanager
def mkdocs_serve(config: Path, *, dirty: bool = False) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real ``mkdocs serve`` (``--no-strict``, as ``make serve``) on a free port: its address and process."""
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", *(["--dirty"] if dirty else []), "--no-strict", "-f", str(config)]
    with (config.parent / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        try:
            yield f"http://127.0.0.1:{port}", server
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for(check: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_survives_a_broken_note_and_recovers(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"lessons/01-serving.md": GOOD.format(word="first")})
    note = tmp_path / "docs" / "lessons" / "01-serving.md"
    with mkdocs_serve(config) as (base, server):
        url = f"{base}/lessons/01-serving/"
        assert wait_for(lambda: "The first site." in fetch(url)), "the server never served the lesson"

        note.write_text("---\ntitle: [broken\n---\n1. What is served?\n\n> The second site.\n", encoding="utf-8")
        assert wait_for(lambda: "cannot be shown until it is fixed" in fetch(url)), "the broken note's page never showed"
        page = fetch(url)
        assert "01-serving.md:3: frontmatter is not valid YAML" in page and "The second site." in page
        # The home page says so too, rather than counting no questions.
        home = fetch(f"{base}/")
        assert "This note has an error: open it to see what to fix" in home and 'class="sg-progress"' not in home
        assert server.poll() is None

        note.write_bytes(b"1. Caf\xe9?\n")  # not even UTF-8: MkDocs itself could not read this page
        assert wait_for(lambda: "not valid UTF-8" in fetch(url)), "the undecodable note's page never showed"
        assert server.poll() is None

        note.write_text(GOOD.format(word="fixed"), encoding="utf-8")
        assert wait_for(lambda: "The fixed site." in fetch(url)), "the page never recovered"
        assert server.poll() is None
    output = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "01-serving.md:3: frontmatter is not valid YAML" in output
    assert "Traceback" not in output


def test_dirty_serve_keeps_home_page_and_search_index_right(tmp_path: Path) -> None:
    # Tagged, so that a tags page is rebuilt along with the home page and the lesson.
    note = "---\ntitle: Lesson {0}\n---\n1. Question {0}?\n\n> Answer {0}. #topic\n"
    notes = {f"lessons/0{n}-lesson.md": note.format(n) for n in (1, 2, 3)}
    config = make_project(tmp_path, notes)
    with mkdocs_serve(config, dirty=True) as (base, server):
        assert wait_for(lambda: "Answer 2." in fetch(f"{base}/lessons/02-lesson/"))
        note = tmp_path / "docs" / "lessons" / "02-lesson.md"
        note.write_text(note.read_text(encoding="utf-8") + "\n2. Added question?\n\n> Added answer.\n", encoding="utf-8")
        assert wait_for(lambda: "Added answer." in fetch(f"{base}/lessons/02-lesson/"))
        # The home page lists question counts from every note: rebuilt too.
        assert wait_for(lambda: "<td>2</td>" in fetch(f"{base}/").replace(' style="text-align: right;"', ""))
        locations = served_locations(base)
        assert len(locations) == len(set(locations))
        for expected in ("lessons/01-lesson/#q-1", "lessons/02-lesson/#q-2", "lessons/03-lesson/#q-1"):
            assert expected in locations
        # The review's cards: every lesson's, the edited one's new question included.
        cards = read_cards_script(fetch(f"{base}/assets/study-guide/cards.js"))
        assert [[row[0] for row in lesson["cards"]] for lesson in cards["lessons"]] == [["q-1"], ["q-1", "q-2"], ["q-1"]]
        assert server.poll() is None


def served_locations(base: str) -> list[str]:
    """Every entry's location in the served site's chunked search index, read as our search worker reads it."""
    assert json.loads(fetch(f"{base}/search/search_index.json"))["docs"] == []  # the entries are in the chunks
    pages = parse_script(fetch(f"{base}/search/{FOLDER}/pages.js"))
    chunks = sorted({p[3] for p in pages})
    rows = [row for k in chunks for row in doc_rows(parse_script(fetch(f"{base}/search/{FOLDER}/d{k}.js")))]
    ends = [p[2] for p in pages[1:]] + [len(rows)]
    return [page[0] + row[0] for page, end in zip(pages, ends, strict=True) for row in rows[page[2] : end]]


def nav_titles(page: str) -> list[str]:
    """The titles in a page's main navigation (not its table of contents, which Material nests in it)."""
    nav = BeautifulSoup(page, "html.parser").select_one("nav.md-nav--primary")
    assert nav is not None
    for toc in nav.select("nav.md-nav--secondary"):
        toc.decompose()
    return [" ".join(span.get_text().split()) for span in nav.select(".md-ellipsis")]


def test_dirty_serve_keeps_every_pages_navigation_when_lessons_come_and_go(tmp_path: Path) -> None:
    note = "---\ntitle: Lesson {0}\n---\n1. Question {0}?\n\n> Answer {0}.\n"
    config = make_project(tmp_path, {f"lessons/0{n}-lesson.md": note.format(n) for n in (1, 2)})
    (tmp_path / "docs" / "about.md").write_text("# About this course\n\nA page of its own.\n", encoding="utf-8")
    lessons = tmp_path / "docs" / "lessons"
    pages = ("/", "/about/", "/lessons/01-lesson/", "/lessons/02-lesson/")
    with mkdocs_serve(config, dirty=True) as (base, server):
        assert wait_for(lambda: "Answer 2." in fetch(f"{base}/lessons/02-lesson/"))

        (lessons / "03-lesson.md").write_text(note.format(3), encoding="utf-8")  # a lesson added
        assert wait_for(lambda: "Answer 3." in fetch(f"{base}/lessons/03-lesson/"))
        for path in pages:
            assert wait_for(lambda path=path: "Lesson 3" in nav_titles(fetch(base + path))), path
            assert "None" not in nav_titles(fetch(base + path)), path

        (lessons / "01-lesson.md").write_text(note.format(1) + "\n2. Another?\n\n> Yes.\n", encoding="utf-8")  # edited
        assert wait_for(lambda: "Another?" in fetch(f"{base}/lessons/01-lesson/"))
        expected = ["Course", "About this course", "Lessons", "Lesson 1", "Lesson 2", "Lesson 3"]
        for path in (*pages, "/lessons/03-lesson/"):
            titles = nav_titles(fetch(base + path))
            assert "None" not in titles and set(expected) <= set(titles), (path, titles)

        (lessons / "02-lesson.md").rename(lessons / "02-renamed.md")  # renamed: one gone, one new
        assert wait_for(lambda: "Answer 2." in fetch(f"{base}/lessons/02-renamed/"))
        for path in ("/", "/about/", "/lessons/01-lesson/", "/lessons/03-lesson/"):
            assert wait_for(lambda path=path: "02-lesson/" not in fetch(base + path)), path
            assert "None" not in nav_titles(fetch(base + path)), path
        assert server.poll() is None


def test_a_note_is_parsed_again_only_once_it_or_its_sidecar_changed(tmp_path: Path) -> None:
    from study_guide.core.parallel import Helper, NoteCache

    note, other = tmp_path / "01-a.md", tmp_path / "02-b.md"
    note.write_text(GOOD.format(word="first"), encoding="utf-8")
    other.write_text(GOOD.format(word="other"), encoding="utf-8")
    notes, cache, helper = [(str(note), "01-a.md"), (str(other), "02-b.md")], NoteCache(), Helper(0)
    first = cache.read(helper, notes)
    first[0].problems.append("added by a later stage")  # type: ignore[arg-type]
    again = cache.read(helper, notes)
    assert again[0].blocks is first[0].blocks and again[1].blocks is first[1].blocks  # not parsed again
    assert again[0].problems == []  # each build starts from the parser's own problems
    note.write_text(GOOD.format(word="second"), encoding="utf-8")
    edited = cache.read(helper, notes)
    assert "second" in edited[0].source and edited[1].blocks is first[1].blocks
    (tmp_path / "02-b.timestamps.yml").write_text("- 0:10\n", encoding="utf-8")
    assert cache.read(helper, notes)[1].blocks is not first[1].blocks


# Without the review and print pages, the home page is the first page a rebuild renders: Material's own merge of
# the entries then kept none of the other pages' (its rule drops those whose location starts with the first one's, "").
WITHOUT_REVIEW = MINIMAL_CONFIG.replace("  - study-guide\n", "  - study-guide:\n      review_page: ''\n      print_page: ''\n")


@pytest.mark.parametrize("site_config", [MINIMAL_CONFIG, WITHOUT_REVIEW], ids=["default", "no-review-page"])
def test_dirty_serve_keeps_the_search_entries_of_pages_it_does_not_rebuild(tmp_path: Path, site_config: str) -> None:
    """A dirty rebuild renders the changed pages only (the tags page too is skipped while its Markdown is the same):
    the others keep their entries, a rebuilt page's replace its earlier ones, and nothing is listed twice."""
    notes = {
        "lessons/01-lesson.md": "1. Question one?\n\n> Answer one. #topic\n",
        "about.md": "# About\n\n## Capybara\n\nA friendly animal.\n",
    }
    assert WITHOUT_REVIEW != MINIMAL_CONFIG
    config = make_project(tmp_path, notes, config=site_config)
    with mkdocs_serve(config, dirty=True) as (base, _):
        assert wait_for(lambda: "about/#capybara" in served_locations(base))
        assert "tags/#tag-topic" in served_locations(base)
        note = tmp_path / "docs" / "lessons" / "01-lesson.md"
        note.write_text(note.read_text(encoding="utf-8") + "\n2. Added question?\n\n> Added answer.\n", encoding="utf-8")
        assert wait_for(lambda: "lessons/01-lesson/#q-2" in served_locations(base))
        locations = served_locations(base)
        assert {"", "about/", "about/#capybara", "tags/", "tags/#tag-topic"} <= set(locations)
        about = tmp_path / "docs" / "about.md"
        about.write_text(about.read_text(encoding="utf-8").replace("Capybara", "Wombat"), encoding="utf-8")
        assert wait_for(lambda: "about/#wombat" in served_locations(base))
        locations = served_locations(base)
        assert "about/#capybara" not in locations and "lessons/01-lesson/#q-2" in locations and "tags/#tag-topic" in locations
        assert len(locations) == len(set(locations))


def test_serve_looks_for_saved_notes_more_often_than_mkdocs_does(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    from study_guide.adapters.mkdocs_plugin.plugin import SERVE_POLL_S

    config = load_config(str(make_project(tmp_path, {"lessons/01-a.md": GOOD.format(word="first")})))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    assert {emitter.timeout for emitter in server.observer.emitters} == {0.5}  # MkDocs's own
    config.plugins.on_startup(command="serve", dirty=True)
    server = config.plugins.on_serve(server, config=config, builder=lambda: None)
    assert {emitter.timeout for emitter in server.observer.emitters} == {SERVE_POLL_S}
    config.plugins.on_shutdown()


def test_a_search_plugin_that_keeps_its_entries_to_itself_is_left_to_write_its_index() -> None:
    from types import SimpleNamespace

    from study_guide.adapters.mkdocs_plugin.dirty_search import DirtySearch

    search = SimpleNamespace(search_index=SimpleNamespace(_entries=[]))  # MkDocs' own: its entries are private
    followed = DirtySearch()
    followed.start(search, {"about/"})  # type: ignore[arg-type]
    followed.page_done("about/")
    assert followed.entries() is None
