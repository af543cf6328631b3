"""The course as an Anki package (``.apkg``): a subdeck per lesson, a note per answered question.

A note's GUID comes from its lesson and its question's key (``Question.key``, the identity the
site's review keeps grades under), never from its text: importing a rebuilt deck after an answer
was edited updates the note and keeps the learner's Anki history, and a renumbered question keeps
its note. A question reworded beyond its normalised words is a new question, hence a new note
(the site's review matches small rewordings by similarity; Anki matches GUIDs only).

The fields are the cards' HTML as the site shows them, which the site's sanitiser has seen (and
sees here when the site keeps its notes' HTML as written, ``raw_html: trust``: nothing that runs
reaches Anki), with links made absolute (a card has no site around it) and images packed into the
package as media files. Written with genanki,
zipped here (compressed, entries dated from the deck's time) and renamed into place: a failed
export leaves no half-written file.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import os
import posixpath
import re
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from pygments.formatters import HtmlFormatter

from .cards import Card, DeckLesson
from .sanitize import sanitize_html

if TYPE_CHECKING:
    import genanki

# Fixed for good: Anki knows the note type by its id, and would make a second one if it changed.
MODEL_ID = 1_764_288_014
MODEL_NAME = "Study guide question"
# A lesson's subdeck id is derived from the course and the lesson, in this range (genanki's advice).
_DECK_IDS = (1 << 30, 1 << 31)
FIELDS = ("Question", "Answer", "Lesson", "Link")
# zlib's level: 3 makes the package a tenth bigger than the default 6 does, in a third of the time.
_COMPRESSION = 3

_QUESTION = '<div class="sg-lesson">{{Lesson}}</div>\n<div class="sg-question">{{Question}}</div>'
_ANSWER = (
    "{{FrontSide}}\n<hr id=answer>\n"
    '<div class="sg-answer">{{Answer}}</div>\n'
    '{{#Link}}<p class="sg-source"><a href="{{Link}}">This question on the study site</a></p>{{/Link}}'
)
# Light by default; Anki marks night mode with .nightMode (desktop, iPhone) or .night_mode (Android),
# on the card's element or above it. Sizes in em so that the phone apps' text size applies.
_NIGHT = ":is(.nightMode, .night_mode)"
_CSS = f"""\
.card {{
  background: #fff; color: #1f2328; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 20px; line-height: 1.5; margin: 0 auto; max-width: 42em; padding: 0 0.6em; text-align: left;
}}
.card{_NIGHT}, {_NIGHT} .card {{ background: #1e1f22; color: #e4e4e7; }}
.sg-lesson, .sg-source {{ color: #59636e; }}
{_NIGHT} :is(.sg-lesson, .sg-source) {{ color: #9198a1; }}
.sg-lesson {{ font-size: 0.7em; }}
.sg-question {{ font-weight: 600; }}
.sg-source {{ font-size: 0.7em; margin-top: 2em; }}
a {{ color: #0969da; }}
{_NIGHT} a {{ color: #58a6ff; }}
img {{ height: auto; max-width: 100%; }}
table {{ border-collapse: collapse; display: block; overflow-x: auto; }}
th, td {{ border: 1px solid #8c959f; padding: 0.2em 0.5em; }}
code, pre {{ font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }}
pre {{ overflow-x: auto; padding: 0.6em; white-space: pre-wrap; }}
:not(pre) > code, pre {{ background: #f3f4f6; border-radius: 0.3em; }}
{_NIGHT} :not(pre) > code, {_NIGHT} pre {{ background: #2b2d31; }}
blockquote, .admonition, details {{ border-left: 0.25em solid #8c959f; margin: 0.8em 0; padding: 0 0.8em; }}
.admonition-title, summary {{ font-weight: 600; }}
.sg-missing {{ border: 1px dashed #cf222e; color: #cf222e; padding: 0 0.3em; }}
{_NIGHT} .sg-missing {{ border-color: #ff7b72; color: #ff7b72; }}
"""


def _highlighting() -> str:
    """Colours for code highlighted by the site's Markdown (Pygments' classes), in light and in night mode."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark").get_style_defs([f"{night} .highlight" for night in (".nightMode", ".night_mode")])
    # Token colours only: the blocks' background, line numbers and spacing are the card's own (above).
    return "\n".join(line for line in f"{light}\n{dark}".splitlines() if ".highlight ." in line.split("{")[0]) + "\n"


@functools.cache
def model() -> genanki.Model:
    """The note type of every card: its fields, templates and style.

    Made, and genanki loaded, where a deck is first written: on a course a worker shares, the build's own
    process never needs them.
    """
    import genanki

    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question → answer", "qfmt": _QUESTION, "afmt": _ANSWER}],
        css=_CSS + _highlighting(),
    )


@dataclass(frozen=True)
class Site:
    """What the deck needs to know of the site its cards come from."""

    name: str  # the parent deck's name (the site's name)
    url: str | None = None  # where the site is published, for links back to each question
    directory_urls: bool = True  # lesson pages at lessons/01-x/ (MkDocs' use_directory_urls) or lessons/01-x.html
    sanitized: bool = False  # the cards' HTML went through sanitize_html already (raw_html: sanitize); else it does here


@dataclass(frozen=True)
class MediaSource:
    """Where the images of the cards are: files of the site by their path in it, on disk or made in memory."""

    root: Path | None = None  # the built site (or, for an export without a build, the docs folder)
    generated: Mapping[str, bytes] = field(default_factory=dict)  # files a build would write (notebook figures)

    def read(self, path: str) -> bytes | None:
        """The file at site path *path*, or None when there is none (or it lies outside the site)."""
        if path in self.generated:
            return self.generated[path]
        if self.root is None or path.startswith("../") or path == "..":
            return None
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root.resolve()) or not target.is_file():
            return None
        return target.read_bytes()


@dataclass
class DeckReport:
    """What was written: how many notes, subdecks and media files, and what the learner should know."""

    path: Path
    notes: int = 0
    decks: int = 0
    media: int = 0
    size: int = 0
    warnings: list[str] = field(default_factory=list)


def write_deck(
    path: Path, lessons: Iterable[DeckLesson], site: Site, media: MediaSource, *, timestamp: float | None = None
) -> DeckReport:
    """Write the course's Anki package to *path*: one subdeck per lesson that has a card, one note per card.

    *timestamp* dates the notes: Anki updates a note it has when the package's is newer. By
    default ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the newest note's change.
    Raises ``OSError`` when *path* cannot be written; nothing is left behind then.
    """
    import genanki

    lessons = [lesson for lesson in lessons if lesson.cards]  # no empty subdecks
    report = DeckReport(path)
    packer = _Media(media)
    # What each lesson's <a> tags became: its cards link to the same pages over and over.
    links: dict[tuple[str, str], dict[str, str]] = {}
    decks: list[genanki.Deck] = []
    note_type = model()
    for lesson, name in zip(lessons, deck_names(site.name, lessons), strict=True):
        deck = genanki.Deck(deck_id(site.name, lesson.lesson_id), name)
        for card in lesson.cards:
            fields, tags = _note(card, lesson, site, packer, report.warnings, links)
            guid = note_guid(lesson.lesson_id, card.key)
            deck.add_note(genanki.Note(model=note_type, fields=fields, tags=tags, guid=guid))
        decks.append(deck)
    when = timestamp if timestamp is not None else _deck_time(lessons)
    _write_package(path, decks, packer.files, when)
    report.notes = sum(len(deck.notes) for deck in decks)
    report.decks, report.media, report.size = len(decks), len(packer.files), path.stat().st_size
    return report


def note_guid(lesson_id: str, key: str) -> str:
    """The note's GUID: from the lesson and the question's identity, so that edits and renumbering keep it."""
    import genanki

    return genanki.guid_for("study-guide", lesson_id, key)


def deck_id(course: str, lesson_id: str) -> int:
    """A lesson's subdeck id, the same in every build of the course."""
    digest = int.from_bytes(hashlib.sha256(f"{course}\0{lesson_id}".encode()).digest()[:8], "big")
    return _DECK_IDS[0] + digest % (_DECK_IDS[1] - _DECK_IDS[0])


def deck_names(course: str, lessons: Sequence[DeckLesson]) -> list[str]:
    """``Course::01 Title`` for each lesson: the number its file name starts with, then its title.

    Two lessons that would get the same name (the same title, no number) are told apart by their
    file names: Anki would merge two subdecks of one name.
    """
    parent = _deck_part(course) or "Course"
    names = []
    for lesson in lessons:
        number = re.match(r"\d+", posixpath.basename(lesson.lesson_id))
        title = _deck_part(lesson.title) or lesson.lesson_id
        names.append(f"{number.group(0)} {title}" if number and not title.startswith(number.group(0)) else title)
    repeated = {name for name in names if names.count(name) > 1}
    return [
        f"{parent}::{name} ({lesson.lesson_id})" if name in repeated else f"{parent}::{name}"
        for name, lesson in zip(names, lessons, strict=True)
    ]


def _deck_part(text: str) -> str:
    # '::' would nest decks; line breaks have no place in a deck's name.
    return " ".join(text.replace("::", ":").split())


def _note(
    card: Card, lesson: DeckLesson, site: Site, media: _Media, warnings: list[str], links: dict[tuple[str, str], dict[str, str]]
) -> tuple[list[str], list[str]]:
    """A card's note: its fields (see ``FIELDS``) and its tags."""
    fix = _Fixer(card, lesson, site, media, warnings, links)
    link = _absolute(f"{lesson.url}#{card.anchor}", "", site) or ""
    fields = [fix.field(card.question), fix.field(card.answer), html.escape(lesson.title), html.escape(link)]
    tags = dict.fromkeys(re.sub(r"\s+", "_", tag) for tag in (*card.tags, *lesson.tags) if tag.strip())
    return fields, list(tags)


class _Media:
    """The images the cards show, each stored once under a name made from its content."""

    def __init__(self, source: MediaSource) -> None:
        self.source = source
        self.files: dict[str, bytes] = {}  # name in Anki's media folder -> content
        self._names: dict[str, str | None] = {}  # site path -> name (None: no such file)

    def add(self, path: str) -> str | None:
        if path not in self._names:
            data = self.source.read(path)
            name = None
            if data is not None:
                suffix = posixpath.splitext(path)[1].lower()
                suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
                # By content: the same picture in two answers is stored once, a changed one under a new name.
                name = f"sg-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
                self.files[name] = data
            self._names[path] = name
        return self._names[path]


class _Fixer:
    """A card's HTML made to stand alone in Anki: sanitised, links absolute, images as media files."""

    def __init__(
        self,
        card: Card,
        lesson: DeckLesson,
        site: Site,
        media: _Media,
        warnings: list[str],
        links: dict[tuple[str, str], dict[str, str]],
    ) -> None:
        self.card, self.lesson, self.site, self.media, self.warnings = card, lesson, site, media, warnings
        base = lesson.links_from
        if base is None:  # relative to the lesson page itself
            base = lesson.url if lesson.url.endswith("/") else posixpath.dirname(lesson.url) + "/"
        self.base = base if base.endswith("/") or not base else base + "/"
        # What an <a> becomes depends on these alone; a link up from the folder ('../x/', as most links between
        # lessons are) depends only on the folder above it: that is shared by every lesson in the same folder.
        own = links.setdefault((self.base, lesson.url), {})
        parent = _parent(self.base)
        self.links = _TagMemo(own, links.setdefault(("..", parent), {})) if parent is not None else own

    def field(self, fragment: str) -> str:
        return rewrite_tags(fragment if self.site.sanitized else sanitize_html(fragment), {"a", "img"}, self._tag, self.links)

    def _tag(self, name: str, attrs: dict[str, str]) -> str:
        if name == "a" and "href" in attrs:
            href = attrs.pop("href")
            # A link within the page ("#q-3") is relative to the lesson page, whatever the images are relative to.
            href = _absolute(href, self.lesson.url if href.startswith("#") else self.base, self.site)
            if href:
                attrs["href"] = href
            return start_tag(name, attrs)
        src = attrs.get("src", "")
        parts = urlsplit(src)
        if parts.scheme or src.startswith("//") or not parts.path:
            return start_tag(name, attrs)  # on the web: Anki shows it when online
        path = posixpath.normpath(posixpath.join(self.base, unquote(parts.path)))
        stored = self.media.add(path)
        if stored is not None:
            return start_tag(name, {**attrs, "src": stored})
        self.warnings.append(self._missing(unquote(parts.path)))
        shown = attrs.get("alt") or unquote(parts.path)
        return f'<span class="sg-missing">[image not found: {html.escape(shown)}]</span>'

    def _missing(self, src: str) -> str:
        name = posixpath.basename(src)
        offset = next((i for i, text in enumerate(self.card.source.split("\n")) if name and name in text), 0)
        where = f"{self.lesson.path or self.lesson.lesson_id}:{self.card.line + offset if self.card.line else 1}"
        return (
            f"{where}: image {src!r} in the answer to {self.card.anchor} is missing, so its Anki card says so instead; "
            "put the file next to the note, or correct the image's path"
        )


_UP_LINK = re.compile(r'<a href="\.\./[^"<>]*">')


def _parent(base: str) -> str | None:
    """The folder above *base* (a site folder ending with '/'), when '../' from *base* simply goes there; else None."""
    if not base.endswith("/") or not _PLAIN_PATH.fullmatch(base):
        return None
    return base[: base.rstrip("/").rfind("/") + 1]


class _TagMemo:
    """What a lesson's ``<a>`` tags became (``rewrite_tags``' memo): ``<a href="../x/">`` kept with its folder's."""

    __slots__ = ("own", "up")

    def __init__(self, own: dict[str, str], up: dict[str, str]) -> None:
        self.own, self.up = own, up

    def _of(self, tag: str) -> dict[str, str]:
        return self.up if tag.startswith('<a href="../') and _UP_LINK.fullmatch(tag) else self.own

    def get(self, tag: str) -> str | None:
        return self._of(tag).get(tag)

    def __setitem__(self, tag: str, done: str) -> None:
        self._of(tag)[tag] = done


def _absolute(href: str, base: str, site: Site) -> str | None:
    """*href* (relative to site folder *base*) as an address a card can follow; None when the site's address is unknown."""
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        return href
    if not site.url:
        return None
    path = unquote(parts.path)
    if path.endswith(".md"):  # a link to a note, as written before MkDocs turns it into its page's address
        path = path[:-3]
        path = (path[: -len("index")] if path.endswith("index") else path + "/") if site.directory_urls else path + ".html"
    target = posixpath.normpath(posixpath.join(base, path)) + ("/" if path.endswith("/") else "") if path else base
    target = target.removeprefix("./").lstrip("/")
    if target == ".":
        target = ""
    root = site.url.rstrip("/") + "/"
    if _PLAIN_PATH.fullmatch(target) and _plain_root(root):
        joined = root + target  # what urljoin gives a clean path below the site's address, at a fraction of its cost
    else:
        joined = urljoin(root, target)
    return joined + (f"#{parts.fragment}" if parts.fragment else "")


# A path with nothing urljoin would read: no scheme, query, fragment, space, empty, '.' or '..' segment.
_PLAIN_PATH = re.compile(r"(?!\.\.?(?:/|$))[^:?#/\\\s\x00-\x1f\x7f]+(?:/(?!\.\.?(?:/|$))[^:?#/\\\s\x00-\x1f\x7f]+)*/?")


@functools.lru_cache(maxsize=8)
def _plain_root(root: str) -> bool:
    parts = urlsplit(root)
    return bool(parts.scheme and parts.netloc) and not parts.query and not parts.fragment and root.endswith("/")


def _deck_time(lessons: Sequence[DeckLesson]) -> float:
    source_date = os.environ.get("SOURCE_DATE_EPOCH", "")
    if source_date.isdigit():
        return float(source_date)
    newest = max((lesson.modified for lesson in lessons), default=0.0)
    return newest or time.time()


def _write_collection(cursor: sqlite3.Cursor, decks: Sequence[genanki.Deck], timestamp: float) -> None:
    """The collection: genanki's empty one, every deck and the note type added at once, then the notes.

    genanki's own ``Deck.write_to_db`` rewrites the collection's list of decks for each deck it adds:
    quadratic in the lessons (seconds at 500).
    """
    import genanki

    ids = itertools.count(int(timestamp * 1000))
    genanki.Package([]).write_to_db(cursor, timestamp, ids)
    (decks_json, models_json) = cursor.execute("SELECT decks, models FROM col").fetchone()
    all_decks = {**json.loads(decks_json), **{str(deck.deck_id): deck.to_json() for deck in decks}}
    models = {**json.loads(models_json), str(MODEL_ID): model().to_json(timestamp, decks[0].deck_id if decks else 1)}
    cursor.execute("UPDATE col SET decks = ?, models = ?", (json.dumps(all_decks), json.dumps(models)))
    for deck in decks:
        for note in deck.notes:
            note.write_to_db(cursor, timestamp, deck.deck_id, ids)


def _write_package(path: Path, decks: Sequence[genanki.Deck], media: Mapping[str, bytes], timestamp: float) -> None:
    """The package as Anki reads it: a zip of the collection (SQLite), a media index, and the media files."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    # The collection is made in memory: no temporary file to clean up, no disk syncs while it fills.
    connection = sqlite3.connect(":memory:")
    try:
        _write_collection(connection.cursor(), decks, timestamp)
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    names = sorted(media)
    entries: list[tuple[str, bytes]] = [
        ("collection.anki2", collection),
        ("media", json.dumps({str(i): name for i, name in enumerate(names)}).encode()),
        *((str(i), media[name]) for i, name in enumerate(names)),
    ]
    date = time.gmtime(max(timestamp, 315_532_800))[:6]  # a zip cannot date anything before 1980
    try:
        with zipfile.ZipFile(partial, "w") as package:
            for entry, data in entries:
                info = zipfile.ZipInfo(entry, date_time=date)
                info.compress_type = zipfile.ZIP_DEFLATED
                package.writestr(info, data, compresslevel=_COMPRESSION)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- start tags of serialised HTML

# Every '<' in text is escaped in the HTML the sanitiser writes, so a '<' starts a tag; a quoted
# value may hold '>'. Text is never touched: a URL quoted in an answer's code stays as written.
_ATTRIBUTE = r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_START_TAG = re.compile(rf"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+{_ATTRIBUTE})*)\s*/?>")
_ATTRIBUTES = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def rewrite_tags(
    fragment: str, names: set[str], rewrite: Callable[[str, dict[str, str]], str], memo: _TagMemo | dict[str, str] | None = None
) -> str:
    """*fragment* with each start tag named in *names* replaced by what *rewrite* makes of its name and attributes.

    Attribute values reach *rewrite* unescaped; :func:`start_tag` writes them back escaped. *memo*: what
    ``<a>`` tags became, by their text, when *rewrite* makes the same of the same link each time.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name not in names:
            return match.group(0)
        if memo is not None and name == "a":
            done = memo.get(match.group(0))
            if done is None:
                done = memo[match.group(0)] = rewrite(name, _attributes(match))
            return done
        return rewrite(name, _attributes(match))

    return _START_TAG.sub(one, fragment)


def _attributes(match: re.Match[str]) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(next((g for g in m.groups()[1:] if g is not None), ""))
        for m in _ATTRIBUTES.finditer(match.group(2))
    }


def start_tag(name: str, attrs: Mapping[str, str]) -> str:
    """``<name a="v">``, every value escaped."""
    return "<" + name + "".join(f' {key}="{html.escape(value, quote=True)}"' for key, value in attrs.items()) + ">"
