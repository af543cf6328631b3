"""Benchmark our site against plain Material for MkDocs on the same synthetic notes.

For each course size N the script writes N synthetic lesson notes (fixed seed), then builds them
with two configurations, alternating plain/ours/plain/ours… in the same run so that a noisy,
shared machine slows both alike:

- **plain**: the repository's ``mkdocs.yml`` with Material's default features, ``plugins: [search]``
  and nothing of ours (the same Markdown extensions, palette and fonts);
- **ours**: the repository's ``mkdocs.yml`` as it is, our ``study-guide`` plugin included.

Every build is a real child process (``mkdocs build -q -f … -d …``, started through a tiny wrapper
that also reports the child's peak memory and the time spent in our plugin's hooks). The script
also measures ``mkdocs serve``: how long after one lesson is edited the rebuilt page is served.

Usage::

    .venv/bin/python scripts/bench.py                          # N = 10, 100, 500; writes BENCHMARKS.md
    .venv/bin/python scripts/bench.py --smoke --out /tmp/b.md  # N = 3, one build each (CI)
    .venv/bin/python scripts/bench.py --lessons 100 --variant 'prune={add_features: [navigation.prune]}'
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import functools
import gzip
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from random import Random
from typing import Any

import yaml

from study_guide.core.frontend import shipped_assets
from study_guide.core.search_chunks import FOLDER, doc_rows, parse_script

ROOT = Path(__file__).resolve().parents[1]
REPO_CONFIG = ROOT / "mkdocs.yml"
# Beside the README: the study site is for learners, the report for whoever works on this repository.
DEFAULT_OUT = ROOT / "BENCHMARKS.md"
BIG_COURSE = 200  # lessons: above, --big-repeats builds of each config
LESSONS_MARKER = "<!-- study-guide:lessons -->"
QUESTIONS_PER_LESSON = 40
BULLETS_PER_LESSON = 40

# The targets (issue 8). Sizes compare apparent bytes of every file written.
# Issue 18's: ours / plain build time by course size (other sizes: none), and at the largest N (500) site size and
# peak memory; the search index at every size.
TARGET_TIME_RATIOS = {10: 1.0, 100: 0.95, 500: 0.8}
TARGET_SIZE_RATIO = 0.45
TARGET_MEMORY_RATIO = 1.25
TARGET_INDEX_RATIO = 1.0
TARGET_TARGET_N = 500  # the N at which the size and memory targets apply
TARGET_HOOK_SHARE = 0.10  # our hooks / our build time, at every N
# Bytes gzip -9 of our JS + CSS: what every page loads, and what only the review (its page, the home page's
# dashboard, a lesson page once graded) loads on top; "12 KB" and "15 KB" read as KiB.
EVERY_PAGE_ASSETS, TARGET_EVERY_PAGE_GZIP = ("study-guide.js", "study-guide.css"), 12 * 1024
REVIEW_ASSETS, TARGET_REVIEW_GZIP = ("review.js", "review.css"), 15 * 1024
TARGET_SERVE_S = 1.0  # `make serve` (a dirty rebuild): edit → rebuilt page served, 100-lesson course

# Runs inside each build's child process. It stands in for ``python -m mkdocs``: it patches
# the timing wrappers onto our plugin class *before* MkDocs loads the config (MkDocs binds the
# hook methods when it instantiates the plugin), then runs MkDocs' own command line, so the
# build is exactly what a user runs. At exit (also on failure) it writes its peak RSS, which
# is per process, unlike RUSAGE_CHILDREN in the parent, which only keeps the largest child.
_CHILD = r"""
import atexit, functools, inspect, json, resource, sys, time
_start = time.perf_counter()
_out, _timed, _profile, _args = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4:]
_hooks, _hooks_cpu, _calls = {}, {}, {}

def _report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # our worker process, once it has ended
    data = {
        "maxrss_kib": usage.ru_maxrss,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "children_cpu_s": children.ru_utime + children.ru_stime,
        "inner_s": time.perf_counter() - _start,
        "hooks": _hooks,
        "hooks_cpu": _hooks_cpu,
        "calls": _calls,
    }
    with open(_out, "w", encoding="utf-8") as f:
        json.dump(data, f)

atexit.register(_report)

if _profile:
    import cProfile
    _profiler = cProfile.Profile()
    atexit.register(lambda: (_profiler.disable(), _profiler.dump_stats(_profile)))  # runs before _report
    _profiler.enable()

def _timed_hook(name, fn):
    @functools.wraps(fn)  # keeps mkdocs_priority and the like
    def wrapper(*args, **kwargs):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _hooks[name] = _hooks.get(name, 0.0) + time.perf_counter() - start
            _hooks_cpu[name] = _hooks_cpu.get(name, 0.0) + time.process_time() - start_cpu
            _calls[name] = _calls.get(name, 0) + 1
    return wrapper

if _timed:
    from mkdocs.plugins import BasePlugin, CombinedEvent
    from study_guide.adapters.mkdocs_plugin.plugin import StudyGuidePlugin
    _done = set()
    for _cls in StudyGuidePlugin.__mro__:
        if _cls is BasePlugin:
            break
        for _name, _fn in list(vars(_cls).items()):
            if not _name.startswith("on_") or _name in _done:
                continue
            if isinstance(_fn, CombinedEvent):  # one event's handlers at several priorities: each timed
                setattr(StudyGuidePlugin, _name, CombinedEvent(*(_timed_hook(_name, f) for f in _fn.methods)))
            elif inspect.isfunction(_fn):
                setattr(StudyGuidePlugin, _name, _timed_hook(_name, _fn))
            else:
                continue
            _done.add(_name)

from mkdocs.__main__ import cli
cli(args=_args, prog_name="mkdocs")
"""

# ---------------------------------------------------------------------------------------------
# Synthetic notes


_SYLLABLES = (
    "ka ri to na mi ser lo ven tra del pol ar im con sta gen ex per ma ti "
    "ble ing tion ment al ic ous ure ive ist or er an re un de pro com sub"
).split()
# Real function words, drawn often, make sentences that tokenise like English (search index).
_COMMON = (
    "the of and to in is that for it with as on by this be are from or an at which "
    "we can not have one all their has more when model data training layer"
).split()


class Vocabulary:
    """A course's words, ranked: English function words first, then generated ones."""

    def __init__(self, seed: int, size: int = 4000) -> None:
        rng = Random(seed)
        generated: set[str] = set()
        while len(generated) < size:
            generated.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
        rest = sorted(generated)
        rng.shuffle(rest)
        self.words = [*_COMMON, *rest]
        # Zipf-like weights: a few words very often, most rarely, as in real prose.
        self.cum_weights: list[float] = []
        total = 0.0
        for rank in range(len(self.words)):
            total += 1.0 / (rank + 3)  # Zipf–Mandelbrot: "the" at ~7%, not ~12%
            self.cum_weights.append(total)


