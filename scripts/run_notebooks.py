#!/usr/bin/env python3
"""Execute the lesson notebooks on a real Jupyter kernel and record where and how they ran.

    python scripts/run_notebooks.py                     # every docs/notebooks/*.ipynb
    python scripts/run_notebooks.py lesson-01-collab.ipynb --timeout 120

Each notebook runs top to bottom in a fresh kernel (nbclient), one progress bar per
notebook. On success the notebook is written back with its outputs, and its entry in
``docs/notebooks/manifest.json`` is replaced: the hash of its code, the device the
kernel computed on (the GPU's name as torch reports it, or ``CPU``), library versions,
the time, and the duration of every code cell. The first failing or timed-out cell
stops the run with exit status 1 and a message naming notebook, cell and error; the
notebook on disk is left as it was.

This is run by hand, on the machine whose results should be published (a GPU
machine when there is one); the site build only reads what it wrote.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
# The runner must work where only the notebook requirements are installed (a GPU
# machine, .venv-notebooks), so it finds the plugin's pure modules from the checkout.
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from study_guide.core.notebooks import (  # noqa: E402
    MANIFEST_NAME,
    CellTiming,
    NotebookRecord,
    cell_labels,
    code_hash,
    load_manifest,
)

DEFAULT_DIR = ROOT / "docs" / "notebooks"
DEFAULT_TIMEOUT = 600
LIBRARIES = ("torch", "numpy", "scikit-learn", "matplotlib", "pandas")
_PROBE_MARK = "@@study-guide-probe@@"
# Runs in the kernel after the notebook, so the record says what the kernel itself used.
# A GPU is named only if the notebook's own code initialised CUDA: a GPU that sat idle
# while the notebook computed on the CPU would be a false caption.
PROBE = f"""\
def __study_guide_probe():
    import importlib.metadata as md, json, platform, sys
    versions = {{"python": platform.python_version()}}
    for name in {LIBRARIES!r}:
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    device = "CPU"
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized():
        device = torch.cuda.get_device_name(torch.cuda.current_device())
        versions["cuda"] = str(torch.version.cuda)
    print({_PROBE_MARK!r} + json.dumps({{"device": device, "libraries": versions}}))
