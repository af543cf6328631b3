"""Read executed Jupyter notebooks and their run manifest, without Jupyter.

A notebook is read as the plain JSON it is (``json.load``), so a site build needs
neither nbformat nor a kernel nor torch. Three things live here:

- :func:`code_hash`: a fingerprint of the code that produced the outputs. The runner
  stores it in the manifest; the build recomputes it to notice stale outputs.
- :func:`cell_labels` and :func:`extract_outputs`: find a cell by its label and read
  what it displayed, one typed object per output.
- :class:`Manifest`: ``docs/notebooks/manifest.json``, where and when each notebook
  ran (device, library versions, durations).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
# Bumped whenever the recipe of code_hash changes, so that old hashes read as stale, never as equal.
HASH_RECIPE = b"study-guide code-hash v1\n"
# `#| label: show-batch` (Quarto's cell option syntax) in the option block at the top of a cell.
_OPTION_LINE = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$")
_LABEL_VALUE = re.compile(r"^[A-Za-z0-9][\w.-]*$")
# Tags that Jupyter tools give meaning to: they switch behaviour on and name no output.
_DIRECTIVE_TAGS = frozenset(
    {"parameters", "injected-parameters", "raises-exception", "skip-execution", "full-width", "margin", "output_scroll"}
)
_DIRECTIVE_TAG_PREFIXES = ("remove-", "remove_", "hide-", "hide_", "scroll-", "nbval-", "thebe-")


# --------------------------------------------------------------------------- reading notebooks


def read_notebook(path: str | Path) -> dict[str, Any]:
    """The notebook at *path* as a plain dict (the ``.ipynb`` JSON); raises ``ValueError`` if it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid notebook JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError(f"{path}: not a Jupyter notebook (no 'cells' list); save it from Jupyter as .ipynb")
    return data


def _text(value: Any) -> str:
    """Notebook text fields are a string or a list of lines; both mean the same text."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return "" if value is None else str(value)


def _cells(nb: Mapping[str, Any]) -> list[dict[str, Any]]:
    cells = nb.get("cells")
    return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def code_hash(nb: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the notebook's code, the fingerprint of what produced its outputs.

    Recipe (v1), documented because the site build recomputes it: start from
    ``HASH_RECIPE``; then for every code cell in order, take its source with line
    endings normalised to ``\\n``, encode it as UTF-8 and add ``<byte length>\\n``
    followed by those bytes. The length prefix makes the join unambiguous (no text
    inside a cell can pass for a cell boundary). Outputs, execution counts,
    metadata (tags included) and Markdown cells are left out: re-running a notebook or
    rewording its prose does not make its outputs stale, changing its code does.
    """
    digest = hashlib.sha256(HASH_RECIPE)
    for cell in _cells(nb):
        if cell.get("cell_type") != "code":
            continue
        source = _normalise_newlines(_text(cell.get("source"))).encode("utf-8")
        digest.update(f"{len(source)}\n".encode("ascii"))
        digest.update(source)
    return digest.hexdigest()


def _option_labels(source: str) -> Iterator[str]:
    """Labels given as ``#| label: name`` in the option comments that open a cell."""
    for line in _normalise_newlines(source).split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        match = _OPTION_LINE.match(stripped)
        if match is None:
            return  # Quarto reads options only up to the first line of code; so do we.
        if match["key"] == "label":
            value = match["value"].strip("'\"")
            if _LABEL_VALUE.match(value):
                yield value


def _tag_labels(cell: Mapping[str, Any]) -> Iterator[str]:
    """Cell tags that name the cell; tags that tools treat as switches (``hide-input``, ...) do not."""
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    for tag in tags if isinstance(tags, list) else []:
        if not isinstance(tag, str) or not _LABEL_VALUE.match(tag):
            continue
        if tag in _DIRECTIVE_TAGS or tag.startswith(_DIRECTIVE_TAG_PREFIXES):
            continue
        yield tag


def cell_labels(nb: Mapping[str, Any]) -> dict[str, int]:
    """Map each label to the index (0-based, among all cells) of the cell it names.

    A label is a ``#| label: show-batch`` comment in the option lines at the top of a
    code cell (Quarto's syntax), or a cell tag such as ``show-batch``. Tags that
    Jupyter tools use as switches (``hide-input``, ``remove-output``,
    ``parameters``, ...) are not labels. When two cells claim one label, the first
    keeps it.
    """
    labels: dict[str, int] = {}
    for index, cell in enumerate(_cells(nb)):
        found = [*_option_labels(_text(cell.get("source")))] if cell.get("cell_type") == "code" else []
        for label in [*found, *_tag_labels(cell)]:
            labels.setdefault(label, index)
    return labels


