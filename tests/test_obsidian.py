"""Obsidian's dialect: comments never published, wikilinks and embeds resolved, callouts and highlights drawn."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import textwrap
import zipfile
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from study_guide.adapters.cli.cli import main as cli
from study_guide.core import markers, obsidian
from study_guide.core.lexer import lex
from study_guide.core.model import Severity
from study_guide.core.obsidian import Vault, callouts, find_wikilinks, strip_comments
from study_guide.core.parse import parse_note
from study_guide.core.render import PageContext, render_lesson
from study_guide.core.sanitize import sanitize_html
from study_guide.core.search_chunks import FOLDER, read_index_text, readable_chunk

from .conftest import MINIMAL_CONFIG, ROOT, mkdocs_build, serve
from .lossless import EXTENSIONS

VAULT = ROOT / "tests" / "fixtures" / "obsidian"
GOLDEN = ROOT / "tests" / "golden" / "obsidian"
SECRETS = ("zorblaxian", "quibbleton", "fernwhistle", "glimmerbock", "okapiquasar")
PAGE_EXTENSIONS = [*EXTENSIONS, "pymdownx.mark"]


def note(text: str, path: str = "note.md"):
    return parse_note(textwrap.dedent(text).lstrip("\n"), path)


def vault_lessons() -> dict[str, object]:
    return {
        f"lessons/{p.name}": parse_note(p.read_text(encoding="utf-8"), f"lessons/{p.name}")
        for p in sorted((VAULT / "lessons").glob("*.md"))
    }


def render_page(vault: Vault, uri: str) -> str:
    lesson = vault.lessons[uri]
    context = PageContext(uri, links=vault.rewriter(uri))
    page = render_lesson(lesson, context) + vault.linked_from(uri, context.stash)
    return markers.finish(markdown.markdown(page, extensions=PAGE_EXTENSIONS), context.stash, sanitize_html)


def files() -> list[str]:
    return [p.relative_to(VAULT).as_posix() for p in sorted(VAULT.rglob("*")) if p.is_file()]


# --------------------------------------------------------------------------- comments


def test_comments_go_inline_and_over_lines_and_stay_in_code() -> None:
    text = "a %%one%% b `%%code%%` c %%two\nlines%% d\n> q %%x\n> y%% z\n```\n%%fenced%%\n```"
    stripped, problems = strip_comments(text)
    assert stripped == "a  b `%%code%%` c \n d\n> q \n>  z\n```\n%%fenced%%\n```"
    assert problems == []
    assert stripped.count("\n") == text.count("\n")  # every later line keeps its number


def test_an_unclosed_comment_hides_the_rest_and_says_where_it_opened() -> None:
    lesson = note(
        """
        1. Question?

        > Answer %%private
        > more private

        2. Hidden question?
        """
    )
    assert "private" not in lesson.source and "Hidden" not in lesson.source
    (problem,) = [p for p in lesson.problems if "never closed" in p.message]
    assert problem.line == 3 and problem.severity is Severity.WARNING


# --------------------------------------------------------------------------- wikilinks: bad input


def test_wikilinks_in_code_and_unclosed_brackets_stay_as_written() -> None:
    vault = Vault(vault_lessons(), files())
    page = render_page(vault, "lessons/01-wikilinks.md")
    soup = BeautifulSoup(page, "html.parser")
    codes = [c.get_text() for c in soup.select("code")]
    assert "[[in a code span]]" in codes and any("[[in a fence]]" in c for c in codes)
    assert "[[ never closed." in soup.get_text()
    assert [(w.name, w.fragment, w.text) for w in find_wikilinks("`[[a]]` [[b#c|d]] [[ e")] == [("b", "c", "d")]


def test_a_link_to_itself_is_a_link_to_its_own_page_and_no_backlink() -> None:
    vault = Vault(vault_lessons(), files())
    soup = BeautifulSoup(render_page(vault, "lessons/01-wikilinks.md"), "html.parser")
    assert soup.find("a", string="01-wikilinks")["href"] == "01-wikilinks.md"
    assert "lessons/01-wikilinks.md" not in vault.backlinks.get("lessons/01-wikilinks.md", [])


def test_links_resolve_by_file_name_title_alias_heading_question_and_block() -> None:
    vault = Vault(vault_lessons(), files())
    soup = BeautifulSoup(render_page(vault, "lessons/01-wikilinks.md"), "html.parser")
    hrefs = {a.get_text(): a["href"] for a in soup.select("a[href]")}
    assert hrefs["02-embeds"] == "02-embeds.md"
    assert hrefs["the embeds lesson"] == "02-embeds.md"
    assert hrefs["02-embeds > Pictures"] == "02-embeds.md#pictures"
    assert hrefs["03-callouts > Why fold a callout?"] == "03-callouts.md#q-1"
    assert hrefs["02-embeds > kept-line"] == "02-embeds.md#block-kept-line"
    assert hrefs["Callouts and marks"] == "03-callouts.md"
    embeds = BeautifulSoup(render_page(vault, "lessons/02-embeds.md"), "html.parser")
    assert embeds.select_one("#block-kept-line") is not None  # the block a link names is there
    assert "^kept-line" not in embeds.get_text()
    summary = {a.get_text(): a["href"] for a in embeds.select(".sg-summary a")}
    assert summary["links lesson"] == "01-wikilinks.md"  # by alias


def test_a_concept_named_like_an_alias_goes_to_the_lesson_and_is_reported() -> None:
    lessons = vault_lessons()
    Vault(lessons, files())
    messages = [p.message for p in lessons["lessons/02-embeds.md"].problems]
    assert any("name a lesson by its alias: [[links lesson]] (line 20: lessons/01-wikilinks.md)" in m for m in messages)
    # A file name used as another lesson's alias: the file wins, the alias's lesson is told.
    assert any("also names lessons/04-loop-a.md" in p.message for p in lessons["lessons/05-loop-b.md"].problems)


def test_unresolved_links_are_concepts_shown_as_text_and_reported_as_notes() -> None:
    lessons = vault_lessons()
    vault = Vault(lessons, files(), "concepts.md")
    soup = BeautifulSoup(render_page(vault, "lessons/01-wikilinks.md"), "html.parser")
    unresolved = soup.select(".sg-wikilink--unresolved")
    assert [u.get_text() for u in unresolved][:2] == ["DataLoaders", "training data"]
    assert unresolved[0].a["href"] == "../concepts.md#concept-dataloaders"
    assert "[[" not in unresolved[0].get_text()
    (concepts,) = [p for p in lessons["lessons/01-wikilinks.md"].problems if "name no lesson" in p.message]
    assert concepts.severity is Severity.NOTE and concepts.line == 9  # one note per note, at its first concept
    assert concepts.message.startswith("5 wikilinks name no lesson of the site: [[DataLoaders]] (line 9), ")
    assert "[[training data]] (line 27)" in concepts.message


def test_ten_thousand_wikilinks_take_linear_work() -> None:
    """Counted work, not time: function calls for 10,000 links are about ten times those for 1,000.

    Python calls only: work inside one C call (a ``str.count`` from the start of the text for each
    link, say) is not counted, so per-link scans of the text are kept incremental by hand.
    """

    def calls(n: int) -> int:
        text = "1. Q?\n\n> " + " ".join(f"[[concept {k}]] [[ x" for k in range(n)) + "\n"
        lesson = parse_note(text, "n.md")
        count = 0

        def profile(frame, event, arg) -> None:
            nonlocal count
            count += event in ("call", "c_call")

        sys.setprofile(profile)
        try:
            vault = Vault({"n.md": lesson}, [], "concepts.md")
            context = PageContext("n", links=vault.rewriter("n.md"))
            page = context.stash.restore(render_lesson(lesson, context))
        finally:
            sys.setprofile(None)
        assert page.count('href="concepts.md#concept-concept-') == n
        return count

    small, large = calls(1000), calls(10000)
    assert large < 12 * small, (small, large)


# --------------------------------------------------------------------------- embeds


def test_embeds_show_images_notes_and_say_what_is_missing() -> None:
    lessons = vault_lessons()
    vault = Vault(lessons, files())
    soup = BeautifulSoup(render_page(vault, "lessons/02-embeds.md"), "html.parser")
    images = [(i["src"], i["alt"], i.get("width")) for i in soup.select("img")]
    assert images == [
        ("attachments/diagram.png", "diagram.png", None),
        ("attachments/diagram.png", "diagram.png", "120"),
        ("../img/unique.png", "A unique image", None),
    ]
    assert soup.select_one(".sg-missing").get_text() == "nowhere.png: not found"
    (missing,) = [p for p in lessons["lessons/02-embeds.md"].problems if "nowhere.png" in p.message]
    assert (missing.line, missing.severity) == (4, Severity.WARNING)
    box = soup.select_one("#q-1 .sg-embed")
    assert box.select_one(".sg-embed__title a")["href"] == "03-callouts.md#marks"
    assert box.select_one("mark").get_text() == "marked words"


def test_an_embed_of_itself_and_a_cycle_of_embeds_are_stopped_and_reported() -> None:
    lessons = vault_lessons()
    vault = Vault(lessons, files())
    own = BeautifulSoup(render_page(vault, "lessons/02-embeds.md"), "html.parser")
    assert "a loop of embeds stops here" in own.select_one("#q-2").get_text()
    a = BeautifulSoup(render_page(vault, "lessons/04-loop-a.md"), "html.parser")
    assert len(a.select(".sg-embed")) == 1  # B once, and in it A is not shown again
    assert "a loop of embeds stops here" in a.select_one(".sg-embed").get_text()
    loops = [p.message for uri in ("lessons/02-embeds.md", "lessons/04-loop-a.md") for p in lessons[uri].problems]
    assert any("02-embeds.md → 02-embeds.md" in m for m in loops)
    assert any("04-loop-a.md → 05-loop-b.md → 04-loop-a.md" in m for m in loops)


# --------------------------------------------------------------------------- callouts and highlights


def test_callouts_become_admonitions_and_question_callouts_stay_questions() -> None:
    assert callouts("> [!tip] Title\n> body") == '!!! tip "Title"\n    body'
    assert callouts("> [!warning]-\n> body") == "??? warning\n    body"
    assert callouts("> [!faq]+ Why?\n> body") == '???+ question "Why?"\n    body'
    assert callouts("```\n> [!tip] code\n```") == "```\n> [!tip] code\n```"
    quiz = note(
        """
        > [!question] What is a callout?
        > A box.

        > [!question]- And a folded one?
        > Also a box.
        """
    )
    assert [q.text for q in quiz.questions] == ["What is a callout?", "And a folded one?"]


# --------------------------------------------------------------------------- golden pages, per syntax


@pytest.mark.parametrize("name", ["01-wikilinks", "02-embeds", "03-callouts"])
def test_golden_html_per_syntax(name: str) -> None:
    vault = Vault(vault_lessons(), files(), "concepts.md")
    page = render_page(vault, f"lessons/{name}.md")
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("REGENERATE_GOLDEN"):
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- a real build


@pytest.fixture(scope="module")
def vault_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vault")
    shutil.copytree(VAULT, root / "docs")
    (root / "docs" / "index.md").write_text("# Course\n\n%%okapiquasar%%\n\n<!-- study-guide:lessons -->\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert "nowhere.png" in result.stderr and "loop" in result.stderr
    return root / "site"


def _all_text(path: Path) -> str:
    if path.parent.name == FOLDER and path.parent.parent.name == "search":
        return readable_chunk(path)  # the search entries' chunks are deflated
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            data += b"".join(z.read(n) for n in z.namelist())
    return data.decode("utf-8", errors="replace")


def test_no_comment_reaches_any_file_of_the_site(vault_site: Path) -> None:
    every = [p for p in vault_site.rglob("*") if p.is_file()]
    assert (vault_site / "search" / "search_index.json") in every and (vault_site / "course.apkg") in every
    leaks = [(p.relative_to(vault_site).as_posix(), s) for p in every for s in SECRETS if s in _all_text(p)]
    assert leaks == []
    # …and the words around the comments are there: the search index was not left empty.
    index = read_index_text(vault_site / "search")
    assert "Only this is." in index and "Folded until opened." in index


def test_no_comment_reaches_the_anki_export(tmp_path: Path) -> None:
    from .test_anki import read_package

    out = tmp_path / "deck.apkg"
    code = cli(["export", "anki", str(VAULT / "lessons"), "-o", str(out)], io.StringIO(), io.StringIO())
    assert code == 0
    deck = read_package(out)
    fields = " ".join(v for n in deck.notes.values() for v in n.fields.values())
    assert "Only this is." in fields and not [s for s in SECRETS if s in fields]
    assert "<mark>long</mark>" in fields and '<details class="warning">' in fields


def test_the_concepts_page_lists_every_mention(vault_site: Path) -> None:
    soup = BeautifulSoup((vault_site / "concepts" / "index.html").read_text(encoding="utf-8"), "html.parser")
    dataloaders = soup.select_one("#concept-dataloaders").find_next("ul")
    links = [a["href"] for a in dataloaders.select("a")]
    assert links == ["../lessons/01-wikilinks/", "../lessons/01-wikilinks/#q-1", "../lessons/01-wikilinks/#q-2"]
    data = soup.select_one("#concept-training-data").find_next("ul")
    assert [a["href"] for a in data.select("a")] == ["../lessons/01-wikilinks/#q-1", "../lessons/01-wikilinks/#s-1"]
    for heading in soup.select("h2[id^=concept-]"):  # every anchor linked to exists on its page
        for a in heading.find_next("ul").select("a"):
            page, _, anchor = a["href"].partition("#")
            target = BeautifulSoup((vault_site / "concepts" / page / "index.html").read_text(encoding="utf-8"), "html.parser")
            assert not anchor or target.select_one(f"#{anchor}") is not None, a["href"]


def test_linked_from_ends_each_linked_lesson(vault_site: Path) -> None:
    page = BeautifulSoup((vault_site / "lessons" / "03-callouts" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a.get_text() for a in page.select_one("#linked-from").find_next("ul").select("a")] == ["Wikilinks", "Embeds"]


def test_check_lists_resolved_and_unresolved_links(capsys: pytest.CaptureFixture[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    cli(["check", str(VAULT)], out, err)
    text = out.getvalue()
    assert re.search(r"line 3 +!\[\[unique.png\]\] -> img/unique.png", text)
    assert re.search(r"line 8 +\[\[02-embeds#\^kept-line\]\] -> lessons/02-embeds.md#block-kept-line", text)
    assert re.search(r"line 9 +\[\[DataLoaders\]\] -> concept 'DataLoaders'", text)
    assert re.search(r"line 4 +!\[\[nowhere.png\]\] -> NOT FOUND", text)
    assert "02-embeds.md:4: ![[nowhere.png]]: no lesson or file" in err.getvalue()
    assert "wikilinks name no lesson of the site: [[DataLoaders]] (line 9)" in err.getvalue() and "[note]" in err.getvalue()


@pytest.mark.browser
def test_a_wikilink_leads_to_a_question_with_its_answer_open(page, vault_site: Path) -> None:
    for url in serve(vault_site):
        page.goto(url + "/lessons/01-wikilinks/")
        page.get_by_role("link", name="03-callouts > Why fold a callout?").click()
        page.wait_for_url("**/lessons/03-callouts/#q-1")
        page.wait_for_function("document.getElementById('q-1').open")
        assert page.locator("#q-1 .sg-qa__answer").get_by_text("Because it is").is_visible()


def test_lexer_is_what_finds_code_for_wikilinks() -> None:
    text = "`[[a]]`\n\n    [[b]]\n\n[[c]]"
    code = lex(text)
    assert [w.name for w in obsidian.find_wikilinks(text)] == ["c"]
    assert code.inside(text.index("[[a")) and code.inside(text.index("[[b"))


def test_check_json_gives_each_link_and_what_it_resolved_to() -> None:
    import json

    out = io.StringIO()
    cli(["check", "--json", str(VAULT)], out, io.StringIO())
    files = {Path(f["path"]).name: f for f in json.loads(out.getvalue())["files"]}
    links = files["01-wikilinks.md"]["links"]
    assert {
        "line": 8,
        "link": "03-callouts#Why fold a callout?",
        "embed": False,
        "resolved": "lessons/03-callouts.md#q-1",
    } in links
    assert {"line": 4, "link": "nowhere.png", "embed": True, "resolved": None} in files["02-embeds.md"]["links"]


def test_the_tags_page_shows_a_wikilink_as_its_words(vault_site: Path) -> None:
    tags = (vault_site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "Links go to training data" in tags and "[[" not in tags


def test_two_builds_of_a_vault_are_byte_identical(vault_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "again"
    shutil.copytree(vault_site.parent / "docs", root / "docs")
    shutil.copy(vault_site.parent / "mkdocs.yml", root / "mkdocs.yml")
    result = mkdocs_build(root / "mkdocs.yml", root / "site", strict=False)
    assert result.returncode == 0, result.stderr
    first = {p.relative_to(vault_site): p.read_bytes() for p in vault_site.rglob("*") if p.is_file()}
    second = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_the_benchmark_course_differs_only_by_brackets(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_obsidian import course

    linked = course(tmp_path / "a", 3, 8, wikilinks=True).parent / "docs" / "lessons"
    plain = course(tmp_path / "b", 3, 8, wikilinks=False).parent / "docs" / "lessons"
    for note in sorted(linked.glob("*.md")):
        text = note.read_text(encoding="utf-8")
        answers = text.count("\n> See ")
        assert answers > 20 and len(find_wikilinks(text)) == 3 * answers
        assert text.replace("[[", "").replace("]]", "") == (plain / note.name).read_text(encoding="utf-8")
