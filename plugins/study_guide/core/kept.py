"""What the end of a build needs from every lesson page, kept where it is made: the worker process, on a big course.

Each lesson page gives its cards (for the Anki deck and the review's files) and its search entries (for the
chunked index), and nothing reads them before every page is done. On a big course the worker that reads a page's
search entries keeps them there, with the page's cards, and writes the deck, the cards files and the index itself:
the build process holds none of it, and nothing of it is pickled back (at 500 lessons, some 60 MB that the build
process held to its last hook, while MkDocs held every page's HTML). Without a worker (a small course, serving)
these same functions run in the build process, and keep the same things there.

A build's things are kept on a shelf named by the plugin (:func:`shelf_name`): a worker process holds the shelves
of the builds it serves, the build process those of its builds without a worker. Every function here takes the
shelf's name first, so that the plugin runs each one with ``Helper.submit``.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import anki
from .cards import Card, DeckLesson, write_cards_files
from .markers import PageBlocks
from .model import Lesson
from .pages import search_page_index
from .search_chunks import PageIndex, Settings, chunked_index, head_index, page_index, pages_of, write_chunks


@dataclass
class _Shelf:
    cards: dict[str, tuple[str, tuple[Card, ...]]] = field(default_factory=dict)  # by note: its page's URL, its cards
    search: dict[str, PageIndex] = field(default_factory=dict)  # a lesson page's search entries, by its URL


_SHELVES: dict[str, _Shelf] = {}
_NUMBERS = itertools.count(1)


def shelf_name() -> str:
    """A name no other build's shelf has, in this process or in a worker forked from it."""
    return f"{os.getpid()}-{next(_NUMBERS)}"


@dataclass(frozen=True)
class Search:
    """What a lesson page's search entries are read from (see ``pages.search_page_index``)."""

    blocks: PageBlocks
    lesson: Lesson  # its frontmatter only (``pages.frontmatter_only``)
    spoiler_free: bool
    settings: Settings


def start(name: str, kept_urls: set[str] | None) -> None:
    """A build begins: only what pages at *kept_urls* gave stays on the shelf (a dirty rebuild redoes the others);
    None: nothing stays."""
    shelf = _shelf(name)
    shelf.cards = {uri: c for uri, c in shelf.cards.items() if kept_urls is not None and c[0] in kept_urls}
    shelf.search = {url: e for url, e in shelf.search.items() if kept_urls is not None and url in kept_urls}


def keep_page(name: str, uri: str, url: str, cards: tuple[Card, ...], search: Search | None) -> None:
    """Keep a lesson page's cards, and its search entries read from *search* (None: the page is not searched)."""
    shelf = _shelf(name)
    shelf.cards[uri] = (url, cards)
    shelf.search.pop(url, None)
    if search is not None:
        shelf.search[url] = search_page_index(
            search.blocks, url, search.lesson, spoiler_free=search.spoiler_free, settings=search.settings
        )


def forget_page(name: str, url: str) -> None:
    """A lesson page that gives no search entries now (while serving: a note now broken)."""
    _shelf(name).search.pop(url, None)


def write_deck(
    name: str, path: Path, lessons: Sequence[tuple[str, DeckLesson]], site: anki.Site, media: anki.MediaSource
) -> anki.DeckReport | OSError:
    """``anki.write_deck`` of *lessons* (by their note, in course order; cards from the shelf), its error returned."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # before MkDocs writes the first page there
        return anki.write_deck(path, _with_cards(name, lessons), site, media)
    except OSError as exc:
        return exc


def write_cards(name: str, lessons: Sequence[tuple[str, DeckLesson]], folder: Path, packed: dict[str, str] | None) -> None:
    """``cards.write_cards_files`` of *lessons* (by their note, in course order; cards from the shelf) into *folder*."""
    write_cards_files(_with_cards(name, lessons), folder, packed)


def write_index(name: str, index_path: Path, settings: Settings, docs: Sequence[Mapping[str, Any]] | None = None) -> None:
    """The site's search index cut into the chunks our search worker reads: every lesson page's entries from the
    shelf, and the site search's entries of every other page, from its index at *index_path* (or *docs*, where a
    dirty rebuild has them). Material's file keeps only the head, which its front-end hands our worker."""
    kept = _shelf(name).search
    index = json.loads(index_path.read_bytes())
    docs = index.get("docs", []) if docs is None else docs
    theirs = pages_of(doc for doc in docs if doc.get("location", "").partition("#")[0] not in kept)
    pages = [page_index(path, entries, settings) for path, entries in theirs] + [kept[url] for url in sorted(kept)]
    chunks = chunked_index(pages)
    write_chunks(index_path.parent, chunks)
    head = head_index(index, chunks.head)
    index_path.write_text(json.dumps(head, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _shelf(name: str) -> _Shelf:
    """The shelf of the build named *name*, empty the first time it is asked for (in this process)."""
    return _SHELVES.setdefault(name, _Shelf())


def drop(name: str) -> None:
    """The build is over: let go of its shelf."""
    _SHELVES.pop(name, None)


def _with_cards(name: str, lessons: Sequence[tuple[str, DeckLesson]]) -> list[DeckLesson]:
    """The *lessons* (by their note) whose pages gave cards, each with its cards and its page's URL from the shelf."""
    cards: Mapping[str, tuple[str, tuple[Card, ...]]] = _shelf(name).cards
    return [replace(lesson, url=cards[uri][0], cards=cards[uri][1]) for uri, lesson in lessons if uri in cards]
