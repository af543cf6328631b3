"""The course taken away without a site build: ``python -m study_guide export anki``.

Each note becomes the cards its lesson page would give (see :mod:`study_guide.cards`): the same
renderer, the site's Markdown extensions (``markdown_extensions`` of its ``mkdocs.yml``, else the
defaults below), the same marker pass and the same sanitiser; only MkDocs' own page machinery is
left out. A site build makes its deck from the pages it rendered instead (``anki_deck`` option).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown

from ...core import anki, markers
from ...core.cards import DeckLesson, lesson_cards
from ...core.figures import NotebookStore, lesson_figures
from ...core.obsidian import Vault
from ...core.parse import read_note
from ...core.render import REQUIRED_EXTENSIONS, PageContext, render_lesson
from ...core.sanitize import sanitize_html

# MkDocs always adds the first three; the plugin needs the next two; the rest are what study sites
# commonly use (maths written for MathJax, which Anki renders too).
DEFAULT_EXTENSIONS: tuple[str, ...] = (
    "toc",
    "tables",
    "fenced_code",
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.tasklist",
    "pymdownx.arithmatex",
    "pymdownx.mark",
)
DEFAULT_CONFIGS: dict[str, dict[str, Any]] = {"pymdownx.arithmatex": {"generic": True}}


class ExportError(Exception):
    """Something the export cannot go on without; its message says what to do."""


@dataclass
class SiteSettings:
    """What an export needs of the site: from its ``mkdocs.yml``, or defaults for notes alone."""

    name: str = "Course"
    url: str | None = None
    docs_dir: Path | None = None
    lessons_dir: str = "lessons"
    directory_urls: bool = True
    extensions: list[Any] = field(default_factory=lambda: list(DEFAULT_EXTENSIONS))
    extension_configs: dict[str, Any] = field(default_factory=lambda: {k: dict(v) for k, v in DEFAULT_CONFIGS.items()})
    source: str = "defaults"  # where the settings came from, to say so


def settings_from_config(config_file: Path) -> SiteSettings:
    """The settings of the site that *config_file* (a ``mkdocs.yml``) describes, read as MkDocs reads them."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        config = load_config(config_file=str(config_file))
    except (ConfigurationError, Abort, OSError) as exc:
        raise ExportError(
            f"{config_file}: cannot be read as an MkDocs configuration ({exc}); fix it, or leave --config-file out"
        ) from exc
    plugin = config.plugins.get("study-guide")
    lessons_dir = plugin.config.lessons_dir if plugin is not None else "lessons"
    extensions = list(config.markdown_extensions)
    extensions += [name for name in REQUIRED_EXTENSIONS if name not in extensions]
    return SiteSettings(
        name=config.site_name,
        url=config.site_url or None,
        docs_dir=Path(config.docs_dir),
        lessons_dir=str(lessons_dir).strip("/"),
        directory_urls=bool(config.use_directory_urls),
        extensions=extensions,
        extension_configs=dict(config.mdx_configs),
        source=str(config_file),
    )


@dataclass(frozen=True)
class _Note:
    path: Path
    src_uri: str  # its path in the docs folder, as MkDocs would name it
    lesson_id: str


@dataclass
class Course:
    """The notes made into cards, as a site build would make them, ready to be written out."""

    lessons: list[DeckLesson]
    media: anki.MediaSource
    problems: list[str]  # errors in notes, ``path:line: …`` each: nothing should be written then


def export_anki(
    paths: Sequence[Path], output: Path, settings: SiteSettings, *, deck: str | None = None
) -> tuple[anki.DeckReport | None, list[str]]:
    """Write the notes at *paths* (notes, or folders searched for ``*.md``) as an Anki package at *output*.

    Returns the report (None when nothing was written) and the problems to show, ``path:line: …``
    each: errors in notes stop the export before anything is written, as they stop a build.
    """
    course = read_course(paths, settings)
    if course.problems:
        return None, course.problems
    site = anki.Site(deck or settings.name, settings.url, settings.directory_urls, sanitized=True)  # read_course did
    try:
        report = anki.write_deck(output, course.lessons, site, course.media)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(
            f"{output}: cannot be written ({reason}); give -o a file in a folder that exists and that you may write to"
        ) from exc
    return report, report.warnings


