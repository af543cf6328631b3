"""The export benchmark's smoke run: it exports, prints and reports into its own section; no timings judged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser


def test_the_export_benchmark_reports_into_its_own_section(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\nThe build's own report stays.\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for extra in (["--no-print"], []):  # a second run replaces its section instead of adding another
        cmd = [sys.executable, str(ROOT / "scripts" / "bench_export.py"), "--lessons", "3", "--runs", "1", *extra]
        result = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True, timeout=600, env=env, check=False)
        assert result.returncode == 0, result.stderr
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Benchmarks\n\nThe build's own report stays.\n")
    assert report.count("## Taking the course away") == 1 and report.count("<!-- /export benchmark -->") == 1
    courses = ("| seed lesson |", "| synthetic, 3 lessons |")
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in report.splitlines() if line.startswith(courses)]
    assert [row[0] for row in rows] == ["seed lesson", "synthetic, 3 lessons"]
    assert rows[0][2] == "31" and int(rows[1][2]) > 100  # notes: 40 questions a lesson, nearly all answered
    pages = {line.split("|")[1].strip(): int(line.split("|")[2]) for line in report.splitlines() if line.startswith("| lesson")}
    assert pages["lesson worksheet"] < pages["lesson answer key"]
