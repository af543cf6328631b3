"""The site's search index in small files the learner's browser fetches as a search needs them.

Material's search worker downloads every entry of the site (16 MB at 500 lessons) on every page
load and builds a lunr index from it in the browser, the review page included. Here the index is
built once, at build time, and cut into pieces (as Pagefind does): a tiny head that Material's
``search_index.json`` carries in its ``config``, term chunks (the words of the site in sorted order,
each with the entries it is in), page-ordered document chunks (location, title, a teaser of the text
and tags), and a list of the pages. Our search worker (``assets/search-worker.js``) loads a term
chunk or two for each word typed and the document chunks of the first results only.

Every file is a script that hands its data to ``sgSearchShard(name, data)``: ``importScripts`` loads
scripts over http and, in the iframe Material uses as a worker on ``file://``, from disk, where
``fetch`` is not allowed.

Terms are what lunr would index with Material's settings: the text between tags, split at the
site's search ``separator``, lowercased, with leading and trailing non-word characters trimmed and
(when the pipeline has ``stopWordFilter``, the default) without English stop words. Words are kept
as written, not stemmed: the worker matches a typed word as a prefix, as Material does, and stems it
to find the other forms of the word too ("networks" finds "network"). Nothing here knows about
MkDocs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any

from .search import latest_entries

FOLDER = "sg"  # the chunks' folder, beside search_index.json: the plugin owns every file in it
TERM_CHUNK_BYTES = 12_000  # a word typed loads one chunk, sometimes two: 5.5 KB gzipped, not 11 KB at 24_000
DOC_CHUNK_BYTES = 8_000  # whole pages (deflated): a lesson's are about a chunk, small pages share one
TEASER_CHARS = 280  # Material shows three lines of a result's text; the rest would only be downloaded
TF_CAP = 5  # term frequency in a text counts up to here (BM25 gains little beyond: 2.2 × 5 / 6.2 of 2.2)
DEFAULT_SEPARATOR = r"[\s\-]+"  # Material's own, for a separator Python cannot read

# lunr's English stop words (lunr.js 2.3.9, MIT): the worker knows the same list.
STOP_WORDS = frozenset(
    "a able about across after all almost also am among an and any are as at be because been but by can cannot "
    "could dear did do does either else ever every for from get got had has have he her hers him his how however "
    "i if in into is it its just least let like likely may me might most must my neither no nor not of off often "
    "on only or other our own rather said say says she should since so some than that the their them then there "
    "these they this tis to too twas us wants was we were what when where which while who whom why will with "
    "would yet you your".split()
)

_TAG = re.compile(r"<[^>]*>")
_TRIM = re.compile(r"^\W+|\W+$")
_TEASER_TOKEN = re.compile(r"<(/?)([a-z0-9]+)[^>]*>|[^<]+")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Doc:
    """One entry of the index, as Material's ``search_index.json`` has it."""

    location: str
    title: str
    text: str
    tags: tuple[str, ...] = ()
    boost: float | None = None

    @classmethod
    def of(cls, entry: Mapping[str, Any]) -> Doc:
        tags = entry.get("tags") or ()
        boost = entry.get("boost")
        return cls(
            str(entry.get("location", "")),
            str(entry.get("title", "")),
            str(entry.get("text", "")),
            tuple(str(t) for t in tags),
            float(boost) if isinstance(boost, int | float) and boost != 1 else None,
        )


@dataclass(frozen=True)
class Settings:
    """How the site search reads words: Material's ``separator``, and whether its pipeline drops stop words."""

    separator: str = DEFAULT_SEPARATOR
    stop_words: bool = True

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Settings:
        """From the search config as Material's index carries it (or its plugin's options)."""
        return cls(str(config.get("separator") or DEFAULT_SEPARATOR), "stopWordFilter" in (config.get("pipeline") or ()))


