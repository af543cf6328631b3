"""The review benchmark's smoke run: it builds, opens the review in Chromium and reports; no timings judged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser


def test_the_review_benchmark_reports_into_its_own_section(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nThe build's own report stays.\n", encoding="utf-8")
    cmd = [sys.executable, str(ROOT / "scripts" / "bench_review.py"), "--lessons", "2,3", "--loads", "1", "--grades", "2"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for _ in range(2):  # a second run replaces its section instead of adding another
        result = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True, timeout=600, env=env, check=False)
        assert result.returncode == 0, result.stderr
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Benchmarks\n\nThe build's own report stays.\n")
    assert report.count("## The daily review") == 1 and report.count("<!-- /review benchmark -->") == 1
    rows = [line for line in report.splitlines() if line.startswith(("| 2 |", "| 3 |"))]
    assert len(rows) == 2
    assert rows[0].endswith("| – | – | – |")  # timed at the largest size only
    first, grade = rows[1].split("|")[7:9]
    assert first.strip().endswith(" ms") and grade.strip().endswith(" ms")
