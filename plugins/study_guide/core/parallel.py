"""A second core: notes parsed, lesson pages converted and indexed beside the build.

MkDocs renders pages one at a time on one core. Parsing every note (before any page can be
built), converting a lesson page and reading its search entries need nothing from the pages
after them: a worker process shares them with the build (see the MkDocs adapter's
``worker_pages``), on a big course from the start, on a course of a few lessons once its
pages are known.

The worker is forked, so it starts in milliseconds with everything already imported; where
forking is not safe (no ``fork`` on the platform, or threads running, as while serving) or not
worth it (a small course, one core), everything runs in this process as before. Results are
the same either way, in the same order.
"""

from __future__ import annotations

import copy
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .model import Lesson
from .parse import read_note
from .timestamps import SIDECAR_SUFFIX

MIN_NOTES = 40
"""Below this many notes, parsing them all here costs less than handing half of them to a worker."""

MIN_PAGES = 8
"""Below this many lesson pages, converting them all here costs less than forking a worker to share them."""

T = TypeVar("T")


class Helper:
    """At most one worker process, started only when it pays; ``close()`` when the build ends."""

    def __init__(self, notes: int, *, allowed: bool = True) -> None:
        self._allowed = allowed
        self._pool: ProcessPoolExecutor | None = None
        self._forked = False  # the pool has its worker
        if allowed and notes >= MIN_NOTES and _can_fork():
            self._pool = _fork_on_first_submit()

    def restart(self, pages: int) -> bool:
        """A fresh worker to share *pages* lesson pages, forked on the next ``submit``: it sees this process as it is
        then (work the last one was given is done first). False, and no worker, where one is not allowed, would not
        pay for so few pages, or forking is no longer safe."""
        if self._pool is not None:
            self._pool.shutdown()
        self._pool = _fork_on_first_submit() if self._allowed and pages >= MIN_PAGES and _can_fork() else None
        self._forked = False
        return self._pool is not None

    @property
    def active(self) -> bool:
        return self._pool is not None

    def read_notes(self, notes: Sequence[tuple[str, str]]) -> list[Lesson]:
        """``read_note(path, shown)`` for each note, in order: the worker takes half of them."""
        if self._pool is None:
            return [read_note(path, shown) for path, shown in notes]
        half = len(notes) // 2
        theirs = self._pool.submit(_read_notes, notes[:half])
        ours = [read_note(path, shown) for path, shown in notes[half:]]
        return theirs.result() + ours

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """*fn* run by the worker (or here and now, without one); its result is the future's."""
        if self._pool is not None:
            if not self._forked:  # this submit forks the worker
                _freeze()
                self._forked = True
            return self._pool.submit(fn, *args, **kwargs)
        return self.done(fn(*args, **kwargs))

    @staticmethod
    def done(result: T) -> Future[T]:
        """A future that already holds *result*."""
        future: Future[T] = Future()
        future.set_result(result)
        return future

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class NoteCache:
    """Parsed notes kept from one build to the next (the rebuilds of ``mkdocs serve``), each while it is unchanged.

    A note counts as unchanged while its file and its timestamps sidecar keep their modification
    time and size; saving one note then parses that note alone. Each build gets its own copy of
    a lesson's problems, to which later stages (figures) add theirs.
    """

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[object, Lesson]] = {}

    def read(self, helper: Helper, notes: Sequence[tuple[str, str]]) -> list[Lesson]:
        """``read_note(path, shown)`` for each note, in order: parsed by *helper* when new or changed."""
        stamps = [_stamp(path) for path, _ in notes]
        changed = [k for k, note in enumerate(notes) if note not in self._kept or self._kept[note][0] != stamps[k]]
        kept = {note: self._kept[note] for note in notes if note in self._kept}
        for k, lesson in zip(changed, helper.read_notes([notes[k] for k in changed]), strict=True):
            kept[notes[k]] = (stamps[k], lesson)
        self._kept = kept  # notes that left the course are forgotten
        return [_fresh(kept[note][1]) for note in notes]


def _stamp(path: str) -> object:
    """What tells that a note or its sidecar changed: their modification times and sizes (None for a missing file)."""
    sidecar = path.removesuffix(".md") + SIDECAR_SUFFIX
    return tuple((st.st_mtime_ns, st.st_size) if (st := _stat(p)) else None for p in (path, sidecar))


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _fresh(lesson: Lesson) -> Lesson:
    clone = copy.copy(lesson)
    clone.problems = list(lesson.problems)
    return clone


def _read_notes(notes: Sequence[tuple[str, str]]) -> list[Lesson]:
    return [read_note(path, shown) for path, shown in notes]


_frozen_by: int | None = None
"""The process that put its objects out of the collector's sight when it forked its worker (see :func:`_freeze`)."""


def _freeze() -> None:
    """Keep every object made so far out of the cyclic collector's sight, in both processes, from the fork on.

    After a fork the two processes share their memory until either writes to it, page by page. A collection writes
    to every object it looks at: it would copy most of the build's memory in each process, and look again and again
    at objects that live to the build's end anyway (reference counting still frees what is let go). They stay so
    until the next build in this process begins: collecting them only for the process to end would cost as much
    again. A 10-lesson build took 0.95x plain Material's time with this, 1.08x without (seed-shaped notes, 21 builds
    of each in turn); 100 lessons 0.77x, 0.82x without.
    """
    global _frozen_by
    gc.freeze()
    _frozen_by = os.getpid()


def thaw() -> None:
    """A build begins: give the objects frozen at an earlier build's fork back to the collector (in the process
    that froze them; not in its worker)."""
    global _frozen_by
    if _frozen_by == os.getpid():
        gc.unfreeze()
        _frozen_by = None


def _fork_on_first_submit() -> ProcessPoolExecutor:
    """One worker process; the pool forks it on the first ``submit``, not here (the ``fork`` context starts all of a
    pool's processes at once, then)."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))


def _can_fork() -> bool:
    """Forking copies only the calling thread: safe while it is the only one, and with two cores to use."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 and (os.cpu_count() or 1) >= 2
