"""The MkDocs adapter: hooks of a few lines that call parse and render."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .config import StudyGuideConfig
from .model import Lesson, Severity
from .parse import read_note
from .render import LessonEntry, render_config, render_lesson, render_lesson_table

log = get_plugin_logger(__name__)

ASSETS_DIR = Path(__file__).parent / "assets"
ASSET_URI = "assets/study-guide"
CSS = f"{ASSET_URI}/study-guide.css"
JS = f"{ASSET_URI}/study-guide.js"
# Markdown extensions the rendered pages rely on (answers inside HTML wrappers, ids).
REQUIRED_EXTENSIONS = ("md_in_html", "attr_list", "toc")


class StudyGuidePlugin(BasePlugin[StudyGuideConfig]):
    """Builds collapsible Q&A pages and a lesson list from learners' notes."""

    def __init__(self) -> None:
        self.lessons: dict[str, Lesson] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if JS not in config.extra_javascript:
            config.extra_javascript.append(JS)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        prefix = self.config.lessons_dir.strip("/") + "/"
        notes = [f for f in files.documentation_pages() if f.src_uri.startswith(prefix)]
        self.lessons = {f.src_uri: read_note(f.abs_src_path, _shown_path(f)) for f in sorted(notes, key=lambda f: f.src_uri)}
        _report(self.lessons.values())
        for asset in sorted(ASSETS_DIR.iterdir()):
            files.append(File.generated(config, f"{ASSET_URI}/{asset.name}", abs_src_path=str(asset)))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        lesson = self.lessons.get(page.file.src_uri)
        if lesson is not None:
            return render_lesson(lesson, self._lesson_id(page.file.src_uri))
        if self.config.lessons_marker in markdown:
            table = render_lesson_table(self._entries(), page.file.src_uri)
            return markdown.replace(self.config.lessons_marker, table)
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        # Inside the content, so that Material's instant navigation swaps it along with the page.
        return html + render_config({"site": config.site_name, "version": 1})

    def _lesson_id(self, src_uri: str) -> str:
        return posixpath.splitext(posixpath.relpath(src_uri, self.config.lessons_dir.strip("/")))[0]

    def _entries(self) -> list[LessonEntry]:
        return [
            LessonEntry(
                uri,
                self._lesson_id(uri),
                lesson.title,
                len(lesson.questions),
                sum(q.has_answer for q in lesson.questions),
                len(lesson.bullets),
            )
            for uri, lesson in self.lessons.items()
        ]


def _shown_path(file: File) -> str:
    """The note's path as the user would type it: relative to where MkDocs runs, if inside it."""
    path = file.abs_src_path or file.src_uri
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _report(lessons: Iterable[Lesson]) -> None:
    """Log warnings; stop the build with every error at once, each as ``path:line: message``."""
    errors: list[str] = []
    for lesson in lessons:
        for problem in lesson.problems:
            if problem.severity is Severity.ERROR:
                errors.append(problem.format(lesson.path))
            else:
                log.warning("%s", problem.format(lesson.path))
    if errors:
        raise PluginError("\n".join(errors))
