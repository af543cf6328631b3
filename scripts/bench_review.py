"""Benchmark the daily review: what it costs the learner's browser, at 10, 100 and 500 lessons.

For each course size the script builds the synthetic course of ``bench.py`` (40 answered questions a
lesson) with our plugin and reports the cards file the review page loads. At the largest size it then
opens the review page in headless Chromium (Debian's, through Playwright) as a learner coming back to it:
the site visited before, a history in storage (reviews of one card in ten, a few each). It measures:

- how long from navigation to the first card on screen (median of several page loads);
- how long grading a card takes, up to the next card laid out (median of many grades).

The figures go into the benchmark report, between markers of their own; timings are never asserted
in tests.

Usage::

    .venv/bin/python scripts/bench_review.py                     # 10, 100, 500 lessons; updates BENCHMARKS.md
    .venv/bin/python scripts/bench_review.py --lessons 3 --loads 1 --grades 3 --out /tmp/r.md   # smoke
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate_course
from study_guide.core.cards import ANSWERS_DIR, CARDS_FILE, read_cards_script

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
START, END = "<!-- review benchmark -->", "<!-- /review benchmark -->"
CONFIG = """\
site_name: Synthetic course
site_url: http://127.0.0.1/
theme:
  name: material
  features: [navigation.instant, navigation.prune]
plugins:
  - search
  - study-guide
markdown_extensions: [admonition, attr_list, md_in_html, toc, pymdownx.details, pymdownx.superfences]
"""


@dataclass
class CourseRun:
    lessons: int
    cards: int
    cards_bytes: int
    cards_gzip: int
    answers_bytes: int = 0  # each lesson's answers file (answers/*.js), loaded as its cards are shown
    answers_gzip: int = 0
    first_card_ms: float | None = None
    grade_ms: float | None = None
    reviewed_cards: int = 0


def build(root: Path, lessons: int, seed: int) -> Path:
    generate_course(root / "docs", lessons, seed)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    site = root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    subprocess.run(cmd, check=True, env=env, timeout=1800)
    return site


def read_cards(site: Path) -> tuple[dict, bytes]:
    raw = (site / "assets" / "study-guide" / CARDS_FILE).read_bytes()
    return read_cards_script(raw.decode("utf-8")), raw


def answers_sizes(site: Path) -> tuple[int, int]:
    """Bytes of the lessons' answers files, as stored and gzipped one by one (as a server sends them)."""
    files = sorted((site / "assets" / "study-guide" / ANSWERS_DIR).glob("*.js"))
    data = [f.read_bytes() for f in files]
    return sum(map(len, data)), sum(len(gzip.compress(d, 9)) for d in data)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def history(cards: dict, seed: int) -> tuple[dict[str, str], int]:
    """Stored progress of a learner who has reviewed one card in ten, 2 to 8 times over the last months."""
    rng, now, day = random.Random(seed), 1_780_000_000_000, 86_400_000
    stored, reviewed = {}, 0
    for lesson in cards["lessons"]:
        records = {}
        for row in lesson["cards"][::10]:
            t = now - rng.randrange(30, 120) * day
            reviews = []
            for _ in range(rng.randint(2, 8)):
                reviews.append([t, rng.choice([1, 2, 3, 3, 3, 4])])
                t += rng.randrange(1, 12) * day
            records[row[1]] = {"t": "", "r": reviews}
            reviewed += 1
        stored["sg:Synthetic%20course:" + lesson["id"]] = json.dumps({"v": 2, "c": records})
    return stored, reviewed


RESTORE = "s => { localStorage.clear(); const o = JSON.parse(s); for (const k in o) localStorage.setItem(k, o[k]); }"
FIRST_CARD = "performance.now()"  # ms since the navigation started, read once the first card is on screen
GRADE = """() => {
  const t = performance.now();
  document.querySelector('.sg-card__reveal').click();
  document.querySelector('.sg-card__grades [data-sg-g="3"]').click();
  document.querySelector('.sg-card__q').getBoundingClientRect();  // the next card, laid out
  return performance.now() - t;
}"""


