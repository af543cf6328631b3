"""Notebook reading (hash, labels, outputs, manifest) and figure embedding, on small notebooks made in the tests."""

from __future__ import annotations

import base64
import json
import re
import struct
import textwrap
import zlib
from pathlib import Path
from typing import Any

import markdown
import pytest

from study_guide.core.figures import (
    FigureRef,
    LoadedNotebook,
    NotebookStore,
    embed_figures,
    find_figure_refs,
    relative_url,
    render_figure,
    render_figures,
    sanitize_table_html,
)
from study_guide.core.model import Severity
from study_guide.core.notebooks import (
    CellTiming,
    HtmlOutput,
    ImageOutput,
    Manifest,
    NotebookRecord,
    SvgOutput,
    TextOutput,
    UnknownLabelError,
    cell_labels,
    code_hash,
    dump_manifest,
    extract_outputs,
    load_manifest,
    read_notebook,
    svg_problem,
)

ROOT = Path(__file__).resolve().parents[1]


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A real PNG of *width* x *height* red pixels, made with the standard library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def code(source: str | list[str], outputs: list[dict[str, Any]] | None = None, tags: list[str] | None = None) -> dict[str, Any]:
    """A code cell as nbformat stores it."""
    metadata: dict[str, Any] = {"tags": tags} if tags else {}
    return {"cell_type": "code", "source": source, "metadata": metadata, "outputs": outputs or [], "execution_count": 1}


def md(source: str) -> dict[str, Any]:
    """A Markdown cell."""
    return {"cell_type": "markdown", "source": source, "metadata": {}}


def display(data: dict[str, Any], kind: str = "display_data") -> dict[str, Any]:
    """A display_data (or execute_result) output with the mime bundle *data*."""
    extra = {"execution_count": 1} if kind == "execute_result" else {}
    return {"output_type": kind, "data": data, "metadata": {}, **extra}


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    """What a cell printed."""
    return {"output_type": "stream", "name": name, "text": text}


def notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    """A notebook dict holding *cells*."""
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


PNG = tiny_png()
PNG_B64 = base64.encodebytes(PNG).decode()  # split over lines, as Jupyter writes it
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
TABLE = '<div><style scoped>.dataframe {color: red}</style><table border="1" class="dataframe"><thead><tr><th>epoch</th><th>loss</th></tr></thead><tbody><tr><td>0</td><td>0.5</td></tr></tbody></table></div>'  # noqa: E501


def lesson_notebook() -> dict[str, Any]:
    """One labelled cell per kind of output, labelled both ways."""
    return notebook(
        md("# A lesson\nSome prose."),
        code("import math"),
        code("#| label: show-batch\nshow(fig)", [display({"image/png": PNG_B64, "text/plain": "<Figure>"})]),
        code("draw_svg()", [display({"image/svg+xml": SVG, "text/plain": "<SVG>"})], tags=["loss-svg", "hide-input"]),
        code("#| label: results\nresults", [display({"text/html": TABLE, "text/plain": "epoch loss"}, "execute_result")]),
        code("#| label: printed\nprint(1)", [stream("a <b> & *c*\n"), stream("second\n"), stream("warn\n", "stderr")]),
        code("#| label: silent\nx = 1"),
    )


def record_for(nb: dict[str, Any], **changes: Any) -> NotebookRecord:
    """The manifest record a run of *nb* would have written."""
    fields: dict[str, Any] = {
        "name": "lesson.ipynb",
        "code_hash": code_hash(nb),
        "device": "NVIDIA H100 80GB HBM3",
        "libraries": {"python": "3.12.3", "torch": "2.11.0"},
        "executed_at": "2026-05-01T10:20:30Z",
        "duration_s": 42.5,
        "cells": (CellTiming(2, "show-batch", 0.75), CellTiming(4, "results", 0.01)),
    }
    fields.update(changes)
    return NotebookRecord(**fields)


