"""Time the parser and the renderer per note, on the benchmark's synthetic course (no MkDocs build).

A quick figure for parser work: ``make bench`` times whole builds, which takes long; this takes
seconds. It prints the best of several runs, in milliseconds per note::

    .venv/bin/python scripts/time_parse.py                  # 500 lessons, best of 5
    .venv/bin/python scripts/time_parse.py --lessons 100 --repeats 3
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import generate_course  # the sibling script (run as scripts/time_parse.py, its folder is on the path)
from study_guide.core.parse import parse_note
from study_guide.core.render import PageContext, render_lesson


def main(argv: Sequence[str] | None = None) -> int:
    """Print the parse and render time per note; return 0."""
    parser = argparse.ArgumentParser(prog="time_parse.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=500, help="notes in the synthetic course (default 500)")
    parser.add_argument("--repeats", type=int, default=5, help="runs; the best counts (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic notes (default 1)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        texts = [p.read_text(encoding="utf-8") for p in generate_course(Path(tmp), args.lessons, args.seed)]
    best_parse = best_render = float("inf")
    for _ in range(max(1, args.repeats)):
        started = time.perf_counter()
        lessons = [parse_note(text, "note.md") for text in texts]
        parsed = time.perf_counter()
        for lesson in lessons:
            render_lesson(lesson, PageContext("note"))
        best_parse = min(best_parse, parsed - started)
        best_render = min(best_render, time.perf_counter() - parsed)
    size = sum(map(len, texts)) / len(texts) / 1024
    questions = sum(len(lesson.questions) for lesson in lessons)
    print(
        f"parse: {best_parse / len(texts) * 1e3:.3f} ms/note, render: {best_render / len(texts) * 1e3:.3f} ms/note "
        f"({len(texts)} notes of {size:.1f} kB, {questions} questions; best of {args.repeats})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
