"""Commands for authors of notes.

``python -m study_guide check PATH… [--json]`` parses notes without building the site;
``python -m study_guide align NOTE --chapters F.tsv | --transcript F.vtt`` gives summary
bullets their times in the lesson video; ``python -m study_guide export anki PATH… -o FILE.apkg``
writes the course as an Anki deck. ``python -m study_guide render DOCS --out OUT`` writes the docs folder
with every lesson page rendered, for Zensical or MkDocs without the plugin, and ``python -m study_guide
index SITE_DIR`` puts the lessons' per-question entries into the search index that generator wrote.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ...core.guards import remote_image_problem
from ...core.model import Lesson, Severity
from ...core.obsidian import Vault
from ...core.parse import read_note
from ...core.timestamps import format_time

if TYPE_CHECKING:
    from .export import SiteSettings


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 1 problems found, 2 bad usage)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(prog="python -m study_guide", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse notes and print their questions and summary bullets")
    check.add_argument("paths", nargs="+", metavar="PATH", help="a note, or a folder searched for *.md notes")
    check.add_argument("--json", action="store_true", help="print one JSON document instead of text")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too, as 'mkdocs build --strict' would")
    aligner = commands.add_parser("align", help="time summary bullets from a chapter list or a transcript")
    aligner.add_argument("note", type=Path, help="the lesson note whose summary bullets to time")
    source = aligner.add_mutually_exclusive_group(required=True)
    source.add_argument("--chapters", type=Path, metavar="FILE.tsv", help="chapter list: 'm:ss<TAB>topic' per line")
    source.add_argument("--transcript", type=Path, metavar="FILE.vtt", help="captions as WebVTT (.vtt) or SubRip (.srt)")
    aligner.add_argument("--out", type=Path, help="where to write the sidecar (default: beside the note)")
    aligner.add_argument("--length", help="the video's length (m:ss or h:mm:ss), to check times against")
    aligner.add_argument("--force", action="store_true", help="overwrite an existing sidecar")
    exporter = commands.add_parser("export", help="take the course away: an Anki deck")
    formats = exporter.add_subparsers(dest="format", required=True)
    deck = formats.add_parser("anki", help="an Anki package: a subdeck per lesson, a note per answered question")
    deck.add_argument("paths", nargs="+", metavar="PATH", help="a note, or a folder searched for *.md notes")
    deck.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.apkg", help="where to write the package")
    deck.add_argument(
        "-f", "--config-file", type=Path, help="the site's mkdocs.yml, for its Markdown extensions (default: ./mkdocs.yml if any)"
    )
    deck.add_argument("--deck", help="the parent deck's name (default: the site's site_name)")
    deck.add_argument("--site-url", help="the site's address, for each card's link back to its question (default: site_url)")
    render = commands.add_parser("render", help="write the docs folder with every lesson page rendered, for any generator")
    render.add_argument("docs", type=Path, metavar="DOCS", help="the site's docs folder")
    render.add_argument("--out", type=Path, required=True, help="where to write it (its configuration goes beside it)")
    render.add_argument(
        "--for", dest="generator", choices=("zensical", "mkdocs"), default="zensical", help="the generator that builds it"
    )
    render.add_argument("-f", "--config-file", type=Path, help="the site's mkdocs.yml (default: ./mkdocs.yml if any)")
    indexer = commands.add_parser("index", help="put the lessons' per-question entries into a built site's search index")
    indexer.add_argument("site", type=Path, metavar="SITE_DIR", help="the site a generator built from render's folder")
    args = parser.parse_args(argv)
    if args.command in ("render", "index"):
        from ..docs_folder.commands import index_command, render_command

        return render_command(args, out, err) if args.command == "render" else index_command(args, out, err)
    if args.command == "align":
        return _align(args, out, err)
    if args.command == "export":
        return _export_anki(args, out, err)

    try:
        paths = list(_notes(args.paths))
    except FileNotFoundError as exc:
        print(f"{exc.args[0]}: no such file or folder", file=err)
        return 2
    lessons = [read_note(p) for p in paths]
    vault = _vault([Path(p) for p in args.paths], paths, lessons)
    for path, lesson in zip(paths, lessons, strict=True):
        remote = remote_image_problem(path.read_text(encoding="utf-8", errors="replace"))
        if remote is not None:
            lesson.problems.append(remote)
    if args.json:
        files = [{**lesson_json(lesson), "links": _links_json(vault, uri)} for uri, lesson in vault.lessons.items()]
        json.dump({"files": files}, out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
    else:
        for uri, lesson in vault.lessons.items():
            _print_lesson(lesson, out)
            _print_links(vault, uri, out)
    failed = False
    for lesson in lessons:
        for problem in lesson.problems:
            print(f"{problem.format(lesson.path)} [{problem.severity.value}]", file=err)
            failed |= problem.severity is Severity.ERROR or (args.strict and problem.severity is Severity.WARNING)
    return 1 if failed else 0


def _vault(given: list[Path], paths: list[Path], lessons: list[Lesson]) -> Vault:
    """The notes as one vault, so that their wikilinks resolve: named by their paths under the folder that holds them all.

    Files (images) are looked for under that folder too.
    """
    root = Path(os.path.commonpath([p.resolve() if p.is_dir() else p.resolve().parent for p in given]))
    site = next((a for a in (root, *root.parents) if (a / "mkdocs.yml").is_file() and root.is_relative_to(a / "docs")), None)
    root = site / "docs" if site is not None else root  # the site's docs folder, where its images are
    uris = [p.resolve().relative_to(root).as_posix() for p in paths]
    files = [f.relative_to(root).as_posix() for f in sorted(root.rglob("*")) if f.is_file()] if paths else []
    return Vault(dict(zip(uris, lessons, strict=True)), files)


def _links_json(vault: Vault, uri: str) -> list[dict[str, Any]]:
    return [{"line": r.line, "link": r.written, "embed": r.embed, "resolved": r.resolved} for r in vault.reports.get(uri, [])]


def _print_links(vault: Vault, uri: str, out: TextIO) -> None:
    """The note's wikilinks and embeds: those resolved (and where to), then those that name nothing on the site."""
    reports = vault.reports.get(uri, [])
    if not reports:
        return
    found = [r for r in reports if r.resolved is not None and not r.resolved.startswith("concept ")]
    print(f"  links: {len(found)} resolved, {len(reports) - len(found)} not (concepts, or embeds not found)", file=out)
    for r in reports:
        shown = f"{'!' if r.embed else ''}[[{r.written}]]"
        where = r.resolved if r.resolved is not None else "NOT FOUND"
        print(f"    line {r.line:<5} {shown} -> {where}", file=out)


