"""Turn a :class:`~study_guide.model.Lesson` into page Markdown.

The output is Markdown with markers where the page's own elements open and close
(see :mod:`study_guide.markers`), so the learner's own Markdown inside answers
still goes through the site's whole Markdown pipeline: links are checked and
rewritten, code is highlighted, and nothing here knows about MkDocs. The page's
own inline elements (times, tag chips, anchors, figures, the toolbar and video box)
wait in the context's stash: they are written after the sanitiser has seen the
learner's HTML, never as part of it.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from . import markers
from .figures import FigureRef
from .guards import contain_html, show_empty_links
from .hashtags import hashtag_matches
from .lines import HEADING, UNDERLINE
from .model import Block, Lesson, Prose, Question, Questionnaire, Summary, SummaryBullet
from .obsidian import callouts
from .timestamps import Video, format_time, parse_video

REQUIRED_EXTENSIONS = ("attr_list", "toc", "admonition", "pymdownx.details", "pymdownx.mark")
"""Markdown extensions the rendered pages rely on, whatever the site lists: attributes on our links and tags,
heading ids, Obsidian's callouts (admonitions, folded ones as details) and ``==highlights==``. Every adapter adds them."""


@dataclass(frozen=True)
class PageContext:
    """What a lesson page needs beyond the note itself."""

    lesson_id: str  # names the lesson in the learner's stored progress (the note's file name)
    tags_page: str | None = None  # the tags page's URL, relative to the lesson page's: where hashtags link to
    figures: Mapping[str, Sequence[str]] = field(default_factory=dict)  # HTML to show after q-N / s-N
    stash: markers.Stash = field(default_factory=markers.Stash)  # our elements, put back after the sanitiser
    inline: Mapping[FigureRef, str] = field(default_factory=dict)  # HTML of each embed, put where the parser found it
    # Obsidian's wikilinks, embeds and block ids made Markdown (``obsidian.Vault.rewriter``); None: left as written.
    links: Callable[[str, markers.Stash], str] | None = None


def render_lesson(lesson: Lesson, context: PageContext) -> str:
    """Page Markdown for one lesson: its blocks in the order the note has them."""
    parts: list[str] = []
    previous: Block | None = None
    toolbar = context.stash.put(render_toolbar(context.lesson_id, sum(q.has_answer for q in lesson.questions)))
    video = parse_video(lesson.meta.get("video"))
    for block in lesson.blocks:
        if isinstance(block, Prose):
            text = _obsidian(_embed(block.text, block.figures, context.stash, context.inline), context)
            parts.append(contain_html(show_empty_links(text)))
        elif isinstance(block, Questionnaire):
            if not (isinstance(previous, Prose) and _ends_with_heading(previous.text)):
                parts.append(f"## {block.title or 'Questionnaire'}")
            parts.append(toolbar)
            toolbar = ""
            parts.append(render_questionnaire(block, context))
        else:
            parts.append(render_summary(block, context, video))
        previous = block
    return "\n\n".join(parts) + "\n"


def render_problems(lesson: Lesson) -> str:
    """A page for a note that cannot be read: what is wrong, where, and the note itself, as text."""
    problems = "\n".join(f"    - {_code_span(p.format(lesson.path))}" for p in lesson.errors)
    # An indented code block: plain Markdown, so the note stays text whatever extensions the site has.
    source = "\n".join(f"    {line}" for line in lesson.source.split("\n"))
    return (
        f'!!! failure "This note cannot be shown until it is fixed"\n\n{problems}\n\n'
        f"    Save the note again once it is fixed: this page comes back by itself.\n\n"
        f"<!-- -->\n\n{source}\n"
    )


