"""While serving dirty: the site search's entries of every page, each from the last rebuild that rendered it.

A dirty rebuild renders only the pages that changed. Material's search keeps the entries of the others by a rule
meant for a rebuild of one page: it drops the entries of earlier builds whose location starts with that of the first
page rebuilt. With the home page first (its location is ""), that is every entry; with another page first, the
entries of the other pages rebuilt are kept twice. So the entries each page gives are taken here as Material's index
receives them, page by page, and our index is written from these.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import BasePlugin


class DirtySearch:
    """The site search's entries of each page of the site, by its URL, in the order pages were first rendered."""

    def __init__(self) -> None:
        self._by_page: dict[str, list[dict[str, Any]]] = {}
        self._entries: list[dict[str, Any]] | None = None  # Material's index for this build, as it grows
        self._seen = 0
        self._urls: set[str] = set()  # the site's pages in this build

    def start(self, search: BasePlugin[Any] | None, urls: set[str]) -> None:
        """A rebuild of the pages at *urls* begins; *search* is Material's search plugin, with this build's index (made
        at ``on_config``). Another search plugin (MkDocs' own keeps its entries to itself) leaves its index as it
        writes it."""
        entries = getattr(getattr(search, "search_index", None), "entries", None)
        self._entries = entries if isinstance(entries, list) else None
        self._seen = 0
        self._urls = urls

    def page_done(self, url: str) -> None:
        """The page at *url* was rendered: the entries the site search added since the page before are its own
        (none for a page kept out of the site search, a lesson page among them)."""
        if self._entries is not None:
            self._by_page[url] = self._entries[self._seen :]
            self._seen = len(self._entries)

    def entries(self) -> list[dict[str, Any]] | None:
        """Every entry of the site's pages now, those of pages no longer there forgotten; None where the site search's
        index is not followed."""
        if self._entries is None:
            return None
        for gone in self._by_page.keys() - self._urls:
            del self._by_page[gone]
        return [entry for page in self._by_page.values() for entry in page]