def measure_browser(site: Path, cards: dict, loads: int, grades: int, seed: int) -> tuple[float, float, int]:
    from playwright.sync_api import sync_playwright

    stored, reviewed = history(cards, seed)
    first, graded = [], []
    with served(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        # A learner coming back: the history is in storage and the site was visited before.
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "/")
        page.evaluate("s => { localStorage.clear(); for (const k in s) localStorage.setItem(k, s[k]); }", stored)
        snapshot = page.evaluate("() => JSON.stringify(localStorage)")
        for _ in range(loads):
            page.goto(url + "/review/")
            # The first card on screen with its answer loaded (ready to be revealed).
            page.wait_for_selector(".sg-card:not([hidden]) .sg-card__a:not([data-sg-loading])", state="attached", timeout=60_000)
            first.append(page.evaluate(FIRST_CARD))
            for _ in range(grades):
                graded.append(page.evaluate(GRADE))
            # The next load finds the same history, not the grades just given.
            page.evaluate(RESTORE, snapshot)
        context.close()
        browser.close()
    return statistics.median(first), statistics.median(graded), reviewed


def render(runs: list[CourseRun]) -> str:
    lines = [
        START,
        "## The daily review",
        "",
        "Written by `scripts/bench_review.py` (run by `make bench`). What the learner's browser pays for the review",
        "(the size of its JS and CSS is in the table above): the cards file, and the review page of the largest course.",
        "",
        "| Lessons | Cards | Cards file | Gzipped | Answers files | Gzipped | First card on screen | Grading a card"
        " | Cards with reviews in storage |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        first = f"{r.first_card_ms:.0f} ms" if r.first_card_ms is not None else "–"
        grade = f"{r.grade_ms:.1f} ms" if r.grade_ms is not None else "–"
        reviewed = f"{r.reviewed_cards:,}" if r.first_card_ms is not None else "–"
        lines.append(
            f"| {r.lessons} | {r.cards:,} | {r.cards_bytes / 1e6:.2f} MB | {r.cards_gzip / 1e6:.2f} MB"
            f" | {r.answers_bytes / 1e6:.2f} MB | {r.answers_gzip / 1e6:.2f} MB | {first} | {grade} | {reviewed} |"
        )
    lines += [
        "",
        "Targets: the first card within 1 s, a grade within one frame (16 ms), at the largest size. Timings are medians",
        "in headless Chromium on this machine; the first card counts from the start of navigation (page, scripts,",
        "cards file, replaying every stored log through FSRS) to the first card on screen with its lesson's answers",
        "file loaded. The review loads a lesson's answers file when it shows one of its cards, and the next card's.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_report(out: Path, section: str, start: str = START, end: str = END) -> None:
    """Put the section (between *start* and *end*) into *out*, replacing the one from an earlier run.

    The rest of the file is kept: the build benchmark's report, and other scripts' sections.
    """
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) + 1 :]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    out.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_review.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", default="10,100,500", help="course sizes (default 10,100,500)")
    parser.add_argument("--loads", type=int, default=5, help="page loads timed at the largest size (default 5)")
    parser.add_argument("--grades", type=int, default=20, help="grades timed per page load (default 20)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON here")
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.lessons.split(","))
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        for lessons in sizes:
            site = build(Path(tmp) / str(lessons), lessons, args.seed)
            cards, raw = read_cards(site)
            run = CourseRun(
                lessons, sum(len(lesson["cards"]) for lesson in cards["lessons"]), len(raw), len(gzip.compress(raw, 9))
            )
            run.answers_bytes, run.answers_gzip = answers_sizes(site)
            if lessons == sizes[-1]:
                run.first_card_ms, run.grade_ms, run.reviewed_cards = measure_browser(
                    site, cards, args.loads, args.grades, args.seed
                )
            runs.append(run)
            print(f"{lessons} lessons: {asdict(run)}", file=sys.stderr)
    section = render(runs)
    write_report(args.out, section)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=1), encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
