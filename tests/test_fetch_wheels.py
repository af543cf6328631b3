"""``scripts/fetch_gpu_wheels.sh`` counts what it downloaded, in its default folder too (no network: pip is faked)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "fetch_gpu_wheels.sh"
# Stands in for `python3 -m pip download ... -d DEST NAME==VERSION`: writes an empty wheel of that name.
FAKE_PYTHON = """#!/usr/bin/env bash
while (( $# )); do
    case "$1" in
        -d) dest="$2"; shift ;;
        *==*) spec="$1" ;;
    esac
    shift
done
touch "$dest/${spec%%==*}-${spec##*==}-py3-none-any.whl"
"""


def run_script(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The script from a copy of the repository's layout in *tmp_path*, so its default folder lands there."""
    (tmp_path / "scripts").mkdir(exist_ok=True)
    shutil.copy(SCRIPT, tmp_path / "scripts" / SCRIPT.name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "python3").write_text(FAKE_PYTHON, encoding="utf-8")
    (bin_dir / "python3").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    command = ["bash", str(tmp_path / "scripts" / SCRIPT.name), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)


def test_default_folder_counts_its_wheels_not_itself(tmp_path: Path) -> None:
    result = run_script(tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / ".whl").glob("*.whl"))) == 38


def test_a_stale_wheel_left_over_is_reported(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "old-1.0-py3-none-any.whl").touch()
    result = run_script(tmp_path, "elsewhere")
    assert result.returncode == 1
    assert "elsewhere holds 39 wheels, expected 38" in result.stderr
