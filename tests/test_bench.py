"""The benchmark script's smoke mode (what CI runs): it builds, serves and reports; no timings judged."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "bench.py"
_spec = importlib.util.spec_from_file_location("bench", SCRIPT)
assert _spec is not None and _spec.loader is not None
BENCH = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = BENCH  # its dataclasses look their module up while being defined
_spec.loader.exec_module(BENCH)
COLUMNS = "| Lessons | Measure | Plain Material | Ours | Ours / plain | Target | Result |"
MEASURES = (
    "Build time, s",
    "CPU time, s",
    "Peak memory, MiB",
    "Site size, MB",
    "Files in the site",
    "Search index, MB",
    "Our hook time, s",
    "Our hooks' share of our build time",
    "Our share of our CPU time (hooks and worker process)",
)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, object]]:
    """One run of ``bench.py --smoke``: the report it wrote and its JSON."""
    tmp = tmp_path_factory.mktemp("bench")
    out, data = tmp / "benchmarks.md", tmp / "bench.json"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--out", str(out), "--json", str(data), "--workdir", str(tmp)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8"), json.loads(data.read_text(encoding="utf-8"))


def _rows(report: str) -> list[list[str]]:
    start = report.index(COLUMNS)
    lines = report[start:].split("\n\n", 1)[0].splitlines()
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def test_the_table_has_the_expected_columns(smoke: tuple[str, dict[str, object]]) -> None:
    report, _ = smoke
    assert report.startswith("# Benchmarks\n")
    assert COLUMNS in report
    assert all(len(row) == 7 for row in _rows(report))


def test_one_row_per_measure_at_three_lessons(smoke: tuple[str, dict[str, object]]) -> None:
    rows = _rows(smoke[0])
    at_three = [row[1] for row in rows if row[0] == "3"]
    for measure in MEASURES:
        assert sum(m.startswith(measure) for m in at_three) == 1, measure
    assets = [row for row in rows if row[0] == "all"]
    assert [row[1].split(",")[0] for row in assets] == ["JS + CSS every page loads", "JS + CSS only the review loads"]
    assert all(int(row[3].replace(",", "")) > 0 for row in assets)


def test_serve_rows_for_both_reload_modes(smoke: tuple[str, dict[str, object]]) -> None:
    serve = [row[1] for row in _rows(smoke[0]) if "mkdocs serve" in row[1]]
    assert len(serve) == 2
    assert any("--dirty" in s for s in serve)


def test_every_build_was_measured(smoke: tuple[str, dict[str, object]]) -> None:
    _, data = smoke
    runs = data["runs"]
    assert isinstance(runs, list)
    assert sorted(r["config"] for r in runs if r["shape"] == "synthetic") == ["ours", "plain"]
    assert sorted(r["config"] for r in runs if r["shape"] == "seed") == ["ours", "plain"]
    for run in runs:
        assert run["site_files"] > 0 and run["index_bytes"] > 0 and run["maxrss_kib"] > 0
    ours = next(r for r in runs if r["config"] == "ours")
    plain = next(r for r in runs if r["config"] == "plain")
    # Hooks are timed in our build only: the plain build never imports our plugin.
    assert ours["hooks"] and not plain["hooks"]


def test_the_report_is_the_repositorys_not_the_study_sites(seed_site: Path) -> None:
    # The study site is for learners: the report goes beside the README, and no page of the site is about it.
    assert BENCH.DEFAULT_OUT == ROOT / "BENCHMARKS.md"
    assert not (ROOT / "docs" / "benchmarks.md").exists()
    assert not list(seed_site.glob("benchmarks*"))
    assert "Benchmarks" not in (seed_site / "index.html").read_text(encoding="utf-8")


def test_the_report_is_plain_markdown(smoke: tuple[str, dict[str, object]]) -> None:
    report, _ = smoke
    # Rendered by any Markdown viewer (GitHub's, say): no MkDocs-only syntax, no links into docs/.
    assert "{:" not in report and "](docs/" not in report and "!!!" not in report


def test_the_report_keeps_the_sections_other_benchmarks_wrote() -> None:
    earlier = "# Benchmarks\n\nold table\n\n<!-- review benchmark -->\n## The daily review\n| a |\n<!-- /review benchmark -->\n"
    earlier += "\n<!-- wikilinks benchmark -->\n## Wikilinks\n<!-- /wikilinks benchmark -->\n"
    assert BENCH._sections(earlier) == [
        "<!-- review benchmark -->\n## The daily review\n| a |\n<!-- /review benchmark -->",
        "<!-- wikilinks benchmark -->\n## Wikilinks\n<!-- /wikilinks benchmark -->",
    ]
    assert BENCH._sections("# Benchmarks\n\nno sections\n") == []
