"""Search: one entry per question and per summary bullet, answers findable, spoiler-free mode."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from study_guide.core import markers
from study_guide.core.parse import read_note
from study_guide.core.sanitize import sanitize_html
from study_guide.core.search import SearchEntry, merge_entries, page_entries
from study_guide.core.search_chunks import STOP_WORDS, entry_terms, read_chunks, read_index_text, read_terms

from .conftest import SEED, make_project, mkdocs_build
from .lossless import EXTENSIONS

URL = "lessons/01-deep-learning/"


def index_docs(site: Path) -> list[dict[str, str]]:
    return read_chunks(site / "search")


def words(html: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", re.sub(r"<[^>]+>", " ", html).casefold()))


NOTE = """\
Some words before the questions.

## Questionnaire

1. What is *it*?

> A `y_range` & more
>
> - one
>
> ![sketch](x.png)

2. Empty?

> TBD

## Summary

- First #tag point
    - nested
- [1:02] Second point

## Further notes

Closing prose.

<script>var hidden = 1;</script>
"""


def marked_html(note: str) -> tuple[str, markers.Stash]:
    """A note's page HTML as the plugin sees it in on_page_content (rendered, through Markdown, markers in), and its stash."""
    from study_guide.core.parse import parse_note
    from study_guide.core.render import PageContext, render_lesson

    context = PageContext("l")
    return markdown.markdown(render_lesson(parse_note(note), context), extensions=EXTENSIONS), context.stash


def finished(note: str) -> str:
    return markers.finish(*marked_html(note), sanitize_html)


def blocks_of(note: str) -> markers.PageBlocks:
    return markers.take_apart(*marked_html(note), sanitize_html)[1]


def test_page_entries_from_marked_html() -> None:
    entries = page_entries(blocks_of(NOTE), "l/", "Lesson")
    assert entries == [
        SearchEntry("l/", "Lesson", "<p>Some words before the questions.</p>"),
        SearchEntry("l/#questionnaire", "Questionnaire", ""),
        SearchEntry("l/#summary", "Summary", ""),
        SearchEntry("l/#further-notes", "Further notes", "<p>Closing prose.</p>"),
        SearchEntry("l/#q-1", "1. What is it?", "<p>A <code>y_range</code> &amp; more</p><ul><li>one</li></ul><p>sketch</p>"),
        SearchEntry("l/#q-2", "2. Empty?", "<p>TBD</p>"),
        SearchEntry("l/#s-1", "First #tag point nested", ""),  # all title: no text repeated
        SearchEntry("l/#s-2", "1:02 Second point", ""),  # the time as the page shows it
    ]
    spoiler_free = page_entries(blocks_of(NOTE), "l/", "Lesson", answers=False)
    assert [e.text for e in spoiler_free[4:6]] == ["", ""]
    tagged = page_entries(blocks_of(NOTE), "l/", "Lesson", tags=["dl"], boost=2)
    assert tagged[0].as_json() == {"location": "l/", "title": "Lesson", "text": entries[0].text, "tags": ["dl"], "boost": 2}
    # The lesson's tags are on its page's own entry only; the boost is on every entry.
    assert [e.tags for e in tagged[1:]] == [None] * (len(tagged) - 1)
    assert all(e.boost == 2 for e in tagged)


def test_a_first_h1_is_the_page_entry() -> None:
    entries = page_entries(blocks_of("# Deep *learning*\n\nIntro.\n\n1. Why?\n\n> Because.\n"), "l/", "Lesson")
    assert entries[0] == SearchEntry("l/", "Deep learning", "<p>Intro.</p>")


def test_finished_html_has_no_markers_and_keeps_every_block() -> None:
    marked, stash = marked_html(NOTE)
    assert marked.count(markers.MARK) == 10
    page = BeautifulSoup(markers.finish(marked, stash, sanitize_html), "html.parser")
    assert markers.MARK not in str(page)
    details = page.select_one("details.sg-qa#q-1")
    assert details.summary.decode_contents() == '<span class="sg-qa__number">1.</span> What is <em>it</em>?'
    assert details.select_one(".sg-qa__answer code").get_text() == "y_range"
    unanswered = page.select_one("div.sg-qa--unanswered#q-2")
    assert [p.get_text() for p in unanswered.find_all("p", recursive=False)] == ["2. Empty?", "No answer yet."]
    assert unanswered.select_one(".sg-qa__placeholder").get_text(strip=True) == "TBD"
    assert [li["id"] for li in page.select(".sg-summary > ul > li > .sg-anchor")] == ["s-1", "s-2"]


