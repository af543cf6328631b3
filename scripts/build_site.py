"""Build the study site so that a failed build never leaves a half-written site behind.

MkDocs writes straight into its site folder and empties it first; this builds into a
sibling folder and swaps it in only when the build succeeded, so the last good site stays
in place otherwise. ``SOURCE_DATE_EPOCH`` (the time of the last commit, from ``make
build``) makes the dates in the sitemap, and so the whole site, the same on every build.

    python scripts/build_site.py [--config-file mkdocs.yml] [--site-dir site] [--no-strict]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

BUILD_TIMEOUT_S = 1800


def main(argv: Sequence[str] | None = None) -> int:
    """Build into ``<site>.partial``, then replace ``<site>`` with it; return the build's exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    parser.add_argument("--no-strict", action="store_true", help="let warnings pass")
    args = parser.parse_args(argv)

    site: Path = args.site_dir
    partial = site.with_name(site.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", args.config_file, "--site-dir", str(partial)]
    if not args.no_strict:
        command.append("--strict")
    try:
        status = subprocess.run(command, timeout=BUILD_TIMEOUT_S, check=False).returncode
    except subprocess.TimeoutExpired:
        print(f"the build took over {BUILD_TIMEOUT_S} s and was stopped; {site} is left as it was", file=sys.stderr)
        status = 1
    if status != 0:
        shutil.rmtree(partial, ignore_errors=True)
        print(f"build failed: {site} is left as it was", file=sys.stderr)
        return status
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    partial.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    print(f"built {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
