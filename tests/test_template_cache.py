"""The theme's templates are compiled once per machine: a build from the cache writes the same site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jinja2 import DictLoader, Environment

from study_guide.adapters.mkdocs_plugin.plugin import _TemplateCache

from .conftest import make_project
from .test_trust import course_note, files_of


def test_a_build_from_compiled_templates_writes_the_same_site(tmp_path: Path) -> None:
    temp = tmp_path / "temp"  # Jinja's cache goes in a private folder of the temp folder: a fresh one here
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "SOURCE_DATE_EPOCH": "1764288000", "NO_MKDOCS_2_WARNING": "1"}
    config = make_project(tmp_path / "project", {f"lessons/{n:02d}-lesson.md": course_note(n) for n in range(3)})
    sites = []
    for name in ("compiled", "cached"):
        site = tmp_path / name
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        sites.append(files_of(site))
        cached = [p for p in temp.rglob("*.cache")]
        assert cached, "the first build leaves the compiled templates in the cache"
    compiled, from_cache = sites
    assert sorted(compiled) == sorted(from_cache)
    assert [name for name in compiled if compiled[name] != from_cache[name]] == []


def test_environments_that_compile_differently_never_share_a_template(tmp_path: Path) -> None:
    cache = _TemplateCache(str(tmp_path))
    source = "{{ greeting }} [[ greeting ]]"
    plain = Environment(loader=DictLoader({"page.html": source}), bytecode_cache=cache)
    brackets = Environment(
        loader=DictLoader({"page.html": source}),
        bytecode_cache=cache,
        variable_start_string="[[",
        variable_end_string="]]",
    )
    assert plain.get_template("page.html").render(greeting="hi") == "hi [[ greeting ]]"
    assert brackets.get_template("page.html").render(greeting="hi") == "{{ greeting }} hi"
    # And again from the cache, each its own.
    plain.cache.clear()
    brackets.cache.clear()
    assert (
        Environment(loader=DictLoader({"page.html": source}), bytecode_cache=cache)
        .get_template("page.html")
        .render(greeting="hi")
        == "hi [[ greeting ]]"
    )
    assert brackets.get_template("page.html").render(greeting="hi") == "{{ greeting }} hi"
    assert len(list(tmp_path.iterdir())) == 2
