"""``python -m study_guide check PATH… [--json]``: parse notes without building the site."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .model import Lesson, Severity
from .parse import read_note


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
    args = parser.parse_args(argv)

    try:
        paths = list(_notes(args.paths))
    except FileNotFoundError as exc:
        print(f"{exc.args[0]}: no such file or folder", file=err)
        return 2
    lessons = [read_note(p) for p in paths]
    if args.json:
        json.dump({"files": [lesson_json(lesson) for lesson in lessons]}, out, indent=2, ensure_ascii=False, default=str)
        out.write("\n")
    else:
        for lesson in lessons:
            _print_lesson(lesson, out)
    failed = False
    for lesson in lessons:
        for problem in lesson.problems:
            print(f"{problem.format(lesson.path)} [{problem.severity.value}]", file=err)
            failed |= problem.severity is Severity.ERROR or (args.strict and problem.severity is Severity.WARNING)
    return 1 if failed else 0


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
            }
            for q in lesson.questions
        ],
        "summary": [
            {"index": b.index, "id": b.anchor, "line": b.line, "text": b.text, "tags": list(b.tags)} for b in lesson.bullets
        ],
        "problems": [{"line": p.line, "severity": p.severity.value, "message": p.message} for p in lesson.problems],
    }


def _print_lesson(lesson: Lesson, out: TextIO) -> None:
    questions, bullets = lesson.questions, lesson.bullets
    answered = sum(q.has_answer for q in questions)
    print(
        f"{lesson.path}: {lesson.title!r}: {len(questions)} questions ({answered} answered, read as '{lesson.family}'), "
        f"{len(bullets)} summary bullets",
        file=out,
    )
    for q in questions:
        print(f"  Q{q.number:<3} line {q.line:<5} {q.text}", file=out)
        answer = (
            _one_line(q.answer) if q.has_answer else "(no answer yet)" + (f": {_one_line(q.answer)}" if q.answer.strip() else "")
        )
        print(f"       answer{f' line {q.answer_line}' if q.answer_line else ''}: {answer}", file=out)
    for b in bullets:
        tags = f"  [{' '.join('#' + t for t in b.tags)}]" if b.tags else ""
        print(f"  S{b.index:<3} line {b.line:<5} {_one_line(b.text)}{tags}", file=out)


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
