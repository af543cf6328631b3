"""The MkDocs adapter: hooks of a few lines that call parse and render."""

from __future__ import annotations

import hashlib
import html
import os
import posixpath
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section, StructureItem
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from ...core import VENDOR_DIR, anki, kept, markers
from ...core.cards import DeckLesson, lesson_cards
from ...core.concepts import render_concepts_page
from ...core.figures import LessonFigures, NotebookStore, lesson_figures
from ...core.frontend import shipped_assets
from ...core.guards import EMPTY_LINK
from ...core.model import Lesson, problems_by_weight
from ...core.notebooks import MANIFEST_NAME
from ...core.obsidian import Vault, strip_comments
from ...core.pages import (
    LessonPage,
    card_count,
    fill_lesson_list,
    frontmatter_only,
    lesson_entries,
    lesson_id,
    lesson_page,
    page_anchors,
    page_made,
    page_settings,
)
from ...core.parallel import Helper, NoteCache, thaw
from ...core.render import (
    REQUIRED_EXTENSIONS,
    LessonEntry,
    render_print_page,
    render_problems,
    render_review_page,
    render_takeaway,
)
from ...core.sanitize import meta_for_templates, sanitize_html
from ...core.search_chunks import Settings
from ...core.slim import slim_page
from ...core.tags import collect_tags, render_tags_page
from ...core.timestamps import SIDECAR_SUFFIX
from .config import StudyGuideConfig
from .dirty_search import DirtySearch
from .worker_pages import Converted, WorkerPages

log = get_plugin_logger(__name__)

ASSET_URI = "assets/study-guide"
CSS = f"{ASSET_URI}/study-guide.css"
JS = f"{ASSET_URI}/study-guide.js"
PRINT_CSS = "print.css"  # beside CSS; linked for print only (not a stylesheet every page waits for)
PRINT_JS = f"{ASSET_URI}/print.js"  # the print page's own script
OFFLINE_SHIM = f"{ASSET_URI}/iframe-worker-shim.js"
SEARCH_WORKER = f"{ASSET_URI}/search-worker.js"  # ours, in place of Material's (reads the chunked index)
SERVE_POLL_S = 0.2  # how often `mkdocs serve` looks for saved files (see on_serve)
# Markdown extensions the rendered pages rely on (attributes on time links and tags, heading ids).