def read_course(paths: Sequence[Path], settings: SiteSettings) -> Course:
    """Every note at *paths* rendered as its lesson page would be, and taken apart into its cards."""
    notes = _notes(paths, settings)
    docs_dir = settings.docs_dir or notes[0].path.parent
    store = NotebookStore(docs_dir)
    md = markdown.Markdown(extensions=settings.extensions, extension_configs=settings.extension_configs)
    course = Course([], anki.MediaSource(docs_dir), [])
    generated: dict[str, bytes] = {}
    lessons = {note.src_uri: read_note(note.path, _shown(note.path)) for note in notes}
    files = [p.relative_to(docs_dir).as_posix() for p in sorted(docs_dir.rglob("*")) if p.is_file()] if docs_dir.is_dir() else []
    vault = Vault(lessons, files)
    for note in notes:
        lesson = lessons[note.src_uri]
        folder = posixpath.dirname(note.src_uri)
        base = f"{folder}/" if folder else ""
        # The note's own links are relative to its file (MkDocs would rewrite them for its page): so are its figures here.
        figures = lesson_figures(lesson, store, base) if not lesson.errors else None
        if figures is None or lesson.errors:
            course.problems += [f"{p.format(lesson.path)} [error]" for p in lesson.errors]
            continue
        generated.update({f.path: f.data for f in figures.files})
        inline = {figure.ref: figure.html for figure in figures.inline}
        context = PageContext(note.lesson_id, None, figures.placed, inline=inline, links=vault.rewriter(note.src_uri))
        page = render_lesson(lesson, context)
        md.reset()
        _, blocks = markers.take_apart(md.convert(page), context.stash, sanitize_html)
        course.lessons.append(
            DeckLesson(
                note.lesson_id,
                lesson.title,
                _page_url(note.src_uri, settings.directory_urls),
                lesson.tags,
                lesson_cards(blocks, lesson),
                path=lesson.path,
                links_from=base,
                modified=note.path.stat().st_mtime,
            )
        )
    course.media = anki.MediaSource(docs_dir, generated)
    return course


def _notes(paths: Sequence[Path], settings: SiteSettings) -> list[_Note]:
    """The notes at *paths*, in course order, with their place in the docs folder and their lesson ids."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.md"))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(str(path))
    if not found:
        raise ExportError(f"{', '.join(map(str, paths))}: no notes (*.md) there; name the lessons folder, e.g. docs/lessons")
    notes = []
    for path in found:
        src_uri = _src_uri(path, paths, settings)
        lessons_prefix = settings.lessons_dir + "/" if settings.lessons_dir else ""
        lesson_id = posixpath.splitext(src_uri.removeprefix(lessons_prefix))[0]
        notes.append(_Note(path, src_uri, lesson_id))
    return sorted(notes, key=lambda n: n.src_uri)


def _src_uri(path: Path, roots: Sequence[Path], settings: SiteSettings) -> str:
    """The note's path in the docs folder; a note outside it is taken to be in the lessons folder."""
    resolved = path.resolve()
    if settings.docs_dir is not None and resolved.is_relative_to(settings.docs_dir.resolve()):
        return resolved.relative_to(settings.docs_dir.resolve()).as_posix()
    root = next((r.resolve() for r in roots if r.is_dir() and resolved.is_relative_to(r.resolve())), resolved.parent)
    return posixpath.join(settings.lessons_dir, resolved.relative_to(root).as_posix())


def _page_url(src_uri: str, directory_urls: bool) -> str:
    stem = posixpath.splitext(src_uri)[0]
    if not directory_urls:
        return stem + ".html"
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
