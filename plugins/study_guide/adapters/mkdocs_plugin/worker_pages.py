"""On a big course, the worker process converts lesson pages to HTML from the last one back while MkDocs converts
them from the first one on.

MkDocs converts pages one at a time, and Python-Markdown is most of a big course's build. At ``on_nav``, the last
hook before any page is converted (the site's files are final by then), the worker is forked afresh and offered
the lesson pages, last first, a few at a time. Each page is claimed once, by whichever process comes to it first,
so the two meet where their speeds put them (a busy machine may slow either). In the worker, a page is made exactly
as in a build without a worker: our ``on_page_markdown``, MkDocs's own ``Page.render``, our ``on_page_content``.
What MkDocs keeps of the page comes back (its HTML, table of contents, anchors, links to anchors) with every log
record emitted meanwhile; its cards and search entries stay in the worker, with those of the pages made here
(``core/kept.py``).

When MkDocs reaches such a page here, its Markdown is left empty (there is nothing to convert), and its
``on_page_content`` puts back what the worker made and replays its records, in page order: ``strict`` counts the
same warnings, and messages come out in the same order, as without a worker. A page the worker could not make is
made here, as without a worker: the same error stops the build, with the same messages.

Only while no other plugin works on a page between its source and our ``on_page_content`` (their changes would be
made here, to a page the worker made without them); never while serving (the helper has no worker then).
"""

from __future__ import annotations

import copy
import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ...core.parallel import Helper

FREE, OURS, WORKERS = 0, 1, 2
"""Who converts a lesson page: nobody yet, this process, the worker."""

AHEAD = 8
"""Pages offered to the worker that it has not done yet: enough to keep it busy from one page here to the next."""

log = get_plugin_logger(__name__)


@dataclass(frozen=True)
class Converted:
    """A lesson page as the worker made it: what MkDocs and the plugin keep of it, and the records logged meanwhile."""

    html: str  # what our on_page_content returned
    toc: TableOfContents
    title: str | None  # the title found by MkDocs's render
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked page's src_uri (File objects are this process's)
    records: list[logging.LogRecord]

    def put_on(self, page: Page, files: Files) -> None:
        """Give *page* (this process's) what rendering it would have, and log what making it logged."""
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = self.anchors
        if self.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in self.links_to_anchors.items()}
        for record in self.records:
            logging.getLogger(record.name).handle(record)


