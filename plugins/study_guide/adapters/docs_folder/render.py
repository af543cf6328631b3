"""``python -m study_guide render DOCS --out OUT``: the study site as a folder of already rendered pages.

Every lesson page is made as the plugin makes it (:mod:`study_guide.core.pages`), converted
here with Python-Markdown and the site's extensions, and written as a Markdown file holding
its finished HTML: a generator that reads Material's Markdown (Zensical, MkDocs without our
plugin) passes it through as it is. What only the plugin did after Markdown is done here:
links in the learner's HTML are made relative to the page (MkDocs does not rewrite raw HTML).
The front-end goes into the folder, and a configuration beside it lists it.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import markdown

from ...core.cards import DeckLesson, cards_files, lesson_cards
from ...core.concepts import render_concepts_page
from ...core.figures import NotebookStore, lesson_figures, relative_url
from ...core.frontend import shipped_assets
from ...core.guards import EMPTY_LINK
from ...core.model import problems_by_weight
from ...core.notebooks import MANIFEST_NAME
from ...core.obsidian import Vault, strip_comments
from ...core.pages import card_count, fill_lesson_list, lesson_entries, lesson_id, lesson_page, page_settings, search_entries
from ...core.parse import read_note
from ...core.render import render_print_page, render_review_page, render_takeaway
from ...core.sanitize import meta_for_templates, sanitize_html
from ...core.search import SearchEntry
from ...core.tags import collect_tags, render_tags_page
from ...core.timestamps import SIDECAR_SUFFIX
from .site_config import HEADER, SiteConfig, write_config

ASSET_URI = "assets/study-guide"  # where the plugin puts the front-end too
CSS = f"{ASSET_URI}/study-guide.css"
JS = f"{ASSET_URI}/study-guide.js"
PRINT_CSS = f"{ASSET_URI}/print.css"  # its rules are all for print: on screen it changes nothing
ENTRIES_FILE = f"{ASSET_URI}/search-entries.json"  # read, merged and removed by ``python -m study_guide index``
# The generators the folder is written for; only MkDocs needs links made relative to pages here.
GENERATORS = ("zensical", "mkdocs")

_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


class RenderError(Exception):
    """The folder cannot be rendered; the message says what to change."""


@dataclass
class Report:
    """What was written: counts, where, and the warnings to show (``path:line: …`` each)."""

    out: Path
    config: Path
    lessons: int = 0
    pages: int = 0
    files: int = 0
    warnings: list[str] = field(default_factory=list)


def render_docs(site: SiteConfig, out: Path, generator: str = "zensical") -> Report:
    """Write the docs folder to *out*, every lesson page rendered for *generator*; its configuration goes beside *out*."""
    if generator not in GENERATORS:
        raise RenderError(f"--for {generator!r}: write one of {', '.join(GENERATORS)}")
    docs, out = site.docs_dir, out.resolve()
    config_path = out.parent / "mkdocs.yml"
    _check_places(docs, out, config_path)
    options = site.options
    sources = {p.relative_to(docs).as_posix(): p for p in sorted(docs.rglob("*")) if p.is_file() and not _hidden(p, docs)}
    prefix = options.lessons_dir.strip("/") + "/"
    notes = [uri for uri in sources if uri.startswith(prefix) and uri.endswith(".md")]
    lessons = {uri: read_note(sources[uri], _shown(sources[uri])) for uri in notes}
    store = NotebookStore(docs)
    # The note's own links are relative to its file, as MkDocs reads them: so are its figures here, until _relink.
    figures = {uri: lesson_figures(lessons[uri], store, _folder(uri)) for uri in notes}
    # Wikilinks resolved across the course (links relative to the notes' files, as the notes' own links are).
    concepts_uri = options.concepts_page if options.concepts_page and options.concepts_page not in sources else None
    vault = Vault(lessons, list(sources), concepts_uri)
    vault.concepts_page = concepts_uri if vault.concepts and lessons else None
    report = Report(out, config_path, lessons=len(lessons))
    info_only = {EMPTY_LINK} if options.empty_links == "info" else set()
    errors, warnings, _ = problems_by_weight(lessons.values(), info_only)
    report.warnings.extend(warnings)
    if errors:
        raise RenderError("\n".join(errors))

    def generated(uri: str) -> bool:
        """Whether to add the page at *uri*: asked for, the course has lessons, and the site has no such page."""
        return bool(uri and uri not in sources and lessons)

    tags = collect_tags(lessons)
    tags_uri = options.tags_page if tags and generated(options.tags_page) else None
    review_uri = options.review_page if generated(options.review_page) else None
    print_uri = options.print_page if generated(options.print_page) else None
    urls = _Urls(site.directory_urls)
    known = {
        *sources,
        *(f.path for found in figures.values() for f in found.files),
        *filter(None, (tags_uri, review_uri, print_uri, vault.concepts_page)),
    }
    pages: dict[str, str] = {}  # Markdown of every page, by its path in the folder
    files: dict[str, bytes | Path] = {}  # every other file
    entries: dict[str, list[SearchEntry]] = {}
    deck: list[DeckLesson] = []
    md = markdown.Markdown(extensions=site.extensions()[0], extension_configs=site.extensions()[1])
    clean = sanitize_html if options.raw_html == "sanitize" else None
    for uri, lesson in lessons.items():
        url = urls.page(uri)
        name = lesson_id(uri, options.lessons_dir)
        tags_page = posixpath.relpath(tags_uri, _folder(uri) or ".") if tags_uri else None
        made = lesson_page(lesson, name, figures[uri], tags_page, vault, uri)
        md.reset()
        html, blocks = made.finish(md.convert(made.markdown), clean)
        entries[url] = search_entries(blocks, url, lesson, spoiler_free=options.spoiler_free)
        cards = lesson_cards(blocks, lesson)
        deck.append(DeckLesson(name, lesson.title, url, lesson.tags, cards, path=lesson.path, links_from=_folder(uri)))
        title = json.dumps(meta_for_templates(lesson)["title"], ensure_ascii=False)
        html = _relink(html, uri, url, urls, known) if generator == "mkdocs" else html
        pages[uri] = f"---\ntitle: {title}\n---\n\n{headings_as_markdown(html)}\n"
        files.update({f.path: f.data for f in figures[uri].files})
    if tags_uri:
        pages[tags_uri] = render_tags_page(tags, tags_uri)
    if vault.concepts_page:
        pages[vault.concepts_page] = render_concepts_page(vault, vault.concepts_page)
    if review_uri:
        takeaway = render_takeaway(card_count(lessons), None, f"{site.site_name}.apkg", None)
        pages[review_uri] = render_review_page(takeaway=takeaway)
    if print_uri:
        pages[print_uri] = render_print_page(relative_url(f"{ASSET_URI}/print.js", urls.page(print_uri)))
    for uri, path in sources.items():
        if (
            uri in lessons
            or (uri.startswith(prefix) and uri.endswith(SIDECAR_SUFFIX))
            or uri == f"{store.notebooks_dir}/{MANIFEST_NAME}"
        ):
            continue  # a note is rendered; its timings and the notebooks' provenance are read into the pages
        if uri.endswith(".md"):
            text = strip_comments(path.read_text(encoding="utf-8-sig"))[0]  # a page that is no lesson may be a note too
            if options.lessons_marker in text:
                print_page = relative_url(urls.page(print_uri), urls.page(uri)) if print_uri else None
                takeaway = render_takeaway(card_count(lessons), None, f"{site.site_name}.apkg", print_page)
                list_entries = lesson_entries(lessons, options.lessons_dir)
                text = fill_lesson_list(
                    text, options.lessons_marker, list_entries, uri, dashboard=bool(review_uri), takeaway=takeaway
                )
            pages[uri] = text
        else:
            files[uri] = path
    for name, data in shipped_assets().items():
        files[f"{ASSET_URI}/{name}"] = data
    if review_uri or print_uri:
        files.update((f"{ASSET_URI}/{name}", text.encode()) for name, text in cards_files(deck))
    files[ENTRIES_FILE] = json.dumps(
        {url: [e.as_json() for e in found] for url, found in entries.items()}, ensure_ascii=False, sort_keys=True
    ).encode()

    if out.exists():
        shutil.rmtree(out)
    for uri, text in pages.items():
        review = urls.relative(urls.page(review_uri), urls.page(uri)) if review_uri else None
        # Inside the content, so that instant navigation swaps the settings along with the page.
        _write(out / uri, f"{text.rstrip()}\n\n{page_settings(site.site_name, review, options.new_cards_per_day)}\n".encode())
    for uri, data in files.items():
        _write(out / uri, data.read_bytes() if isinstance(data, Path) else data)
    write_config(site, config_path, out, [CSS, PRINT_CSS], [JS])
    report.pages, report.files = len(pages), len(files)
    return report


class _Urls:
    """Pages' URLs as MkDocs and Zensical give them, and URLs relative to a page."""

    def __init__(self, directory_urls: bool) -> None:
        self.directory_urls = directory_urls

    def page(self, uri: str) -> str:
        stem = posixpath.splitext(uri)[0]
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

    def relative(self, target: str, page_url: str) -> str:
        found = relative_url(target or ".", page_url)
        return found + "/" if (target.endswith("/") or not target) and not found.endswith("/") else found