__study_guide_probe()
del __study_guide_probe
"""
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class RunError(Exception):
    """A notebook did not run to the end; the message names notebook, cell and cause."""


@dataclass(frozen=True)
class Options:
    """What one invocation runs, and how."""

    notebooks: list[Path]
    manifest: Path
    kernel: str
    timeout: int
    startup_timeout: int
    keep_going: bool = False


def parse_args(argv: Sequence[str] | None) -> Options:
    """Turn the command line into :class:`Options`; bare names are looked up in ``--dir``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: every *.ipynb in --dir)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="notebooks folder, where the manifest lives too")
    parser.add_argument("--kernel", default="python3", help="Jupyter kernel name (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds one cell may run (default: %(default)s)")
    parser.add_argument("--startup-timeout", type=int, default=60, help="seconds the kernel may take to start")
    parser.add_argument("--keep-going", action="store_true", help="after a failure, run the other notebooks too (still exit 1)")
    args = parser.parse_args(argv)
    folder: Path = args.dir
    if args.notebooks:
        paths = [Path(n) if Path(n).exists() or os.sep in n else folder / n for n in args.notebooks]
    else:
        paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.endswith(".nbconvert.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    if not paths:
        parser.error(f"no notebooks in {folder}")
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    return Options(paths, folder / MANIFEST_NAME, args.kernel, args.timeout, args.startup_timeout, args.keep_going)


def _cell_name(nb: Any, index: int) -> str:
    """``cell 7 (label 'loss-curve')``, or the start of its code when it has no label."""
    labels = [label for label, at in cell_labels(nb).items() if at == index]
    if labels:
        return f"cell {index} (label {labels[0]!r})"
    first = next((line.strip() for line in nb.cells[index].source.splitlines() if line.strip()), "")
    return f"cell {index} ({first[:60]!r})"


def _error_text(exc: CellExecutionError) -> str:
    """The kernel's traceback, without terminal colours."""
    return _ANSI.sub("", str(exc)).strip()


def _probe(client: NotebookClient, nb: Any) -> dict[str, Any]:
    """Ask the kernel which device and library versions the notebook ran with."""
    cell = nbformat.v4.new_code_cell(PROBE)
    # nbclient writes the executed cell back into nb.cells[index]: give it a slot, then take it away.
    nb.cells.append(cell)
    try:
        client.execute_cell(cell, len(nb.cells) - 1, store_history=False)
    finally:
        nb.cells.pop()
    printed = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    for line in printed.splitlines():
        if line.startswith(_PROBE_MARK):
            return json.loads(line[len(_PROBE_MARK) :])
    raise RunError(f"the kernel did not answer the device probe; it printed: {printed!r}")


def run_notebook(path: Path, options: Options, name: str) -> NotebookRecord:
    """Execute one notebook in a fresh kernel, write it back, and return its manifest record (keyed *name*)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=options.timeout,
        startup_timeout=options.startup_timeout,
        kernel_name=options.kernel,
        resources={"metadata": {"path": str(path.parent)}},
        # Timing metadata in every cell would change on each run; the manifest keeps durations instead.
        record_timing=False,
        # Nothing in the kernel needs a graceful exit, and a timed-out cell would make us wait for it.
        shutdown_kernel="immediate",
    )
    labels: dict[int, str] = {}
    for label, index in cell_labels(nb).items():
        labels.setdefault(index, label)
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.source.strip()]
    timings: list[CellTiming] = []
    started = time.perf_counter()
    executed_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    with tqdm(total=len(code), desc=path.name, unit="cell", file=sys.stderr, dynamic_ncols=True) as bar:
        try:
            with client.setup_kernel():
                _check_kernel(client, nb)
                for index in code:
                    bar.set_postfix_str(labels.get(index, f"cell {index}"), refresh=False)
                    cell_started = time.perf_counter()
                    _execute(client, nb, index, path, options)
                    timings.append(CellTiming(index, labels.get(index), time.perf_counter() - cell_started))
                    bar.update()
                probe = _probe(client, nb)
        except NoSuchKernel:
            raise RunError(
                f"{path}: no Jupyter kernel named {options.kernel!r}; install one "
                f"(`python -m ipykernel install --user --name {options.kernel}`) or pass --kernel"
            ) from None
        except (RuntimeError, TimeoutError) as exc:
            raise RunError(f"{path}: the kernel {options.kernel!r} did not start or answer: {exc}") from None
    nbformat.write(nb, path)
    return NotebookRecord(
        name=name,
        code_hash=code_hash(nb),
        device=str(probe["device"]),
        libraries={str(k): str(v) for k, v in probe["libraries"].items()},
        executed_at=executed_at,
        duration_s=time.perf_counter() - started,
        cells=tuple(timings),
    )


def _check_kernel(client: NotebookClient, nb: Any) -> None:
    """Record the kernel's language info in the notebook, as ``NotebookClient.execute`` does."""
    assert client.kc is not None
    reply = client.wait_for_reply(client.kc.kernel_info())
    if reply is not None and "language_info" in reply["content"]:
        nb.metadata["language_info"] = reply["content"]["language_info"]


def _execute(client: NotebookClient, nb: Any, index: int, path: Path, options: Options) -> None:
    """Run one cell; turn nbclient's exceptions into one message naming notebook and cell."""
    where = f"{path}: {_cell_name(nb, index)}"
    try:
        client.execute_cell(nb.cells[index], index, execution_count=client.code_cells_executed + 1)
    except CellTimeoutError:
        raise RunError(f"{where} timed out after {options.timeout} s (raise the limit with --timeout)") from None
    except DeadKernelError:
        raise RunError(f"{where}: the kernel died (out of memory, or a crash in native code)") from None
    except CellExecutionError as exc:
        raise RunError(f"{where} failed: {exc.ename}: {exc.evalue}\n\n{_error_text(exc)}") from None


def update_manifest(manifest_path: Path, record: NotebookRecord) -> None:
    """Replace one notebook's entry in the manifest, keeping the others."""
    manifest = load_manifest(manifest_path)
    manifest.put(record)
    # Written whole in one go so that an interrupted run never leaves half a file.
    tmp = manifest_path.with_suffix(".json.tmp")
    tmp.write_text(manifest.to_json(), encoding="utf-8")
    tmp.replace(manifest_path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the notebooks; 0 when every one ran, 1 when one did not (2 for bad arguments).

    Without ``--keep-going`` the run stops at the first notebook that fails.
    """
    options = parse_args(argv)
    failed: list[str] = []
    for path in options.notebooks:
        name = os.path.relpath(path, options.manifest.parent).replace(os.sep, "/")
        try:
            record = run_notebook(path, options, name)
        except RunError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed.append(str(path))
            if not options.keep_going:
                break
            continue
        update_manifest(options.manifest, record)
        print(f"{path}: ran on {record.device} in {record.duration_s:.1f} s", file=sys.stderr)
    if failed and options.keep_going:
        print(f"error: {len(failed)} of {len(options.notebooks)} notebooks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
