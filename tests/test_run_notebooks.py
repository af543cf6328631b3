"""The notebook runner, on real Jupyter kernels: a tiny notebook, a failing one, one that times out."""

from __future__ import annotations

import importlib.util
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from study_guide.core.figures import NotebookStore, render_figures
from study_guide.core.notebooks import (
    HtmlOutput,
    ImageOutput,
    SvgOutput,
    TextOutput,
    code_hash,
    extract_outputs,
    load_manifest,
    read_notebook,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
SCRIPT = ROOT / "scripts" / "run_notebooks.py"


@pytest.fixture(scope="module")
def runner() -> ModuleType:
    """``scripts/run_notebooks.py`` imported as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("run_notebooks", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A docs folder whose notebooks folder holds copies of the fixture notebooks."""
    folder = tmp_path / "docs" / "notebooks"
    shutil.copytree(FIXTURES, folder)
    return tmp_path / "docs"


def test_runs_a_notebook_and_records_it(runner: ModuleType, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = docs / "notebooks"
    assert read_notebook(folder / "tiny.ipynb")["cells"][2]["outputs"] == []

    assert runner.main(["--dir", str(folder), "tiny.ipynb", "--timeout", "60"]) == 0
    assert "tiny.ipynb: ran on CPU" in capsys.readouterr().err

    nb = read_notebook(folder / "tiny.ipynb")
    [png] = extract_outputs(nb, "tiny-png")
    assert isinstance(png, ImageOutput) and png.data.startswith(b"\x89PNG")
    assert isinstance(extract_outputs(nb, "tiny-svg")[0], SvgOutput)
    assert isinstance(extract_outputs(nb, "tiny-table")[0], HtmlOutput)
    assert extract_outputs(nb, "tiny-text") == [TextOutput("hello <world> & *friends*\nsecond line\n", "stdout")]
    assert [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"] == [1, 2, 3, 4, 5]
    assert all("execution" not in c["metadata"] for c in nb["cells"]), "no timing metadata: reruns give small diffs"

    record = load_manifest(folder / "manifest.json").get("tiny.ipynb")
    assert record is not None
    assert record.code_hash == code_hash(nb) == code_hash(read_notebook(FIXTURES / "tiny.ipynb"))
    assert record.device == "CPU", "no notebook here touches CUDA"
    assert record.libraries["python"] == platform.python_version()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record.executed_at)
    assert [(c.index, c.label) for c in record.cells] == [
        (1, None),
        (2, "tiny-png"),
        (3, "tiny-svg"),
        (4, "tiny-table"),
        (5, "tiny-text"),
    ]
    assert all(c.seconds >= 0 for c in record.cells) and record.duration_s >= sum(c.seconds for c in record.cells)

    # What the runner wrote is what the site build embeds: every label, with provenance and no complaint.
    text = "\n\n".join(f"![[notebooks/tiny.ipynb#{label}]]" for label in ("tiny-png", "tiny-svg", "tiny-table", "tiny-text"))
    figures = render_figures(text, NotebookStore(docs), page_url="lessons/01/")
    assert [p for f in figures for p in f.problems] == []
    assert sorted(Path(f.path).suffix for fig in figures for f in fig.files) == [".png", ".svg"]
    assert all("Computed on CPU" in f.html for f in figures)


def test_failing_cell_names_notebook_cell_and_error(runner: ModuleType, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = docs / "notebooks"
    before = (folder / "failing.ipynb").read_bytes()

    assert runner.main(["--dir", str(folder), "failing.ipynb", "tiny.ipynb"]) == 1

    err = capsys.readouterr().err
    assert f"error: {folder / 'failing.ipynb'}: cell 1 (label 'boom') failed: ZeroDivisionError: division by zero" in err
    assert "x / 0" in err, "the traceback follows the message"
    assert (folder / "failing.ipynb").read_bytes() == before, "a failed notebook is not written back"
    assert not (folder / "manifest.json").exists(), "the run stopped at the first failure"


def test_keep_going_runs_the_rest_and_still_fails(runner: ModuleType, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = docs / "notebooks"

    assert runner.main(["--dir", str(folder), "--keep-going", "failing.ipynb", "tiny.ipynb"]) == 1

    err = capsys.readouterr().err
    assert "cell 1 (label 'boom') failed" in err and "1 of 2 notebooks failed" in err
    assert list(load_manifest(folder / "manifest.json").notebooks) == ["tiny.ipynb"]


def test_cell_timeout_ends_the_run(runner: ModuleType, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = docs / "notebooks"
    started = time.monotonic()

    assert runner.main(["--dir", str(folder), "slow.ipynb", "--timeout", "1"]) == 1

    assert time.monotonic() - started < 30, "the kernel is killed, not waited for"
    err = capsys.readouterr().err
    assert f"error: {folder / 'slow.ipynb'}: cell 0 (label 'sleepy') timed out after 1 s" in err


def test_unknown_kernel_is_named(runner: ModuleType, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main(["--dir", str(docs / "notebooks"), "tiny.ipynb", "--kernel", "no-such-kernel"]) == 1
    assert "no Jupyter kernel named 'no-such-kernel'" in capsys.readouterr().err


def test_bad_arguments_exit_2(runner: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        runner.main(["--dir", str(tmp_path), "missing.ipynb"])
    assert info.value.code == 2 and "no such notebook" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        runner.main(["--dir", str(tmp_path)])
    assert info.value.code == 2 and "no notebooks in" in capsys.readouterr().err


def test_runs_as_a_script() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "--timeout" in result.stdout