def ref(label: str, caption: str | None = None, *, line: int = 7, target: str = "notebooks/lesson.ipynb") -> FigureRef:
    """The ref an embed of *label* parses to."""
    raw = f"![[{target}#{label}{'|' + caption if caption is not None else ''}]]"
    return FigureRef(notebook=target, label=label, caption=caption, line=line, raw=raw)


def render(label: str, caption: str | None = None, *, nb: dict[str, Any] | None = None, record: NotebookRecord | None = None):
    """Render one embed of the lesson notebook as the page ``lessons/01-intro/`` would."""
    nb = nb or lesson_notebook()
    loaded = LoadedNotebook.from_json("notebooks/lesson.ipynb", nb, record if record is not None else record_for(nb))
    return render_figure(
        ref(label, caption),
        loaded,
        download_href="../../notebooks/lesson.ipynb",
        asset_href="../../assets/figures",
    )


# --------------------------------------------------------------------------- code_hash


def test_code_hash_changes_with_code_only() -> None:
    nb = lesson_notebook()
    before = code_hash(nb)
    assert len(before) == 64 and before == code_hash(json.loads(json.dumps(nb)))

    nb["cells"][2]["outputs"] = []
    nb["cells"][2]["execution_count"] = 99
    nb["cells"][3]["metadata"]["tags"] = ["renamed"]
    nb["cells"][0]["source"] = "# Another title"
    nb["metadata"]["kernelspec"] = {"name": "python3"}
    assert code_hash(nb) == before, "outputs, counts, metadata and Markdown do not change the code"

    nb["cells"][1]["source"] = "import math  # now with a comment"
    assert code_hash(nb) != before


def test_code_hash_ignores_line_endings_and_list_splitting() -> None:
    joined = notebook(code("a = 1\nb = 2\n"))
    assert code_hash(notebook(code(["a = 1\n", "b = 2\n"]))) == code_hash(joined)
    assert code_hash(notebook(code("a = 1\r\nb = 2\r\n"))) == code_hash(joined)


def test_code_hash_cell_boundaries_cannot_be_faked() -> None:
    assert code_hash(notebook(code("ab"), code("c"))) != code_hash(notebook(code("a"), code("bc")))
    assert code_hash(notebook(code("a"), code(""))) != code_hash(notebook(code("a")))
    assert code_hash(notebook(code("1\na"))) != code_hash(notebook(code(""), code("a")))


# --------------------------------------------------------------------------- labels


def test_labels_from_comments_and_tags() -> None:
    assert cell_labels(lesson_notebook()) == {"show-batch": 2, "loss-svg": 3, "results": 4, "printed": 5, "silent": 6}


def test_label_comment_only_counts_in_the_opening_option_lines() -> None:
    nb = notebook(
        code("#| echo: false\n#|label: 'quoted'\nx = 1"),
        code("x = 1\n#| label: too-late"),
        code("\n#| label: after-blank-line\n"),
        code("#| label: has spaces\n"),
        md("#| label: in-markdown"),
    )
    assert cell_labels(nb) == {"quoted": 0, "after-blank-line": 2}


def test_directive_tags_are_not_labels_and_first_cell_keeps_a_duplicate() -> None:
    nb = notebook(
        code("a", tags=["parameters", "remove-output", "hide_input", "hidden-layers"]),
        code("#| label: twice\nb"),
        code("c", tags=["twice"]),
    )
    assert cell_labels(nb) == {"hidden-layers": 0, "twice": 1}


# --------------------------------------------------------------------------- outputs


def test_extract_outputs_types_each_kind() -> None:
    nb = lesson_notebook()
    assert extract_outputs(nb, "show-batch") == [ImageOutput("image/png", PNG)]
    assert extract_outputs(nb, "loss-svg") == [SvgOutput(SVG)]
    assert extract_outputs(nb, "results") == [HtmlOutput(TABLE)]
    assert extract_outputs(nb, "printed") == [TextOutput("a <b> & *c*\nsecond\n", "stdout"), TextOutput("warn\n", "stderr")]
    assert extract_outputs(nb, "silent") == []


