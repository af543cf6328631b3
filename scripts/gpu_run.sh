#!/usr/bin/env bash
# Run every lesson notebook once on a GPU machine, and hand back the executed notebooks and their manifest.
#
# Run from the repository root on a machine whose python3 has torch (with CUDA), numpy, scikit-learn,
# matplotlib and pandas, but no Jupyter and no network. The Jupyter stack comes along as wheels in .whl/
# (fetched beforehand by scripts/fetch_gpu_wheels.sh); they are unpacked into a scratch folder put on
# PYTHONPATH, so the machine's own Python installation is left untouched.
#
#   OUT=/some/folder bash scripts/gpu_run.sh              # every docs/notebooks/*.ipynb
#   OUT=/some/folder bash scripts/gpu_run.sh lesson-01-collab.ipynb
#
# Results land flat in $OUT: the executed notebooks, manifest.json and run.log. Copy the notebooks and
# the manifest into docs/notebooks/ and commit them. A missing piece stops the script at once, saying
# what; a failing notebook does not stop the others, but the script then exits non-zero. Whatever did
# run is copied to $OUT either way.
#
# Environment: PYTHON (default python3), ALLOW_CPU=1 to run without a GPU (a rehearsal of this script),
# CELL_TIMEOUT seconds per cell (default 240, so that a hung cell fails well inside a 10-minute slot),
# NOTEBOOKS_DIR (default docs/notebooks), WHEEL_DIR (default .whl).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${OUT:?set OUT to the folder where the results should go}"
PY="${PYTHON:-python3}"
SITE=/tmp/site
SCRATCH=/tmp/study-guide-gpu-run
CELL_TIMEOUT="${CELL_TIMEOUT:-240}"
NOTEBOOKS_DIR="${NOTEBOOKS_DIR:-docs/notebooks}"
WHEEL_DIR="${WHEEL_DIR:-.whl}"

say() { printf '\n=== %s\n' "$*"; }
die() { printf '\nerror: %s\n' "$*" >&2; exit 1; }

say "machine"
command -v "$PY" >/dev/null || die "no $PY on this machine (set PYTHON)"
"$PY" --version
if command -v nvidia-smi >/dev/null; then
    nvidia-smi || [[ "${ALLOW_CPU:-}" == 1 ]] || die "nvidia-smi failed: is there a GPU?"
elif [[ "${ALLOW_CPU:-}" != 1 ]]; then
    die "nvidia-smi not found: this script is for the GPU run (ALLOW_CPU=1 rehearses it on a CPU)"
fi

