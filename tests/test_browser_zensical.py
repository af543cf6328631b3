"""The sites built from the rendered folder in a real Chromium: self-testing works, and a search lands on an open answer.

Zensical's search box lives in a shadow root: keys typed there must stay the search's, not
become our keyboard shortcuts.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, _QuietHandler
from .test_docs_folder import build_route

pytestmark = pytest.mark.browser

LESSON = "/lessons/01-deep-learning/"
STORE = "sg:Study%20guide:01-deep-learning"


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed rendered, built by Zensical for the address it is served from, and indexed."""
    yield from _served(tmp_path_factory.mktemp("zensical-site"), "zensical")


def _served(root: Path, generator: str) -> Iterator[str]:
    """The seed's site built by *generator* from the rendered folder, for the address it is served from."""
    build = root / "build"
    handler = functools.partial(_QuietHandler, directory=str(build / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    config = root / "source.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("site_url: http://127.0.0.1:8000/", f"site_url: {url}/")
    config.write_text(text, encoding="utf-8")
    build_route(build, generator, config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_self_testing_grades_and_keeps_progress(page, zensical_url: str) -> None:
    page.goto(zensical_url + LESSON)
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    assert page.evaluate("[...document.querySelectorAll('details.sg-qa[open]')].length") == 0
    assert page.locator(".sg-toolbar .sg-score__text").inner_text() == "0 of 31 known"
    page.locator('.sg-toolbar [data-sg-do="test"]').click()
    for qid, verdict in (("q-1", "known"), ("q-2", "missed"), ("q-4", "known")):
        page.locator(f"#{qid} > summary").click()
        page.locator(f'#{qid} .sg-grade [data-sg-do="{verdict}"]').click()
    assert page.locator(".sg-toolbar .sg-score__text").inner_text() == "2 of 31 known, 1 not yet"
    page.reload()
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    assert page.locator(".sg-toolbar .sg-score__text").inner_text() == "2 of 31 known, 1 not yet"
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", STORE))["test"] is True
    # The summary's video links carry their moment in the lecture.
    assert page.locator(".sg-summary a[href*='youtube.com/watch'][href*='t=66s']").count() >= 1


def test_search_lands_on_the_open_answer(page, zensical_url: str) -> None:
    page.goto(zensical_url + "/")
    page.locator(".md-search__button").click()
    box = page.get_by_role("combobox", name="Search")
    box.press_sequentially("y_range", delay=30)
    assert box.input_value() == "y_range"  # no key was taken as one of our shortcuts
    result = page.locator("a[href*='#q-31']").first
    result.wait_for()
    assert "What is y_range used for?" in result.inner_text()
    result.click()
    page.wait_for_url("**/lessons/01-deep-learning/**")
    page.wait_for_function("document.getElementById('q-31') && document.getElementById('q-31').open")
    answer = page.locator("#q-31 .sg-qa__answer")
    assert answer.is_visible()
    answer.locator("mark").first.wait_for()  # Zensical's highlight of the words searched for
    # Its separator splits "y_range" at the underscore: each part is marked.
    assert "range" in answer.locator("mark").all_inner_texts()
    assert page.evaluate("Math.abs(document.getElementById('q-31').getBoundingClientRect().top) < innerHeight")
    # Only the question searched for is open.
    assert page.evaluate("[...document.querySelectorAll('details.sg-qa[open]')].map(d => d.id)") == ["q-31"]


@pytest.fixture(scope="module")
def plain_mkdocs_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed rendered for MkDocs, built by MkDocs without our plugin, and indexed."""
    root = tmp_path_factory.mktemp("plain-mkdocs-site")
    yield from _served(root, "mkdocs")


def test_search_on_the_plain_mkdocs_site_lands_on_the_open_answer(page, plain_mkdocs_url: str) -> None:
    from .test_browser_search import assert_landed_on_open_answer, result_for_question, search

    page.goto(plain_mkdocs_url + LESSON)
    search(page, "y_range")
    result = result_for_question(page, 31)
    assert "What is y_range used for?" in result.inner_text()
    result.click()
    assert_landed_on_open_answer(page, 31, "y_range")