def _relink(html: str, src_uri: str, page_url: str, urls: _Urls, known: set[str]) -> str:
    """*html* with each relative link and image address (relative to the note's file) made relative to its page.

    As MkDocs does for the Markdown it converts: a link to a note goes to its page, and a link to
    nothing in the folder (*known*: every file's path in it) stays as written.
    """

    def relink(match: re.Match[str]) -> str:
        value = match.group(2)
        if not value or value.startswith(("#", "/")) or _SCHEME.match(value):
            return match.group(0)
        cut = min((at for at in (value.find("#"), value.find("?")) if at >= 0), default=len(value))
        path, rest = value[:cut], value[cut:]
        target = posixpath.normpath(posixpath.join(_folder(src_uri), path)) if path else src_uri
        if unquote(target) not in known:
            return match.group(0)  # not in the folder: as written, as MkDocs leaves it (and warns)
        if target.endswith(".md"):
            target = urls.page(target)
        return match.group(1) + urls.relative(target, page_url) + rest + match.group(3)

    return _URL_ATTRIBUTE.sub(relink, html)


def headings_as_markdown(html: str) -> str:
    """*html* with each heading outside any other element written as a Markdown heading, the rest left as HTML.

    The generator's Markdown then lists the headings in the page's table of contents (it never looks
    into raw HTML) and gives them their permalinks again; the ids stay those of the plugin's page.
    Nothing changes where the HTML does not nest cleanly (a trusted note's own HTML may not).
    """
    finder = _TopLevelHeadings(html)
    if not finder.balanced:
        return html
    out, at = [], 0
    for start, end, level, anchor, inner in finder.headings:
        text = _markdown_text(_PERMALINK.sub("", inner))
        out += [html[at:start].strip("\n"), f"{'#' * level} {text} {{ #{anchor} }}"]
        at = end
    out.append(html[at:].strip("\n"))
    return "\n\n".join(part for part in out if part)


