"""ProperDocs, the maintained fork of MkDocs 1.6, builds the same study site as MkDocs.

Material for MkDocs reaches its end of life in 2027 and MkDocs 1.6.1 is the last 1.x release; ProperDocs
keeps MkDocs' plugin API (it answers ``mkdocs.*`` imports with its own modules), so our plugin runs there
unchanged. The two sites are compared page by page, byte for byte but for the generator's name.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def build(tool: str, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    cmd = [sys.executable, "-m", tool, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path: Path) -> None:
    build("mkdocs", tmp_path / "mkdocs")
    build("properdocs", tmp_path / "properdocs")
    ours = sorted(p.relative_to(tmp_path / "mkdocs") for p in (tmp_path / "mkdocs").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(tmp_path / "properdocs") for p in (tmp_path / "properdocs").rglob("*") if p.is_file())
    assert ours == theirs
    lesson = Path("lessons/01-deep-learning/index.html")
    assert lesson in ours
    different = []
    for path in ours:
        a, b = ((tmp_path / tool / path).read_bytes() for tool in ("mkdocs", "properdocs"))
        if GENERATOR.sub(b"", a) != GENERATOR.sub(b"", b):
            different.append(str(path))
    assert different == []
    page = (tmp_path / "properdocs" / lesson).read_text(encoding="utf-8")
    assert page.count('class="sg-qa ') == 33 and b"ProperDocs" in GENERATOR.search(page.encode()).group(0)