@dataclass(frozen=True)
class PageIndex:
    """A page's entries and terms, compact and ready to join the site's index.

    Made where the page's entries are (the worker process, on a big course), beside the build, and held until the
    index is written: so it is a few objects per page, not a few per term or entry. *rows* are the entries as the
    document chunks hold them (see :func:`doc_rows`: texts cut to teasers, the page's rows deflated); *terms*
    holds, for each term, the page's first and last entry it is in (base 36) and its postings from the first on,
    ids relative to the page, each part ended by a NUL: joining a page to the index writes one step per term, not
    one per entry.
    """

    path: str
    title: str  # the page's own entry's
    size: int  # entries
    boosts: tuple[tuple[int, int, float], ...]  # (first, end, boost) of runs of entries, relative to the page
    rows: str
    terms: bytes


@dataclass(frozen=True)
class Chunks:
    """The index's files: the head (for ``config.study_guide``) and each chunk's text by its path under ``search/``."""

    head: dict[str, Any]
    files: dict[str, str]


def page_index(path: str, docs: Iterable[Doc], settings: Settings) -> PageIndex:
    """The terms of a page's entries (*path* without its anchor), with the entries' texts as teasers.

    This reads every word of every entry of the course, so its loop is kept to a few operations per (entry, term).
    """
    words = _words(settings)
    docs = list(docs)
    terms: dict[str, list[Any]] = {}
    get = terms.get
    for k, doc in enumerate(docs):
        text = words.counts(doc.text)
        title = words.bag(doc.title)
        tags = words.bag(*doc.tags) if doc.tags else _NONE
        extra = (title | tags) - text.keys() if title or tags else _NONE
        for term, tf in (*text.items(), *((term, 0) for term in extra)):
            code = _CODES[(tf if tf < TF_CAP else TF_CAP) * 4 + (2 if term in title else 0) + (1 if term in tags else 0)]
            found = get(term)
            if found is None:
                terms[term] = [k, k, code]
            else:
                step = k - found[1]
                found[2] += (_B36[step] if step < len(_B36) else _base36(step)) + code
                found[1] = k
    b36 = _B36 if len(docs) <= len(_B36) else [_base36(n) for n in range(len(docs))]
    packed = "".join(f"{term}\0{b36[first]}\0{b36[last]}\0{codes}\0" for term, (first, last, codes) in terms.items())
    boosts: list[list[Any]] = []
    for k, doc in enumerate(docs):
        if doc.boost is None:
            continue
        if boosts and boosts[-1][1] == k and boosts[-1][2] == doc.boost:
            boosts[-1][1] = k + 1
        else:
            boosts.append([k, k + 1, doc.boost])
    rows = _deflated(_json([_doc_row(path, doc) for doc in docs]))
    title = docs[0].title if docs else ""
    return PageIndex(path, title, len(docs), tuple((a, b, c) for a, b, c in boosts), rows, packed.encode())


def pages_of(entries: Iterable[Mapping[str, Any]]) -> list[tuple[str, list[Doc]]]:
    """Entries of the site search by page, pages in the order of their first entry, the page's own entry first.

    A location seen twice keeps its last entry (see :func:`study_guide.core.search.latest_entries`).
    """
    pages: dict[str, list[Doc]] = {}
    for doc in map(Doc.of, latest_entries(entries)):
        pages.setdefault(doc.location.partition("#")[0], []).append(doc)
    return list(pages.items())