def test_a_learners_marker_lookalike_is_shown_as_text() -> None:
    mark = markers.MARK
    note = f"1. Can I close it?\n\n> {mark}/q\n>\n> {mark}q q-9 abc 31\ue001 Fake?\n\n2. Next?\n\n> Yes `{mark}a`.\n"
    page = BeautifulSoup(finished(note), "html.parser")
    assert [d["id"] for d in page.select("details")] == ["q-1", "q-2"]
    assert f"{mark}/q" in page.select_one("#q-1 .sg-qa__answer").get_text()
    assert page.select_one("#q-2 .sg-qa__answer code").get_text() == f"{mark}a"


def test_merge_replaces_a_pages_earlier_entries() -> None:
    index = {
        "config": {"lang": ["en"]},
        "docs": [
            {"location": "a/", "title": "A", "text": ""},
            {"location": "a/#q-1", "title": "old", "text": "old"},
            {"location": "b/#q-1", "title": "B1", "text": "kept"},
        ],
    }
    merged = merge_entries(index, {"a/": [SearchEntry("a/", "A again", ""), SearchEntry("a/#q-1", "new", "new")], "c/": []})
    assert merged["config"] == {"lang": ["en"]}
    assert [d["title"] for d in merged["docs"]] == ["B1", "A again", "new"]  # page a/ is ours: all of it replaced


def test_index_has_one_entry_per_question(seed_site: Path) -> None:
    docs = index_docs(seed_site)
    lesson = read_note(SEED)
    questions = [d for d in docs if d["location"].startswith(URL + "#q-")]
    assert [d["location"] for d in questions] == [f"{URL}#q-{n}" for n in range(1, 34)]
    assert [d["title"] for d in questions] == [f"{q.number}. {q.text}" for q in lesson.questions]
    bullets = [d for d in docs if d["location"].startswith(URL + "#s-")]
    assert len(bullets) == 47


def test_each_answer_is_findable_under_its_own_entry(seed_site: Path) -> None:
    docs = {d["location"]: d for d in index_docs(seed_site)}
    terms = entry_terms(seed_site / "search")
    for q in read_note(SEED).questions:
        # Words as a reader sees them: no link targets, no list numbers, no Markdown around them; as lunr reads them
        # (split at white space and hyphens, trimmed, no stop words).
        source = re.sub(r"\]\([^)]*\)|^\s*\d+\.\s|[*`>]", " ", q.answer.replace("\\", ""), flags=re.MULTILINE)
        answer_words = {re.sub(r"^[\W_]+|[\W_]+$", "", w) for w in re.split(r"[\s\-]+", source.casefold())} - STOP_WORDS - {""}
        assert answer_words and answer_words <= terms[f"{URL}#{q.anchor}"], (q.anchor, answer_words - terms[f"{URL}#{q.anchor}"])
    assert "y_range" in docs[f"{URL}#q-31"]["text"] and "y_range" in terms[f"{URL}#q-31"]


def test_figure_captions_are_found_but_not_where_they_were_computed(seed_site: Path) -> None:
    # Provenance is not content: "GPU" must find the question about GPUs, not every figure computed on one.
    docs = {d["location"]: d for d in index_docs(seed_site)}
    assert "every predicted rating stays between the dashed bounds" in docs[f"{URL}#q-31"]["text"]
    assert [loc for loc, d in docs.items() if re.search(r"Computed on|NVIDIA|\.ipynb", d["text"])] == []


def test_answers_are_not_also_in_the_page_sections(seed_site: Path) -> None:
    sections = [d for d in index_docs(seed_site) if d["location"].startswith(URL) and "#q-" not in d["location"]]
    assert not any("Frank Rosenblatt" in d["text"] for d in sections)
    assert any(d["title"] == "Questionnaire" for d in sections)


def test_tags_page_lists_tagged_bullets(seed_site: Path) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup((seed_site / "tags" / "index.html").read_text(encoding="utf-8"), "html.parser")
    best = page.select_one("#tag-best-practice").find_next("ul")
    assert [a["href"] for a in best.select("a")] == [f"../{URL}#s-{n}" for n in (27, 28, 42)]
    lesson = BeautifulSoup((seed_site / URL / "index.html").read_text(encoding="utf-8"), "html.parser")
    chip = lesson.select_one('#s-27 ~ a.sg-tag[data-tag="best-practice"]')
    assert chip["href"] == "../../tags/#tag-best-practice"
    # Searching a tag finds its heading on the tags page; the lists, which repeat the bullets' words, are not indexed.
    tags = {d["location"]: d for d in index_docs(seed_site) if d["location"].startswith("tags/")}
    assert tags["tags/#tag-best-practice"]["title"] == "#best-practice" and tags["tags/#tag-best-practice"]["text"] == ""


