"""The chunked search index: what the build writes for our search worker, read back as the worker reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from study_guide.core import search_chunks
from study_guide.core.search_chunks import (
    Doc,
    Settings,
    chunked_index,
    decode_postings,
    entry_terms,
    head_index,
    page_index,
    pages_of,
    read_chunks,
    teaser,
    write_chunks,
)

MATERIAL = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"], "fields": {"title": {"boost": 1000}}}


def build(tmp_path: Path, entries: list[dict], config: dict = MATERIAL) -> Path:
    """Write the chunked index of *entries* (as in Material's index) under tmp_path/search, as the plugin does."""
    settings = Settings.of(config)
    chunks = chunked_index(page_index(path, docs, settings) for path, docs in pages_of(entries))
    search = tmp_path / "search"
    write_chunks(search, chunks)
    (search / "search_index.json").write_text(
        search_chunks.json.dumps(head_index({"config": config, "docs": entries}, chunks.head)), encoding="utf-8"
    )
    return search


ODD = [
    {"location": "", "title": "Home", "text": "<p>Café naïve 日本語 — Straße</p>"},
    {"location": "l/", "title": "Lesson &amp; more", "text": "", "tags": ["deep-learning"], "boost": 2},
    {
        "location": "l/#q-1",
        "title": "1. What is &lt;b&gt;?",
        "text": "<p>AT&amp;T uses <code>y_range</code> and the</p>",
        "boost": 2,
    },
    {"location": "l/#q-2", "title": "2. Empty?", "text": "", "boost": 2},
    {"location": "l/#q-3", "title": "3. Code?", "text": "<pre><code>x = f(a, b)\nprint(x)</code></pre>", "boost": 2},
]


def test_odd_text_is_read_as_a_reader_sees_it(tmp_path: Path) -> None:
    terms = entry_terms(build(tmp_path, ODD))
    assert terms[""] == {"café", "naïve", "日本語", "straße", "home"}  # "—" alone is no word
    # Entities are the characters they stand for; tags split words, as Material's tokenizer does; "the" is a stop word.
    assert terms["l/#q-1"] == {"1", "b", "at&t", "uses", "y_range"}
    assert terms["l/"] == {"lesson", "more", "deep", "learning"}  # a tag is split as text is
    assert terms["l/#q-2"] == {"2", "empty"}
    assert terms["l/#q-3"] == {"3", "code", "x", "f(a", "b", "print(x"}  # trimmed at both ends only, as lunr does


def test_entries_read_back_in_order_with_tags_and_boosts(tmp_path: Path) -> None:
    entries = read_chunks(build(tmp_path, ODD))
    assert [e["location"] for e in entries] == ["", "l/", "l/#q-1", "l/#q-2", "l/#q-3"]
    assert entries[1] == {"location": "l/", "title": "Lesson &amp; more", "text": "", "tags": ["deep-learning"], "boost": 2}
    assert entries[2]["text"] == ODD[2]["text"] and "boost" not in entries[0]


def test_postings_say_which_field_and_how_often(tmp_path: Path) -> None:
    entries = [
        {"location": "a/", "title": "Word", "text": "<p>word word word word word word word</p>", "tags": ["word"]},
        {"location": "a/#x", "title": "Other", "text": "<p>word</p>"},
        {"location": "b/", "title": "Word here", "text": ""},
    ]
    search = build(tmp_path, entries)
    postings = decode_postings(search_chunks.read_terms(search)["word"])
    # Entry 0: text count capped at 5 (×4), title (+2), tags (+1); entry 1: once in its text; entry 2: its title.
    assert postings == [(0, 5 * 4 + 2 + 1), (1, 4), (2, 2)]


def test_a_page_seen_twice_keeps_its_latest_entries_together() -> None:
    entries = [
        {"location": "a/", "title": "A", "text": ""},
        {"location": "b/", "title": "B", "text": ""},
        {"location": "a/#s", "title": "old", "text": ""},
        {"location": "a/#s", "title": "new", "text": ""},
    ]
    assert [(path, [d.title for d in docs]) for path, docs in pages_of(entries)] == [("a/", ["A", "new"]), ("b/", ["B"])]


def test_the_same_entries_give_the_same_bytes_and_another_build_another_name(tmp_path: Path) -> None:
    first = chunked_index(page_index(p, d, Settings()) for p, d in pages_of(ODD))
    again = chunked_index(page_index(p, d, Settings()) for p, d in pages_of(ODD))
    assert first == again
    changed = [*ODD[:-1], {**ODD[-1], "text": "<p>changed</p>"}]
    other = chunked_index(page_index(p, d, Settings()) for p, d in pages_of(changed))
    assert other.head["v"] != first.head["v"]


def test_terms_are_cut_into_sorted_chunks_a_prefix_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_chunks, "TERM_CHUNK_BYTES", 40)
    words = [f"w{n:03d}" for n in range(60)] + ["zebra", "Äpfel", "😀smile"]
    entries = [{"location": f"p{n}/", "title": word, "text": ""} for n, word in enumerate(words)]
    search = build(tmp_path, entries)
    head = search_chunks.json.loads((search / "search_index.json").read_text(encoding="utf-8"))["config"]["study_guide"]
    firsts = head["t"]
    assert len(firsts) > 3 and firsts == sorted(firsts, key=lambda t: t.encode("utf-16-be"))
    # Each chunk holds exactly the terms from its first term up to the next chunk's.
    for k, first in enumerate(firsts):
        chunk = search_chunks.parse_script((search / "sg" / f"t{k}.js").read_text(encoding="utf-8"))
        assert min(chunk, key=lambda t: t.encode("utf-16-be")) == first
    assert head["n"] == len(words) and {e["title"] for e in read_chunks(search)} == set(words)