def chunked_index(pages: Iterable[PageIndex]) -> Chunks:
    """The chunked index of *pages* in their order; the same pages give the same bytes.

    A page's entries stay together, its own entry first, as Material's worker groups results by page.
    """
    pages = [page for page in pages if page.size]
    # Bytes per term, appended in place: a string object per posting would hold a big course's index many times over.
    # With each, the last entry it is in so far. This loop is a step per (page, term) of the course: kept short.
    terms: dict[bytes, list[Any]] = {}
    boosts: list[list[float]] = []
    base = 0
    small = len(_B36_BYTES)
    for page in pages:
        parts = iter(page.terms.split(b"\0"))
        for term, first, last, codes in zip(parts, parts, parts, parts, strict=False):  # the last NUL leaves one part over
            found = terms.get(term)
            if found is None:
                terms[term] = found = [bytearray(), 0]
            try:
                first_id, last_id = _B36_IDS[first], _B36_IDS[last]
            except KeyError:  # a page of more entries than two digits count
                first_id, last_id = int(first, 36), int(last, 36)
            step = base + first_id - found[1]
            postings = found[0]
            postings += _B36_BYTES[step] if step < small else _base36(step).encode()
            postings += codes
            found[1] = base + last_id
        for first, end, boost in page.boosts:
            if boosts and boosts[-1][1] == base + first and boosts[-1][2] == boost:
                boosts[-1][1] = base + end
            else:
                boosts.append([base + first, base + end, boost])
        base += page.size
    files: dict[str, str] = {}
    firsts = []
    for k, chunk in enumerate(_term_chunks({term: found[0] for term, found in terms.items()})):
        firsts.append(next(iter(chunk), ""))
        files[f"{FOLDER}/t{k}.js"] = _script(f"t{k}", chunk)
    page_rows: list[list[Any]] = []
    first_doc = 0
    for k, group in enumerate(_doc_chunks(pages)):
        for page in group:
            page_rows.append([page.path, page.title, first_doc, k])
            first_doc += page.size
        files[f"{FOLDER}/d{k}.js"] = _script(f"d{k}", [page.rows for page in group])
    files[f"{FOLDER}/pages.js"] = _script("pages", page_rows)
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    # "v" names this build's files: a browser that cached another build's chunks asks for them again.
    head = {"v": digest.hexdigest()[:12], "n": base, "t": firsts, "b": boosts}
    return Chunks(head, files)


def head_index(index: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Any]:
    """Material's index with no entries, its config carrying the chunked index's *head* for our worker.

    Material's front-end fetches this file on every page (and its offline plugin turns it into
    ``search_index.js``); the entries are in the chunks instead.
    """
    return {**index, "config": {**index.get("config", {}), "study_guide": dict(head)}, "docs": []}


def write_chunks(search_dir: Path, chunks: Chunks) -> None:
    """Write the chunks under *search_dir*, removing any an earlier build (``mkdocs serve``) left there."""
    folder = search_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    keep = {search_dir / path for path in chunks.files}
    for old in folder.iterdir():
        if old not in keep and old.is_file():
            old.unlink()
    for path, text in chunks.files.items():
        (search_dir / path).write_text(text, encoding="utf-8")


def read_chunks(search_dir: Path) -> list[dict[str, Any]]:
    """The entries of a chunked index as written (text as its teaser), in order, boosts included: for tests and
    the benchmark."""
    head = json.loads((search_dir / "search_index.json").read_text(encoding="utf-8"))["config"]["study_guide"]
    pages = parse_script((search_dir / FOLDER / "pages.js").read_text(encoding="utf-8"))
    chunks = sorted({page[3] for page in pages})
    rows = [row for k in chunks for row in doc_rows(parse_script((search_dir / FOLDER / f"d{k}.js").read_text(encoding="utf-8")))]
    ends = [page[2] for page in pages[1:]] + [len(rows)]
    entries: list[dict[str, Any]] = []
    for (path, _, first, _), end in zip(pages, ends, strict=True):
        for row in rows[first:end]:
            entry = {"location": path + row[0], "title": row[1], "text": row[2]}
            if len(row) > 3:
                entry["tags"] = row[3]
            entries.append(entry)
    for first, end, boost in head["b"]:
        for entry in entries[first:end]:
            entry["boost"] = boost
    return entries


def read_terms(search_dir: Path) -> dict[str, str]:
    """Every term of a chunked index with its postings: for tests."""
    terms: dict[str, str] = {}
    for path in sorted(search_dir.glob(f"{FOLDER}/t*.js"), key=lambda p: int(p.stem[1:])):
        terms.update(parse_script(path.read_text(encoding="utf-8")))
    return terms


def entry_terms(search_dir: Path) -> dict[str, set[str]]:
    """The terms each entry is found by, by location: for tests."""
    locations = [entry["location"] for entry in read_chunks(search_dir)]
    found: dict[str, set[str]] = {location: set() for location in locations}
    for term, text in read_terms(search_dir).items():
        for doc_id, _ in decode_postings(text):
            found[locations[doc_id]].add(term)
    return found