def test_extract_outputs_prefers_the_richest_representation() -> None:
    both = display({"text/plain": "plain", "image/png": PNG_B64, "text/html": "<b>html</b>"})
    images = display({"text/plain": "plain", "image/jpeg": PNG_B64, "image/png": PNG_B64})
    only_text = display({"text/plain": ["line 1\n", "line 2"], "application/x-unknown": "?"}, "execute_result")
    unknown = display({"application/vnd.widget+json": {}})
    error = {"output_type": "error", "ename": "E", "evalue": "v", "traceback": []}
    nb = notebook(code("#| label: x\n", [both, images, only_text, unknown, error]))
    assert extract_outputs(nb, "x") == [HtmlOutput("<b>html</b>"), ImageOutput("image/png", PNG), TextOutput("line 1\nline 2")]


def test_extract_outputs_unknown_label_lists_the_labels() -> None:
    with pytest.raises(UnknownLabelError) as info:
        extract_outputs(lesson_notebook(), "nope")
    assert info.value.labels == ["loss-svg", "printed", "results", "show-batch", "silent"]


def test_read_notebook_rejects_what_is_not_one(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.ipynb:1: not valid notebook JSON"):
        read_notebook(broken)
    other = tmp_path / "other.ipynb"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="not a Jupyter notebook"):
        read_notebook(other)


# --------------------------------------------------------------------------- manifest


def test_manifest_round_trip_is_stable(tmp_path: Path) -> None:
    nb = lesson_notebook()
    manifest = Manifest()
    manifest.put(record_for(nb, name="b.ipynb", device="CPU"))
    manifest.put(record_for(nb, name="a.ipynb", duration_s=1.23456789))
    path = tmp_path / "manifest.json"
    dump_manifest(manifest, path)
    text = path.read_text(encoding="utf-8")

    again = load_manifest(path)
    assert again.get("b.ipynb") == record_for(nb, name="b.ipynb", device="CPU")
    assert again.get("a.ipynb").duration_s == 1.235  # type: ignore[union-attr]
    dump_manifest(again, path)
    assert path.read_text(encoding="utf-8") == text, "writing what was read changes nothing"
    data = json.loads(text)
    assert list(data["notebooks"]) == ["a.ipynb", "b.ipynb"] and text.endswith("}\n") and '\n  "notebooks"' in text
    assert data["notebooks"]["a.ipynb"]["cells"][0] == {"index": 2, "label": "show-batch", "seconds": 0.75}


