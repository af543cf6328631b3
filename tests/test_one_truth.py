"""What a note says about itself is the same everywhere: home page, page heading, navigation, search, tags page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.core.search_chunks import read_chunks

from .conftest import make_project, mkdocs_build

BODY = "1. A question?\n\n> An answer.\n\n## Summary\n\n- A point #point\n"
# file name -> (note, the title every place must show, the tags its search entries carry)
NOTES = {
    "01-titled.md": ("---\ntitle: Alpha & <Beta>\ntags: [x, y]\n---\n" + BODY, "Alpha & <Beta>", ["x", "y"]),
    "02-no-title.md": (BODY, "No title", None),
    "03-heading.md": ("# Gamma *in* `code`\n\n" + BODY, "Gamma in code", None),
    "04-string-tags.md": ("---\ntags: a, b\n---\n" + BODY, "String tags", ["a", "b"]),
    "05-hashed-tags.md": ("---\ntitle: Delta\ntags: '#c'\nsearch:\n  boost: 3\n---\n" + BODY, "Delta", ["c"]),
    "06-empty-title.md": ("---\ntitle:\ntags: []\nspoiler_free: true\n---\n" + BODY, "Empty title", None),
    "07-both.md": ("---\ntitle: Epsilon\n---\n# Epsilon\n\n" + BODY, "Epsilon", None),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("truth")
    config = make_project(root, {f"lessons/{name}": note for name, (note, _, _) in NOTES.items()})
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("name", sorted(NOTES))
def test_the_title_is_the_same_in_all_five_places(site: Path, name: str) -> None:
    _, title, _ = NOTES[name]
    url = f"lessons/{name.removesuffix('.md')}/"
    home = soup(site / "index.html")
    page = soup(site / url / "index.html")
    tags_page = soup(site / "tags" / "index.html")
    index = read_chunks(site / "search")
    shown = {
        "home page": home.select_one(f'article a[href="{url}"]').get_text(),
        "page heading": page.select_one("article h1").get_text(" ", strip=True).removesuffix(" ¶"),
        "navigation": page.select_one(f'nav.md-nav--primary a[href="./"], nav.md-nav--primary a[href="../../{url}"]'),
        "window title": page.title.get_text().removesuffix(" - Test course"),
        "search": BeautifulSoup(next(d["title"] for d in index if d["location"] == url), "html.parser").get_text(),
        "tags page": tags_page.select_one(f'article a[href="../{url}#s-1"]').get_text().removesuffix(", summary point 1"),
    }
    shown["navigation"] = shown["navigation"].get_text(" ", strip=True) if shown["navigation"] else None
    assert shown == dict.fromkeys(shown, title)


@pytest.mark.parametrize("name", sorted(NOTES))
def test_tags_search_options_and_spoilers_are_read_once(site: Path, name: str) -> None:
    note, _, tags = NOTES[name]
    url = f"lessons/{name.removesuffix('.md')}/"
    entries = read_chunks(site / "search")
    entries = [d for d in entries if d["location"].startswith(url)]
    # The lesson's tags are on its page's own entry only: a search for a tag finds the lesson, not each question.
    assert entries and entries[0]["location"] == url and entries[0].get("tags") == tags
    assert all("tags" not in d for d in entries[1:])
    assert all(d.get("boost") == (3 if "boost" in note else None) for d in entries)
    answer = next(d for d in entries if d["location"] == url + "#q-1")["text"]
    assert answer == ("" if "spoiler_free: true" in note else "<p>An answer.</p>")
    tags_page = soup(site / "tags" / "index.html")
    for tag in tags or []:
        listed = tags_page.select_one(f"#tag-{tag}").find_next("ul").select("a")
        assert f"../{url}" in [a["href"] for a in listed]