def decode_postings(text: str) -> list[tuple[int, int]]:
    """``(entry id, code)`` of each posting of a term, as the worker reads them."""
    out, doc_id, n = [], 0, 0
    for char in text:
        if "A" <= char <= "Z":
            doc_id += n
            out.append((doc_id, ord(char) - 65))
            n = 0
        else:
            n = n * 36 + _DIGITS.index(char)
    return out


def read_index_text(search_dir: Path) -> str:
    """Every file of the index, head and chunks, as one text, the entries' chunks inflated: for tests that look for
    what must (not) be there."""
    texts = []
    for path in [search_dir / "search_index.json", *sorted((search_dir / FOLDER).glob("*"))]:
        if path.is_file():
            texts.append(readable_chunk(path))
    return "\n".join(texts)


def readable_chunk(path: Path) -> str:
    """A file of the index as text, an entries' chunk with its rows inflated (as JSON)."""
    text = path.read_text(encoding="utf-8")
    if path.parent.name == FOLDER and path.name.startswith("d"):
        text += _json(doc_rows(parse_script(text)))
    return text


def doc_rows(chunk: list[str]) -> list[list[Any]]:
    """The entries of a document chunk, as the worker reads them: ``[anchor, title, teaser, tags?]`` for each.

    A chunk holds its pages' rows deflated (raw deflate, base64), a page at a time: the entries' texts are most of
    the index, and deflating halves them on disk even where no server compresses, as ``file://`` and most hosts
    of a static site do not for ``.js``. The worker inflates a page's rows when a result needs them
    (``DecompressionStream``, as the review's answers files are read).
    """
    return [row for page in chunk for row in json.loads(zlib.decompress(base64.b64decode(page), -15))]


def parse_script(text: str) -> Any:
    """The data of one chunk's script (``sgSearchShard("name",DATA);``)."""
    return json.loads(_swap_keys(text[text.index(",") + 1 : text.rindex(")")], _PROTO_COMPUTED, _PROTO_KEY))


@cache
def _words(settings: Settings) -> _Words:
    return _Words(settings.separator, settings.stop_words)


class _Terms(dict[str, str]):
    """Each token's term, worked out once: "" for a token that is no term (punctuation, a stop word)."""

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__()
        self.stop = stop

    def __missing__(self, token: str) -> str:
        term = _TRIM.sub("", token.lower().replace("\0", ""))  # NUL ends a term where pages are packed
        self[token] = term = "" if term in self.stop else term
        return term


class _Words:
    """Terms of an entry's fields, as lunr would index them with Material's separator and pipeline."""

    def __init__(self, separator: str, stop_words: bool) -> None:
        try:
            self.separator = re.compile(separator)
        except re.error:  # a JavaScript-only construct: Material's default splits as most sites do
            self.separator = re.compile(DEFAULT_SEPARATOR)
        self.terms = _Terms(STOP_WORDS if stop_words else frozenset())

    def _tokens(self, html: str) -> list[str]:
        # Text between tags, as Material's tokenizer reads it; entities as the reader sees them. Split before
        # lowercasing: a separator may split words at capitals (camelCase), as Material's does.
        text = unescape(_TAG.sub(" ", html)) if "<" in html or "&" in html else html
        return self.separator.split(text)

    def counts(self, html: str) -> Counter[str]:
        """How often each term is in *html*."""
        return Counter(filter(None, map(self.terms.__getitem__, self._tokens(html))))

    def bag(self, *texts: str) -> frozenset[str]:
        """The terms of *texts* (a title, or each tag on its own, as Material's tokenizer reads a list)."""
        return frozenset(filter(None, map(self.terms.__getitem__, [t for text in texts for t in self._tokens(text)])))


_NONE: frozenset[str] = frozenset()
# Code letters run from "A": the text's count (up to TF_CAP) times 4, plus 2 for the title, plus 1 for tags.
_CODES = [chr(65 + value) for value in range(TF_CAP * 4 + 4)]