class TextGen:
    """Words and sentences drawn from a course's vocabulary by a seeded generator."""

    def __init__(self, vocabulary: Vocabulary, rng: Random) -> None:
        self.vocab = vocabulary
        self.rng = rng

    def words(self, n: int) -> list[str]:
        """*n* words drawn by frequency."""
        return self.rng.choices(self.vocab.words, cum_weights=self.vocab.cum_weights, k=n)

    def phrase(self, low: int, high: int) -> str:
        """Some words, a few with emphasis, strong emphasis or inline code (never the first)."""
        words = self.words(self.rng.randint(low, high))
        for i in range(1, len(words)):
            roll = self.rng.random()
            if roll < 0.03:
                words[i] = f"_{words[i]}_"
            elif roll < 0.045:
                words[i] = f"**{words[i]}**"
            elif roll < 0.06:
                words[i] = f"`{words[i]}()`"
        return " ".join(words)

    def sentence(self, low: int = 6, high: int = 20, end: str = ".") -> str:
        """A capitalised sentence."""
        text = self.phrase(low, high)
        return text[0].upper() + text[1:] + end

    def title(self) -> str:
        """A lesson title: a few capitalised words, no characters YAML would read specially."""
        return " ".join(w.capitalize() for w in self.words(self.rng.randint(2, 5)))


def _answer_lines(gen: TextGen) -> list[str]:
    """The lines of one answer, without the ``>`` prefix; ``""`` separates blocks."""
    rng = gen.rng
    blocks: list[list[str]] = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.55:
            blocks.append([" ".join(gen.sentence() for _ in range(rng.randint(1, 4)))])
        elif kind < 0.7:
            # Lines joined by trailing two-space breaks, as learners copy them from slides.
            blocks.append([gen.sentence(4, 12) + "  " for _ in range(rng.randint(2, 5))])
        elif kind < 0.85:
            blocks.append([f"- {gen.sentence(3, 12)}" for _ in range(rng.randint(2, 6))])
        elif kind < 0.95:
            blocks.append([f"{i}. {gen.sentence(3, 12)}" for i in range(1, rng.randint(3, 7))])
        else:
            body = [f"{w} = {v}({rng.randint(0, 99)})" for w, v in zip(gen.words(3), gen.words(3), strict=True)]
            blocks.append(["```python", *body, "```"])
    return _joined(blocks)


def _joined(blocks: list[list[str]]) -> list[str]:
    """Blocks of lines as one text's lines, a blank line between blocks."""
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines.extend(block)
    return lines


def lesson_note(vocabulary: Vocabulary, index: int, seed: int) -> tuple[str, str]:
    """The file stem and the text of synthetic lesson *index* (1-based); stable for a given seed.

    Each lesson has its own generator, so the first 10 lessons of a 500-lesson course are the
    10-lesson course.
    """
    rng = Random(seed * 1_000_003 + index)
    gen = TextGen(vocabulary, rng)
    title = gen.title()
    slug = "-".join(title.lower().split()[:3])
    lines = ["---", f"title: {title}", "type: course", "tags: ", "aliases:", "---", ""]
    for number in range(1, QUESTIONS_PER_LESSON + 1):
        lines += [f"{number}. {gen.sentence(5, 18, end='?')}", ""]
        if rng.random() < 0.03:
            # Learners leave some questions open; the plugin shows those differently.
            lines += ["> To be done by the reader.", ""]
            continue
        lines += [f"> {line}" if line else ">" for line in _answer_lines(gen)]
        lines.append("")
    lines += ["## Summary", ""]
    for _ in range(BULLETS_PER_LESSON):
        text = gen.sentence(8, 30, end=rng.choice("?."))
        roll = rng.random()
        if roll < 0.1:
            text += " #best-practice"
        elif roll < 0.13:
            text += " #question"
        lines.append(f"- {text}")
    return f"{index:03d}-{slug}", "\n".join(lines) + "\n"


SEED_QUESTIONS, SEED_BULLETS = 33, 47  # as in the seed lesson, docs/lessons/01-deep-learning.md
SHAPES = ("synthetic", "seed")


def _seed_answer_lines(gen: TextGen) -> list[str]:
    """An answer as the seed lesson writes them: paragraphs of long sentences, lists, lines broken by two spaces."""
    rng = gen.rng
    blocks: list[list[str]] = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.6:
            blocks.append([" ".join(gen.sentence(8, 22) for _ in range(rng.randint(1, 3)))])
        elif kind < 0.75:
            blocks.append([gen.sentence(6, 14) + "  " for _ in range(rng.randint(2, 5))])
        elif kind < 0.88:
            blocks.append([f"- {gen.sentence(2, 10)}" for _ in range(rng.randint(2, 5))])
        else:
            blocks.append([f"{i}. {gen.sentence(3, 12)}" for i in range(1, rng.randint(4, 8))])
    return _joined(blocks)


def seed_shaped_note(vocabulary: Vocabulary, index: int, seed: int) -> tuple[str, str]:
    """Like :func:`lesson_note`, in the seed lesson's shape: 33 questions whose blockquoted answers hold several
    paragraphs and lists (a few answers are open, or prose without a blockquote), then 47 summary bullets that
    are one to three questions each."""
    rng = Random(seed * 1_000_033 + index)
    gen = TextGen(vocabulary, rng)
    title = gen.title()
    slug = "-".join(title.lower().split()[:3])
    lines = ["---", f"title: {title}", "type: course", "tags: ", "aliases:", "---"]
    for number in range(1, SEED_QUESTIONS + 1):
        lines += [f"{number}. {gen.sentence(5, 20, end='?')}", ""]
        roll = rng.random()
        if roll < 0.06:
            lines += ["> To be done by the reader.", ""]
        elif roll < 0.1:
            lines += [gen.sentence(8, 20), ""]  # an answer without a blockquote, up to the next question
        else:
            lines += [f"> {line}" if line else "> " for line in _seed_answer_lines(gen)]
            lines.append("")
    lines += ["## Summary"]
    for _ in range(SEED_BULLETS):
        text = " ".join(gen.sentence(5, 16, end="?") for _ in range(rng.randint(1, 2)))
        if rng.random() < 0.06:
            text += " #best-practice"
        lines.append(f"- {text}")
    return f"{index:03d}-{slug}", "\n".join(lines) + "\n"


def generate_course(docs: Path, lessons: int, seed: int, shape: str = "synthetic") -> list[Path]:
    """Write ``index.md`` and *lessons* notes under ``docs/lessons/``; return the notes' paths.

    *shape* is ``synthetic`` (:func:`lesson_note`) or ``seed`` (:func:`seed_shaped_note`).
    """
    (docs / "lessons").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(
        f"# Synthetic course\n\n{lessons} generated lessons for the benchmark.\n\n## Lessons\n\n{LESSONS_MARKER}\n",
        encoding="utf-8",
    )
    vocabulary = Vocabulary(seed)
    paths = []
    for index in range(1, lessons + 1):
        stem, text = (seed_shaped_note if shape == "seed" else lesson_note)(vocabulary, index, seed)
        path = docs / "lessons" / f"{stem}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------