say "Jupyter stack from $WHEEL_DIR/"
shopt -s nullglob
wheels=("$WHEEL_DIR"/*.whl)
(( ${#wheels[@]} >= 30 )) || die "found ${#wheels[@]} wheels in $WHEEL_DIR/, expected about 38: carry the .whl folder along"
rm -rf "$SITE" "$SCRATCH"
mkdir -p "$SITE" "$SCRATCH"
unpack_wheels() {
    # Without pip: a wheel is a zip laid out for site-packages, apart from its .data/ folder.
    "$PY" - "$SITE" "${wheels[@]}" <<'EOF'
import pathlib, shutil, sys, zipfile
site = pathlib.Path(sys.argv[1])
for wheel in sys.argv[2:]:
    zipfile.ZipFile(wheel).extractall(site)
for data in site.glob("*.data"):
    for scheme in ("purelib", "platlib"):
        if (data / scheme).is_dir():
            shutil.copytree(data / scheme, site, dirs_exist_ok=True)
EOF
}
if ! "$PY" -m pip --version >/dev/null 2>&1; then
    echo "no pip for $PY: unpacking the wheels directly"
    unpack_wheels
elif ! "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --disable-pip-version-check \
        --upgrade --target "$SITE" "${wheels[@]}"; then
    # The import check below still says whether what was unpacked works here.
    echo "pip refused the wheels (message above): unpacking them directly"
    rm -rf "$SITE" && mkdir -p "$SITE"
    unpack_wheels
fi
echo "installed ${#wheels[@]} wheels into $SITE"
# Our wheels first, then the checkout's plugin package (the runner imports study_guide.notebooks).
export PYTHONPATH="$SITE:$PWD/plugins${PYTHONPATH:+:$PYTHONPATH}"
# Everything Jupyter, IPython and matplotlib would write under $HOME goes to scratch space instead.
export JUPYTER_PATH="$SCRATCH/share/jupyter" JUPYTER_DATA_DIR="$SCRATCH/data" JUPYTER_CONFIG_DIR="$SCRATCH/config"
export JUPYTER_RUNTIME_DIR="$SCRATCH/runtime" IPYTHONDIR="$SCRATCH/ipython" MPLCONFIGDIR="$SCRATCH/matplotlib"
export JUPYTER_PLATFORM_DIRS=1 PYDEVD_DISABLE_FILE_VALIDATION=1 TQDM_MININTERVAL=2

"$PY" -m ipykernel install --prefix "$SCRATCH" --name python3 --display-name "Python 3" >/dev/null
"$PY" - <<'EOF'
import sys
from jupyter_client.kernelspec import KernelSpecManager
spec = KernelSpecManager().get_kernel_spec("python3")
print("kernel python3:", " ".join(spec.argv), "from", spec.resource_dir)
if spec.argv[0] != sys.executable:
    sys.exit(f"error: kernel python3 would run {spec.argv[0]}, not {sys.executable}")
EOF

say "libraries and device"
"$PY" - <<'EOF'
import importlib, os, sys
print("python", sys.version.split()[0], sys.executable)
for name in ("nbclient", "nbformat", "ipykernel", "jupyter_client", "zmq", "tqdm", "numpy", "sklearn", "matplotlib", "pandas"):
    try:
        module = importlib.import_module(name)
    except Exception as exc:  # say every missing piece, not only the first
        print(f"MISSING {name}: {exc!r}")
        continue
    print(f"{name:15} {getattr(module, '__version__', '?'):12} {os.path.dirname(module.__file__)}")
allow_cpu = os.environ.get("ALLOW_CPU") == "1"
try:
    import torch
except ImportError as exc:
    sys.exit(0 if allow_cpu else f"error: torch does not import: {exc}")
print("torch", torch.__version__, "CUDA", torch.version.cuda, "available:", torch.cuda.is_available())
if torch.cuda.is_available():
    print("device:", torch.cuda.get_device_name(0))
    print("check:", (torch.ones(2, device="cuda") * 2).sum().item())
elif not allow_cpu:
    sys.exit("error: torch sees no CUDA device")
EOF
"$PY" -c "import nbclient, nbformat, ipykernel, tqdm, zmq" || die "the Jupyter stack does not import (see MISSING above)"

say "running the notebooks"
status=0
"$PY" scripts/run_notebooks.py --dir "$NOTEBOOKS_DIR" --kernel python3 --timeout "$CELL_TIMEOUT" --keep-going "$@" 2>&1 | tee "$SCRATCH/run.log" || status=$?

say "results"
mkdir -p "$OUT"
cp "$NOTEBOOKS_DIR"/*.ipynb "$NOTEBOOKS_DIR"/manifest.json "$SCRATCH/run.log" "$OUT"/ 2>/dev/null || true
ls -la "$OUT"
(( status == 0 )) || die "the run failed (exit $status): see the message above; notebooks that ran are in \$OUT"
"$PY" - "$OUT/manifest.json" "$@" <<'EOF'
import json, os, sys
records = json.load(open(sys.argv[1]))["notebooks"]
wanted = [os.path.basename(n) for n in sys.argv[2:]] or sorted(records)
for name in wanted:
    r = records[name]
    print(f"{name:32} {r['device']:28} {r['duration_s']:7.1f} s  {r['executed_at']}")
cpu = [n for n in wanted if records[n]["device"] == "CPU"]
if cpu and os.environ.get("ALLOW_CPU") != "1":
    sys.exit(f"error: these notebooks did not compute on the GPU: {', '.join(cpu)}")
EOF
say "done: copy \$OUT/*.ipynb and \$OUT/manifest.json into $NOTEBOOKS_DIR/"