def repeated_labels(nb: Mapping[str, Any]) -> dict[str, list[int]]:
    """Labels that more than one cell claims, with the indexes of those cells (the first keeps the label)."""
    cells: dict[str, list[int]] = {}
    for index, cell in enumerate(_cells(nb)):
        found = [*_option_labels(_text(cell.get("source")))] if cell.get("cell_type") == "code" else []
        for label in dict.fromkeys([*found, *_tag_labels(cell)]):
            cells.setdefault(label, []).append(index)
    return {label: indexes for label, indexes in cells.items() if len(indexes) > 1}


def svg_problem(text: str) -> str | None:
    """What in an SVG could run or load from elsewhere when the file is opened by itself, or None.

    A figure's SVG is shown in an ``<img>`` (where nothing runs), but it is also a file of the
    site, which a browser opens as a page of the site's own origin.
    """
    if "<!ENTITY" in text:
        return "it declares XML entities"
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        return f"it is not valid SVG ({exc})"
    for element in root.iter():
        name = str(element.tag).rpartition("}")[2]
        if name.lower() in _SVG_ACTIVE:
            return f"it holds a <{name}> element"
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on"):
                return f"it holds an event handler ({local}=)"
            if local == "href" and not value.startswith(("#", "data:image/png;", "data:image/jpeg;")):
                return f"it links to {value[:60]!r}"
            if local in ("attributename",) and (value.lower().endswith("href") or value.lower().startswith("on")):
                return f"it animates {value!r}"
            if local == "style" and _CSS_LOADS.search(value):
                return "a style in it loads from elsewhere"
        if name == "style" and _CSS_LOADS.search(element.text or ""):
            return "a style in it loads from elsewhere"
    return None


