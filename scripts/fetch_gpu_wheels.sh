#!/usr/bin/env bash
# Download the Jupyter stack that scripts/gpu_run.sh installs on a GPU machine with no network and no Jupyter.
#
#   bash scripts/fetch_gpu_wheels.sh            # into .whl/ (git-ignored), for CPython 3.12 on x86-64 Linux
#   PY_VERSION=3.11 bash scripts/fetch_gpu_wheels.sh /tmp/whl311   # the same set for another Python
#
# The list is nbclient, nbformat, ipykernel and tqdm with every dependency they have on Linux, at the
# versions tested together in requirements-dev.txt; --no-deps because the list is already complete.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST="${1:-.whl}"
PY_VERSION="${PY_VERSION:-3.12}"
mkdir -p "$DEST"
WHEELS=(
    asttokens==3.0.2
    attrs==26.1.0
    comm==0.2.3
    debugpy==1.8.22
    executing==2.3.0
    fastjsonschema==2.22.3
    ipykernel==7.4.0
    ipython==9.18.1
    ipython-pygments-lexers==1.1.1
    jedi==0.20.1
    jsonschema==4.26.0
    jsonschema-specifications==2025.9.1
    jupyter-client==8.10.0
    jupyter-core==5.9.1
    matplotlib-inline==0.2.2
    nbclient==0.11.0
    nbformat==5.11.1
    nest-asyncio2==1.7.4
    packaging==26.4
    parso==0.8.7
    pexpect==4.9.0
    platformdirs==4.14.8
    prompt-toolkit==3.0.53
    psutil==7.2.2
    ptyprocess==0.7.0
    pure-eval==0.2.4
    pygments==2.21.0
    python-dateutil==4.0.0
    pyzmq==27.3.0
    referencing==0.37.0
    rpds-py==2026.9.1
    stack-data==0.6.3
    tornado==6.6.1
    tqdm==4.70.1
    traitlets==5.16.1
    typing-extensions==4.16.0
    tzdata==2026.6
    wcwidth==0.9.4
)
for spec in "${WHEELS[@]}"; do
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version "$PY_VERSION" --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        -d "$DEST" "$spec"
done
# Files only: the default folder, .whl, matches '*.whl' itself.
count=$(find "$DEST" -mindepth 1 -maxdepth 1 -type f -name '*.whl' | wc -l)
(( count == ${#WHEELS[@]} )) || { echo "error: $DEST holds $count wheels, expected ${#WHEELS[@]} (stale ones left over?)" >&2; exit 1; }
du -sh "$DEST"