class StudyGuidePlugin(BasePlugin[StudyGuideConfig]):
    """Builds collapsible Q&A pages and a lesson list from learners' notes."""

    def __init__(self) -> None:
        self.lessons: dict[str, Lesson] = {}
        # Each lesson page's cards and search entries, kept where they are read (kept.py); what keeping them gave.
        self.shelf = kept.shelf_name()
        self.kept: list[Future[None]] = []
        self.helper = Helper(0)
        self.worker_pages = WorkerPages()  # on a big course, lesson pages converted by the helper's worker
        self.deck: Future[anki.DeckReport | OSError] | None = None  # the Anki deck, being written
        self.notes: NoteCache | None = None  # while serving: parsed notes, reused as long as a note is unchanged
        self.packed: dict[str, str] | None = None  # while serving: each lesson's answers deflated, by their JSON
        self.tags_page: str | None = None
        self.vault = Vault({})
        self.concepts_stash = markers.Stash()  # the concepts page's lists, from its Markdown to its HTML
        self.review_page: File | None = None
        self.print_page: File | None = None
        self.figures: dict[str, LessonFigures] = {}
        self.lesson_list: list[LessonEntry] = []  # the lesson list's rows, read before pages let go of their notes
        self.card_total = 0  # the course's cards, counted then too
        self.waiting: dict[str, bytes] = {}  # lesson pages' HTML, deflated, from their conversion to their template
        self.pages: dict[str, LessonPage] = {}  # each lesson page between its Markdown and its HTML
        self.serving = False
        self.dirty = False
        self.sources: Path | None = None  # while serving dirty: the Markdown of the pages the plugin writes
        self.dirty_search: DirtySearch | None = None  # while serving dirty: each page's entries in the site search

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # With on_startup, MkDocs keeps this plugin across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"
        self.notes = NoteCache() if self.serving else None
        self.packed = {} if self.serving else None
        self.dirty = dirty
        if self.serving and dirty:
            self.sources = Path(tempfile.mkdtemp(prefix="study-guide-pages-"))
            self.dirty_search = DirtySearch()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        # MkDocs looks at the files' times every 0.5 s, so a saved note waits a quarter second on average before its
        # rebuild starts. Look every SERVE_POLL_S instead: a look stats the docs folder's files, about 0.7 ms per
        # hundred. MkDocs has no option for it; its watcher's pollers have their interval as _timeout.
        for emitter in getattr(server.observer, "emitters", ()):
            if isinstance(getattr(emitter, "_timeout", None), int | float):
                emitter._timeout = min(emitter._timeout, SERVE_POLL_S)
        return server

    def on_shutdown(self) -> None:
        if self.sources is not None:
            shutil.rmtree(self.sources, ignore_errors=True)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        thaw()  # an earlier build's objects, in this process, go back to the collector
        if not self.config.enabled:
            return None
        if self.config.new_cards_per_day < 0:
            raise PluginError("study-guide: new_cards_per_day must be 0 or more (0: only cards already seen)")
        deck = posixpath.normpath(self.config.anki_deck) if self.config.anki_deck else ""
        if deck and (deck.startswith(("/", "../")) or deck == ".."):
            where = f"study-guide: anki_deck {self.config.anki_deck!r} lies outside the site"
            raise PluginError(f"{where}; write a path in it, such as course.apkg")
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # First, so that the site's own extra_css and extra_javascript come after ours and can override them.
        if CSS not in config.extra_css:
            config.extra_css.insert(0, CSS)
        if JS not in config.extra_javascript:
            config.extra_javascript.insert(0, JS)
        if _enabled(config, "offline"):
            # Material's offline plugin would fetch this shim from a CDN; ship our copy instead.
            polyfills = config.extra.setdefault("polyfills", [])
            if OFFLINE_SHIM not in polyfills:
                polyfills.append(OFFLINE_SHIM)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        notes = self._take_notes(files)
        # A dirty rebuild renders only the changed pages: the others' entries are kept from before.
        current = {f.url for f in notes}
        if not self.serving:
            self.shelf = kept.shelf_name()  # a build of its own
        self.helper = Helper(len(notes), allowed=self.config.parallel and not self.serving)
        self.kept = [self.helper.submit(kept.start, self.shelf, current if self.dirty else None)]
        if self.helper.active:
            log.debug("%d notes: parsing and indexing them with a second process", len(notes))
        paths = [(f.abs_src_path or f.src_uri, _shown_path(f)) for f in notes]
        lessons = self.notes.read(self.helper, paths) if self.notes else self.helper.read_notes(paths)
        previous = {uri: lesson.title for uri, lesson in self.lessons.items()}
        self.lessons = {f.src_uri: lesson for f, lesson in zip(notes, lessons, strict=True)}
        # A lesson came, went or was renamed: every page's navigation changes.
        renamed = self.dirty and previous and previous != {uri: lesson.title for uri, lesson in self.lessons.items()}
        self.figures = self._figures(notes, files, config)
        self.vault = self._add_concepts_page(files, config)
        info_only = {EMPTY_LINK} if self.config.empty_links == "info" else set()
        _report(self.lessons.values(), info_only, serving=self.serving)
        if not self.serving:
            for lesson in self.lessons.values():
                lesson.source = ""  # the note's text: only a page for a broken note shows it, and only while serving
        if self.serving:
            self._show_broken_notes(notes, files, config)
        # Read from every note before any page is made: a lesson page lets go of its note's body once made.
        self.lesson_list = lesson_entries(self.lessons, self.config.lessons_dir)
        self.card_total = card_count(self.lessons)
        self.tags_page = self._add_tags_page(files, config)
        self.review_page = self._add_review_page(files, config)
        self.print_page = self._add_print_page(files, config)
        self._add_assets(files, config)
        if self.dirty:
            self._always_rebuild_lesson_lists(files, config)
        if renamed:
            _rebuild_every_page(files)  # the pages added above included
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self.config.enabled and env.bytecode_cache is None:
            env.bytecode_cache = _template_cache()
        if self.config.enabled and self.dirty:
            _read_unchanged_pages(files, config)
        if self.config.enabled and self._deck_file():
            # Every card is known once every page's content is: the deck is written (by the worker, on a big course)
            # while MkDocs fills the templates.
            self.deck = self._start_deck(Path(config.site_dir), config, files)
        if self.config.enabled and (self.review_page or self.print_page):
            folder = Path(config.site_dir) / ASSET_URI  # so are the review's cards files
            self.kept.append(self.helper.submit(kept.write_cards, self.shelf, self._deck(), folder, self.packed))
        return None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled:
            return None
        _title_lessons(nav.pages, self.lessons)
        if self.config.nav_group_size > 0:
            _group_lessons(nav.items, set(self.lessons), self.config.nav_group_size)
        if not self.dirty:  # the site is final: the worker converts the last lesson pages while MkDocs does the others
            self.worker_pages.start(self, self.helper, self._lesson_pages(files), config, files)
        if self.dirty_search is not None:
            search = _material_plugin(config, "search") if _enabled(config, "search") else None
            self.dirty_search.start(search, {f.url for f in files.documentation_pages()})
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        lesson = self.lessons.get(page.file.src_uri)
        if lesson is not None and lesson.errors:
            return None  # while serving, the note was swapped for a page that shows its problems
        if lesson is not None:
            page.meta = meta_for_templates(lesson)
            _index_ourselves(page, lesson)
            if self.worker_pages.take(page.file.src_uri):
                return ""  # the worker converted it: on_page_content puts its HTML back
            tags_file = files.get_file_from_path(self.tags_page) if self.tags_page else None
            tags_page = get_relative_url(tags_file.url, page.file.url) if tags_file else None
            uri = page.file.src_uri
            made = lesson_page(lesson, self._lesson_id(uri), self.figures[uri], tags_page, self.vault, uri)
            self.pages[uri] = made
            return made.markdown
        markdown = strip_comments(markdown)[0]  # a page of the site that is no lesson may be a note too
        if self.config.lessons_marker in markdown:
            takeaway = self._takeaway(page.file.url, config)
            marker, review = self.config.lessons_marker, bool(self.review_page)
            return fill_lesson_list(markdown, marker, self.lesson_list, page.file.src_uri, dashboard=review, takeaway=takeaway)
        return markdown

    def _on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        if (converted := self.worker_pages.finish(page.file.src_uri)) is not None:
            return self._put_back(converted, page, files)
        lesson = self.lessons.get(page.file.src_uri)
        clean = sanitize_html if self.config.raw_html == "sanitize" else None
        if lesson is not None and lesson.errors:  # while serving, an earlier build's entries must not outlive an error
            self.kept.append(self.helper.submit(kept.forget_page, self.shelf, page.url))
        if lesson is not None and not lesson.errors:
            html, blocks = self.pages.pop(page.file.src_uri).finish(html, clean)
            self._keep(page, blocks, lesson, _search_settings(config))
            # Question and bullet ids appear after Markdown: tell MkDocs, whose link check saw only the Markdown's ids.
            ours = page_anchors(blocks, lesson) | self.vault.anchors(page.file.src_uri)
            page.present_anchor_ids = (page.present_anchor_ids or set()) | ours
        elif clean is not None and (lesson is not None or page.file.src_uri in (self.tags_page, self.vault.concepts_page)):
            html = clean(html)  # a broken note's page, the tags page: text from notes, and no markup of ours
        elif lesson is None and PROGRESS in html:
            html = _lesson_table_unsearched(html)
        if page.file.src_uri == self.vault.concepts_page:
            html = self.concepts_stash.restore(html)  # its lists, ours, after the sanitiser
        if page.file.src_uri == self.tags_page:
            # Its lists repeat what the lessons' own entries hold; a tag's heading is what a search should find.
            html = html.replace("<ul>", "<ul data-search-exclude>")
        review = get_relative_url(self.review_page.url, page.url) if self.review_page else None
        # Inside the content, so that Material's instant navigation swaps it along with the page.
        return html + page_settings(config.site_name, review, self.config.new_cards_per_day)

    @event_priority(-100)  # last: another plugin may still read the page's Markdown with its HTML
    def _let_go_of_the_note(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        uri = page.file.src_uri
        if not self.config.enabled or self.serving or uri not in self.lessons:
            return None
        # Converted: MkDocs holds every page until it has converted them all, then fills their templates. A lesson's
        # Markdown and its parsed note (its questions and bullets) need not wait: the rest of the build reads the
        # note's frontmatter alone. Its HTML waits deflated (a fifth of its size) until its template is filled.
        page.markdown = None
        self.lessons[uri] = page_made(self.lessons[uri])
        self.figures.pop(uri, None)
        self.waiting[uri] = zlib.compress(html.encode("utf-8"), 1)
        return ""

    on_page_content = CombinedEvent(_on_page_content, _let_go_of_the_note)

    @event_priority(100)  # first: other plugins (the site search) and the template read the page's HTML
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        waiting = self.waiting.pop(page.file.src_uri, None)
        if waiting is not None:
            page.content = zlib.decompress(waiting).decode("utf-8")
        return None

    @event_priority(-100)  # last: after any other plugin's changes to the page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.config.enabled:
            return None
        if self.dirty_search is not None:
            self.dirty_search.page_done(page.file.url)  # as the site's files have it (the home page's is "./")
        if not self.serving and page.file.src_uri in self.lessons:
            # Written once this returns, and read by nothing after: a big course need not hold every lesson page twice.
            page.content = None
        if _enabled(config, "search"):
            output = _our_search_worker(output)  # the chunked index needs our worker: Material's reads the whole index
        return slim_page(_link_print_styles(output))

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        # Pages made from a theme template alone (404.html) search too: with our worker, as every page.
        if self.config.enabled and _enabled(config, "search") and template_name.endswith(".html"):
            return _our_search_worker(output_content)
        return None

    @event_priority(-50)  # after the search plugin has written its index, before the offline plugin copies it
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._write_what_pages_gave(config)
        finally:
            self._let_go_of_the_shelf()

    def on_build_error(self, *, error: Exception) -> None:
        self._let_go_of_the_shelf()

    def _write_what_pages_gave(self, config: MkDocsConfig) -> None:
        """The deck, the review's cards files and the search index, from what every lesson page gave (see kept.py)."""
        for future in self.kept:
            future.result()  # a page's cards or entries that could not be read or written: the build says why
        deck, self.deck = self.deck, None
        if deck is not None:
            self._report_deck(deck.result())
        index_path = Path(config.site_dir) / "search" / "search_index.json"
        if self.config.enabled and index_path.is_file():
            # Every entry, ours and the site search's, read with its settings (as the lesson pages' entries were).
            docs = self.dirty_search.entries() if self.dirty_search else None
            self.helper.submit(kept.write_index, self.shelf, index_path, _search_settings(config), docs).result()

    def _let_go_of_the_shelf(self) -> None:
        self.kept, self.waiting = [], {}
        self.worker_pages.clear()
        self.helper.close()
        if not self.serving:  # while serving, the next (dirty) rebuild keeps what the pages it skips gave
            kept.drop(self.shelf)

    def _put_back(self, converted: Converted, page: Page, files: Files) -> str:
        """A lesson page that the worker made: what MkDocs keeps of it, as if made here (the worker kept its cards and
        search entries, as it keeps those of the pages made here)."""
        converted.put_on(page, files)
        return converted.html

    def _keep(self, page: Page, blocks: markers.PageBlocks, lesson: Lesson, settings: Settings) -> None:
        """The lesson page's cards and search entries, from its blocks (the site search skips the page), kept where
        they are read: on a big course, by the worker, which writes the deck, the cards files and the index."""
        cards = lesson_cards(blocks, lesson)
        search = None  # where the learner keeps this lesson out of search
        if not lesson.search.get("exclude"):
            search = kept.Search(blocks, frontmatter_only(lesson), self.config.spoiler_free, settings)
        self.kept.append(self.helper.submit(kept.keep_page, self.shelf, page.file.src_uri, page.url, cards, search))

    def _show_broken_notes(self, notes: list[File], files: Files, config: MkDocsConfig) -> None:
        """While serving, a note that cannot be read becomes a page saying why (MkDocs could not even read some)."""
        for note in notes:
            lesson = self.lessons[note.src_uri]
            if lesson.errors:
                files.remove(note)
                files.append(File.generated(config, note.src_uri, content=render_problems(lesson)))

    def _always_rebuild_lesson_lists(self, files: Files, config: MkDocsConfig) -> None:
        """Pages listing the lessons show counts from every note: a dirty rebuild must redo them too.

        MkDocs rebuilds only pages whose file changed; a generated file counts as always changed.
        """
        for page in [f for f in files.documentation_pages() if f.src_uri not in self.lessons and f.abs_src_path]:
            content = page.content_string
            if self.config.lessons_marker in content:
                files.remove(page)
                files.append(File.generated(config, page.src_uri, content=content))

    def _take_notes(self, files: Files) -> list[File]:
        """The lesson notes, in course order; their timestamps sidecars leave the site (read with the notes)."""
        prefix = self.config.lessons_dir.strip("/") + "/"
        for sidecar in [f for f in files if f.src_uri.startswith(prefix) and f.src_uri.endswith(SIDECAR_SUFFIX)]:
            files.remove(sidecar)
        return sorted((f for f in files.documentation_pages() if f.src_uri.startswith(prefix)), key=lambda f: f.src_uri)

    def _figures(self, notes: list[File], files: Files, config: MkDocsConfig) -> dict[str, LessonFigures]:
        """Notebook outputs for each lesson page; image files are added to the site once each."""
        store = NotebookStore(config.docs_dir)
        figures = {f.src_uri: lesson_figures(self.lessons[f.src_uri], store, f.url) for f in notes}
        manifest = files.get_file_from_path(f"{store.notebooks_dir}/{MANIFEST_NAME}")
        if manifest is not None:
            files.remove(manifest)  # its provenance is in the captions; the file itself is the runner's
        for path, data in sorted({f.path: f.data for lf in figures.values() for f in lf.files}.items()):
            files.append(File.generated(config, path, content=data))
        return figures

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        for name, data in shipped_assets().items():
            files.append(File.generated(config, f"{ASSET_URI}/{name}", content=data))
        if _enabled(config, "offline"):
            files.append(File.generated(config, OFFLINE_SHIM, abs_src_path=str(VENDOR_DIR / "iframe-worker-shim.js")))

    def _add_tags_page(self, files: Files, config: MkDocsConfig) -> str | None:
        """Generate the tags page when some note has tags; return its path, or None."""
        uri = self.config.tags_page
        tags = collect_tags(self.lessons)
        if not uri or not tags:
            return None
        if not _free(files, uri, "tags_page"):
            return None
        files.append(self._written_page(config, uri, render_tags_page(tags, uri)))
        return uri

    def _add_concepts_page(self, files: Files, config: MkDocsConfig) -> Vault:
        """The course's wikilinks resolved (problems go to the notes); the concepts page generated when some link is a concept."""
        uri = self.config.concepts_page or None
        self.concepts_stash = markers.Stash()
        if uri is not None and not _free(files, uri, "concepts_page"):
            uri = None
        urls = {f.src_uri: f.url for f in files.documentation_pages()}
        vault = Vault(self.lessons, [f.src_uri for f in files], uri, urls=urls)
        if uri is not None and vault.concepts:
            vault.urls[uri] = _url(config, uri)
            files.append(self._written_page(config, uri, render_concepts_page(vault, uri, self.concepts_stash)))
        else:
            vault.concepts_page = None
        return vault

    def _add_review_page(self, files: Files, config: MkDocsConfig) -> File | None:
        """Generate the review page when the course has lessons; return its file, or None."""
        uri = self.config.review_page
        if not uri or not self.lessons:
            return None
        if not _free(files, uri, "review_page"):
            return None
        takeaway = self._takeaway(_url(config, uri), config, printing=False)
        page = self._written_page(config, uri, render_review_page(takeaway=takeaway))
        files.append(page)
        return page

    def _add_print_page(self, files: Files, config: MkDocsConfig) -> File | None:
        """Generate the page that prints the whole course when it has lessons; return its file, or None."""
        uri = self.config.print_page
        if not uri or not self.lessons:
            return None
        if not _free(files, uri, "print_page"):
            return None
        page = self._written_page(config, uri, render_print_page(get_relative_url(PRINT_JS, _url(config, uri))))
        files.append(page)
        return page

    def _written_page(self, config: MkDocsConfig, uri: str, markdown: str) -> File:
        """A page the plugin writes. While serving dirty, its Markdown is a file that changes only with it: a rebuild
        skips the page while it is unchanged, as MkDocs skips a note that is (it redoes a page whose HTML is older than
        its source). At 100 lessons the tags page alone took a sixth of each rebuild."""
        if self.sources is None:
            return File.generated(config, uri, content=markdown)
        path = self.sources / uri
        if not path.is_file() or path.read_text(encoding="utf-8") != markdown:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(markdown, encoding="utf-8")
        return File.generated(config, uri, abs_src_path=str(path))

    def _takeaway(self, page_url: str, config: MkDocsConfig, *, printing: bool = True) -> str:
        """Links to the deck (and the print page), from the page at *page_url*."""
        deck = get_relative_url(self._deck_file(), page_url) if self._deck_file() else None
        print_page = get_relative_url(self.print_page.url, page_url) if self.print_page and printing else None
        return render_takeaway(self.card_total, deck, f"{config.site_name}.apkg", print_page)

    def _deck_file(self) -> str:
        """Where the Anki deck goes; "" for none. Not while serving: a save would wait for it, and no one imports it then."""
        return "" if self.serving else self.config.anki_deck

    def _deck(self) -> list[tuple[str, DeckLesson]]:
        """The course's lessons by their note, in course order (not in the order pages were rendered): their cards and
        their pages' URLs are on the shelf."""
        return [
            (
                uri,
                DeckLesson(
                    self._lesson_id(uri), lesson.title, "", lesson.tags, (), path=lesson.path, modified=_modified(lesson.path)
                ),
            )
            for uri, lesson in self.lessons.items()
        ]

    def _start_deck(self, site_dir: Path, config: MkDocsConfig, files: Files) -> Future[anki.DeckReport | OSError]:
        """The Anki deck, from the pages as rendered; its images are the site's own files (not all written yet)."""
        sanitized = self.config.raw_html == "sanitize"  # else the deck sanitises what the pages kept as written
        site = anki.Site(config.site_name, config.site_url or None, config.use_directory_urls, sanitized)
        media = anki.MediaSource(generated=_SiteFiles.of(files))
        return self.helper.submit(kept.write_deck, self.shelf, site_dir / self._deck_file(), self._deck(), site, media)

    def _report_deck(self, report: anki.DeckReport | OSError) -> None:
        if isinstance(report, OSError):
            raise PluginError(f"study-guide: the Anki deck {self.config.anki_deck!r} cannot be written ({report})") from report
        for warning in report.warnings:
            log.warning("%s", warning)

    def _lesson_pages(self, files: Files) -> list[str]:
        """The lesson pages that MkDocs converts (not a broken note's), in the order it converts them."""
        return [f.src_uri for f in files.documentation_pages() if (lesson := self.lessons.get(f.src_uri)) and not lesson.errors]

    def _lesson_id(self, src_uri: str) -> str:
        return lesson_id(src_uri, self.config.lessons_dir)


class _TemplateCache(FileSystemBytecodeCache):
    """The theme's templates compiled once per machine, not on every build (Jinja's own cache, in a private temp folder).

    Compiling Material's templates is a fixed cost of every build (about 0.2 s, a fifth of a 10-lesson course's
    build). Jinja keys its cache by template and source only; what else the compiled code depends on (Jinja's
    version, the environment's syntax, extensions and filters) is added to the key, so sites built with different
    settings never share code.
    """

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        return super().get_bucket(environment, name, f"{filename}\0{_compiled_with(environment)}", source)


def _template_cache() -> _TemplateCache | None:
    try:
        return _TemplateCache()
    except (OSError, RuntimeError):  # no private temp folder to be had: compile as MkDocs does
        return None


_SYNTAX = (
    *("block_start_string", "block_end_string", "variable_start_string", "variable_end_string"),
    *("comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix"),
    *("trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async"),
)


def _compiled_with(env: Environment) -> str:
    """What a template's compiled code depends on besides its source (constant filters are folded in at compile time)."""

    def named(obj: object) -> str:
        return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', type(obj).__qualname__)}"

    syntax = [getattr(env, name) for name in _SYNTAX] + [env.policies.get("compiler.ascii_str")]
    functions = sorted((kind, name, named(f)) for kind, fs in (("f", env.filters), ("t", env.tests)) for name, f in fs.items())
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else repr(env.autoescape)  # a function: never shared
    return repr((jinja2.__version__, syntax, autoescape, repr(env.finalize), sorted(env.extensions), functions))


@dataclass(frozen=True)
class _SiteFiles(Mapping[str, bytes]):
    """The site's files other than pages, by their path in the site, read from where MkDocs copies (or makes) them."""

    sources: dict[str, str]  # site path -> the file MkDocs copies there
    made: dict[str, bytes]  # site path -> what MkDocs writes there (notebook figures)

    @classmethod
    def of(cls, files: Files) -> _SiteFiles:
        static = [f for f in files if not f.is_documentation_page()]
        sources = {f.dest_uri: f.abs_src_path for f in static if f.abs_src_path}
        return cls(sources, {f.dest_uri: f.content_bytes for f in static if not f.abs_src_path})

    def __getitem__(self, path: str) -> bytes:
        if path in self.made:
            return self.made[path]
        return Path(self.sources[path]).read_bytes()

    def __contains__(self, path: object) -> bool:
        return path in self.made or path in self.sources

    def __iter__(self) -> Iterator[str]:
        return iter([*self.made, *self.sources])

    def __len__(self) -> int:
        return len(self.made) + len(self.sources)


def _group_lessons(items: list[StructureItem], lessons: set[str], size: int) -> None:
    """Split every section holding more than *size* lessons into sections of *size* ("Lessons 1–25")."""
    for item in items:
        if not isinstance(item, Section):
            continue
        _group_lessons(item.children, lessons, size)
        pages = [c for c in item.children if isinstance(c, Page) and c.file.src_uri in lessons]
        if len(pages) <= size or len(pages) != len(item.children):
            continue
        groups: list[StructureItem] = []
        for start in range(0, len(pages), size):
            chunk = pages[start : start + size]
            group = Section(f"{item.title} {start + 1}–{start + len(chunk)}", list(chunk))
            group.parent = item
            for page in chunk:
                page.parent = group
            groups.append(group)
        item.children = groups


def _title_lessons(pages: list[Page], lessons: dict[str, Lesson]) -> None:
    """Every lesson page titled as the note says, in the navigation too (templates show titles as HTML)."""
    for page in pages:
        lesson = lessons.get(page.file.src_uri)
        if lesson is not None and "title" not in vars(page):  # a title from mkdocs.yml's nav stays
            page.title = html.escape(lesson.title)


def _url(config: MkDocsConfig, uri: str) -> str:
    """The URL of the page at *uri*, as MkDocs gives it."""
    return File(uri, None, None, use_directory_urls=config.use_directory_urls).url


def _rebuild_every_page(files: Files) -> None:
    """Make a dirty rebuild redo every page: MkDocs redoes a page whose built file is older than its source, or missing."""
    for file in files.documentation_pages():
        Path(file.abs_dest_path).unlink(missing_ok=True)


def _read_unchanged_pages(files: Files, config: MkDocsConfig) -> None:
    """Give the pages that a dirty rebuild skips their titles: the rebuilt pages list them in their navigation.

    MkDocs reads only the pages it rebuilds; the others would be listed as "None".
    """
    for file in files.documentation_pages():
        if file.page is not None and file.page.markdown is None:
            file.page.read_source(config)


def _index_ourselves(page: Page, lesson: Lesson) -> None:
    """Keep the site search off a lesson page: on_page_content indexes it, question by question."""
    page.meta["search"] = {**lesson.search, "exclude": True}


PROGRESS = 'class="sg-progress"'  # the cell of the lesson table that the front-end fills


def _lesson_table_unsearched(html: str) -> str:
    """The page with its table of lessons kept out of the site search (``data-search-exclude``, which Material's
    search reads after this hook): titles and counts of every lesson would be a large entry that no one searches."""
    start = html.rfind("<table", 0, html.find(PROGRESS))
    if start < 0:
        return html
    return f"{html[: start + len('<table')]} data-search-exclude{html[start + len('<table') :]}"


def _link_print_styles(output: str) -> str:
    """The page with our print stylesheet linked right after our stylesheet, for print only.

    A ``<link media="print">`` is fetched without holding up the page on screen. MkDocs' ``extra_css``
    cannot say ``media``, so the link is added to the page MkDocs wrote, beside ours (same folder).
    """
    at = output.find(f'/{posixpath.basename(CSS)}"')
    start = output.rfind('href="', 0, at)
    end = output.find(">", at)
    if at < 0 or start < 0 or end < 0:
        return output  # a theme that does not link our stylesheet: nothing to print with either
    folder = output[start + len('href="') : at]
    link = f'<link rel="stylesheet" href="{folder}/{PRINT_CSS}" media="print">'
    return output[: end + 1] + link + output[end + 1 :]


def _modified(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


_MATERIAL_WORKER = re.compile(r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')


def _our_search_worker(output: str) -> str:
    """The page with its ``__config`` naming our search worker: Material starts whatever worker it names there.

    Its address names its version, as Material's names its own: a browser that cached the worker of an earlier
    release must not read this build's chunks with it.
    """
    return _MATERIAL_WORKER.sub(lambda m: f'{m.group(1)}{SEARCH_WORKER}?v={_worker_version()}"', output, count=1)


@cache
def _worker_version() -> str:
    return hashlib.sha1(shipped_assets()["search-worker.js"], usedforsecurity=False).hexdigest()[:8]


def _material_plugin(config: MkDocsConfig, name: str) -> BasePlugin[Any] | None:
    """Material's plugin *name* (``search``, ``offline``), under either name a site may give it."""
    return config.plugins.get(f"material/{name}") or config.plugins.get(name)


def _enabled(config: MkDocsConfig, name: str) -> bool:
    """Whether Material's plugin *name* is on: the site search (whose index our worker reads), or the offline plugin
    (the site is meant to open from ``file://``)."""
    plugin = _material_plugin(config, name)
    return bool(plugin and plugin.config.get("enabled", True))


def _search_settings(config: MkDocsConfig) -> Settings:
    """How the site search reads words, from its options (Material fills in their defaults before pages render)."""
    search = _material_plugin(config, "search")
    return Settings.of(search.config) if search else Settings()


def _shown_path(file: File) -> str:
    """The note's path as the user would type it: relative to where MkDocs runs, if inside it."""
    path = file.abs_src_path or file.src_uri
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _free(files: Files, uri: str, option: str) -> bool:
    """Whether the site has no page at *uri*, where the plugin's *option* would generate one (a warning if it has)."""
    if files.get_file_from_path(uri) is None:
        return True
    page = option.removesuffix("_page")
    log.warning("%s already exists, so the %s page is not generated; set the plugin's %s elsewhere", uri, page, option)
    return False


def _report(lessons: Iterable[Lesson], info_only: set[str], *, serving: bool) -> None:
    """Log warnings; stop the build with every error at once, each as ``path:line: message``.

    Warnings whose code is in *info_only* are logged as info, as the site's options ask. While
    serving, errors are logged and the broken notes' pages show them instead: the server keeps
    running, and saving the fixed note brings the page back.
    """
    errors, warnings, rest = problems_by_weight(lessons, info_only)
    for warning in warnings:
        log.warning("%s", warning)
    for info in rest:
        log.info("%s", info)
    if errors and serving:
        for error in errors:
            log.error("%s", error)
    elif errors:
        raise PluginError("\n".join(errors))