def _term_chunks(postings: Mapping[bytes, bytearray]) -> Iterator[dict[str, str]]:
    """Terms in the worker's order (UTF-16 code units, as JavaScript compares strings), cut into chunks of about
    ``TERM_CHUNK_BYTES``."""
    chunk: dict[str, str] = {}
    size = 0
    for term in sorted((t.decode() for t in postings), key=lambda t: t.encode("utf-16-be")):
        joined = postings[term.encode()].decode()
        if chunk and size + len(joined) > TERM_CHUNK_BYTES:
            yield chunk
            chunk, size = {}, 0
        chunk[term] = joined
        size += len(term) + len(joined) + 6
    if chunk or not postings:
        yield chunk


def _doc_chunks(pages: Sequence[PageIndex]) -> Iterator[list[PageIndex]]:
    group: list[PageIndex] = []
    size = 0
    for page in pages:
        group.append(page)
        size += len(page.rows)
        if size >= DOC_CHUNK_BYTES:
            yield group
            group, size = [], 0
    if group:
        yield group


def _doc_row(path: str, doc: Doc) -> list[Any]:
    anchor = doc.location[len(path) :]
    row: list[Any] = [anchor, doc.title, teaser(doc.text)]
    if doc.tags:
        row.append(list(doc.tags))
    return row


def teaser(html: str, limit: int = TEASER_CHARS) -> str:
    """The start of an entry's text, about *limit* characters of it cut at a word, with "…" and its tags closed.

    The index's texts hold bare tags only (paragraphs, lists, code), so a stack of open tags is enough.
    """
    if len(html) <= limit:
        return html
    out: list[str] = []
    open_tags: list[str] = []
    left = limit
    for match in _TEASER_TOKEN.finditer(html):
        if match.group(2):
            name = match.group(2)
            if match.group(1):
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
            elif name not in ("br", "hr", "img"):
                open_tags.append(name)
            out.append(match.group(0))
            continue
        text = match.group(0)
        shown = len(unescape(text))
        if shown <= left:
            out.append(text)
            left -= shown
            continue
        cut = _cut(text, left)
        out.append(cut + "…")
        break
    else:
        return html
    return "".join(out) + "".join(f"</{name}>" for name in reversed(open_tags))


def _cut(text: str, chars: int) -> str:
    """*text* (escaped HTML) cut to about *chars* characters at a space, never inside an entity."""
    head = text[: max(chars, 0)]
    amp = head.rfind("&")
    if amp >= 0 and ";" not in head[amp:]:
        head = head[:amp]
    space = head.rfind(" ")
    return (head[:space] if space > chars // 2 else head).rstrip()


def _script(name: str, data: Any) -> str:
    text = _json(data)
    if isinstance(data, dict) and "__proto__" in data:
        # In a script's object literal `"__proto__":` sets the object's prototype; a computed key is a key like any
        # other (a course on JavaScript may well index the word). JSON text has no quote unescaped inside a string.
        text = _swap_keys(text, _PROTO_KEY, _PROTO_COMPUTED)
    return f'sgSearchShard("{name}",{text});\n'


_PROTO_KEY = '"__proto__":'
_PROTO_COMPUTED = '["__proto__"]:'


def _swap_keys(text: str, key: str, other: str) -> str:
    return text.replace("{" + key, "{" + other, 1).replace("," + key, "," + other, 1)


def _deflated(text: str) -> str:
    # Level 9, raw (no zlib header: DecompressionStream("deflate-raw") reads it); the same text gives the same bytes.
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(text.encode()) + packer.flush()).decode("ascii")


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _base36(n: int) -> str:
    """*n* in base 36, as the worker reads a posting's step from the entry before."""
    if n < 36:
        return _DIGITS[n]
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


_B36 = [_base36(n) for n in range(36 * 36)]  # the steps a page's entries take, mostly
_B36_BYTES = [step.encode() for step in _B36]
_B36_IDS = {text: n for n, text in enumerate(_B36_BYTES)}  # faster than int(text, 36)