class WorkerPages:
    """The lesson pages offered to the worker in one build, until MkDocs reaches each."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._helper = Helper(0)
        self._lessons: list[str] = []  # their src_uris, in the order MkDocs converts them
        self._order: dict[str, int] = {}
        self._next = -1  # the next page to offer the worker, going back
        self._offered: dict[str, Future[Converted | None]] = {}
        self._ahead: list[Future[Converted | None]] = []  # offered, not done yet
        self._taken: dict[str, Converted] = {}
        self._claims: Any = None  # who converts each page (FREE, OURS, WORKERS), shared with the worker

    def start(self, plugin: BasePlugin[Any], helper: Helper, lessons: list[str], config: MkDocsConfig, files: Files) -> None:
        """Fork the worker afresh (it sees the site as it is now) and offer it *lessons* (their src_uris, in the order
        MkDocs converts them), last first; nothing when it would not convert them as this process does."""
        self.clear()
        if not lessons or not _alone(plugin, config) or not helper.restart(len(lessons)):
            return
        global _FORKED
        self._helper, self._lessons, self._next = helper, lessons, len(lessons) - 1
        self._order = {uri: k for k, uri in enumerate(lessons)}
        self._claims = multiprocessing.get_context("fork").Array("b", len(lessons))
        _FORKED = (plugin, config, files, self._claims)
        try:
            self._offer()  # the worker is forked on the first
        finally:
            _FORKED = None
        log.debug("%d lesson pages: converted by the second process too, from the last one back", len(lessons))

    def take(self, uri: str) -> bool:
        """Whether the worker made the page (waiting for it): then its Markdown need not be converted here."""
        k = self._order.get(uri, -1) if self._claims is not None else -1
        if k < 0:
            return False
        with self._claims.get_lock():
            ours = self._claims[k] == FREE
            if ours:
                self._claims[k] = OURS
        future = self._offered.pop(uri, None)
        if ours:
            if future is not None:
                future.cancel()  # the worker has not come to it: converted here
            self._offer()
            return False
        assert future is not None, "the worker claims only pages offered to it"
        try:
            converted = future.result()
            assert converted is not None, "claimed by the worker"
            self._taken[uri] = converted
        except Exception as exc:  # made here instead: the same error, if any, with the same messages as without a worker
            log.debug("%s: the second process could not make the page (%s); making it here", uri, exc)
            return False
        return True

    def finish(self, uri: str) -> Converted | None:
        """What the worker made of the page that :meth:`take` took, once."""
        return self._taken.pop(uri, None)

    def clear(self) -> None:
        for future in self._offered.values():
            future.cancel()
        if self._claims is not None:
            log.debug("the second process converted %d of %d lesson pages", self._claims[:].count(WORKERS), len(self._claims))
        self._reset()

    def _offer(self) -> None:
        """Keep a few pages offered ahead of what the worker has done, from the last one back, until the two meet.

        Not all at once: what else the plugin gives the worker (reading the pages converted here for search) goes in
        between, and the worker converts fewer pages the more of it there is.
        """
        self._ahead = [future for future in self._ahead if not future.done()]
        while len(self._ahead) < AHEAD and self._next >= 0 and self._claims[self._next] == FREE:
            uri = self._lessons[self._next]
            self._offered[uri] = self._helper.submit(_convert, uri, self._next)
            self._ahead.append(self._offered[uri])
            self._next -= 1


_FORKED: tuple[Any, MkDocsConfig, Files, Any] | None = None
"""The plugin, config, files and claims, for the worker to find in the memory it was forked with."""


def _convert(uri: str, k: int) -> Converted | None:
    """In the worker: the lesson page at *uri* (the *k*-th) made as in a build without a worker; None if this process
    came to it first."""
    assert _FORKED is not None, "forked with the site"
    plugin, config, files, claims = _FORKED
    with claims.get_lock():
        if claims[k] != FREE:
            return None
        claims[k] = WORKERS
    if not _parents:  # the first page: the parent's pool is not the worker's to use
        _parents.append(plugin.helper)
        plugin.helper = Helper(0)  # a lesson page's search entries are read here and now
        plugin.worker_pages = WorkerPages()
    file = files.get_file_from_path(uri)
    assert file is not None, uri
    page = file.page if file.page is not None else Page(None, file, config)  # as MkDocs makes a page outside the nav
    with _records() as records:
        config._current_page = page
        try:
            page.markdown = plugin.on_page_markdown("", page=page, config=config, files=files)
            page.render(config, files)
            html = plugin._on_page_content(page.content, page=page, config=config, files=files)
        finally:
            config._current_page = None
    links = page.links_to_anchors
    return Converted(
        html,
        page.toc,
        page._title_from_render,
        page.present_anchor_ids,
        None if links is None else {file.src_uri: to for file, to in links.items()},
        records,
    )


_parents: list[object] = []  # in the worker, kept unused: dropping the parent's pool would wake the parent's manager thread


def _alone(plugin: BasePlugin[Any], config: MkDocsConfig) -> bool:
    """Whether a lesson page is ours alone from its source to our on_page_content, and the site final after our on_nav."""
    events = config.plugins.events

    def ours(method: object) -> bool:
        return getattr(method, "__self__", None) is plugin

    before = [m for name in ("pre_page", "page_read_source", "page_markdown") for m in events.get(name, [])]
    nav, content = events.get("nav", []), events.get("page_content", [])
    return all(map(ours, before)) and (not nav or ours(nav[-1])) and (not content or ours(content[0]))


@contextmanager
def _records() -> Iterator[list[logging.LogRecord]]:
    """Every record logged meanwhile (instead of where it would go), ready to be sent back and handled there."""
    kept: list[logging.LogRecord] = []
    keep = _Keep(kept)
    manager = logging.Logger.manager
    loggers = [logging.getLogger(), *(x for x in manager.loggerDict.values() if isinstance(x, logging.Logger) and x.handlers)]
    handlers = [(logger, logger.handlers) for logger in loggers]
    for logger in loggers:
        logger.handlers = [keep]
    try:
        yield kept
    finally:
        for logger, theirs in handlers:
            logger.handlers = theirs


class _Keep(logging.Handler):
    def __init__(self, kept: list[logging.LogRecord]) -> None:
        super().__init__()
        self.kept = kept
        self.last: logging.LogRecord | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record is self.last:
            return  # the same record, passed on to a parent logger that also had handlers
        self.last = record
        sent = copy.copy(record)
        sent.msg, sent.args = record.getMessage(), None  # as logging's QueueHandler sends one: text only
        if record.exc_info:
            sent.exc_text = sent.exc_text or logging.Formatter().formatException(record.exc_info)
            sent.exc_info = None
        self.kept.append(sent)
