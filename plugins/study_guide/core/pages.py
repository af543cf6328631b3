"""A lesson page from note to finished HTML, and what the course-wide pages need, for any generator.

A lesson page is made in two stages with the generator's Markdown in between:
:func:`lesson_page` gives the Markdown to convert (the page's own elements wait in its
stash), and :meth:`LessonPage.finish` gives the page's HTML and its blocks, which search
and cards read. The MkDocs plugin converts with MkDocs' Markdown; the docs-folder adapter
converts with Python-Markdown and the site's extensions, and hands the finished pages to
any generator that reads Material's Markdown (Zensical, MkDocs without our plugin).
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from . import markers
from .figures import LessonFigures
from .model import Lesson
from .obsidian import Vault
from .render import LessonEntry, PageContext, render_config, render_dashboard, render_lesson, render_lesson_table
from .search import SearchEntry, page_entries
from .search_chunks import Doc, PageIndex, Settings, page_index


@dataclass(frozen=True)
class LessonPage:
    """A lesson page between its two stages: the Markdown to convert, and what finishes the HTML."""

    markdown: str
    stash: markers.Stash

    def finish(self, html: str, clean: markers.Clean | None) -> tuple[str, markers.PageBlocks]:
        """The page's finished HTML (sanitised by *clean*, our elements back in it) and its blocks."""
        return markers.take_apart(html, self.stash, clean)


def lesson_page(
    lesson: Lesson, lesson_id: str, figures: LessonFigures, tags_page: str | None, vault: Vault | None = None, uri: str = ""
) -> LessonPage:
    """The Markdown of a lesson's page; *tags_page* is the tags page's URL relative to it (None: no tags page).

    With the course's *vault* (and the note's path *uri* in it), Obsidian's wikilinks and embeds are resolved
    and the page ends with the lessons that link to it.
    """
    inline = {figure.ref: figure.html for figure in figures.inline}
    links = vault.rewriter(uri) if vault is not None else None
    context = PageContext(lesson_id, tags_page, figures.placed, inline=inline, links=links)
    markdown = render_lesson(lesson, context) + (vault.linked_from(uri, context.stash) if vault is not None else "")
    return LessonPage(markdown, context.stash)


def lesson_id(src_uri: str, lessons_dir: str) -> str:
    """The lesson's name in the learner's stored progress: its note's path in the lessons folder, without ``.md``."""
    return posixpath.splitext(posixpath.relpath(src_uri, lessons_dir.strip("/")))[0]


def page_anchors(blocks: markers.PageBlocks, lesson: Lesson) -> set[str]:
    """The ids our blocks give the page (questions and bullets), which its Markdown did not have."""
    return {q.anchor for q in blocks.questions} | {b.anchor for b in lesson.bullets}


def search_entries(blocks: markers.PageBlocks, url: str, lesson: Lesson, *, spoiler_free: bool) -> list[SearchEntry]:
    """The lesson page's search entries: its sections, each question and each bullet (none when the lesson says so).

    *spoiler_free* is the site's choice; the lesson's own ``spoiler_free`` overrides it.
    """
    if lesson.search.get("exclude"):
        return []  # the learner keeps this lesson out of search
    spoiler_free = spoiler_free if lesson.spoiler_free is None else lesson.spoiler_free
    return page_entries(
        blocks, url, lesson.title, answers=not spoiler_free, tags=list(lesson.tags) or None, boost=lesson.search.get("boost")
    )


def frontmatter_only(lesson: Lesson) -> Lesson:
    """The lesson without its body: what :func:`search_entries` reads of it (title, tags, search options, spoilers).

    Sent to the worker process with each page's blocks instead of the whole parsed note, which would be
    pickled for nothing (half the bytes sent, and held until the worker gets to them).
    """
    return Lesson(lesson.path, lesson.meta, heading=lesson.heading)


def page_made(lesson: Lesson) -> Lesson:
    """What a build keeps of a lesson once its page is made: all but its body (the note's text, its blocks, headings
    and figures), which nothing after the page reads. On a course of hundreds of lessons, that body is most of the
    memory the parsed notes take."""
    return dataclasses.replace(lesson, blocks=[], source="", figure_refs=[], placements=[], headings=[])


def search_page_index(
    blocks: markers.PageBlocks, url: str, lesson: Lesson, *, spoiler_free: bool, settings: Settings
) -> PageIndex:
    """:func:`search_entries` with their terms, for the chunked index (see ``search_chunks.page_index``).

    Made where the entries are (the worker process, on a big course): reading the words of every entry is most of
    the index's cost, and runs beside the build instead of at its end.
    """
    entries = search_entries(blocks, url, lesson, spoiler_free=spoiler_free)
    return page_index(url, (Doc.of(entry.as_json()) for entry in entries), settings)


def lesson_entries(lessons: Mapping[str, Lesson], lessons_dir: str) -> list[LessonEntry]:
    """A row of the lesson list for each lesson (by its note's path in the docs folder), in course order."""
    return [
        LessonEntry(
            uri,
            lesson_id(uri, lessons_dir),
            lesson.title,
            len(lesson.questions),
            sum(q.has_answer for q in lesson.questions),
            len(lesson.bullets),
            bool(lesson.errors),
        )
        for uri, lesson in lessons.items()
    ]


def card_count(lessons: Mapping[str, Lesson]) -> int:
    """How many cards the course gives: one per answered question."""
    return sum(q.has_answer for lesson in lessons.values() for q in lesson.questions)


def fill_lesson_list(
    markdown: str, marker: str, entries: list[LessonEntry], src_uri: str, *, dashboard: bool, takeaway: str
) -> str:
    """A page's Markdown with the course's dashboard, lesson table and take-away links where it wrote *marker*."""
    table = render_lesson_table(entries, src_uri)
    board = render_dashboard() if dashboard else ""
    return markdown.replace(marker, f"{board}\n\n{table}\n\n{takeaway}")


def page_settings(site_name: str, review: str | None, new_per_day: int) -> str:
    """The front-end's settings for one page (*review*: the review page's URL relative to it), as HTML to append."""
    settings: dict[str, object] = {"site": site_name, "version": 1}
    if review is not None:
        settings["review"] = review
        settings["newPerDay"] = new_per_day
    return render_config(settings)
