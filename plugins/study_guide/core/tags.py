"""The tags page: every ``#tag`` of summary bullets, questions and answers, and the tags of lessons."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Lesson
from .obsidian import Mention, plain_text
from .render import escape_markdown, tag_anchor

_EXCERPT_WIDTH = 120


@dataclass(frozen=True)
class TaggedItem:
    """One place that carries a tag: a summary bullet, a question, or a whole lesson."""

    lesson_uri: str
    lesson_title: str
    anchor: str  # "" for the lesson itself
    label: str
    excerpt: str


def collect_tags(lessons: Mapping[str, Lesson]) -> dict[str, list[TaggedItem]]:
    """Tags in alphabetical order, each with its places in course order."""
    tags: dict[str, list[TaggedItem]] = {}
    for uri, lesson in lessons.items():
        for tag in lesson_tags(lesson):
            tags.setdefault(tag, []).append(TaggedItem(uri, lesson.title, "", "lesson", ""))
        for q in lesson.questions:
            for tag in q.tags:
                tags.setdefault(tag, []).append(TaggedItem(uri, lesson.title, q.anchor, f"question {q.number}", q.text))
        for b in lesson.bullets:
            for tag in b.tags:
                tags.setdefault(tag, []).append(TaggedItem(uri, lesson.title, b.anchor, f"summary point {b.index}", b.text))
    return dict(sorted(tags.items(), key=lambda item: item[0].casefold()))


def lesson_tags(lesson: Lesson) -> list[str]:
    """The frontmatter ``tags`` as a list, whether written as a list, a string, or left empty."""
    return list(lesson.tags)


def render_tags_page(tags: Mapping[str, list[TaggedItem]], page_uri: str) -> str:
    """Markdown of the tags page at *page_uri*, with links relative to it."""
    lines = [
        "# Tags",
        "",
        "Every `#tag` written in a summary bullet, a question or its answer, and the tags given to whole lessons.",
    ]
    base = posixpath.dirname(page_uri) or "."
    for tag, items in tags.items():
        lines += ["", f"## #{escape_markdown(tag)} {{ #{tag_anchor(tag)} }}", ""]
        lines += [place_item(item, base) for item in items]
    return "\n".join(lines) + "\n"


def place_item(place: TaggedItem | Mention, base: str) -> str:
    """A Markdown list item linking to *place* (a question, a bullet, a lesson) from a page in folder *base*."""
    target = posixpath.relpath(place.lesson_uri, base) + (f"#{place.anchor}" if place.anchor else "")
    shown = excerpt(place.excerpt)
    return f"- [{escape_markdown(place.lesson_title)}, {place.label}](<{target}>)" + (f": {shown}" if shown else "")


def excerpt(text: str) -> str:
    """*text* on one line, cut at a word near the width a list of places shows, as Markdown text."""
    return escape_markdown(plain_excerpt(text))


def plain_excerpt(text: str) -> str:
    """*text* on one line (wikilinks as their words), cut at a word near the width a list of places shows."""
    flat = " ".join(plain_text(text).split())
    if len(flat) > _EXCERPT_WIDTH:
        flat = flat[:_EXCERPT_WIDTH].rsplit(" ", 1)[0] + " …"
    return flat
