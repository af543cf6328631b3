"""Benchmark the course leaving the site: the Anki deck's time and size, and the printed pages.

- The deck of the seed lesson (``docs/lessons``) and of the synthetic course of ``bench.py`` at 500
  lessons (40 questions each): the time ``python -m study_guide export anki`` takes, split into reading
  the notes (parse, Markdown, sanitiser: what a site build does anyway) and writing the package (what a
  site build adds), the package's size and its notes.
- The seed lesson printed by headless Chromium (Debian's, through Playwright; A4, the browser's
  default margins): pages of the worksheet and of the answer key, and of the course's print page.

The figures go into the benchmark report, between markers of their own; timings are never asserted in tests.

Usage::

    .venv/bin/python scripts/bench_export.py                       # seed and 500 lessons; updates BENCHMARKS.md
    .venv/bin/python scripts/bench_export.py --lessons 3 --runs 1 --out /tmp/e.md   # smoke
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate_course
from bench_review import served, write_report
from study_guide.adapters.cli.export import SiteSettings, read_course, settings_from_config
from study_guide.core import anki

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
START, END = "<!-- export benchmark -->", "<!-- /export benchmark -->"


@dataclass
class DeckRun:
    course: str
    lessons: int
    notes: int
    media: int
    size: int
    read_s: float  # median: notes to cards
    write_s: float  # median: cards to the package
    read_cpu_s: float  # the same in CPU time: steadier on a busy machine
    write_cpu_s: float


def time_deck(name: str, paths: Sequence[Path], settings: SiteSettings, runs: int, out: Path) -> DeckRun:
    reads, writes, read_cpu, write_cpu, report = [], [], [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        course = read_course(paths, settings)
        middle, middle_cpu = time.perf_counter(), time.process_time()
        report = anki.write_deck(out, course.lessons, anki.Site(settings.name, settings.url, sanitized=True), course.media)
        reads.append(middle - start)
        writes.append(time.perf_counter() - middle)
        read_cpu.append(middle_cpu - start_cpu)
        write_cpu.append(time.process_time() - middle_cpu)
        assert not course.problems, course.problems
    assert report is not None
    median = statistics.median
    return DeckRun(
        name, len(course.lessons), report.notes, report.media, report.size,
        median(reads), median(writes), median(read_cpu), median(write_cpu),
    )  # fmt: skip


def printed_pages(site: Path) -> dict[str, int]:
    """Pages Chromium prints (A4) of the seed lesson as a worksheet and as an answer key, and of the course page."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    def pages(page) -> int:
        return len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)

    counts = {}
    with served(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.add_init_script("window.print = () => {};")
        page.goto(url + "/lessons/01-deep-learning/")
        page.wait_for_selector(".sg-toolbar[data-sg-ready]")
        counts["lesson, before this change (the page as on screen, answers closed)"] = pages_without_print_styles(page, pages)
        counts["lesson worksheet"] = pages(page)
        page.click('[data-sg-do="more"]')
        page.click('[data-sg-do="key"]')
        counts["lesson answer key"] = pages(page)
        page.goto(url + "/print/")
        page.wait_for_selector(".sg-print[data-sg-ready]")
        counts["course worksheets (cover, contents, lesson)"] = pages(page)
        page.check(".sg-print__controls input")
        counts["course answer key"] = pages(page)
        browser.close()
    return counts


def pages_without_print_styles(page, pages) -> int:
    page.evaluate("document.querySelector('link[href$=\"print.css\"]').disabled = true")
    try:
        return pages(page)
    finally:
        page.evaluate("document.querySelector('link[href$=\"print.css\"]').disabled = false")


def build_seed(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    subprocess.run(cmd, check=True, env=env, timeout=600, cwd=ROOT)


def render(runs: list[DeckRun], counts: dict[str, int], repeats: int) -> str:
    lines = [
        START,
        "## Taking the course away",
        "",
        f"Written by `scripts/bench_export.py` (run by `make bench`). The Anki deck, as "
        f"`python -m study_guide export anki` makes it (median of {repeats} runs): reading the notes is what a site "
        "build does anyway; writing the package is what the build adds (`anki_deck`).",
        "",
        "| Course | Lessons | Notes | Media files | Package | Reading the notes, s (CPU) | Writing the package, s (CPU)"
        " | Export in all, s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {r.course} | {r.lessons} | {r.notes:,} | {r.media} | {r.size / 1e6:.2f} MB | {r.read_s:.2f} ({r.read_cpu_s:.2f})"
            f" | {r.write_s:.2f} ({r.write_cpu_s:.2f}) | {r.read_s + r.write_s:.2f} |"
        )
    if counts:
        lines += ["", "The seed lesson printed by Chromium (A4):", "", "| Printed | Pages |", "| --- | ---: |"]
        lines += [f"| {name} | {n} |" for name, n in counts.items()]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_export.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=500, help="the synthetic course's size (default 500)")
    parser.add_argument("--runs", type=int, default=3, help="exports timed per course (default 3)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--no-print", action="store_true", help="skip printing in Chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        seed = settings_from_config(ROOT / "mkdocs.yml")
        runs.append(time_deck("seed lesson", [ROOT / "docs" / "lessons"], seed, args.runs, Path(tmp) / "seed.apkg"))
        docs = Path(tmp) / "docs"
        generate_course(docs, args.lessons, args.seed)
        synthetic = SiteSettings(name="Synthetic course", url="http://127.0.0.1/", docs_dir=docs)
        runs.append(
            time_deck(f"synthetic, {args.lessons} lessons", [docs / "lessons"], synthetic, args.runs, Path(tmp) / "big.apkg")
        )
        for run in runs:
            print(run, file=sys.stderr)
        counts = {}
        if not args.no_print:
            build_seed(Path(tmp) / "site")
            counts = printed_pages(Path(tmp) / "site")
            print(counts, file=sys.stderr)
    section = render(runs, counts, args.runs)
    write_report(args.out, section, START, END)
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