def _code_span(text: str) -> str:
    """*text* as inline code, whatever backticks it holds: delimited by a longer run of them."""
    ticks = "`" * (1 + _longest_backticks(text))
    return f"{ticks} {text} {ticks}"


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _ends_with_heading(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    last = lines[-1] if lines else ""
    setext = len(lines) >= 2 and bool(UNDERLINE.match(last)) and bool(lines[-2].strip())
    return bool(HEADING.match(last)) or setext


def render_toolbar(lesson_id: str, total: int) -> str:
    """An empty element that the front-end fills with the self-test controls (none without JS).

    *total* counts the answered questions: only they can be known, so a lesson can reach 100%.
    """
    return f'<div class="sg-toolbar" data-sg-lesson="{html.escape(lesson_id)}" data-sg-total="{total}"></div>'


def render_config(settings: dict[str, object]) -> str:
    """Settings for the front-end as one JSON payload, escaped into an attribute.

    Not a ``<script type="application/json">``: Material's instant navigation re-creates
    the scripts of a new page without their ``type`` and would run the JSON as code.
    """
    payload = html.escape(json.dumps(settings, sort_keys=True, ensure_ascii=False), quote=True)
    return f'<div id="sg-config" hidden data-sg-config="{payload}"></div>'


def render_questionnaire(block: Questionnaire, context: PageContext) -> str:
    """Every question its own block, with the answer collapsed until asked for."""
    return "\n\n".join(render_question(q, context) for q in block.questions)


def render_question(question: Question, context: PageContext) -> str:
    """A ``<details>`` when there is an answer to reveal; a plain block saying so otherwise.

    Written as markers around Markdown (see :mod:`study_guide.markers`). Figures placed at a
    question go at the end of its answer: they are part of what is revealed.
    """
    label = question.marker or f"{question.number}."
    text = _obsidian(question.text.replace("\n", " "), context, block=False)
    text = contain_html(link_hashtags(text, context.tags_page, context.stash))
    figures = "".join(f"\n\n{context.stash.put(figure)}" for figure in context.figures.get(question.anchor, ()))
    answer = _obsidian(_embed(question.answer, question.figures, context.stash, context.inline), context)
    answer = contain_html(show_empty_links(link_hashtags(answer, context.tags_page, context.stash)))
    if question.has_answer:
        opening = markers.question(question.anchor, question.key, label)
        return f"{opening}{text}\n\n{markers.ANSWER}\n\n{answer}{figures}\n\n{markers.QUESTION_END}"
    # Whatever the learner put as a placeholder is kept visible: nothing is dropped.
    kept = f"{markers.KEPT}\n\n{answer}\n\n{markers.KEPT_END}\n\n" if answer.strip() else ""
    kept += "".join(f"{context.stash.put(figure)}\n\n" for figure in context.figures.get(question.anchor, ()))
    opening = markers.unanswered(question.anchor, question.key, label)
    return f"{opening}{text}\n\n{markers.NO_ANSWER}\n\n{kept}{markers.UNANSWERED_END}"


def render_summary(block: Summary, context: PageContext, video: Video | None = None) -> str:
    """The summary heading as written, the video player's place, then bullets with times and tags.

    A figure placed at a bullet stands right after it, between two parts of the list.
    """
    parts: list[str] = []
    for bullet in block.bullets:
        parts.append(render_bullet(bullet, context.tags_page, video, context.stash, context.inline, context.links))
        parts.extend(f"\n{context.stash.put(figure)}\n" for figure in context.figures.get(bullet.anchor, ()))
    bullets = "\n".join(parts)
    timed = video and any(b.time is not None for b in block.bullets)
    player = context.stash.put(render_player(video)) + "\n\n" if timed else ""
    return f"{block.heading}\n\n{player}{markers.SUMMARY}\n\n{bullets}\n\n{markers.SUMMARY_END}"


def render_player(video: Video) -> str:
    """Where the player goes: a plain link to the video until the learner asks for the player.

    The front-end loads the (privacy-enhanced) player only on request, so the page stays light.
    """
    kind = "youtube" if video.youtube_id else "file"
    return (
        f'<div class="sg-video" data-sg-kind="{kind}" data-sg-embed="{html.escape(video.embed)}">'
        f'<a class="sg-video__link" href="{html.escape(video.link(0))}">Watch the lesson video</a></div>'
    )


def render_bullet(
    bullet: SummaryBullet,
    tags_page: str | None = None,
    video: Video | None = None,
    stash: markers.Stash | None = None,
    inline: Mapping[FigureRef, str] | None = None,
    links: Callable[[str, markers.Stash], str] | None = None,
) -> str:
    """One summary bullet: its time (a link into the video), then its text; continuation lines keep their indentation."""
    stash = stash if stash is not None else markers.Stash()
    time = ""
    if bullet.time is not None:
        label = html.escape(bullet.time_label or format_time(bullet.time))
        if video:
            link = f'<a class="sg-time" data-sg-time="{bullet.time}" href="{html.escape(video.link(bullet.time))}">{label}</a>'
        else:
            link = f'<span class="sg-time">{label}</span>'
        time = stash.put(link, label) + " "
    text = _embed(bullet.text, bullet.figures, stash, inline or {})
    text = links(text, stash) if links is not None else text
    text = contain_html(show_empty_links(link_hashtags(text, tags_page, stash)))
    anchor = stash.put(f'<span class="sg-anchor" id="{bullet.anchor}"></span>')
    return f"- {anchor}{time}{text}"


def link_hashtags(text: str, tags_page: str | None, stash: markers.Stash | None = None) -> str:
    """Show ``#tags`` as chips linking to the tags page (*tags_page*, a URL): the ones the parser counts as tags."""
    if "#" not in text:
        return text
    stash = stash if stash is not None else markers.Stash()
    out, start = [], 0
    for match in hashtag_matches(text):
        # The hashtag pattern admits only word characters, '-' and '/': nothing to escape.
        tag = match.group(1)
        if tags_page:
            href = html.escape(f"{tags_page}#{tag_anchor(tag)}")
            chip = stash.put(f'<a class="sg-tag" data-tag="{tag}" href="{href}">#{tag}</a>', f"#{tag}")
        else:
            chip = stash.put(f'<span class="sg-tag" data-tag="{tag}">#{tag}</span>', f"#{tag}")
        out += [text[start : match.start()], chip]
        start = match.end()
    out.append(text[start:])
    return "".join(out)


def _obsidian(text: str, context: PageContext, *, block: bool = True) -> str:
    """*text* with Obsidian's callouts (in a block of text), wikilinks, embeds and block ids as the page shows them."""
    text = callouts(text) if block else text
    return context.links(text, context.stash) if context.links is not None else text


def _embed(text: str, refs: Sequence[FigureRef], stash: markers.Stash, inline: Mapping[FigureRef, str]) -> str:
    """*text* with each notebook embed the parser found in it replaced by its figure, at the same offsets."""
    if not refs or not inline:
        return text
    out, at = [], 0
    for ref in refs:
        figure = inline.get(ref)
        if figure is None:
            continue
        out += [text[at : ref.start], stash.put(figure)]
        at = ref.end
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class LessonEntry:
    """What the home page shows of one lesson."""

    src_uri: str
    lesson_id: str
    title: str
    questions: int
    answered: int
    bullets: int
    broken: bool = False  # the note cannot be read (while serving: its page says why)


def render_lesson_table(entries: Iterable[LessonEntry], from_uri: str) -> str:
    """A Markdown table of the lessons, with links relative to the page at *from_uri*."""
    rows = list(_lesson_rows(entries, posixpath.dirname(from_uri)))
    if not rows:
        return "_No lessons yet: add notes under the lessons folder._"
    header = "| Lesson | Questions | Answered | Summary points | Known |\n| --- | ---: | ---: | ---: | --- |"
    return "\n".join([header, *rows])


def _lesson_rows(entries: Iterable[LessonEntry], base: str) -> Iterator[str]:
    for entry in entries:
        link = posixpath.relpath(entry.src_uri, base or ".")
        title = escape_markdown(entry.title)
        if entry.broken:
            yield f"| [{title}](<{link}>) | — | — | — | This note has an error: open it to see what to fix |"
            continue
        # The front-end fills the progress cell from the learner's stored grades.
        progress = (
            f'<span class="sg-progress" data-sg-lesson="{html.escape(entry.lesson_id)}" data-sg-total="{entry.answered}"></span>'
        )
        yield f"| [{title}](<{link}>) | {entry.questions} | {entry.answered} | {entry.bullets} | {progress} |"


def render_dashboard() -> str:
    """Where the front-end draws the learner's dashboard (due cards, streak, reviews per day).

    Empty without JavaScript: everything in it comes from the learner's stored reviews.
    """
    return '<div class="sg-dashboard" hidden></div>'


def render_review_page(title: str = "Review", takeaway: str = "") -> str:
    """The review page: the front-end builds the session in its empty element; *takeaway* (HTML) follows it."""
    return (
        f"# {title}\n\n"
        "Every answered question of the course is a card. Cards come back when you are about to forget them,"
        " scheduled from your own grades.\n\n"
        '<div class="sg-review"><noscript><p>The review needs JavaScript;'
        " the lesson pages work without it.</p></noscript></div>\n" + (f"\n{takeaway}\n" if takeaway else "")
    )


def render_takeaway(cards: int, deck: str | None, deck_file: str, print_page: str | None) -> str:
    """A paragraph of links to the course in the forms it leaves the site: the Anki deck, the print page.

    *deck* and *print_page* are URLs relative to the page showing the links (None: not built);
    *deck_file* is the name the download is saved under.
    """
    links = []
    if deck is not None:
        links.append(
            f'<a href="{html.escape(deck)}" download="{html.escape(deck_file)}">the Anki deck</a> '
            f"({cards} {'card' if cards == 1 else 'cards'}, a subdeck per lesson; importing a newer deck updates your cards"
            " and keeps their history)"
        )
    if print_page is not None:
        links.append(f'<a href="{html.escape(print_page)}">the whole course to print</a> (worksheets, or answer keys)')
    if not links:
        return ""
    return f'<div class="sg-takeaway"><p>Take the course with you: {" · ".join(links)}.</p></div>'


def render_print_page(script: str, title: str = "Print the course") -> str:
    """The page that prints every lesson: *script* (its URL) builds it in the browser from the review's cards file.

    Built in the browser rather than here: the cards file already holds every question and answer
    as the lesson pages show them, and a second copy of the course in the site would double its size.
    """
    return (
        "---\nsearch:\n  exclude: true\n---\n\n"
        f"# {title}\n\n"
        '<div class="sg-print"><noscript><p>Printing the whole course needs JavaScript;'
        " each lesson page prints as a worksheet without it.</p></noscript></div>\n\n"
        f'<script src="{html.escape(script)}"></script>\n'
    )


def escape_markdown(text: str) -> str:
    """Show *text* as written: no emphasis, links, HTML, or breaking out of a table cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\|\[\]>*_`#{}])", r"\\\1", text)


def tag_anchor(tag: str) -> str:
    """The id of a tag's section on the tags page."""
    return "tag-" + re.sub(r"[^\w-]+", "-", tag.casefold()).strip("-")