_SVG_ACTIVE = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
_CSS_LOADS = re.compile(r"@import|expression\s*\(|url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def label_of(nb: Mapping[str, Any], index: int) -> str | None:
    """The first label of the cell at *index*, or ``None`` when it has none."""
    return next((label for label, at in cell_labels(nb).items() if at == index), None)


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class ImageOutput:
    """A raster image a cell displayed (``image/png`` or ``image/jpeg``), as decoded bytes."""

    mime: str
    data: bytes

    @property
    def extension(self) -> str:
        """The file extension for this image type, without the dot."""
        return "jpg" if self.mime == "image/jpeg" else "png"


@dataclass(frozen=True)
class SvgOutput:
    """An ``image/svg+xml`` output, as the SVG document text."""

    text: str


@dataclass(frozen=True)
class HtmlOutput:
    """A ``text/html`` output (a pandas DataFrame shows as one), as the HTML the kernel sent."""

    html: str


@dataclass(frozen=True)
class TextOutput:
    """Plain text: a ``text/plain`` result, or what the cell printed (``stream`` is ``stdout``/``stderr``)."""

    text: str
    stream: str | None = None


Output = ImageOutput | SvgOutput | HtmlOutput | TextOutput

# Richest first, the order nbconvert and the classic notebook use to pick one representation.
MIME_PRIORITY = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/plain")


class UnknownLabelError(KeyError):
    """No cell of the notebook carries the label; ``labels`` lists those that do."""

    def __init__(self, label: str, labels: list[str]) -> None:
        super().__init__(label)
        self.label = label
        self.labels = labels


def _from_bundle(bundle: Mapping[str, Any]) -> Output | None:
    """The richest representation in a mime bundle that we know how to show."""
    for mime in MIME_PRIORITY:
        if mime not in bundle:
            continue
        value = bundle[mime]
        if mime in ("image/png", "image/jpeg"):
            # nbformat stores binary data base64-encoded, sometimes split over lines.
            try:
                return ImageOutput(mime, base64.b64decode("".join(_text(value).split()), validate=True))
            except binascii.Error:
                raise ValueError(f"its {mime} output is not valid base64") from None
        if mime == "image/svg+xml":
            return SvgOutput(_text(value))
        if mime == "text/html":
            return HtmlOutput(_text(value))
        return TextOutput(_text(value))
    return None


def outputs_of(cell: Mapping[str, Any]) -> list[Output]:
    """The typed outputs of one code cell, in order; consecutive prints to one stream are joined.

    Error outputs are left out: a notebook saved by the runner has none, and a
    traceback is not a figure. Raises ``ValueError`` for an image that is not valid base64.
    """
    result: list[Output] = []
    raw = cell.get("outputs")
    for output in raw if isinstance(raw, list) else []:
        kind = output.get("output_type") if isinstance(output, dict) else None
        if kind == "stream":
            name = str(output.get("name", "stdout"))
            text = _text(output.get("text"))
            previous = result[-1] if result else None
            if isinstance(previous, TextOutput) and previous.stream == name:
                result[-1] = TextOutput(previous.text + text, name)
            else:
                result.append(TextOutput(text, name))
        elif kind in ("display_data", "execute_result"):
            data = output.get("data")
            typed = _from_bundle(data) if isinstance(data, dict) else None
            if typed is not None:
                result.append(typed)
    return result


def extract_outputs(nb: Mapping[str, Any], label: str) -> list[Output]:
    """The outputs of the cell labelled *label*; raises :class:`UnknownLabelError` if none is."""
    labels = cell_labels(nb)
    if label not in labels:
        raise UnknownLabelError(label, sorted(labels))
    return outputs_of(_cells(nb)[labels[label]])


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class CellTiming:
    """How long one code cell took to run (wall-clock seconds)."""

    index: int
    label: str | None
    seconds: float


@dataclass(frozen=True)
class NotebookRecord:
    """One notebook's last run: what code, where, with what, when, and for how long."""

    name: str
    code_hash: str
    device: str
    libraries: dict[str, str]
    executed_at: str
    duration_s: float
    cells: tuple[CellTiming, ...] = ()

    def seconds_for(self, label: str) -> float | None:
        """Run time of the cell with *label*, if the run recorded it."""
        return next((c.seconds for c in self.cells if c.label == label), None)

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-ready data (the manifest keys it by ``name``)."""
        return {
            "code_hash": self.code_hash,
            "device": self.device,
            "libraries": dict(self.libraries),
            "executed_at": self.executed_at,
            "duration_s": round(self.duration_s, 3),
            "cells": [{"index": c.index, "label": c.label, "seconds": round(c.seconds, 3)} for c in self.cells],
        }

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> NotebookRecord:
        """Read a record back; raises ``ValueError`` naming the notebook when a field is wrong."""
        try:
            return cls(
                name=name,
                code_hash=str(data["code_hash"]),
                device=str(data["device"]),
                libraries={str(k): str(v) for k, v in dict(data.get("libraries", {})).items()},
                executed_at=str(data["executed_at"]),
                duration_s=float(data["duration_s"]),
                cells=tuple(
                    CellTiming(int(c["index"]), None if c.get("label") is None else str(c["label"]), float(c["seconds"]))
                    for c in data.get("cells", [])
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"manifest entry for {name!r} is malformed ({exc!r}); re-run scripts/run_notebooks.py") from None


@dataclass
class Manifest:
    """``docs/notebooks/manifest.json``: one record per notebook, keyed by its path relative to the manifest."""

    notebooks: dict[str, NotebookRecord] = field(default_factory=dict)

    def get(self, name: str) -> NotebookRecord | None:
        """The record of notebook *name* (e.g. ``lesson-01-collab.ipynb``), if it ever ran."""
        return self.notebooks.get(name)

    def put(self, record: NotebookRecord) -> None:
        """Add or replace the record of ``record.name``."""
        self.notebooks[record.name] = record

    def to_json(self) -> str:
        """Stable JSON text: sorted keys, two-space indent, a final newline (small diffs on re-runs)."""
        data = {
            "version": MANIFEST_VERSION,
            "notebooks": {name: record.to_json() for name, record in self.notebooks.items()},
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_manifest(path: str | Path) -> Manifest:
    """Read the manifest at *path*; a missing file is an empty manifest (nothing has run yet)."""
    path = Path(path)
    if not path.exists():
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); re-run scripts/run_notebooks.py") from None
    entries = data.get("notebooks") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: no 'notebooks' object; re-run scripts/run_notebooks.py")
    return Manifest({str(name): NotebookRecord.from_json(str(name), entry) for name, entry in entries.items()})


def dump_manifest(manifest: Manifest, path: str | Path) -> None:
    """Write *manifest* to *path* as stable JSON (see :meth:`Manifest.to_json`)."""
    Path(path).write_text(manifest.to_json(), encoding="utf-8")
