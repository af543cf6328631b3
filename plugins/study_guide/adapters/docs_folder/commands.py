"""The route's two commands as the command line runs them: arguments in, messages out, an exit status back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .index import IndexingError, index_site
from .render import RenderError, render_docs
from .site_config import ConfigError, SiteConfig, read_config


def render_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``render DOCS --out OUT [-f mkdocs.yml]``: 0 written, 1 problems in notes or settings, 2 bad usage."""
    config_file = args.config_file or (Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None)
    if args.config_file is not None and not args.config_file.is_file():
        print(f"{args.config_file}: no such file; name the site's mkdocs.yml, or leave --config-file out", file=err)
        return 2
    if not args.docs.is_dir():
        print(f"{args.docs}: no such folder; name the site's docs folder, e.g. docs", file=err)
        return 2
    try:
        site = read_config(config_file) if config_file else SiteConfig(Path("mkdocs.yml"), {"site_name": "Course"}, args.docs)
        site.docs_dir = args.docs.resolve()
        report = render_docs(site, args.out, args.generator)
    except (ConfigError, RenderError) as exc:
        print(str(exc), file=err)
        return 1
    for warning in report.warnings:
        print(f"{warning} [warning]", file=err)
    print(
        f"wrote {args.out}: {_count(report.lessons, 'lesson')} rendered, {_count(report.pages, 'page')},"
        f" {_count(report.files, 'other file')};"
        f" build it with `{args.generator} build -f {report.config}`,"
        f" then run `python -m study_guide index SITE_DIR`",
        file=out,
    )
    return 0


def index_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``index SITE_DIR``: 0 indexed, 1 nothing to index there."""
    try:
        report = index_site(args.site)
    except IndexingError as exc:
        print(str(exc), file=err)
        return 1
    entries, pages = _count(report.entries, "entry", "entries"), _count(report.pages, "lesson page")
    print(f"wrote {report.index}: {entries} for {pages}", file=out)
    return 0


def _count(n: int, one: str, many: str = "") -> str:
    """'1 lesson', '2 lessons': what a person would write."""
    return f"{n} {one if n == 1 else many or one + 's'}"
