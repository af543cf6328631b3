"""Notebook figures in real builds: embedded, placed from frontmatter, stale, unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.core.notebooks import Manifest, dump_manifest

from .conftest import make_project, mkdocs_build
from .test_notebooks import code, display, lesson_notebook, record_for


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def project_with_notebook(tmp_path: Path, note: str, *, stale: bool = False) -> Path:
    config = make_project(tmp_path, {"lessons/01-intro.md": note})
    notebooks = tmp_path / "docs" / "notebooks"
    notebooks.mkdir()
    nb = lesson_notebook()
    (notebooks / "lesson.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    record = record_for(nb, code_hash="0" * 64) if stale else record_for(nb)
    manifest = Manifest()
    manifest.put(record)
    dump_manifest(manifest, notebooks / "manifest.json")
    return config


NOTE = """\
---
figures:
  q-1: "notebooks/lesson.ipynb#results|The loss per epoch"
  s-1: notebooks/lesson.ipynb#loss-svg
---
1. What does a batch look like?

> Like this:
>
> ![[notebooks/lesson.ipynb#show-batch|A batch]]

2. What went into training?

> ![[lesson.ipynb#printed]]

## Summary
- Looking at the data
- Training
"""


def test_png_svg_table_and_text_embedded_with_provenance(tmp_path: Path) -> None:
    result = mkdocs_build(project_with_notebook(tmp_path, NOTE), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "site" / "lessons" / "01-intro" / "index.html")
    batch = page.select_one("#q-1 .sg-qa__answer figure#fig-show-batch img")
    assert batch["src"].startswith("../../assets/figures/") and batch["src"].endswith(".png")
    assert (tmp_path / "site" / batch["src"].removeprefix("../../")).read_bytes()[:4] == b"\x89PNG"
    assert "base64" not in str(page)
    table = page.select_one("#q-1 .sg-qa__answer figure#fig-results table")
    assert [th.get_text() for th in table.select("thead th")] == ["epoch", "loss"]
    assert page.select_one("#q-2 figure#fig-printed pre").get_text().startswith("a <b> & *c*")
    svg = page.select_one("figure#fig-loss-svg img")
    assert svg["src"].endswith(".svg")
    # Placed at bullet 1: right after it in the summary, before bullet 2.
    assert svg.find_parent("figure").find_previous("span", class_="sg-anchor")["id"] == "s-1"
    for figure in page.select("figure.sg-figure"):
        provenance = figure.select_one(".sg-figure__provenance").get_text(" ")
        assert "NVIDIA H100 80GB HBM3" in provenance and "2026-05-01" in provenance
        assert figure.select_one(".sg-figure__provenance a")["href"] == "../../notebooks/lesson.ipynb"
    assert (tmp_path / "site" / "notebooks" / "lesson.ipynb").is_file()
    assert not (tmp_path / "site" / "notebooks" / "manifest.json").exists()


def test_stale_outputs_warn_and_fail_strict(tmp_path: Path) -> None:
    config = project_with_notebook(tmp_path, NOTE, stale=True)
    strict = mkdocs_build(config, tmp_path / "strict")
    assert strict.returncode != 0
    assert "01-intro.md:3:" in strict.stderr and "lesson.ipynb" in strict.stderr and "results" in strict.stderr
    lenient = mkdocs_build(config, tmp_path / "lenient", strict=False)
    assert lenient.returncode == 0, lenient.stderr
    page = soup(tmp_path / "lenient" / "lessons" / "01-intro" / "index.html")
    assert "changed since" in page.select_one("figure#fig-results").get_text()


@pytest.mark.parametrize(
    ("embed", "message"),
    [
        ("![[notebooks/lesson.ipynb#nope]]", "show-batch"),
        ("![[notebooks/missing.ipynb#results]]", "notebooks/lesson.ipynb"),
    ],
)
def test_unknown_label_or_notebook_is_an_error_listing_what_exists(tmp_path: Path, embed: str, message: str) -> None:
    note = f"1. Q?\n\n> {embed}\n"
    result = mkdocs_build(project_with_notebook(tmp_path, note), tmp_path / "site")
    assert result.returncode != 0
    line = next(line for line in result.stderr.splitlines() if "01-intro.md:3:" in line)
    assert message in line
    assert "Traceback" not in result.stderr


def test_placement_at_an_unknown_id_is_an_error(tmp_path: Path) -> None:
    note = '---\nfigures:\n  q-9: "notebooks/lesson.ipynb#results"\n---\n1. Q?\n\n> A\n'
    result = mkdocs_build(project_with_notebook(tmp_path, note), tmp_path / "site")
    assert result.returncode != 0
    assert "01-intro.md:3: figures: 'q-9' is no question or summary bullet on this page; ids are q-1" in result.stderr


def test_seed_lesson_shows_its_figures_with_provenance(seed_site: Path) -> None:
    page = soup(seed_site / "lessons" / "01-deep-learning" / "index.html")
    figures = page.select("figure.sg-figure")
    assert len(figures) >= 4
    manifest = json.loads((Path(__file__).parents[1] / "docs" / "notebooks" / "manifest.json").read_text())
    devices = {record["device"] for record in manifest["notebooks"].values()}
    for figure in figures:
        provenance = figure.select_one(".sg-figure__provenance").get_text(" ")
        assert any(device in provenance for device in devices)
    assert page.select_one("#q-31 .sg-qa__answer figure#fig-collab-y-range img")
    batch = page.select_one("figure#fig-digits-show-batch")
    assert batch.find_previous("span", class_="sg-anchor")["id"] == "s-7"


HOSTILE_CELLS = {
    "bad-base64": display({"image/png": "not base64!!"}),
    "svg-script": display({"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'}),
    "svg-handler": display({"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'}),
}


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("bad-base64", "cell 'bad-base64' of notebooks/lesson.ipynb: its image/png output is not valid base64"),
        ("svg-script", "the SVG output of cell 'svg-script' of notebooks/lesson.ipynb is not shown: it holds a <script> element"),
        ("svg-handler", "the SVG output of cell 'svg-handler' of notebooks/lesson.ipynb is not shown: it holds an event handler"),
    ],
)
def test_a_hostile_or_broken_output_stops_the_build_naming_notebook_and_cell(tmp_path: Path, label: str, message: str) -> None:
    config = project_with_notebook(tmp_path, f"1. Q?\n\n> ![[notebooks/lesson.ipynb#{label}]]\n")
    nb = lesson_notebook()
    nb["cells"].append(code(f"#| label: {label}\nshow()", [HOSTILE_CELLS[label]]))
    (tmp_path / "docs" / "notebooks" / "lesson.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"01-intro.md:3: figure ![[notebooks/lesson.ipynb#{label}]]: {message}" in result.stderr
    assert not list((tmp_path / "site").rglob("*.svg"))


def test_a_label_on_two_cells_is_a_warning_naming_them(tmp_path: Path) -> None:
    config = project_with_notebook(tmp_path, "1. Q?\n\n> ![[notebooks/lesson.ipynb#show-batch]]\n")
    nb = lesson_notebook()
    nb["cells"].append(code("#| label: show-batch\nshow(again)"))
    (tmp_path / "docs" / "notebooks" / "lesson.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    strict = mkdocs_build(config, tmp_path / "site")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert "01-intro.md:3: figure ![[notebooks/lesson.ipynb#show-batch]]: cells 3, 8 of notebooks/lesson.ipynb" in strict.stderr
    assert "showing cell 3; give each cell a label of its own" in strict.stderr
    lenient = mkdocs_build(config, tmp_path / "lenient", strict=False)
    assert lenient.returncode == 0
    assert soup(tmp_path / "lenient" / "lessons" / "01-intro" / "index.html").select_one("#fig-show-batch img")


def test_the_deck_and_the_export_show_embedded_figures_where_the_note_has_them(tmp_path: Path) -> None:
    """The deck the site builds and the one `export anki` writes both put each embed's figure in its answer."""
    from .test_anki import export, read_package

    config = project_with_notebook(tmp_path, NOTE)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    built = read_package(tmp_path / "site" / "course.apkg")
    out = tmp_path / "export.apkg"
    code, _, stderr = export([str(tmp_path / "docs" / "lessons"), "-o", str(out), "--config-file", str(config)])
    assert code == 0, stderr
    exported = read_package(out)
    for deck in (built, exported):
        answer = deck.notes["What does a batch look like?"].fields["Answer"]
        assert "<figure" in answer and "![[" not in answer
        assert "sg-figure__text\">a &lt;b&gt;" in deck.notes["What went into training?"].fields["Answer"]
    assert exported.media == built.media
