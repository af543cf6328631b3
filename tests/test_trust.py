"""Builds that can be trusted: reproducible, every internal link resolves, never half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from study_guide.core.search_chunks import read_chunks

from .conftest import MINIMAL_CONFIG, ROOT, make_project, mkdocs_build


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764288000", "NO_MKDOCS_2_WARNING": "1"}  # 2025-11-28
    sites = []
    for name in ("one", "two"):
        site = tmp_path / name
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        sites.append(files_of(site))
    one, two = sites
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    # The dates come from SOURCE_DATE_EPOCH, not the clock: a build on another day matches too.
    assert b"<lastmod>2025-11-28</lastmod>" in one["sitemap.xml"]


def course_note(n: int) -> str:
    """A lesson of a made-up course, varied enough to touch every part of a page."""
    extra = {0: "spoiler_free: true\n", 1: "search:\n  boost: 2\n", 2: "tags: [intro]\n"}.get(n, "")
    return (
        f"---\ntitle: Lesson {n}\nvideo: https://www.youtube.com/watch?v=abcdefghijk\n{extra}---\n"
        f"Notes for lesson {n} & more.\n\n"
        f"1. What is idea {n}?\n\n> It is **idea {n}** with `code_{n}()` #topic-{n % 5}\n>\n> - one\n> - two\n\n"
        f"2. Why does it matter?\n\n> Because:\n>\n> ```python\n> x = {n}\n> ```\n\n"
        "3. Left for later?\n\n> TBD\n\n"
        f"## Summary\n\n- [0:{n:02d}] Point one of lesson {n} #best-practice\n- [1:{n:02d}] Point two, longer than the rest "
        "so that its title is cut at a word boundary before the end of what it says\n"
    )


def test_a_big_course_builds_the_same_with_a_second_process(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764288000", "NO_MKDOCS_2_WARNING": "1"}
    notes = {f"lessons/{n:02d}-lesson.md": course_note(n) for n in range(45)}  # enough for the worker
    sites = []
    for parallel in ("true", "false"):
        root = tmp_path / parallel
        config = make_project(
            root, notes, config=MINIMAL_CONFIG.replace("  - study-guide\n", f"  - study-guide:\n      parallel: {parallel}\n")
        )
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose", "-f", str(config), "-d", str(root / "site")]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        assert ("with a second process" in result.stderr) == (parallel == "true" and (os.cpu_count() or 1) >= 2)
        sites.append(files_of(root / "site"))
    forked, alone = sites
    assert sorted(forked) == sorted(alone)
    assert [name for name in forked if forked[name] != alone[name]] == []
    index = read_chunks(tmp_path / "true" / "site" / "search")
    assert sum("#q-" in d["location"] for d in index) == 45 * 3


def test_every_internal_link_and_anchor_resolves(seed_site: Path) -> None:
    pages = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in seed_site.rglob("*.html")}
    ids = {p: {el["id"] for el in soup.select("[id]")} for p, soup in pages.items()}
    broken = []
    for page, soup in pages.items():
        for element in soup.select("a[href], img[src], link[href], script[src]"):
            target = element.get("href") or element.get("src")
            parts = urlsplit(target)
            if parts.scheme or target.startswith("//"):
                continue  # the web is out of reach here; these are checked by hand
            base = seed_site if parts.path.startswith("/") else page.parent  # the 404 page links from the root
            path = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(seed_site)}: {target}")
            elif parts.fragment and path in ids and unquote(parts.fragment) not in ids[path]:
                broken.append(f"{page.relative_to(seed_site)}: {target} (no such anchor)")
    assert broken == []
    assert len(pages) >= 4


def test_a_failed_build_leaves_the_last_good_site(tmp_path: Path) -> None:
    config = make_project(tmp_path, {"lessons/01-a.md": "1. Q?\n\n> A\n"})
    site = tmp_path / "site"
    build = [sys.executable, str(ROOT / "scripts" / "build_site.py"), "--config-file", str(config), "--site-dir", str(site)]
    assert subprocess.run(build, capture_output=True, timeout=300, check=False).returncode == 0
    before = files_of(site)
    (tmp_path / "docs" / "lessons" / "01-a.md").write_text("---\ntitle: [broken\n---\n1. Q?\n", encoding="utf-8")
    failed = subprocess.run(build, capture_output=True, text=True, timeout=300, check=False)
    assert failed.returncode != 0 and "01-a.md:3: frontmatter is not valid YAML" in failed.stderr
    assert files_of(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_stopped_build_writes_nothing_into_the_site_it_replaces(tmp_path: Path) -> None:
    """The plugin stops a bad build before MkDocs writes a single page."""
    config = make_project(tmp_path, {"lessons/01-a.md": "---\ntitle: [broken\n---\n1. Q?\n"})
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert not list((tmp_path / "site").rglob("*.html"))