def test_a_page_of_more_entries_than_two_digits_count_is_found_throughout(tmp_path: Path) -> None:
    # Entry ids within a page are written in base 36; past 36 * 36 they take three digits.
    entries = [{"location": "big/", "title": "Big", "text": "shared"}]
    entries += [{"location": f"big/#e{n}", "title": f"w{n}", "text": "shared"} for n in range(1, 1400)]
    entries += [{"location": "small/", "title": "Small", "text": "shared w1399"}]
    terms = entry_terms(build(tmp_path, entries))
    assert [location for location, found in terms.items() if "shared" in found] == [e["location"] for e in entries]
    assert [location for location, found in terms.items() if "w1399" in found] == ["big/#e1399", "small/"]


def test_the_sites_separator_and_pipeline_are_followed(tmp_path: Path) -> None:
    camel = {**MATERIAL, "separator": r"[\s\-]+|(?!\b)(?=[A-Z][a-z])", "pipeline": []}
    terms = entry_terms(build(tmp_path, [{"location": "", "title": "getValue of the thing", "text": ""}], camel))
    assert terms[""] == {"get", "value", "of", "the", "thing"}  # split at capitals; stop words kept without the filter
    broken = {**MATERIAL, "separator": r"[\s\-]+|(?<=\p{Ll})"}  # JavaScript only: Material's default is used
    assert entry_terms(build(tmp_path, [{"location": "", "title": "a-b c", "text": ""}], broken))[""] == {"b", "c"}


def test_a_teaser_is_cut_at_a_word_with_its_tags_closed() -> None:
    text = "<p>" + "word " * 40 + "</p><ul><li>" + "more &amp; more " * 30 + "</li></ul>"
    cut = teaser(text, 220)
    assert cut.endswith("…</li></ul>") and cut.startswith("<p>word")
    assert "&amp" not in cut.rsplit("…", 1)[0][-6:]  # never inside an entity
    assert len(cut) < len(text) and teaser("<p>short</p>") == "<p>short</p>"
    assert teaser("<p><code>" + "x" * 400 + "</code></p>", 50).endswith("…</code></p>")


def test_an_earlier_builds_chunks_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_chunks, "DOC_CHUNK_BYTES", 100)
    many = [{"location": f"p{n}/", "title": f"t{n}", "text": "<p>" + f"w{n} " * 30 + "</p>"} for n in range(8)]
    search = build(tmp_path, many)
    assert len(list((search / "sg").glob("d*.js"))) > 1
    build(tmp_path, many[:1])
    assert sorted(p.name for p in (search / "sg").iterdir()) == ["d0.js", "pages.js", "t0.js"]


def test_docs_carry_teasers_only(tmp_path: Path) -> None:
    long = {"location": "a/", "title": "A", "text": "<p>" + "lorem ipsum " * 200 + "tailword</p>"}
    search = build(tmp_path, [long])
    assert "tailword" in entry_terms(search)["a/"]  # found by every word…
    assert "tailword" not in read_chunks(search)[0]["text"]  # …but only the start of the text is downloaded
    assert len(read_chunks(search)[0]["text"]) < search_chunks.TEASER_CHARS + 20


def test_doc_of_keeps_what_material_writes() -> None:
    assert Doc.of({"location": "a/", "title": "T", "text": "x", "boost": 1}) == Doc("a/", "T", "x", (), None)
    assert Doc.of({"location": "a/", "title": "T", "text": "x", "tags": ["t"], "boost": 2.5}).tags == ("t",)


def test_every_page_names_our_worker_and_the_index_file_holds_the_head_only(seed_site: Path) -> None:
    index = search_chunks.json.loads((seed_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == [] and set(index["config"]["study_guide"]) == {"v", "n", "t", "b"}
    pages = sorted(seed_site.rglob("*.html"))
    assert any("review" in str(p) for p in pages)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        worker = re.search(r'"search": "([^"]*)"', html)
        if worker is None:
            continue  # a page without Material's config (none of ours)
        address, _, version = worker.group(1).partition("?v=")
        assert address.endswith("assets/study-guide/search-worker.js") and re.fullmatch(r"[0-9a-f]{8}", version), page
        # 404.html names it from the site's root (it is served at any depth); the other pages relative to themselves.
        where = seed_site / address.lstrip("/") if address.startswith("/") else page.parent / address
        assert where.resolve().is_file(), page


def test_a_word_only_in_the_caption_of_a_summary_figure_finds_its_bullet(seed_site: Path) -> None:
    # The seed places the loss curve after bullet s-8; "epoch" is in its caption and nowhere else on the page.
    terms = entry_terms(seed_site / "search")
    assert [location for location, found in terms.items() if "epoch" in found] == ["lessons/01-deep-learning/#s-8"]
    # The figure's provenance (where it was computed) is not the learner's words.
    assert not [location for location, found in terms.items() if "h200" in found]
