"""A big course's last lesson pages converted by the worker process: the same site, messages and errors as without it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from study_guide.core.notebooks import Manifest, dump_manifest

from .conftest import make_project
from .test_notebooks import lesson_notebook, record_for
from .test_trust import course_note, files_of

LESSONS = 44  # enough for the worker (40 notes), which converts them from the last one back
OFFLOADED = "lessons/42-lesson.md"  # the second the worker converts

FIGURES = """\
---
title: Lesson 43
figures:
  q-1: "notebooks/lesson.ipynb#results|The loss per epoch"
---
1. What does a batch look like?

> Like this:
>
> ![[notebooks/lesson.ipynb#show-batch|A batch]]

2. Where was this said before?

> In [[02-lesson]], and about [[Gradient descent]].

## Summary
- Looking at the data
"""


def links(n: int) -> str:
    """Links from lesson *n*: to another lesson's question, to an anchor it lacks, to a page the site lacks."""
    return (
        f"4. Where else?\n\n> See [the first](01-lesson.md#q-1), [[03-lesson#Summary]], [nothing](02-lesson.md#no-anchor-{n}) "
        f"and [gone](missing-{n}.md).\n\n## More from {n}\n\nText.\n"
    )


def course(root: Path, *, parallel: bool, extra: dict[str, str] | None = None, config: str = "") -> Path:
    notes = {f"lessons/{n:02d}-lesson.md": course_note(n) for n in range(LESSONS - 1)}
    for n in (5, 38, 41):  # the first converted here, the others by the worker (it comes to them long before MkDocs)
        notes[f"lessons/{n:02d}-lesson.md"] = course_note(n).replace("## Summary", links(n) + "\n## Summary")
    notes[f"lessons/{LESSONS - 1}-lesson.md"] = FIGURES
    notes.update(extra or {})
    text = (
        "site_name: Test course\nsite_url: http://127.0.0.1/\ntheme:\n  name: material\n"
        "validation:\n  anchors: warn\n"
        f"plugins:\n  - search\n  - study-guide:\n      parallel: {str(parallel).lower()}\n{config}"
    )
    path = make_project(root, notes, config=text)
    notebooks = root / "docs" / "notebooks"
    notebooks.mkdir()
    nb = lesson_notebook()
    (notebooks / "lesson.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    manifest = Manifest()
    manifest.put(record_for(nb))
    dump_manifest(manifest, notebooks / "manifest.json")
    return path


def build(config: Path, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1764288000", "NO_MKDOCS_2_WARNING": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), *filter(None, [env.get("PYTHONPATH")])])
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(config.parent / "site"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)


def messages(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What the build said, in order, but for the time it took and the folder it built in."""
    root = str(Path(result.args[result.args.index("-f") + 1]).parent)
    return [re.sub(r"[\d.]+ seconds", "N seconds", line.replace(root, "ROOT")) for line in result.stderr.splitlines()]


def test_pages_converted_by_the_worker_give_the_same_site_and_messages(tmp_path: Path) -> None:
    forked, alone = (build(course(tmp_path / name, parallel=name == "forked")) for name in ("forked", "alone"))
    assert forked.returncode == alone.returncode == 0, forked.stderr + alone.stderr
    said = messages(forked)
    assert said == messages(alone)
    # Warnings of pages made here and by the worker, in page order: links to a page the site lacks, then to anchors.
    gone = [line for line in said if "missing-" in line]
    assert [re.search(r"missing-\d+", line)[0] for line in gone] == ["missing-5", "missing-38", "missing-41"]
    assert all(line.startswith("WARNING") for line in gone)
    anchors = [line for line in said if "no-anchor-" in line]
    assert [re.search(r"no-anchor-\d+", line)[0] for line in anchors] == ["no-anchor-5", "no-anchor-38", "no-anchor-41"]
    site, other = files_of(tmp_path / "forked" / "site"), files_of(tmp_path / "alone" / "site")
    assert sorted(site) == sorted(other)
    assert [name for name in site if site[name] != other[name]] == []  # deck, cards files, search index included
    assert {"course.apkg", "search/search_index.json"} <= set(site)

    page = BeautifulSoup(site["lessons/41-lesson/index.html"], "html.parser")
    assert page.title is not None and page.title.get_text().startswith("Lesson 41")
    toc = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a")]
    assert "More from 41" in toc and "Summary" in toc
    hrefs = [a["href"] for a in page.select(".sg-qa__answer a[href]")]
    assert "../01-lesson/#q-1" in hrefs and any(h.startswith("../03-lesson/#") for h in hrefs)
    figures = BeautifulSoup(site[f"lessons/{LESSONS - 1}-lesson/index.html"], "html.parser")
    assert figures.select_one("figure#fig-show-batch img") is not None
    assert figures.select_one('a[href="../02-lesson/"]') is not None


def test_the_worker_converts_the_last_pages(tmp_path: Path) -> None:
    result = build(course(tmp_path, parallel=True), "--verbose")
    assert result.returncode == 0, result.stderr
    if (os.cpu_count() or 1) >= 2:
        assert f"{LESSONS} lesson pages: converted by the second process too, from the last one back" in result.stderr
        converted = re.search(r"the second process converted (\d+) of (\d+) lesson pages", result.stderr)
        assert converted is not None and 0 < int(converted[1]) < LESSONS and int(converted[2]) == LESSONS
        assert "making it here" not in result.stderr


def test_a_broken_link_on_a_page_the_worker_made_fails_a_strict_build_as_without_it(tmp_path: Path) -> None:
    forked, alone = (build(course(tmp_path / name, parallel=name == "forked"), "--strict") for name in ("forked", "alone"))
    assert forked.returncode == alone.returncode == 1
    assert messages(forked) == messages(alone)
    assert "Aborted with 6 warnings in strict mode!" in forked.stdout + forked.stderr
    assert forked.stdout == alone.stdout


BOOM = """\
from markdown import Extension
from markdown.preprocessors import Preprocessor


class Boom(Preprocessor):
    def run(self, lines):
        if any("BOOM" in line for line in lines):
            raise ValueError("this page cannot be converted")
        return lines


class BoomExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Boom(md), "boom", 100)


def makeExtension(**kwargs):
    return BoomExtension(**kwargs)
"""


def test_an_error_on_a_page_the_worker_makes_stops_the_build_as_without_it(tmp_path: Path) -> None:
    results = []
    for name in ("forked", "alone"):
        root = tmp_path / name
        extra = {OFFLOADED: course_note(42).replace("Notes for lesson", "BOOM: notes for lesson")}
        config = course(root, parallel=name == "forked", extra=extra, config="markdown_extensions:\n  - boom\n")
        (tmp_path / "boom.py").write_text(BOOM, encoding="utf-8")
        results.append(build(config, pythonpath=tmp_path))
    forked, alone = results
    assert forked.returncode == alone.returncode == 1
    error = f"Error reading page '{OFFLOADED}': this page cannot be converted"
    assert error in forked.stderr and error in alone.stderr
    assert [line for line in messages(forked) if "WARNING" in line or "ERROR" in line] == [
        line for line in messages(alone) if "WARNING" in line or "ERROR" in line
    ]


def test_properdocs_builds_the_same_site_with_the_worker(tmp_path: Path) -> None:
    """ProperDocs answers ``mkdocs.*`` imports with its own modules: pages its worker converts come back as well."""
    sites = []
    for name in ("forked", "alone"):
        config = course(tmp_path / name, parallel=name == "forked")
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1764288000", "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "properdocs", "build", "-f", str(config), "-d", str(config.parent / "site")]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        sites.append((files_of(config.parent / "site"), messages(result)))
    (forked, said), (alone, said_alone) = sites
    assert said == said_alone
    assert sorted(forked) == sorted(alone)
    assert [name for name in forked if forked[name] != alone[name]] == []


def test_the_worker_converts_no_page_where_another_plugin_works_on_pages_markdown(tmp_path: Path) -> None:
    # Material's tags plugin reads each page's Markdown (on_page_markdown): it must see every page in this process.
    config = course(tmp_path, parallel=True, config="  - tags\n")
    result = build(config, "--verbose")
    assert result.returncode == 0, result.stderr
    assert "with a second process" in result.stderr or (os.cpu_count() or 1) < 2  # the notes are still parsed there
    assert "converted by the second process" not in result.stderr
    page = BeautifulSoup((tmp_path / "site" / "lessons" / "41-lesson" / "index.html").read_bytes(), "html.parser")
    assert "More from 41" in [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a")]
