"""``python -m study_guide index SITE_DIR``: our search entries put into the index the generator wrote.

``render`` leaves each lesson page's entries (its sections, each question with its answer, each
summary bullet: :func:`study_guide.core.pages.search_entries`) in the folder, and the generator
copies them into the site. Here they take the place of the whole-page entries the generator
made for the lesson pages, as the plugin does with Material's index, so that a search finds a
single question and its result lands on that question. Two index formats are known: Material's
(``search/search_index.json``, ``docs``) and Zensical's (``search.json``, ``items``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.search import SearchEntry, merge_entries
from .render import ENTRIES_FILE

MATERIAL_INDEX = "search/search_index.json"
ZENSICAL_INDEX = "search.json"


class IndexingError(Exception):
    """The site cannot be indexed; the message says what to do."""


@dataclass(frozen=True)
class IndexReport:
    """Which index was written, how many lesson pages and entries went into it."""

    index: Path
    pages: int
    entries: int


def index_site(site_dir: Path) -> IndexReport:
    """Put the entries ``render`` left in *site_dir* into the search index found there; remove the entries' file."""
    source = site_dir / ENTRIES_FILE
    if not source.is_file():
        raise IndexingError(
            f"{source}: not there; build the site from the folder `python -m study_guide render` wrote"
            " (each build gives it again; index removes it once it is in the index)"
        )
    entries = {
        url: [SearchEntry(e["location"], e["title"], e["text"], _tags(e), e.get("boost")) for e in found]
        for url, found in json.loads(source.read_bytes()).items()
    }
    material, zensical = site_dir / MATERIAL_INDEX, site_dir / ZENSICAL_INDEX
    if material.is_file():
        index_path, index = material, merge_entries(json.loads(material.read_bytes()), entries)
    elif zensical.is_file():
        index_path, index = zensical, merge_items(json.loads(zensical.read_bytes()), entries)
    else:
        raise IndexingError(
            f"{site_dir}: no search index ({MATERIAL_INDEX} or {ZENSICAL_INDEX}); turn the generator's search on and build again"
        )
    # UTF-8 rather than escapes, as the plugin writes it: the learner's own letters take half the bytes.
    index_path.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    source.unlink()
    return IndexReport(index_path, len(entries), sum(len(found) for found in entries.values()))


def merge_items(index: dict[str, Any], entries: dict[str, list[SearchEntry]]) -> dict[str, Any]:
    """Zensical's index with the entries of each page URL in place of the items it has for that page.

    An item there also names its level (1: the page, 2 and more: a section) and its path in the
    navigation, which ours take from the page's own item.
    """
    kept, pages = [], {}
    for item in index.get("items", []):
        page = item.get("location", "").partition("#")[0]
        if page in entries:
            if "#" not in item.get("location", ""):
                pages[page] = item
            continue
        kept.append(item)
    for url in sorted(entries):
        own = pages.get(url, {})
        for entry in entries[url]:
            item = {
                "location": entry.location,
                "level": 2 if "#" in entry.location else 1,
                "title": entry.title,
                "text": entry.text,
                "path": own.get("path", []),
                "tags": list(entry.tags) if entry.tags is not None else own.get("tags", []),
            }
            kept.append(item)
    return {**index, "items": kept}


def _tags(entry: dict[str, Any]) -> tuple[str, ...] | None:
    tags = entry.get("tags")
    return tuple(tags) if tags is not None else None