def test_missing_manifest_is_empty_and_broken_one_says_so(tmp_path: Path) -> None:
    assert load_manifest(tmp_path / "manifest.json").notebooks == {}
    (tmp_path / "manifest.json").write_text('{"notebooks": {"x.ipynb": {"device": "CPU"}}}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"manifest entry for 'x\.ipynb' is malformed"):
        load_manifest(tmp_path / "manifest.json")


# --------------------------------------------------------------------------- finding embeds


def test_find_figure_refs_with_lines_and_captions() -> None:
    text = textwrap.dedent(
        """\
        Intro
        ![[notebooks/lesson.ipynb#show-batch]]
        > ![[lesson.ipynb#results|The results, *per epoch*]] and ![[x.ipynb#a|]]
        ```python
        ![[notebooks/lesson.ipynb#inside-fence]]
        ```
        `![[notebooks/lesson.ipynb#inside-code-span]]` ![[picture.png]] ![[notes#heading]]
        ![[notebooks/lesson.ipynb]]
        | ![[lesson.ipynb#in-table\\|Cell caption]] |
        """
    )
    refs = find_figure_refs(text, first_line=10)
    assert [(r.notebook, r.label, r.caption, r.line) for r in refs] == [
        ("notebooks/lesson.ipynb", "show-batch", None, 11),
        ("lesson.ipynb", "results", "The results, *per epoch*", 12),
        ("x.ipynb", "a", None, 12),
        ("notebooks/lesson.ipynb", "", None, 17),
        ("lesson.ipynb", "in-table", "Cell caption", 18),
    ]
    assert refs[1].raw == "![[lesson.ipynb#results|The results, *per epoch*]]"


# --------------------------------------------------------------------------- rendering


def test_png_becomes_a_hashed_file_with_provenance() -> None:
    figure = render("show-batch", "A batch")
    assert figure.problems == ()
    [(path, data)] = figure.files
    assert data == PNG and path.startswith("assets/figures/") and path.endswith(".png") and len(Path(path).stem) == 16
    html = figure.html
    assert html.startswith('<figure class="sg-figure" id="fig-show-batch">') and html.endswith("</figure>")
    assert f'<img src="../../{path}" alt="A batch" width="3" height="2" loading="lazy">' in html
    assert '<p class="sg-figure__caption">A batch</p>' in html
    assert "Computed on GPU NVIDIA H100 80GB HBM3" in html and ">2026-05-01</time>" in html
    assert "0.75 s (notebook: 42.5 s)" in html
    assert '<a href="../../notebooks/lesson.ipynb" download>lesson.ipynb</a>' in html
    assert "base64" not in html and "data:" not in html and "\n" not in html


def test_same_image_same_file_name() -> None:
    assert render("show-batch").files == render("show-batch", "Other caption").files


def test_svg_becomes_a_file_too() -> None:
    figure = render("loss-svg")
    [(path, data)] = figure.files
    assert path.endswith(".svg") and data == SVG.encode()
    assert f'<img src="../../{path}" alt="Output &#x27;loss-svg&#x27; of lesson.ipynb" loading="lazy">' in figure.html
    assert "<svg" not in figure.html, "SVG goes through <img>, where its scripts cannot run"


def test_html_table_is_reduced_to_plain_table_markup() -> None:
    figure = render("results")
    assert figure.files == () and figure.problems == ()
    expected = "<table><thead><tr><th>epoch</th><th>loss</th></tr></thead><tbody><tr><td>0</td><td>0.5</td></tr></tbody></table>"
    assert f'<div class="sg-figure__table">{expected}</div>' in figure.html
    assert "<style" not in figure.html and "dataframe" not in figure.html


def test_text_output_is_escaped_in_one_line_pre() -> None:
    figure = render("printed")
    assert '<pre class="sg-figure__text">a &lt;b&gt; &amp; &#42;c&#42;&#10;second</pre>' in figure.html
    assert "warn" not in figure.html, "stderr (warnings) is not part of the figure"


def test_hostile_caption_is_escaped_everywhere() -> None:
    caption = "<script>alert(\"x\")</script> & 'q' *md* [link](javascript:1)"
    figure = render("show-batch", caption)
    assert "<script" not in figure.html and 'alert("x")' not in figure.html
    assert (
        '<p class="sg-figure__caption">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27; &#42;md&#42;'
        in figure.html
    )
    assert 'alt="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27; *md* [link](javascript:1)"' in figure.html


def test_hostile_html_output_keeps_only_the_table() -> None:
    hostile = (
        '<table onclick="evil()"><tr><td colspan="2" style="x">a<script>evil()</script>'
        '<img src=x onerror="evil()"><a href="javascript:evil()">b</a></td><td rowspan="x">c & d</td></tr></table>'
        "<iframe><p>hidden</p></iframe><b>bold</b>"
    )
    clean = sanitize_table_html(hostile)
    assert clean == '<table><tr><td colspan="2">ab</td><td>c &amp; d</td></tr></table><b>bold</b>'
    assert sanitize_table_html("<table><tr><td>unclosed") == "<table><tr><td>unclosed</td></tr></table>"


def test_unknown_label_is_an_error_listing_the_labels() -> None:
    figure = render("show-bach")
    [problem] = figure.problems
    assert problem.severity is Severity.ERROR and problem.line == 7
    assert problem.format("docs/lessons/01.md") == (
        "docs/lessons/01.md:7: figure ![[notebooks/lesson.ipynb#show-bach]]: no cell labelled 'show-bach' in "
        "notebooks/lesson.ipynb; its labels are: loss-svg, printed, results, show-batch, silent"
    )
    assert figure.files == () and "sg-figure--missing" in figure.html


def test_missing_label_and_unlabelled_notebook_say_how_to_label() -> None:
    [problem] = render("").problems
    assert "say which cell to show" in problem.message and "show-batch" in problem.message
    [problem] = render("x", nb=notebook(code("a = 1"))).problems
    assert "has no labelled cells" in problem.message and "#| label: NAME" in problem.message


def test_stale_outputs_warn_naming_notebook_and_label() -> None:
    nb = lesson_notebook()
    old = record_for(nb, code_hash="0" * 64)
    figure = render("show-batch", nb=nb, record=old)
    [problem] = figure.problems
    assert problem.severity is Severity.WARNING
    assert "figure 'show-batch' of notebooks/lesson.ipynb is stale" in problem.message
    assert "scripts/run_notebooks.py lesson.ipynb" in problem.message
    assert "code has changed since" in figure.html and figure.files, "still shown, with the caption saying so"


def test_no_manifest_entry_and_empty_cell_warn() -> None:
    nb = lesson_notebook()
    loaded = LoadedNotebook.from_json("notebooks/lesson.ipynb", nb, None)
    figure = render_figure(ref("silent"), loaded, download_href="lesson.ipynb", asset_href="assets/figures")
    messages = [p.message for p in figure.problems]
    assert all(p.severity is Severity.WARNING for p in figure.problems) and len(messages) == 2
    assert "not in the notebooks manifest" in messages[0] and "has no output to show" in messages[1]
    assert "Provenance unknown" in figure.html


def test_cpu_runs_say_cpu() -> None:
    nb = lesson_notebook()
    html = render("results", nb=nb, record=record_for(nb, device="CPU", duration_s=75.0)).html
    assert "Computed on CPU," in html and "GPU" not in html and "0.01 s (notebook: 1 min 15 s)" in html


def test_figure_html_survives_python_markdown() -> None:
    figure = render("printed", "Caption with *stars* and _underscores_")
    page = f'Before\n\n{figure.html}\n\n<div markdown="1">\n\n{figure.html}\n\n</div>\n'
    out = markdown.markdown(page, extensions=["md_in_html", "attr_list"])
    # Inside markdown="1" wrappers md_in_html re-serialises blocks one per line: the same HTML, other whitespace.
    assert re.sub(r">\s+<", "><", out).count(figure.html) == 2


def test_relative_url() -> None:
    assert relative_url("notebooks/a.ipynb", "lessons/01-intro/") == "../../notebooks/a.ipynb"
    assert relative_url("notebooks/a.ipynb", "lessons/01-intro.html") == "../notebooks/a.ipynb"
    assert relative_url("notebooks/a.ipynb", "") == "notebooks/a.ipynb"
    assert relative_url("assets/figures", "lessons/01-intro/") == "../../assets/figures"


def test_render_figures_from_a_docs_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "notebooks").mkdir(parents=True)
    nb = lesson_notebook()
    (docs / "notebooks" / "lesson.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    manifest = Manifest()
    manifest.put(record_for(nb))
    dump_manifest(manifest, docs / "notebooks" / "manifest.json")
    text = textwrap.dedent(
        """\
        ![[notebooks/lesson.ipynb#show-batch|First]]

        ![[lesson.ipynb#show-batch|Again]]

        ![[notebooks/missing.ipynb#x]]
        """
    )
    figures = render_figures(text, NotebookStore(docs), page_url="lessons/01-intro/", first_line=3)
    assert [f.html.split('id="')[1].split('"')[0] for f in figures[:2]] == ["fig-show-batch", "fig-show-batch-2"]
    assert '<a href="../../notebooks/lesson.ipynb" download>' in figures[1].html
    assert figures[0].problems == figures[1].problems == ()
    [problem] = figures[2].problems
    assert problem.line == 7 and problem.severity is Severity.ERROR
    assert (
        "no notebook 'notebooks/missing.ipynb'" in problem.message
        and "notebooks there: notebooks/lesson.ipynb" in problem.message
    )

    page = embed_figures(text, figures)
    assert page.count("<figure") == 2 and "![[" not in page.replace("!&#91;&#91;", "")


def test_lesson_notebooks_are_labelled_and_recorded() -> None:
    """The committed lesson notebooks: distinct labels, outputs present, manifest up to date."""
    folder = ROOT / "docs" / "notebooks"
    paths = sorted(folder.glob("lesson-01-*.ipynb"))
    assert len(paths) >= 4
    manifest = load_manifest(folder / "manifest.json")
    seen: dict[str, str] = {}
    for path in paths:
        nb = read_notebook(path)
        record = manifest.get(path.name)
        assert record is not None and record.code_hash == code_hash(nb), f"{path.name}: re-run scripts/run_notebooks.py"
        labels = cell_labels(nb)
        assert path.stat().st_size < 1_000_000, f"{path.name}: keep figures small (PNG at dpi 90)"
        for suffix in ("show-batch", "loss-curve", "results", "predictions"):
            assert any(label.endswith(suffix) for label in labels), f"{path.name} has no *-{suffix} cell"
        for label in labels:
            assert label not in seen, f"label {label!r} in both {seen.get(label)} and {path.name}"
            seen[label] = path.name
            assert extract_outputs(nb, label), f"{path.name}#{label} has no output"


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (SVG, None),
        ('<svg xmlns="http://www.w3.org/2000/svg"><style>*{stroke:red}</style><use href="#a"/></svg>', None),
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "it holds a <script> element"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "it holds a <foreignObject>"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>', "it holds an event handler (onclick=)"),
        ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="javascript:alert(1)"/></svg>',
         "it links to 'javascript:alert(1)'"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="onmouseover" to="alert(1)"/></svg>', "it animates"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://x/a.css)</style></svg>', "a style in it loads"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "it declares XML entities"),
        ("<svg", "it is not valid SVG"),
    ],
)  # fmt: skip
def test_svg_outputs_that_could_run_or_load_are_refused(svg: str, problem: str | None) -> None:
    found = svg_problem(svg)
    assert (found is None) if problem is None else (found is not None and found.startswith(problem))


def test_lesson_notebooks_set_up_determinism_before_computing() -> None:
    """Seeded, with torch's deterministic kernels on a GPU too: a re-run reproduces every text output."""
    for path in sorted((ROOT / "docs" / "notebooks").glob("lesson-01-*.ipynb")):
        nb = read_notebook(path)
        first = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for setting in (
            'os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")',  # before CUDA starts
            "torch.manual_seed(42)",
            "torch.use_deterministic_algorithms(True",
            "torch.backends.cudnn.benchmark = False",
            "torch.backends.cudnn.deterministic = True",
            "np.random.default_rng(42)",
        ):
            assert setting in first, f"{path.name}: its first code cell should set {setting}"
        code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        assert "torch.cuda" not in first.split("CUBLAS_WORKSPACE_CONFIG")[0], path.name
        # CUDA's cross-entropy over whole pictures adds up with atomics: the segmentation loss takes pixels flat.
        assert "nn.CrossEntropyLoss()" not in code or "segmentation" not in path.name, path.name