@pytest.mark.parametrize("where", ["config", "frontmatter"])
def test_spoiler_free_keeps_answers_out_of_the_index(tmp_path: Path, where: str) -> None:
    note = SEED.read_text(encoding="utf-8")
    config_path = make_project(tmp_path, {"lessons/01-deep-learning.md": ""})
    if where == "config":
        config_path.write_text(
            config_path.read_text().replace("  - study-guide\n", "  - study-guide:\n      spoiler_free: true\n")
        )
    else:
        note = note.replace("type: course\n", "type: course\nspoiler_free: true\n", 1)
    (tmp_path / "docs" / "lessons" / "01-deep-learning.md").write_text(note, encoding="utf-8")
    shutil.copytree(SEED.parents[1] / "notebooks", tmp_path / "docs" / "notebooks")  # its figures
    result = mkdocs_build(config_path, tmp_path / "site", strict=False)  # the seed's empty link warns
    assert result.returncode == 0, result.stderr
    raw = read_index_text(tmp_path / "site" / "search")
    for phrase in ("Frank Rosenblatt", "limit the values predicted", "universal approximation theorem states"):
        assert phrase not in raw
    # Nor are their words terms of the index: a search for them finds nothing.
    assert {"rosenblatt", "approximation"}.isdisjoint(read_terms(tmp_path / "site" / "search"))
    questions = [d for d in read_chunks(tmp_path / "site" / "search") if "#q-" in d["location"]]
    assert len(questions) == 33 and all(d["text"] == "" for d in questions)
    assert questions[30]["title"] == "31. What is y_range used for? When do we need it?"


def test_frontmatter_can_turn_spoiler_free_off_for_one_lesson(tmp_path: Path) -> None:
    notes = {
        "lessons/01-a.md": "---\nspoiler_free: false\n---\n1. Q one?\n\n> visible answer\n",
        "lessons/02-b.md": "1. Q two?\n\n> hidden answer\n",
    }
    config_path = make_project(tmp_path, notes)
    config_path.write_text(config_path.read_text().replace("  - study-guide\n", "  - study-guide:\n      spoiler_free: true\n"))
    result = mkdocs_build(config_path, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    raw = read_index_text(tmp_path / "site" / "search")
    assert "visible answer" in raw and "hidden answer" not in raw
    assert "visible" in read_terms(tmp_path / "site" / "search") and "hidden" not in read_terms(tmp_path / "site" / "search")


def test_control_characters_in_a_note_do_not_shift_entries() -> None:
    note = "1. One?\n\n> a\x05b &#5; c\n\n2. Two?\n\n> d\n\n## Summary\n\n- x\x05y\n- z\n"
    entries = page_entries(blocks_of(note), "l/", "Lesson")
    by_location = {e.location: e for e in entries}
    assert by_location["l/#q-1"].text == "<p>ab c</p>"
    assert by_location["l/#q-2"].text == "<p>d</p>"
    assert [by_location["l/#s-1"].title, by_location["l/#s-2"].title] == ["xy", "z"]


def test_a_lesson_can_stay_out_of_search_or_be_boosted(tmp_path: Path) -> None:
    notes = {
        "lessons/01-hidden.md": "---\nsearch:\n  exclude: true\n---\n1. Hidden question?\n\n> Hidden answer.\n",
        "lessons/02-boosted.md": "---\ntitle: Boosted\ntags: [core]\nsearch:\n  boost: 2\n---\n1. Boosted question?\n\n> Yes.\n",
    }
    result = mkdocs_build(make_project(tmp_path, notes), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    docs = index_docs(tmp_path / "site")
    assert not [d for d in docs if d["location"].startswith("lessons/01-hidden/")]
    boosted = [d for d in docs if d["location"].startswith("lessons/02-boosted/")]
    assert [d["location"] for d in boosted] == [
        "lessons/02-boosted/",
        "lessons/02-boosted/#questionnaire",
        "lessons/02-boosted/#q-1",
    ]
    assert all(d["boost"] == 2 for d in boosted)
    # A search for the tag finds the lesson (its page's entry), not each of its questions.
    assert [d["location"] for d in boosted if "tags" in d] == ["lessons/02-boosted/"]
    assert boosted[0]["tags"] == ["core"]
    assert boosted[0]["title"] == "Boosted"