def _notes(paths: Sequence[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(path.rglob("*.md"))
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(name)


def lesson_json(lesson: Lesson) -> dict[str, Any]:
    """The lesson as the JSON object documented in the README."""
    return {
        "path": lesson.path,
        "title": lesson.title,
        "family": lesson.family,
        "meta": lesson.meta,
        "questions": [
            {
                "number": q.number,
                "id": q.anchor,
                "line": q.line,
                "text": q.text,
                "answer": q.answer,
                "answer_line": q.answer_line,
                "has_answer": q.has_answer,
                "sure": q.sure,
            }
            for q in lesson.questions
        ],
        "summary": [
            {"index": b.index, "id": b.anchor, "line": b.line, "text": b.text, "tags": list(b.tags), "time": b.time}
            for b in lesson.bullets
        ],
        "problems": [{"line": p.line, "severity": p.severity.value, "message": p.message} for p in lesson.problems],
    }


def _print_lesson(lesson: Lesson, out: TextIO) -> None:
    questions, bullets = lesson.questions, lesson.bullets
    answered = sum(q.has_answer for q in questions)
    sure = sum(q.sure for q in questions)
    guessed = f", {sure} of {len(questions)} sure" if sure < len(questions) else ""
    print(
        f"{lesson.path}: {lesson.title!r}: {len(questions)} questions ({answered} answered, read as '{lesson.family}'"
        f"{guessed}), {len(bullets)} summary bullets",
        file=out,
    )
    for q in questions:
        print(f"  Q{q.number:<3} line {q.line:<5} {q.text}{'' if q.sure else '  (guessed)'}", file=out)
        answer = (
            _one_line(q.answer) if q.has_answer else "(no answer yet)" + (f": {_one_line(q.answer)}" if q.answer.strip() else "")
        )
        print(f"       answer{f' line {q.answer_line}' if q.answer_line else ''}: {answer}", file=out)
    for b in bullets:
        tags = f"  [{' '.join('#' + t for t in b.tags)}]" if b.tags else ""
        time = f"[{format_time(b.time)}] " if b.time is not None else ""
        print(f"  S{b.index:<3} line {b.line:<5} {time}{_one_line(b.text)}{tags}", file=out)


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _align(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ...core import timestamps

    try:
        import sklearn  # noqa: F401 - only to tell a missing install apart from a bug
        import webvtt  # noqa: F401

        from ...core import align
    except ImportError as exc:
        print(f"align needs {exc.name}: run '.venv/bin/pip install -r requirements-align.txt'", file=err)
        return 2

    target = args.out or args.note.with_name(args.note.name.removesuffix(".md") + timestamps.SIDECAR_SUFFIX)
    if target.exists() and not args.force:
        print(f"{target}: exists (perhaps corrected by hand); add --force to overwrite it", file=err)
        return 2
    length = timestamps.parse_time(args.length) if args.length else None
    if args.length and length is None:
        print(f"--length {args.length!r} is not a time; write m:ss or h:mm:ss", file=err)
        return 2
    if not args.note.is_file():
        print(f"{args.note}: no such file", file=err)
        return 2
    lesson = read_note(args.note)
    if not lesson.bullets:
        print(f"{args.note}:1: no summary bullets to align; write them as '- ' under '## Summary'", file=err)
        return 1
    source_path = args.chapters or args.transcript
    try:
        segments = align.read_chapters(source_path) if args.chapters else align.read_transcript(source_path)
    except (align.InputError, OSError) as exc:
        print(str(exc), file=err)
        return 1
    matches = align.align([b.text for b in lesson.bullets], segments)
    target.write_text(align.sidecar_text(matches, length, source_path.name), encoding="utf-8")
    weak = [m for m in matches if m.confidence < align.LOW_CONFIDENCE]
    print(f"{'#':>3}  {'time':>7}  conf   {'bullet':<58}  matched", file=out)
    for match, bullet in zip(matches, lesson.bullets, strict=True):
        flag = "  CHECK" if match in weak else ""
        shown = f"{timestamps.format_time(match.segment.start):>7}"
        print(
            f"{match.bullet:>3}  {shown}  {match.confidence:.2f}   {_one_line(bullet.text, 58):<58}  "
            f"{_one_line(match.segment.text, 60)}{flag}",
            file=out,
        )
    print(f"wrote {target}: {len(matches)} bullets timed, {len(weak)} weak matches marked CHECK to review", file=out)
    return 0


def _export_anki(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import ExportError, SiteSettings, export_anki, settings_from_config

    paths = [Path(p) for p in args.paths]
    try:
        if args.config_file is not None and not args.config_file.is_file():
            print(f"{args.config_file}: no such file; name the site's mkdocs.yml, or leave --config-file out", file=err)
            return 2
        settings = settings_from_config(args.config_file) if args.config_file else None
        if settings is None and Path("mkdocs.yml").is_file():
            settings = _site_here(paths)
        if settings is None:
            # Notes alone: the folder above the lessons is taken as the docs folder (notebooks, images).
            first = paths[0]
            settings = SiteSettings(docs_dir=(first if first.is_dir() else first.parent).parent)
        if args.site_url:
            settings.url = args.site_url
        report, problems = export_anki(paths, args.output, settings, deck=args.deck)
    except FileNotFoundError as exc:
        print(f"{exc.args[0]}: no such file or folder", file=err)
        return 2
    except ExportError as exc:
        print(str(exc), file=err)
        return 1
    for problem in problems:
        print(problem, file=err)
    if report is None:
        print(f"{args.output}: not written; fix the errors above first", file=err)
        return 1
    print(
        f"wrote {report.path}: {report.notes} notes in {report.decks} subdecks of {args.deck or settings.name!r}, "
        f"{report.media} media files, {report.size / 1024:.1f} KiB (Markdown extensions from {settings.source})",
        file=out,
    )
    return 0


def _site_here(paths: Sequence[Path]) -> SiteSettings | None:
    """The site of ./mkdocs.yml, as MkDocs itself would find it, when the notes are its own; else None."""
    from .export import ExportError, settings_from_config

    try:
        found = settings_from_config(Path("mkdocs.yml"))
    except ExportError:
        return None  # not asked for: the notes alone will do
    docs = found.docs_dir.resolve() if found.docs_dir else None
    return found if docs and all(p.resolve().is_relative_to(docs) for p in paths) else None
