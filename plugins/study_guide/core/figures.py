"""Embed notebook outputs in lesson pages as figures with provenance.

A note refers to one output with an Obsidian-style embed of a notebook cell::

    ![[notebooks/lesson-01-collab.ipynb#collab-predictions]]
    ![[notebooks/lesson-01-collab.ipynb#collab-predictions|Predicted next to actual ratings]]

The path is relative to the docs folder (Obsidian's vault root); a bare file name
is looked up in the notebooks folder. After ``#`` comes the cell's label (a
``#| label: name`` first line, or a cell tag); after ``|`` an optional caption.
Embeds inside code blocks and code spans (as :mod:`study_guide.lexer` finds them) are
left alone, and so are embeds of anything but ``.ipynb`` files.

Each embed becomes one line of HTML (a ``<figure>``): images are written as files
with content-hashed names, never inlined as base64; HTML tables are reduced to
plain table markup; text goes in a ``<pre>``. The caption ends with where, when and
how fast the output was computed, from the manifest, and a link to the notebook.

Knows nothing of MkDocs: the adapter finds refs, renders them and writes the files.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import posixpath
import re
import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

from .lexer import lex
from .markers import Stash
from .model import Lesson, Problem, Severity
from .notebooks import (
    MANIFEST_NAME,
    HtmlOutput,
    ImageOutput,
    Manifest,
    NotebookRecord,
    Output,
    SvgOutput,
    TextOutput,
    cell_labels,
    code_hash,
    load_manifest,
    outputs_of,
    read_notebook,
    repeated_labels,
    svg_problem,
)

ASSET_DIR = "assets/figures"
# `![[path.ipynb#label|caption]]`; the label and caption are optional so that we can say what is missing.
EMBED = re.compile(r"!\[\[(?P<target>[^\[\]|#\n]+?\.ipynb)[ \t]*(?:#(?P<label>[^\[\]|#\n]*))?(?:\|(?P<caption>[^\[\]\n]*))?\]\]")
# Characters that Markdown or its extensions could still read as syntax if the figure lands
# inline in a paragraph; as numeric references they are inert and display the same.
_MARKDOWN_SPECIALS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}~=^|"})


# --------------------------------------------------------------------------- finding embeds


@dataclass(frozen=True)
class FigureRef:
    """One ``![[notebook.ipynb#label|caption]]`` in a note, with the 1-based line it is on.

    *start* and *end* are its offsets in the text it was found in (an answer, a summary bullet,
    prose): the page puts the figure there, without searching the text again. Figures placed
    from the frontmatter have none (-1).
    """

    notebook: str
    label: str
    caption: str | None
    line: int
    raw: str
    start: int = -1
    end: int = -1


def find_figure_refs(text: str, *, first_line: int = 1) -> list[FigureRef]:
    """Every notebook embed in *text* outside code, in order; *first_line* is the note line that *text* starts on.

    What is code is up to :mod:`study_guide.lexer`, as everywhere else.
    """
    refs: list[FigureRef] = []
    if ".ipynb" not in text:
        return refs  # most notes embed nothing
    code = lex(text)
    for start, end in code.segments():
        for match in EMBED.finditer(text, start, end):
            caption = match["caption"]
            line = bisect.bisect_right(code.line_starts, match.start()) - 1
            refs.append(
                FigureRef(
                    notebook=match["target"].strip(),
                    # Inside a Markdown table Obsidian wants the pipe escaped: `#label\|caption`.
                    label=(match["label"] or "").strip().removesuffix("\\").strip(),
                    caption=caption.strip() or None if caption is not None else None,
                    line=first_line + line,
                    raw=match[0],
                    start=match.start(),
                    end=match.end(),
                )
            )
    return refs


# --------------------------------------------------------------------------- notebooks on disk


@dataclass(frozen=True)
class LoadedNotebook:
    """A notebook as the build sees it: its JSON, its labels, its manifest record and current code hash."""

    path: str
    nb: dict[str, Any]
    record: NotebookRecord | None
    labels: dict[str, int] = field(default_factory=dict)
    current_hash: str = ""
    repeated: dict[str, list[int]] = field(default_factory=dict)  # labels more than one cell claims

    @property
    def stale(self) -> bool:
        """True when the code changed since the run the manifest describes."""
        return self.record is not None and self.record.code_hash != self.current_hash

    @classmethod
    def from_json(cls, path: str, nb: dict[str, Any], record: NotebookRecord | None) -> LoadedNotebook:
        """Wrap notebook JSON already read, computing its labels and code hash once."""
        return cls(path, nb, record, cell_labels(nb), code_hash(nb), repeated_labels(nb))


class NotebookStore:
    """Notebooks under a docs folder, read once each, and the manifest beside them.

    Paths are ``/``-separated and relative to *docs_dir*, as notes write them.
    """

    def __init__(self, docs_dir: str | Path, notebooks_dir: str = "notebooks") -> None:
        self.docs_dir = Path(docs_dir)
        self.notebooks_dir = notebooks_dir.strip("/")
        self._cache: dict[str, LoadedNotebook] = {}
        self._manifest: Manifest | None = None

    @property
    def manifest(self) -> Manifest:
        """``<notebooks_dir>/manifest.json``, empty when no notebook has run yet."""
        if self._manifest is None:
            self._manifest = load_manifest(self.docs_dir / self.notebooks_dir / MANIFEST_NAME)
        return self._manifest

    def resolve(self, target: str) -> str | None:
        """The docs-relative path of the notebook an embed names, or ``None`` if there is none."""
        clean = posixpath.normpath(target.strip().lstrip("/"))
        candidates = [clean] if "/" in clean else [clean, f"{self.notebooks_dir}/{clean}"]
        return next((c for c in candidates if not c.startswith("..") and (self.docs_dir / c).is_file()), None)

    def available(self) -> list[str]:
        """Every notebook in the notebooks folder, for messages that say what exists."""
        folder = self.docs_dir / self.notebooks_dir
        if not folder.is_dir():
            return []
        return sorted(f"{self.notebooks_dir}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*.ipynb"))

    def get(self, target: str) -> LoadedNotebook | None:
        """The notebook an embed names, read and cached; ``None`` when no such file exists."""
        path = self.resolve(target)
        if path is None:
            return None
        if path not in self._cache:
            record = self.manifest.get(posixpath.relpath(path, self.notebooks_dir))
            self._cache[path] = LoadedNotebook.from_json(path, read_notebook(self.docs_dir / path), record)
        return self._cache[path]


# --------------------------------------------------------------------------- rendering


class FigureFile(NamedTuple):
    """A file the adapter must write into the site: path relative to the site root, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class RenderedFigure:
    """One embed turned into HTML, the files it points at, and what is wrong with it."""

    ref: FigureRef
    html: str
    files: tuple[FigureFile, ...] = ()
    problems: tuple[Problem, ...] = ()


def relative_url(target: str, page_url: str) -> str:
    """URL of site path *target* as seen from a page at *page_url* (MkDocs' ``page.url``)."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    return posixpath.relpath(target, base.rstrip("/") or ".")


def figure_id(label: str) -> str:
    """The ``id`` of the figure for *label*: ``fig-<label>``, so that a page can link to it."""
    return "fig-" + re.sub(r"[^\w-]+", "-", label).strip("-")


def render_figure(
    ref: FigureRef,
    notebook: LoadedNotebook | None,
    *,
    download_href: str,
    asset_href: str,
    asset_dir: str = ASSET_DIR,
    anchor: str | None = None,
    known_notebooks: Sequence[str] = (),
) -> RenderedFigure:
    """Render one embed as a ``<figure>`` line.

    *download_href* is the notebook's URL relative to the page, *asset_href* the
    asset folder's URL relative to the page, *asset_dir* that folder relative to the
    site root (where the returned files go). *known_notebooks* only improves the
    message when the notebook does not exist. Unknown notebooks and labels are
    errors; stale or missing provenance and empty cells are warnings.
    """
    if notebook is None:
        listing = ", ".join(known_notebooks) or "none"
        message = f"figure {ref.raw}: no notebook {ref.notebook!r} in the docs folder; notebooks there: {listing}"
        return _failed(ref, Problem(ref.line, message, Severity.ERROR))
    if ref.label not in notebook.labels:
        return _failed(ref, Problem(ref.line, _unknown_label(ref, notebook), Severity.ERROR))
    problems = _provenance_problems(ref, notebook)
    index = notebook.labels[ref.label]
    cell = f"cell {ref.label!r} of {notebook.path}"
    if ref.label in notebook.repeated:
        numbers = ", ".join(str(i + 1) for i in notebook.repeated[ref.label])
        message = f"figure {ref.raw}: cells {numbers} of {notebook.path} are all labelled {ref.label!r}; showing cell {index + 1}"
        problems.append(Problem(ref.line, message + "; give each cell a label of its own", Severity.WARNING))
    try:
        outputs = [o for o in outputs_of(notebook.nb["cells"][index]) if not (isinstance(o, TextOutput) and o.stream == "stderr")]
    except ValueError as exc:
        message = f"figure {ref.raw}: {cell}: {exc}; re-run the notebook with scripts/run_notebooks.py"
        return _failed(ref, Problem(ref.line, message, Severity.ERROR))
    unsafe = next((svg_problem(o.text) for o in outputs if isinstance(o, SvgOutput) and svg_problem(o.text)), None)
    if unsafe is not None:
        message = f"figure {ref.raw}: the SVG output of {cell} is not shown: {unsafe}; save the figure as PNG, or as a plain SVG"
        return _failed(ref, Problem(ref.line, message, Severity.ERROR))
    if not outputs:
        message = (
            f"cell {ref.label!r} of {notebook.path} has no output to show; "
            "run the notebook with scripts/run_notebooks.py, or label a cell that displays something"
        )
        problems.append(Problem(ref.line, message, Severity.WARNING))
    alt = ref.caption or f"Output {ref.label!r} of {posixpath.basename(notebook.path)}"
    parts: list[str] = []
    files: list[FigureFile] = []
    for output in outputs:
        part, file = _render_output(output, alt=alt, asset_href=asset_href, asset_dir=asset_dir)
        parts.append(part)
        if file is not None and file not in files:
            files.append(file)
    caption = _caption(ref, notebook, download_href)
    figure_html = (
        f'<figure class="sg-figure" id="{html.escape(anchor or figure_id(ref.label))}">{"".join(parts)}{caption}</figure>'
    )
    return RenderedFigure(ref, figure_html, tuple(files), tuple(problems))


def render_figures(
    text: str, store: NotebookStore, *, page_url: str, first_line: int = 1, asset_dir: str = ASSET_DIR
) -> list[RenderedFigure]:
    """Find and render every embed of *text* for the page at *page_url*; ids are unique on the page."""
    return render_refs(find_figure_refs(text, first_line=first_line), store, page_url=page_url, asset_dir=asset_dir)


def render_refs(
    refs: Iterable[FigureRef], store: NotebookStore, *, page_url: str, asset_dir: str = ASSET_DIR, used: set[str] | None = None
) -> list[RenderedFigure]:
    """Render *refs* for the page at *page_url*; figure ids stay unique among *used*."""
    rendered: list[RenderedFigure] = []
    used = set() if used is None else used
    for ref in refs:
        anchor = _unique(figure_id(ref.label or "figure"), used)
        try:
            notebook = store.get(ref.notebook)
        except ValueError as exc:
            rendered.append(_failed(ref, Problem(ref.line, f"figure {ref.raw}: {exc}", Severity.ERROR)))
            continue
        download = relative_url(notebook.path, page_url) if notebook is not None else ""
        rendered.append(
            render_figure(
                ref,
                notebook,
                download_href=download,
                asset_href=relative_url(asset_dir, page_url),
                asset_dir=asset_dir,
                anchor=anchor,
                known_notebooks=store.available() if notebook is None else (),
            )
        )
    return rendered


def embed_figures(markdown: str, figures: Iterable[RenderedFigure], stash: Stash | None = None) -> str:
    """*markdown* with each figure's embed replaced by its HTML, where :func:`find_figure_refs` found it in *markdown*.

    With *stash*, a token stands in for the HTML until the page is finished (after the sanitiser;
    see :class:`~study_guide.markers.Stash`); a figure alone on its line becomes a block of its own.
    Without, the HTML is a single line with no blank lines, so a ``<figure>`` that stands on
    its own line is a raw HTML block to Python-Markdown, also inside list items.
    """
    out, at = [], 0
    for figure in sorted(figures, key=lambda f: f.ref.start):
        ref = figure.ref
        if ref.start < at or markdown[ref.start : ref.end] != ref.raw:
            continue  # not found in this text: nothing to replace
        out += [markdown[at : ref.start], stash.put(figure.html) if stash is not None else figure.html]
        at = ref.end
    out.append(markdown[at:])
    return "".join(out)


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 2
    while candidate in used:
        candidate, n = f"{anchor}-{n}", n + 1
    used.add(candidate)
    return candidate


def _failed(ref: FigureRef, problem: Problem) -> RenderedFigure:
    """What stands in the page for an embed that cannot be shown: the embed itself, visibly."""
    placeholder = f'<p class="sg-figure sg-figure--missing"><code>{_text(ref.raw)}</code></p>'
    return RenderedFigure(ref, placeholder, (), (problem,))


def _unknown_label(ref: FigureRef, notebook: LoadedNotebook) -> str:
    labels = ", ".join(sorted(notebook.labels))
    if not labels:
        return f"figure {ref.raw}: {notebook.path} has no labelled cells; label one with a first line `#| label: NAME` or a tag"
    if not ref.label:
        return f"figure {ref.raw}: say which cell to show, as `{ref.notebook}#LABEL`; labels in {notebook.path}: {labels}"
    return f"figure {ref.raw}: no cell labelled {ref.label!r} in {notebook.path}; its labels are: {labels}"


def _provenance_problems(ref: FigureRef, notebook: LoadedNotebook) -> list[Problem]:
    rerun = f"re-run it with `python scripts/run_notebooks.py {posixpath.basename(notebook.path)}`"
    if notebook.record is None:
        message = f"figure {ref.label!r}: {notebook.path} is not in the notebooks manifest, so where it ran is unknown; {rerun}"
        return [Problem(ref.line, message, Severity.WARNING)]
    if notebook.stale:
        message = (
            f"figure {ref.label!r} of {notebook.path} is stale: the notebook's code changed since its outputs were computed "
            f"(manifest hash {notebook.record.code_hash[:12]}, code now {notebook.current_hash[:12]}); {rerun}"
        )
        return [Problem(ref.line, message, Severity.WARNING)]
    return []


def _render_output(output: Output, *, alt: str, asset_href: str, asset_dir: str) -> tuple[str, FigureFile | None]:
    if isinstance(output, ImageOutput | SvgOutput):
        data = output.data if isinstance(output, ImageOutput) else output.text.encode("utf-8")
        extension = output.extension if isinstance(output, ImageOutput) else "svg"
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
        size = _png_size(data)
        dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
        src = html.escape(posixpath.join(asset_href, name))
        # An SVG goes in an <img> too: there its scripts and styles cannot touch the page.
        return f'<img src="{src}" alt="{html.escape(alt)}"{dimensions} loading="lazy">', FigureFile(f"{asset_dir}/{name}", data)
    if isinstance(output, HtmlOutput):
        return f'<div class="sg-figure__table">{sanitize_table_html(output.html)}</div>', None
    return f'<pre class="sg-figure__text">{_text(output.text.rstrip(), newlines=True)}</pre>', None


def _caption(ref: FigureRef, notebook: LoadedNotebook, download_href: str) -> str:
    name = posixpath.basename(notebook.path)
    link = f'<a href="{html.escape(download_href)}" download>{_text(name)}</a>'
    record = notebook.record
    if record is None:
        provenance = f"Provenance unknown (not in the notebooks manifest) · {link}"
    else:
        where = "CPU" if record.device.upper() == "CPU" else f"GPU {record.device}"
        when = record.executed_at[:10]
        seconds = record.seconds_for(ref.label)
        took = _duration(record.duration_s)
        if seconds is not None:
            took = f"{_duration(seconds)} (notebook: {took})"
        provenance = (
            f'Computed on {_text(where)}, <time datetime="{html.escape(record.executed_at)}">{_text(when)}</time>, '
            f"in {_text(took)} · {link}"
        )
        if notebook.stale:
            provenance += " · the notebook's code has changed since"
    caption = f'<p class="sg-figure__caption">{_text(ref.caption)}</p>' if ref.caption else ""
    return f'<figcaption>{caption}<p class="sg-figure__provenance">{provenance}</p></figcaption>'


def _duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def _text(value: str, *, newlines: bool = False) -> str:
    """Escape text for HTML and make it inert to Markdown; in a ``<pre>``, keep line breaks as ``&#10;``."""
    escaped = html.escape(value, quote=True).translate(_MARKDOWN_SPECIALS)
    # One line of HTML: a blank line would end Python-Markdown's raw HTML block early.
    return escaped.replace("\n", "&#10;" if newlines else " ")


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, so the page reserves the space before it loads."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --------------------------------------------------------------------------- HTML tables


class _TableSanitizer(HTMLParser):
    """Keep table structure and text; drop every other tag, all attributes but spans, scripts and styles."""

    KEEP = frozenset({"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "b", "strong", "i", "em", "code", "br"})
    DROP_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "svg", "math"})
    VOID = frozenset({"br"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROP_CONTENT:
            self.skipping += 1
        elif not self.skipping and tag in self.KEEP:
            spans = "".join(
                f' {name}="{value}"' for name, value in attrs if name in ("colspan", "rowspan") and value and value.isdigit()
            )
            self.parts.append(f"<{tag}{spans}>")
            if tag not in self.VOID:
                self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROP_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif not self.skipping and tag in self.open:
            # Close what was left open inside, so the output is always well nested.
            while self.open:
                inner = self.open.pop()
                self.parts.append(f"</{inner}>")
                if inner == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_text(re.sub(r"\s+", " ", data)) if data.strip() else (" " if data else ""))

    def result(self) -> str:
        self.close()
        return "".join(self.parts) + "".join(f"</{tag}>" for tag in reversed(self.open))


def sanitize_table_html(markup: str) -> str:
    """Reduce notebook HTML (a pandas table, say) to plain table markup on one line.

    Only table elements and simple inline emphasis survive, with no attributes but
    ``colspan``/``rowspan``; scripts, styles and everything else are dropped and text
    is re-escaped. Without pandas' ``class="dataframe"`` the site theme styles the
    table like any other.
    """
    sanitizer = _TableSanitizer()
    sanitizer.feed(markup)
    return re.sub(r"\s*(<(?:/?)(?:table|thead|tbody|tfoot|tr|th|td|caption)>)\s*", r"\1", sanitizer.result())


def iter_problems(figures: Iterable[RenderedFigure]) -> Iterator[Problem]:
    """Every problem of *figures*, in the order of the note."""
    for figure in figures:
        yield from figure.problems


# --------------------------------------------------------------------------- figures placed from frontmatter

PLACEMENT_KEY = "figures"
"""Frontmatter key mapping a question or bullet id to the notebook outputs shown with it."""


def placed_refs(
    meta: Mapping[str, Any], lines: Sequence[str], anchors: Sequence[str]
) -> tuple[list[tuple[str, FigureRef]], list[Problem]]:
    """Figures a note's frontmatter places next to questions and bullets, without touching its body.

    Written as ``figures: {s-7: notebooks/x.ipynb#label|Caption, q-31: [..., ...]}``; each value
    uses the embed syntax without ``![[ ]]``. *lines* are the note's, *anchors* the ids that exist on the page.
    """
    placements = meta.get(PLACEMENT_KEY)
    if placements is None:
        return [], []
    if not isinstance(placements, Mapping):
        return [], [Problem(_line_of(lines, f"{PLACEMENT_KEY}:"), _PLACEMENT_HELP, Severity.ERROR)]
    refs: list[tuple[str, FigureRef]] = []
    problems: list[Problem] = []
    for anchor, value in placements.items():
        line = _line_of(lines, f"{anchor}:")
        if str(anchor) not in anchors:
            shown = ", ".join([*anchors[:3], "…", *anchors[-2:]] if len(anchors) > 5 else anchors)
            message = f"{PLACEMENT_KEY}: {anchor!r} is no question or summary bullet on this page; ids are {shown or 'none'}"
            problems.append(Problem(line, message, Severity.ERROR))
            continue
        for item in value if isinstance(value, list) else [value]:
            found = find_figure_refs(f"![[{item}]]", first_line=_line_of(lines, str(item), line)) if isinstance(item, str) else []
            if len(found) != 1:
                problems.append(Problem(line, _PLACEMENT_HELP, Severity.ERROR))
                continue
            refs.append((str(anchor), found[0]))
    return refs, problems


_PLACEMENT_HELP = (
    f"write '{PLACEMENT_KEY}:' as one 'id: notebooks/NAME.ipynb#label|Caption' per line, "
    "with ids such as q-31 (a question) or s-7 (a summary bullet)"
)


def _line_of(lines: Sequence[str], needle: str, default: int = 1) -> int:
    return next((i + 1 for i, line in enumerate(lines) if needle in line), default)


# --------------------------------------------------------------------------- one lesson's figures


@dataclass(frozen=True)
class LessonFigures:
    """Every figure of one lesson page: embedded in its text, or placed by its frontmatter."""

    inline: list[RenderedFigure]
    placed: dict[str, list[str]]  # question or bullet id -> figure HTML shown with it
    files: list[FigureFile]


def lesson_figures(lesson: Lesson, store: NotebookStore, page_url: str) -> LessonFigures:
    """Render a lesson's figures (found by the parser) for its page at *page_url*; their problems join the lesson's."""
    used: set[str] = set()
    inline = render_refs(lesson.figure_refs, store, page_url=page_url, used=used)
    placed_figures = render_refs([ref for _, ref in lesson.placements], store, page_url=page_url, used=used)
    placed: dict[str, list[str]] = {}
    for (anchor, _), figure in zip(lesson.placements, placed_figures, strict=True):
        placed.setdefault(anchor, []).append(figure.html)
    rendered = inline + placed_figures
    lesson.problems.extend(iter_problems(rendered))
    files = list({f.path: f for figure in rendered for f in figure.files}.values())
    return LessonFigures(inline, placed, files)