# Configurations


class _LenientLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` for inspection only: tags such as ``!!python/name:`` become ``None``."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def repo_features() -> list[str]:
    """The theme features the repository's ``mkdocs.yml`` turns on."""
    data = yaml.load(REPO_CONFIG.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    return list((data.get("theme") or {}).get("features") or [])


def grouped_nav(docs: Path, size: int) -> list[Any]:
    """A ``nav`` with the lessons in sections of *size*: what ``navigation.prune`` needs to prune."""
    lessons = sorted(p.relative_to(docs).as_posix() for p in (docs / "lessons").glob("*.md"))
    groups = [lessons[i : i + size] for i in range(0, len(lessons), size)]
    return [
        "index.md",
        {"Lessons": [{f"Lessons {i * size + 1}–{i * size + len(group)}": group} for i, group in enumerate(groups)]},
    ]


def write_configs(root: Path, variants: dict[str, dict[str, Any]]) -> dict[str, Path]:
    """Write one config file per build kind into *root*; return them by name.

    Each inherits the repository's ``mkdocs.yml`` through MkDocs' own ``INHERIT`` (so tags like
    ``!!python/name:`` and whatever the others add later stay MkDocs' business) and overrides what
    the benchmark needs. ``nav: null`` because the repository may list its own pages.
    """
    # The site's own stylesheet is not in the synthetic docs, and not ours to measure either.
    common: dict[str, Any] = {"INHERIT": str(REPO_CONFIG), "docs_dir": str(root / "docs"), "nav": None, "extra_css": []}
    plain = {
        **common,
        "theme": {"features": []},  # Material out of the box; our levers are ours to pull
        "plugins": ["search"],
        "extra_javascript": [],
        "strict": False,  # a plain build of notes is not ours to judge
    }
    configs = {"plain": plain, "ours": dict(common)}
    for name, overrides in variants.items():
        config: dict[str, Any] = dict(common)
        extra = dict(overrides)
        added = extra.pop("add_features", None)
        if added:
            extra.setdefault("theme", {})["features"] = [*repo_features(), *added]
        group = extra.pop("nav_groups", None)
        if group:
            extra["nav"] = grouped_nav(root / "docs", int(group))
        config.update(extra)
        configs[name] = config
    paths = {}
    for name, config in configs.items():
        path = root / f"mkdocs-{name}.yml"
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        paths[name] = path
    return paths


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class BuildRun:
    """One build as measured from outside (wall time, disk) and inside (memory, hooks)."""

    config: str
    lessons: int
    wall_s: float
    inner_s: float
    cpu_s: float
    maxrss_kib: int
    site_bytes: int
    site_files: int
    index_bytes: int
    hooks: dict[str, float] = field(default_factory=dict)
    hooks_cpu: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    children_cpu_s: float = 0.0  # CPU time of the build's own child processes (our worker, on big courses)
    shape: str = "synthetic"  # the notes built: see SHAPES
    # The learner's browser (headless Chromium, this build's site): see measure_learner. 0: not measured.
    first_result_ms: float = 0.0
    page_bytes: int = 0
    page_gzip_bytes: int = 0
    download_bytes: int = 0  # the Anki deck: a download plain Material has no counterpart of, counted apart

    @property
    def total_cpu_s(self) -> float:
        """CPU time of the build and of the worker process it started."""
        return self.cpu_s + self.children_cpu_s

    @property
    def hook_s(self) -> float:
        """Total wall time spent inside our plugin's hooks."""
        return sum(self.hooks.values())

    @property
    def hook_cpu_s(self) -> float:
        """Total CPU time spent inside our plugin's hooks."""
        return sum(self.hooks_cpu.values())


class BenchError(RuntimeError):
    """A build or the server failed; the message says which and why."""


def _child_env() -> dict[str, str]:
    # Material 9.8 prints a notice about MkDocs 2.0 on every run unless told not to.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


DOWNLOADS = (".apkg",)  # files a learner downloads rather than a browser loads: reported on their own row


def site_size(site: Path) -> tuple[int, int, int]:
    """Apparent bytes and number of all files under *site*, downloads apart; and the downloads' bytes."""
    total = count = downloads = 0
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            size = os.stat(os.path.join(dirpath, name)).st_size
            if name.endswith(DOWNLOADS):
                downloads += size
                continue
            total += size
            count += 1
    return total, count, downloads


@functools.cache
def compile_ours() -> None:
    """Compile our package's modules to bytecode, as installing it from a wheel does.

    Plain Material's modules were compiled when pip installed them. Ours are an editable install: where
    PYTHONDONTWRITEBYTECODE is set (as on our machines), every build would compile them from source again,
    some 0.1 s that a learner's installed plugin never pays. Up-to-date files are skipped.
    """
    compileall.compile_dir(ROOT / "plugins", quiet=1)


def run_build(
    name: str, config: Path, site: Path, lessons: int, *, timed: bool, timeout: float, profile: Path | None = None
) -> BuildRun:
    """Build *config* into *site* in a child process and measure it (under cProfile into *profile*, if given)."""
    compile_ours()
    if site.exists():
        shutil.rmtree(site)  # outside the timer: MkDocs would otherwise spend it cleaning
    report = site.with_name(site.name + ".json")
    args = ["build", "-q", "-f", str(config), "-d", str(site)]
    cmd = [sys.executable, "-c", _CHILD, str(report), "1" if timed else "0", str(profile or ""), *args]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_child_env(), timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{name} build of {lessons} lessons took over {timeout:.0f} s (--build-timeout)") from exc
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise BenchError(f"{name} build of {lessons} lessons failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    inner = json.loads(report.read_text(encoding="utf-8"))
    size, files, downloads = site_size(site)
    index = site / "search" / "search_index.json"
    # Ours is Material's file (the head) and the chunks beside it: every file of the index counts.
    index_files = [index, *sorted((site / "search" / FOLDER).glob("*"))] if index.exists() else []
    return BuildRun(
        config=name,
        lessons=lessons,
        wall_s=wall,
        inner_s=inner["inner_s"],
        cpu_s=inner["cpu_s"],
        children_cpu_s=inner.get("children_cpu_s", 0.0),
        maxrss_kib=inner["maxrss_kib"],
        site_bytes=size,
        site_files=files,
        index_bytes=sum(f.stat().st_size for f in index_files if f.is_file()),
        download_bytes=downloads,
        hooks=inner["hooks"],
        hooks_cpu=inner["hooks_cpu"],
        calls=inner["calls"],
    )


def asset_gzip_sizes() -> dict[str, tuple[int, int]]:
    """Raw and gzip -9 bytes of each JS and CSS file our plugin adds to the site, as shipped (minified)."""
    sizes = {}
    for name, data in shipped_assets().items():
        if name.endswith((".js", ".css")):
            # mtime=0: the same bytes give the same size on every run.
            sizes[name] = (len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))
    return sizes


@dataclass
class ServeRun:
    """The ``mkdocs serve`` figure: edit → rebuilt page served, per edit."""

    mode: str
    lessons: int
    startup_s: float
    edits_s: list[float]
    home_page_current: list[bool]
    build_logs_s: list[float]
    index_pages: list[int] = field(default_factory=list)
    index_questions: list[int] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        """Median seconds from the edit to the edited page served."""
        return statistics.median(self.edits_s)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float) -> str | None:
    """The body at *url*, or ``None`` while the server is not answering."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # loopback only
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _home_count(home: str, stem: str) -> int | None:
    """The question count the home page's lesson table shows for lesson *stem*."""
    for row in re.findall(r"<tr>(.*?)</tr>", home, flags=re.DOTALL):
        if f'href="lessons/{stem}/"' in row:
            cell = re.search(r"<td[^>]*>\s*(\d+)\s*</td>", row)
            return int(cell.group(1)) if cell else None
    return None


@contextlib.contextmanager
def mkdocs_server(config: Path, port: int, log: Path, *, dirty: bool, timeout: float) -> Iterator[str]:
    """Run ``mkdocs serve`` until the block ends; yield its base URL once it answers."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    if dirty:
        # A dirty build always logs a warning, which the repository's `strict: true` turns into an abort.
        cmd += ["--dirty", "--no-strict"]
    url = f"http://127.0.0.1:{port}/"
    with log.open("w", encoding="utf-8") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=_child_env())
        try:
            deadline = time.monotonic() + timeout
            while _get(url, timeout=5) is None:
                if proc.poll() is not None:
                    raise BenchError(f"mkdocs serve exited ({proc.returncode}):\n{log.read_text(encoding='utf-8')[-3000:]}")
                if time.monotonic() > deadline:
                    raise BenchError(f"mkdocs serve did not answer within {timeout:.0f} s (--serve-timeout)")
                time.sleep(0.2)
            yield url
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server the way Ctrl-C does (it then removes its temporary site), then harder."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
        return
    except subprocess.TimeoutExpired:
        proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def _built_in(log: Path) -> list[float]:
    """The build times MkDocs logged ("Documentation built in X seconds")."""
    return [float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", log.read_text(encoding="utf-8"))]


def measure_serve(root: Path, lessons: int, seed: int, *, dirty: bool, edits: int, timeout: float) -> ServeRun:
    """Serve a fresh course of *lessons* notes; time *edits* edits of one lesson until served.

    Each edit adds a question with a unique marker to the middle lesson; the time runs from the
    moment the file is written until the lesson page fetched over HTTP contains the marker
    (MkDocs' server holds requests while it rebuilds, so a poll never sees a half-built site).
    Once it does, the home page is checked for the lesson's new question count: data that one
    page shows about others is exactly what a dirty rebuild can leave stale.
    """
    if root.exists():
        shutil.rmtree(root)
    notes = generate_course(root / "docs", lessons, seed)
    config = write_configs(root, {})["ours"]
    note = notes[len(notes) // 2]
    stem = note.stem
    log = root / "serve.log"
    times: list[float] = []
    current: list[bool] = []
    index_pages: list[int] = []
    index_questions: list[int] = []
    with mkdocs_server(config, free_port(), log, dirty=dirty, timeout=timeout) as url:
        startup = len(_built_in(log)) and _built_in(log)[0]
        page_url = f"{url}lessons/{stem}/"
        for edit in range(1, edits + 1):
            # The watcher polls file times every 0.2 to 0.5 s; a pause keeps two edits from merging.
            time.sleep(1.5)
            marker = f"benchedit{seed}x{edit}x{time.time_ns()}"
            text = note.read_text(encoding="utf-8")
            number = QUESTIONS_PER_LESSON + edit
            question = f"{number}. What does {marker} change?\n\n> It proves the page was rebuilt: {marker}.\n\n"
            note.write_text(text.replace("## Summary\n", question + "## Summary\n", 1), encoding="utf-8")
            start = time.perf_counter()
            deadline = time.monotonic() + timeout
            while True:
                body = _get(page_url, timeout=max(1.0, deadline - time.monotonic()))
                if body is not None and marker in body:
                    break
                if time.monotonic() > deadline:
                    raise BenchError(f"the edit of {note.name} was not served within {timeout:.0f} s (--serve-timeout)")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            home = _get(url, timeout=30) or ""
            current.append(_home_count(home, stem) == number)
            pages, questions = _index_counts(url)
            index_pages.append(pages)
            index_questions.append(questions)
    built = _built_in(log)
    return ServeRun(
        "dirty" if dirty else "full", lessons, float(startup), times, current, built[1:], index_pages, index_questions
    )


def _index_counts(url: str) -> tuple[int, int]:
    """Pages (entries without an anchor) and question entries (``#q-…``) in the served site's search index; -1s if
    unreadable. Ours is chunked: the pages list and the entries' chunks, read as the worker reads them.

    A dirty rebuild renders one page; whatever keeps the index whole for the others shows here.
    """
    try:
        index = json.loads(_get(f"{url}search/search_index.json", timeout=30) or "")
        if "study_guide" not in index.get("config", {}):
            locations = [doc.get("location", "") for doc in index["docs"]]
        else:
            pages = parse_script(_get(f"{url}search/{FOLDER}/pages.js", timeout=30) or "")
            chunks = sorted({p[3] for p in pages})
            rows = [
                row for k in chunks for row in doc_rows(parse_script(_get(f"{url}search/{FOLDER}/d{k}.js", timeout=30) or ""))
            ]
            ends = [p[2] for p in pages[1:]] + [len(rows)]
            locations = [page[0] + row[0] for page, end in zip(pages, ends, strict=True) for row in rows[page[2] : end]]
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return -1, -1
    return sum("#" not in loc for loc in locations), sum("#q-" in loc for loc in locations)


# ---------------------------------------------------------------------------------------------
# The learner's browser

# Material's search box says "Initializing" until its worker has built the index: keys typed before are lost.
_SEARCH_READY = "(m => m && !/Initializing/i.test(m.textContent))(document.querySelector('.md-search-result__meta'))"


def answer_word(docs: Path) -> str:
    """A word of an answer for the learner to search: the longest of the first lesson's first answer line."""
    note = sorted((docs / "lessons").glob("*.md"))[0].read_text(encoding="utf-8")
    line = next(line for line in note.splitlines() if line.startswith("> ") and len(line) > 20)
    return max(re.findall(r"[a-z]+", line), key=len)


def measure_learner(sites: Mapping[str, Path], word: str, loads: int) -> dict[str, tuple[float, int, int]]:
    """What a learner's browser pays on each of *sites* (by name): ms from opening the home page to the first search
    result for *word* (median of *loads* cold visits: each a new browser context, so nothing is cached; the sites
    take turns, so that a busy machine slows each alike), and the bytes a lesson page loads when the learner searches
    it for *word* (everything it fetches, the search index and worker included: Material fetches its whole index
    with every page it opens, ours fetches a head, then the chunks the search needs), as stored and as gzip -6
    (what a compressing server sends)."""
    from playwright.sync_api import sync_playwright

    from bench_review import CHROMIUM, served  # the review benchmark's static server (it imports this module)

    times: dict[str, list[float]] = {name: [] for name in sites}
    found: dict[str, tuple[float, int, int]] = {}
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        urls = {name: stack.enter_context(served(site)) for name, site in sites.items()}
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(loads):
            for name, url in urls.items():
                context = browser.new_context()
                page = context.new_page()
                page.goto(url + "/")
                _search(page, word)
                times[name].append(page.evaluate("performance.now()"))  # ms since the navigation started
                context.close()
        for name, site in sites.items():
            raw, gz = _lesson_page_bytes(browser, site, urls[name], word)
            found[name] = (statistics.median(times[name]), raw, gz)
        browser.close()
    return found


def _lesson_page_bytes(browser: Any, site: Path, url: str, word: str) -> tuple[int, int]:
    """The bytes a lesson page of *site* loads, a search for *word* included, as stored and gzipped."""
    lesson = sorted(p.name for p in (site / "lessons").iterdir() if p.is_dir())[0]
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(f"{url}/lessons/{lesson}/", wait_until="networkidle")
    _search(page, word)  # as the learner makes one: a chunked index fetches its pieces only now
    page.wait_for_timeout(300)  # results are shown once their chunks are in: let the last request finish
    context.close()
    return _bytes(site, url, fetched)


def _search(page: Any, word: str) -> None:
    """Type *word* in the search box of *page* once the site search is ready, and wait for its first result."""
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(_SEARCH_READY, timeout=600_000)  # the index fetched (and, with lunr, built)
    box.press_sequentially(word)
    page.locator(".md-search-result__item").first.wait_for(timeout=600_000)


def _bytes(site: Path, base: str, urls: Sequence[str]) -> tuple[int, int]:
    """Bytes of the site's files behind *urls* (each counted once), as stored and gzipped."""
    raw = gz = 0
    for path in dict.fromkeys(urllib.parse.urlsplit(u).path for u in urls if u.startswith(base)):
        file = site / urllib.parse.unquote(path).lstrip("/")
        file = file / "index.html" if path.endswith("/") else file
        if file.is_file():
            data = file.read_bytes()
            raw, gz = raw + len(data), gz + len(gzip.compress(data, compresslevel=6, mtime=0))
    return raw, gz


# ---------------------------------------------------------------------------------------------
# Reporting


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f}"


def _pass(ok: bool) -> str:
    return "pass" if ok else "**fail**"


def _ratio(ours: float, plain: float) -> float:
    return ours / plain if plain else float("nan")


def summarize(runs: list[BuildRun]) -> dict[str, dict[str, float]]:
    """Medians per config name (the runs of one course size, in the order they ran)."""
    out: dict[str, dict[str, float]] = {}
    plain = [r for r in runs if r.config == "plain"]
    for name in dict.fromkeys(r.config for r in runs):
        mine = [r for r in runs if r.config == name]
        hooks = {h for r in mine for h in r.hooks}
        out[name] = {
            "wall_s": _median([r.wall_s for r in mine]),
            # Each build against the plain build of the same round, which ran just before it:
            # on a shared machine the load drifts, and a pair sees about the same load.
            "time_ratio": _median([r.wall_s / p.wall_s for r, p in zip(mine, plain, strict=False)]),
            "wall_min_s": min(r.wall_s for r in mine),
            "wall_max_s": max(r.wall_s for r in mine),
            "mem_mib": _median([r.maxrss_kib / 1024 for r in mine]),
            "site_bytes": _median([r.site_bytes for r in mine]),
            "site_files": _median([r.site_files for r in mine]),
            "index_bytes": _median([r.index_bytes for r in mine]),
            "download_bytes": _median([r.download_bytes for r in mine]),
            "hook_s": _median([r.hook_s for r in mine]),
            "first_result_ms": _median([r.first_result_ms for r in mine if r.first_result_ms]),
            "page_bytes": _median([r.page_bytes for r in mine if r.page_bytes]),
            "page_gzip_bytes": _median([r.page_gzip_bytes for r in mine if r.page_gzip_bytes]),
            "hook_share": _median([r.hook_s / r.wall_s for r in mine]),
            "cpu_s": _median([r.total_cpu_s for r in mine]),
            "cpu_ratio": _median([r.total_cpu_s / p.total_cpu_s for r, p in zip(mine, plain, strict=False)]),
            # Everything the worker does is ours: its CPU time counts with the hooks'.
            "hook_cpu_share": _median([(r.hook_cpu_s + r.children_cpu_s) / r.total_cpu_s for r in mine]),
            "runs": len(mine),
            **{f"hook:{h}": _median([r.hooks.get(h, 0.0) for r in mine]) for h in sorted(hooks)},
        }
    return out


TABLE_HEADER = "| Lessons | Measure | Plain Material | Ours | Ours / plain | Target | Result |"


def render_table(
    results: dict[int, dict[str, dict[str, float]]],
    assets: dict[str, tuple[int, int]],
    serve: list[ServeRun],
    largest: int,
) -> list[str]:
    """The main table: one row per size and measure, plus the assets and the serve figure."""
    rows = [TABLE_HEADER, "| ---: | --- | ---: | ---: | ---: | --- | --- |"]
    for n, by_config in sorted(results.items()):
        p, o = by_config["plain"], by_config["ours"]
        at_target = n == largest and n >= TARGET_TARGET_N
        t_ratio = o["time_ratio"]
        s_ratio = _ratio(o["site_bytes"], p["site_bytes"])
        t_goal = TARGET_TIME_RATIOS.get(n)
        t_target = (f"≤ {t_goal:.2f}×", _pass(t_ratio <= t_goal)) if t_goal else ("", "")
        s_target = (f"≤ {TARGET_SIZE_RATIO:.2f}×", _pass(s_ratio <= TARGET_SIZE_RATIO)) if at_target else ("", "")
        m_ratio, i_ratio = _ratio(o["mem_mib"], p["mem_mib"]), _ratio(o["index_bytes"], p["index_bytes"])
        m_target = (f"≤ {TARGET_MEMORY_RATIO:.2f}×", _pass(m_ratio <= TARGET_MEMORY_RATIO)) if at_target else ("", "")
        rows += [
            f"| {n} | Build time, s (median of {int(o['runs'])}) | {p['wall_s']:.2f} | {o['wall_s']:.2f} | {t_ratio:.2f}× "
            f"| {t_target[0]} | {t_target[1]} |",
            f"| {n} | CPU time, s (with our worker; steadier on a busy machine) | {p['cpu_s']:.2f} | {o['cpu_s']:.2f} | "
            f"{o['cpu_ratio']:.2f}× |  |  |",
            f"| {n} | Peak memory, MiB | {p['mem_mib']:.0f} | {o['mem_mib']:.0f} | {m_ratio:.2f}× "
            f"| {m_target[0]} | {m_target[1]} |",
            f"| {n} | Site size, MB | {_mb(p['site_bytes'])} | {_mb(o['site_bytes'])} | {s_ratio:.2f}× "
            f"| {s_target[0]} | {s_target[1]} |",
            f"| {n} | Files in the site | {p['site_files']:.0f} | {o['site_files']:.0f} | "
            f"{_ratio(o['site_files'], p['site_files']):.2f}× |  |  |",
            f"| {n} | Search index, MB | {_mb(p['index_bytes'])} | {_mb(o['index_bytes'])} | {i_ratio:.2f}× "
            f"| ≤ {TARGET_INDEX_RATIO:.2f}× | {_pass(i_ratio <= TARGET_INDEX_RATIO)} |",
            f"| {n} | Anki deck, MB (a download, not in the site size above) | — | {_mb(o['download_bytes'])} |  |  |  |",
            *_learner_rows(n, p, o),
            f"| {n} | Our hook time, s | — | {o['hook_s']:.3f} |  |  |  |",
            f"| {n} | Our hooks' share of our build time | — | {o['hook_share']:.1%} |  | ≤ {TARGET_HOOK_SHARE:.0%} "
            f"| {_pass(o['hook_share'] <= TARGET_HOOK_SHARE)} |",
            f"| {n} | Our share of our CPU time (hooks and worker process) | — | {o['hook_cpu_share']:.1%} |  |  |  |",
        ]
    for what, names, target in (
        ("every page loads", EVERY_PAGE_ASSETS, TARGET_EVERY_PAGE_GZIP),
        ("only the review loads, on top", REVIEW_ASSETS, TARGET_REVIEW_GZIP),
    ):
        raw = sum(assets[name][0] for name in names)
        gz = sum(assets[name][1] for name in names)
        rows.append(
            f"| all | JS + CSS {what}, bytes gzip -9 ({' + '.join(names)}; {raw:,} raw) | 0 | {gz:,} |  | ≤ {target:,} "
            f"| {_pass(gz <= target)} |"
        )
    for run in serve:
        label = "`mkdocs serve --dirty`" if run.mode == "dirty" else "`mkdocs serve`"
        stale = "" if all(run.home_page_current) else "; home page left stale"
        # Every lesson has QUESTIONS_PER_LESSON questions, so far fewer entries means lost ones.
        if run.index_questions and min(run.index_questions) < run.lessons * QUESTIONS_PER_LESSON:
            stale += "; search index lost other lessons' questions"
        target = ("", "")
        if run.mode == "dirty":  # what `make serve` runs
            target = (f"≤ {TARGET_SERVE_S:.1f} s", _pass(run.median_s <= TARGET_SERVE_S))
        rows.append(
            f"| {run.lessons} | {label}: edit → page served, s (median of {len(run.edits_s)}{stale}) |  | "
            f"{run.median_s:.2f} |  | {target[0]} | {target[1]} |"
        )
    return rows


def _learner_rows(n: int, p: dict[str, float], o: dict[str, float]) -> list[str]:
    """The learner's rows, when the browser was measured."""
    if not (p["first_result_ms"] and o["first_result_ms"]):
        return []
    ratio = _ratio(o["first_result_ms"], p["first_result_ms"])
    extra = o["page_gzip_bytes"] - p["page_gzip_bytes"]
    return [
        f"| {n} | Learner: open the home page → first search result for a word of an answer, ms (headless Chromium, cold) "
        f"| {p['first_result_ms']:.0f} | {o['first_result_ms']:.0f} | {ratio:.2f}× | ≤ plain's | {_pass(ratio <= 1.0)} |",
        f"| {n} | Learner: bytes a lesson page loads, search index included, KB gzipped (as stored) "
        f"| {p['page_gzip_bytes'] / 1e3:,.0f} ({p['page_bytes'] / 1e3:,.0f}) "
        f"| {o['page_gzip_bytes'] / 1e3:,.0f} ({o['page_bytes'] / 1e3:,.0f}) "
        f"| {_ratio(o['page_gzip_bytes'], p['page_gzip_bytes']):.2f}× | ≤ plain's + 10 KB | {_pass(extra <= 10_000)} |",
    ]


def render_variants(results: dict[int, dict[str, dict[str, float]]]) -> list[str]:
    """Extra configurations (levers) against plain and ours, when any were measured."""
    names = [name for by_config in results.values() for name in by_config if name not in {"plain", "ours"}]
    if not names:
        return []
    rows = [
        "| Lessons | Config | Build time, s | × plain | CPU time, s | × plain | Site size, MB | × plain | Search index, MB "
        "| Hooks' share |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, by_config in sorted(results.items()):
        p = by_config["plain"]
        for name, m in by_config.items():
            rows.append(
                f"| {n} | {name} | {m['wall_s']:.2f} | {m['time_ratio']:.2f}× | {m['cpu_s']:.2f} | {m['cpu_ratio']:.2f}× "
                f"| {_mb(m['site_bytes'])} "
                f"| {_ratio(m['site_bytes'], p['site_bytes']):.2f}× | {_mb(m['index_bytes'])} | {m['hook_share']:.1%} |"
            )
    return rows


def render_hooks(results: dict[int, dict[str, dict[str, float]]]) -> list[str]:
    """Median seconds per hook of ours, per size."""
    hooks = sorted({k for by_config in results.values() for k in by_config["ours"] if k.startswith("hook:")})
    if not hooks:
        return []
    rows = ["| Lessons | " + " | ".join(f"`{h[5:]}`" for h in hooks) + " |", "| ---: |" + " ---: |" * len(hooks)]
    for n, by_config in sorted(results.items()):
        rows.append(f"| {n} | " + " | ".join(f"{by_config['ours'].get(h, 0.0):.3f}" for h in hooks) + " |")
    return rows


def machine() -> str:
    """Cores, CPU, Python and the versions that matter, in one sentence."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for dist in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "study-guide"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{dist} {metadata.version(dist)}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}; " + ", ".join(
        versions
    )


def render_runs(runs: list[BuildRun]) -> list[str]:
    """Every build's wall time, in the order they ran: how noisy the machine was."""
    rows = ["| Lessons | Config | Build times in order, s (CPU time) |", "| ---: | --- | --- |"]
    for shape, n in dict.fromkeys((r.shape, r.lessons) for r in runs):
        same = [r for r in runs if r.shape == shape and r.lessons == n]
        for name in dict.fromkeys(r.config for r in same):
            times = ", ".join(f"{r.wall_s:.2f} ({r.total_cpu_s:.2f})" for r in same if r.config == name)
            label = name if shape == SHAPES[0] else f"{name}, {shape}-shaped"
            rows.append(f"| {n} | {label} | {times} |")
    return rows


@dataclass
class Context:
    """What the report says about how it was measured."""

    command: str
    when: str
    machine: str
    seed: int
    repeats: int
    revision: str = "an unknown revision"
    big_repeats: int | None = None  # for courses of more than BIG_COURSE lessons, where it differs


def revision() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "an unknown revision"
    return f"commit {head}" + (" with uncommitted changes" if changed else "")


def _other_shapes(shapes: Sequence[str], runs: list[BuildRun], assets: dict[str, tuple[int, int]]) -> list[str]:
    """The main table again for notes of each other shape (no serve figure: it edits a synthetic note)."""
    lines: list[str] = []
    for shape in shapes:
        mine = [r for r in runs if r.shape == shape]
        results = {n: summarize([r for r in mine if r.lessons == n]) for n in dict.fromkeys(r.lessons for r in mine)}
        table = [row for row in render_table(results, assets, [], max(results)) if not row.startswith("| all |")]
        lines += ["", f"### {SHAPE_TITLES.get(shape, shape)}", "", *table]
    return lines


SHAPE_TITLES = {
    "seed": f"Seed-shaped notes ({SEED_QUESTIONS} questions whose blockquoted answers hold paragraphs, lines broken by "
    f"two spaces and lists; {SEED_BULLETS} summary bullets of one or two questions each, as in the seed lesson)",
}


def render_report(
    context: Context,
    runs: list[BuildRun],
    assets: dict[str, tuple[int, int]],
    serve: list[ServeRun],
) -> str:
    """The whole Markdown page."""
    shapes = list(dict.fromkeys(r.shape for r in runs))
    first = [r for r in runs if r.shape == shapes[0]]
    sizes = list(dict.fromkeys(r.lessons for r in first))
    results = {n: summarize([r for r in first if r.lessons == n]) for n in sizes}
    largest = max(results)
    plural = "s" if context.repeats > 1 else ""
    big = context.big_repeats
    big_note = ""
    if big and big != context.repeats:
        big_note = f" ({big} for courses of more than {BIG_COURSE} lessons, whose builds vary less)"
    lines = [
        "# Benchmarks",
        "",
        f"Our site against plain Material for MkDocs, built from the same synthetic notes: {QUESTIONS_PER_LESSON} questions "
        f"with multi-line answers and {BULLETS_PER_LESSON} summary bullets per lesson (seed {context.seed})"
        + (", and again from notes shaped like the seed lesson (second table). " if len(shapes) > 1 else ". ")
        + "*Plain* is this repository's `mkdocs.yml` with Material's default features and the search plugin only; "
        "*ours* is `mkdocs.yml` as it is. "
        f"Each figure is the median of {context.repeats} build{plural} of each{big_note}, "
        "run as child processes in turn (plain, ours, plain, ours…) so that a busy machine slows both alike; "
        "the time ratio is the median of the ratios of builds that ran one after the other. "
        "Sizes are the bytes of every file written, but for the Anki deck (`anki_deck`): a download that plain Material "
        "has no counterpart of, reported on a row of its own.",
        "",
        f"Measured {context.when} at {context.revision} on {context.machine}, with `{context.command}`.",
        "",
        *render_table(results, assets, serve, largest),
        "",
        "Targets are issue 18's: build time by course size; site size and peak memory at "
        f"{TARGET_TARGET_N} lessons; the search index, the learner's figures and the serve figure at every size measured.",
        *_other_shapes(shapes[1:], runs, assets),
        "",
        "On a course of 40 lessons or more, our plugin parses half the notes, converts lesson pages from the last one "
        "back and reads the lesson pages for search in a second, forked process (its `parallel` option), while MkDocs "
        "goes on with its Markdown: the hook time "
        "is what the build waits for. The CPU time and our share of it include that process; peak memory is the "
        "build process's own.",
    ]
    if serve:
        lines += [
            "",
            "`mkdocs serve`: the time from writing the edited note until the page served over HTTP shows the edit "
            "(MkDocs looks for changed files every 0.5 s, and every 0.2 s with our plugin). "
            + "; ".join(
                f"{r.mode} rebuild: {', '.join(f'{t:.2f}' for t in r.edits_s)} s, home page's question count "
                f"{'updated' if all(r.home_page_current) else 'stale'}, search index afterwards: "
                f"{', '.join(map(str, r.index_pages)) or '?'} pages and "
                f"{', '.join(map(str, r.index_questions)) or '?'} question entries"
                for r in serve
            )
            + ".",
        ]
    variants = render_variants(results)
    if variants:
        lines += ["", "## Other configurations", "", *variants]
    hooks = render_hooks(results)
    if hooks:
        lines += ["", "## Time per hook (ours, seconds, median)", "", *hooks]
    lines += ["", "## Every build", "", *render_runs(runs)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Command line


def _lessons(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, like 10,100,500; got {text!r}") from exc
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("every course needs at least one lesson")
    return values


def _variant(text: str) -> tuple[str, dict[str, Any]]:
    name, sep, body = text.partition("=")
    if not sep or not re.fullmatch(r"[\w-]+", name) or name in {"plain", "ours"}:
        raise argparse.ArgumentTypeError(
            f"expected NAME=YAML with a new NAME, like 'prune={{add_features: [navigation.prune]}}'; got {text!r}"
        )
    value = yaml.safe_load(body)
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"the YAML of variant {name!r} must be a mapping")
    return name, value


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line, with ``--smoke`` expanded."""
    parser = argparse.ArgumentParser(prog="bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=_lessons, default=[10, 100, 500], help="course sizes (default 10,100,500)")
    parser.add_argument("--repeats", type=int, default=5, help="builds of each config per size (default 5)")
    parser.add_argument(
        "--big-repeats",
        type=int,
        default=3,
        help=f"builds of each config for courses of more than {BIG_COURSE} lessons (default 3; they take 20 s and more)",
    )
    parser.add_argument("--seed", type=int, default=8, help="seed of the synthetic notes (default 8)")
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help="notes to build, comma-separated: 'synthetic' (40 short answers, 40 bullets) and 'seed' (shaped like the "
        "seed lesson); the first is the main table (default both)",
    )
    parser.add_argument(
        "--out", type=Path, help=f"Markdown report to write (default {DEFAULT_OUT.relative_to(ROOT)}; none with --smoke)"
    )
    parser.add_argument("--json", type=Path, help="also write every measurement as JSON here")
    parser.add_argument("--workdir", type=Path, help="where to create the temporary courses (default: the system's)")
    parser.add_argument("--keep", action="store_true", help="keep the generated courses and sites; print where")
    parser.add_argument("--build-timeout", type=float, default=1200, help="seconds one build may take (default 1200)")
    parser.add_argument("--serve-lessons", type=int, default=100, help="course size for the serve figure (default 100)")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits timed per serve mode (default 3)")
    parser.add_argument(
        "--serve-modes",
        default="full,dirty",
        help="'full', 'dirty' or both, comma-separated (default both); 'none' skips the serve figure",
    )
    parser.add_argument(
        "--learner-loads",
        type=int,
        default=5,
        help="cold visits of each site in headless Chromium for the learner's figures (default 5; 0 skips them)",
    )
    parser.add_argument("--serve-timeout", type=float, default=600, help="seconds for the server to start or to serve an edit")
    parser.add_argument(
        "--variant",
        type=_variant,
        action="append",
        default=[],
        metavar="NAME=YAML",
        help="also build ours with these config overrides (a YAML mapping; 'add_features: [...]' appends theme "
        "features to the repository's, 'nav_groups: K' lists the lessons in sections of K), alternating with the "
        "others; repeatable",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="after the timed builds, one cProfile'd build of each config per size into DIR",
    )
    parser.add_argument("--from-json", type=Path, help="write the report of an earlier run from its --json file; build nothing")
    parser.add_argument("--smoke", action="store_true", help="CI: 3 lessons, one build each, one tiny serve edit")
    args = parser.parse_args(argv)
    if args.smoke:
        args.lessons, args.repeats, args.serve_lessons, args.serve_edits, args.learner_loads = [3], 1, 3, 1, 1
        args.big_repeats = 1
    if args.out is None and not args.smoke:
        args.out = DEFAULT_OUT
    if args.repeats < 1 or args.big_repeats < 1 or args.serve_edits < 1:
        parser.error("--repeats, --big-repeats and --serve-edits must be at least 1")
    modes = [m for m in args.serve_modes.split(",") if m and m != "none"]
    if any(m not in {"full", "dirty"} for m in modes):
        parser.error(f"--serve-modes: expected full, dirty or none; got {args.serve_modes!r}")
    args.serve_modes = modes
    args.shapes = [s for s in args.shapes.split(",") if s]
    if not args.shapes or any(s not in SHAPES for s in args.shapes):
        parser.error(f"--shapes: expected some of {', '.join(SHAPES)}; got {args.shapes!r}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when every build and serve measurement ran (targets met or not)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.from_json:
        return rerender(args)
    variants = dict(args.variant)
    # Taken before the builds: others may commit while a long run goes on.
    started, rev = datetime.now(UTC), revision()
    work = Path(tempfile.mkdtemp(prefix="study-guide-bench-", dir=args.workdir))
    runs: list[BuildRun] = []
    serve: list[ServeRun] = []
    try:
        for shape, n in [(shape, n) for shape in args.shapes for n in args.lessons]:
            course = work / f"course-{shape}-{n}"
            generate_course(course / "docs", n, args.seed, shape)
            configs = write_configs(course, variants)
            for repeat in range(1, (args.big_repeats if n > BIG_COURSE else args.repeats) + 1):
                for name, config in configs.items():
                    run = run_build(name, config, course / f"site-{name}", n, timed=name != "plain", timeout=args.build_timeout)
                    run.shape = shape
                    runs.append(run)
                    print(
                        f"{shape} N={n} #{repeat} {name}: {run.wall_s:.2f} s, {run.maxrss_kib / 1024:.0f} MiB, "
                        f"{run.site_bytes / 1e6:.2f} MB in {run.site_files} files, "
                        f"hooks {run.hook_s:.3f} s, CPU {run.total_cpu_s:.2f} s",
                        flush=True,
                    )
            if args.learner_loads:
                sites = {name: course / f"site-{name}" for name in ("plain", "ours")}
                for name, figures in measure_learner(sites, answer_word(course / "docs"), args.learner_loads).items():
                    last = next(r for r in reversed(runs) if r.config == name and r.shape == shape and r.lessons == n)
                    last.first_result_ms, last.page_bytes, last.page_gzip_bytes = figures
                    print(f"{shape} N={n} {name}: first search result {last.first_result_ms:.0f} ms", flush=True)
            if args.profile:
                # Apart from the timed builds: cProfile slows a build down about twofold.
                args.profile.mkdir(parents=True, exist_ok=True)
                for name, config in configs.items():
                    prof = args.profile / f"{name}-{n}.prof"
                    run_build(name, config, course / f"site-{name}", n, timed=False, timeout=args.build_timeout, profile=prof)
                    print(f"N={n} {name}: profile in {prof}", flush=True)
        for mode in args.serve_modes:
            result = measure_serve(
                work / f"serve-{mode}",
                args.serve_lessons,
                args.seed,
                dirty=mode == "dirty",
                edits=args.serve_edits,
                timeout=args.serve_timeout,
            )
            serve.append(result)
            print(f"serve {mode} N={args.serve_lessons}: {[round(t, 2) for t in result.edits_s]} s", flush=True)
    except BenchError as exc:
        print(f"bench.py: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept the courses and sites in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    context = Context(
        command=shlex.join(["python", "scripts/bench.py", *argv]),
        when=f"{started:%Y-%m-%d %H:%M} UTC",
        machine=machine(),
        seed=args.seed,
        repeats=args.repeats,
        revision=rev,
        big_repeats=args.big_repeats if any(n > BIG_COURSE for n in args.lessons) else None,
    )
    return _report(args, context, runs, asset_gzip_sizes(), serve)


def _report(
    args: argparse.Namespace, context: Context, runs: list[BuildRun], assets: dict[str, tuple[int, int]], serve: list[ServeRun]
) -> int:
    report = render_report(context, runs, assets, serve)
    print(report)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        earlier = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        args.out.write_text(report + "".join(f"\n{section}\n" for section in _sections(earlier)), encoding="utf-8")
    if args.json and not args.from_json:
        data = {
            "context": asdict(context),
            "runs": [asdict(r) for r in runs],
            "serve": [asdict(s) for s in serve],
            "assets": assets,
        }
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 0


_SECTION = re.compile(r"^<!-- ([\w ]+) benchmark -->\n.*?^<!-- /\1 benchmark -->$", re.M | re.S)


def _sections(report: str) -> list[str]:
    """The other benchmarks' sections of an earlier report (the review's, the wikilinks'...): each script writes its
    own between its markers, and this report is written around them."""
    return [m.group(0) for m in _SECTION.finditer(report)]


def rerender(args: argparse.Namespace) -> int:
    """The report of an earlier run, from the JSON it wrote (to change the report, not the figures)."""
    data = json.loads(args.from_json.read_text(encoding="utf-8"))
    runs = [BuildRun(**r) for r in data["runs"]]
    serve = [ServeRun(**s) for s in data["serve"]]
    assets = {name: (raw, gz) for name, (raw, gz) in data["assets"].items()}
    if "context" in data:
        context = Context(**data["context"])
    else:  # written before the JSON recorded its context
        when = datetime.fromtimestamp(args.from_json.stat().st_mtime, UTC)
        context = Context("python scripts/bench.py", f"{when:%Y-%m-%d %H:%M} UTC", machine(), args.seed, args.repeats)
    return _report(args, context, runs, assets, serve)


if __name__ == "__main__":
    sys.exit(main())