_PERMALINK = re.compile(r'<a class="headerlink" href="#[^"]*" title="[^"]*">[^<]*</a>')
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")
# What any extension could read as Markdown in a heading's text (emphasis, links, emoji, maths, URLs).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=:$%@]")
_HEADING = re.compile(r'<h([1-6]) id="([^"<>]+)">(.*)</h\1>', re.DOTALL)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _markdown_text(html: str) -> str:
    """Inline HTML as Markdown that gives it back: the text's Markdown characters as character references, the tags as they are.

    References rather than backslashes: which characters a backslash escapes depends on the extensions.
    """
    return "".join(
        tag or _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text) for tag, text in _TAG_OR_TEXT.findall(html)
    )


class _TopLevelHeadings:
    """The headings of an HTML fragment that stand outside any other element: ``(start, end, level, id, inner HTML)``.

    Tags are found with one pattern rather than an HTML parser (ten times slower on a lesson page):
    the HTML is Python-Markdown's or the sanitiser's, whose text and attributes hold no ``<``. Where
    that is not so (a trusted note's script), the count comes out unbalanced and nothing is changed.
    """

    def __init__(self, html: str) -> None:
        self.headings: list[tuple[int, int, int, str, str]] = []
        depth, start = 0, 0
        for tag in _ANY_TAG.finditer(html):
            closing, name, self_closing = tag.groups()
            if name is None or self_closing or name.lower() in _VOID:
                continue  # a comment, or an element without content
            if not closing:
                if depth == 0:
                    start = tag.start()
                depth += 1
                continue
            depth -= 1
            if depth < 0:
                break
            found = _HEADING.fullmatch(html, start, tag.end()) if depth == 0 else None
            if found is not None and html[start - 1 : start] in ("", "\n"):
                self.headings.append((start, tag.end(), int(found.group(1)), found.group(2), found.group(3)))
        self.balanced = depth == 0


_ANY_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>", re.DOTALL)


def _check_places(docs: Path, out: Path, config_path: Path) -> None:
    if not docs.is_dir():
        raise RenderError(f"{docs}: no such folder; name the site's docs folder (docs_dir of its mkdocs.yml)")
    if out == docs or out.is_relative_to(docs) or docs.is_relative_to(out):
        raise RenderError(f"{out}: --out must be a folder outside the docs folder {docs}, such as build/docs")
    if config_path.exists() and not config_path.read_text(encoding="utf-8").startswith(HEADER):
        raise RenderError(f"{config_path}: exists and was not written by render; give --out a folder in a folder of its own")
    if out.exists() and any(out.iterdir()) and not config_path.exists():
        raise RenderError(f"{out}: not empty, and not a folder render wrote; give --out a new folder, such as build/docs")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _hidden(path: Path, docs: Path) -> bool:
    """Files MkDocs leaves out of a site: those in dot-folders and dot-files."""
    return any(part.startswith(".") for part in path.relative_to(docs).parts)


def _folder(uri: str) -> str:
    folder = posixpath.dirname(uri)
    return f"{folder}/" if folder else ""


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
