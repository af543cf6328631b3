"""Shared fixtures: real MkDocs builds into temporary folders, a local server, a real Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "docs" / "lessons" / "01-deep-learning.md"
CHROMIUM = "/usr/bin/chromium"

MINIMAL_CONFIG = """\
site_name: Test course
site_url: http://127.0.0.1/
theme:
  name: material
  features: [navigation.instant]
plugins:
  - search
  - study-guide
"""


def mkdocs_build(config: Path, site_dir: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a real ``mkdocs build`` in a child process, as a user would."""
    args = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config), "--site-dir", str(site_dir)]
    if strict:
        args.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, check=False)


def make_project(root: Path, notes: dict[str, str], *, config: str = MINIMAL_CONFIG) -> Path:
    """Write a small MkDocs project (``docs/`` plus ``mkdocs.yml``); return the config path."""
    docs = root / "docs"
    (docs / "lessons").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Course\n\n<!-- study-guide:lessons -->\n", encoding="utf-8")
    for name, text in notes.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A loopback server for the seed site, started before the build so the site knows its URL.

    Material's instant navigation only intercepts links that its sitemap lists, and the sitemap
    is written from ``site_url``: the site must be built for the address it is served from.
    """
    site = tmp_path_factory.mktemp("seed-site")
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    config = site.parent / "mkdocs-test.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\nsite_url: {url}/\n",
        encoding="utf-8",
    )
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def seed_site(seed_server: tuple[Path, str]) -> Path:
    """The repository's own site (seed lesson included), built once with ``--strict``."""
    return seed_server[0]


@pytest.fixture(scope="session")
def seed_url(seed_server: tuple[Path, str]) -> str:
    """Base URL of the seed site served over HTTP on loopback."""
    return seed_server[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        # Python's server compares If-Modified-Since to whole seconds: a file a test rebuilds within the second the
        # browser fetched it would be answered "not modified". Every request gets the file as it is now.
        del self.headers["If-Modified-Since"]
        return super().send_head()


def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1 on a free port for as long as the generator lives."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; the tests fail (not skip) when it is missing."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: run 'make chromium' (Debian's package 'chromium')"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _is_our_error(msg: object) -> bool:
    # The seed links an image on the web; this machine is offline, so that request fails by design.
    url = (msg.location or {}).get("url", "")  # type: ignore[attr-defined]
    offline = msg.text.startswith("Failed to load resource") and not url.startswith("http://127.0.0.1")  # type: ignore[attr-defined]
    return msg.type == "error" and not offline  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page; fails the test on any uncaught error in the page's console."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_our_error(msg) else None)
    yield page
    context.close()
    assert not errors, f"errors in the browser console: {errors}"
