"""Searching in a real Chromium: a question's result lands on its open answer, highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from study_guide.core.search_chunks import entry_terms

from .conftest import MINIMAL_CONFIG, make_project, mkdocs_build, serve

pytestmark = pytest.mark.browser

LESSON = "/lessons/01-deep-learning/"


def search(page, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    # The index loads in a web worker; keys typed before it is ready are not searched.
    page.wait_for_function("(m => m && !/Initializing/i.test(m.textContent))(document.querySelector('.md-search-result__meta'))")
    box.press_sequentially(query, delay=30)
    page.locator(".md-search-result__item").first.wait_for()


def result_for_question(page, number: int):
    return page.locator(f'.md-search-result a[href$="#q-{number}"]').first


def assert_landed_on_open_answer(page, number: int, term: str) -> None:
    page.wait_for_function(f"document.getElementById('q-{number}') && document.getElementById('q-{number}').open")
    answer = page.locator(f"#q-{number} .sg-qa__answer")
    assert answer.is_visible()
    mark = answer.locator("mark").first
    mark.wait_for()
    assert term in mark.inner_text()
    assert page.evaluate(f"Math.abs(document.getElementById('q-{number}').getBoundingClientRect().top) < innerHeight")


def test_search_finds_question_by_answer_text_and_opens_it(page, seed_url: str) -> None:
    page.goto(seed_url + LESSON)
    search(page, "y_range")
    result = result_for_question(page, 31)
    assert "What is y_range used for?" in result.inner_text()
    result.click()
    assert_landed_on_open_answer(page, 31, "y_range")


def test_search_from_another_page_with_instant_navigation(page, seed_url: str) -> None:
    page.goto(seed_url + "/")
    page.evaluate("window.__sameDocument = true")
    search(page, "Rosenblatt")
    result_for_question(page, 3).click()
    page.wait_for_url("**/lessons/01-deep-learning/**")
    assert_landed_on_open_answer(page, 3, "Rosenblatt")
    # Instant navigation swapped the page in place: Material's app was not reloaded.
    assert page.evaluate("window.__sameDocument === true")


def test_direct_visit_to_a_question_opens_it(page, seed_url: str) -> None:
    page.goto(seed_url + LESSON + "#q-13")
    page.wait_for_function("document.getElementById('q-13').open")
    assert page.locator("#q-13 .sg-qa__answer img").is_visible()


def test_offline_build_searches_from_file_urls(tmp_path, browser) -> None:
    from .conftest import ROOT, mkdocs_build

    site = tmp_path / "offline"
    result = mkdocs_build(ROOT / "mkdocs-offline.yml", site)
    assert result.returncode == 0, result.stderr
    assert "unpkg.com" not in (site / "index.html").read_text(encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((site / "index.html").as_uri())
    search(page, "y_range")
    result_for_question(page, 31).click()
    page.wait_for_url("**/lessons/01-deep-learning.html**")
    assert_landed_on_open_answer(page, 31, "y_range")
    context.close()
    assert errors == []


def test_offline_search_goes_on_after_a_chunk_failed_to_load(tmp_path, browser) -> None:
    """From disk, Material's worker shim never reports a script that is not there: the search waiting for it gives
    up, and the next one runs (a rebuild may remove a chunk while a tab is open)."""
    from .conftest import ROOT, mkdocs_build

    site = tmp_path / "offline"
    assert mkdocs_build(ROOT / "mkdocs-offline.yml", site).returncode == 0
    entries = sorted((site / "search" / "sg").glob("d*.js"))
    for chunk in entries:
        chunk.rename(chunk.with_suffix(".gone"))
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.wait_for_function(f"!/Initializing/i.test({meta})")
    box.fill("y_range")
    box.press("End")
    page.wait_for_function(f"/No matching/i.test({meta})", timeout=60_000)
    for chunk in entries:
        chunk.with_suffix(".gone").rename(chunk)
    box.fill("Rosenblatt")
    box.press("End")
    result_for_question(page, 3).wait_for(state="attached", timeout=60_000)
    context.close()


# A course made for searching: each word below is where the test says, and nowhere else.
SEARCH_CONFIG = MINIMAL_CONFIG.replace(
    "features: [navigation.instant]", "features: [navigation.instant, search.highlight, search.suggest]"
)
SEARCH_NOTES = {
    "lessons/01-alpha.md": """\
        ---
        title: Alpha lesson
        ---
        1. Which animals live here?

        > The okapi lives in the forest, by networks of rivers.

        2. What about speed?

        > Alpha beta: the runner was running.

        3. Another one?

        > Alpha gamma, a constructor and its `__proto__`.

        ## Summary

        - A bullet about tests.
        """,
    "about.md": "# About\n\nThe capybara is a friendly animal.\n",
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("search")
    result = mkdocs_build(make_project(root, SEARCH_NOTES, config=SEARCH_CONFIG), root / "site")
    assert result.returncode == 0, result.stderr
    for url in serve(root / "site"):
        yield root / "site", url


def query(page, text: str) -> list[str]:
    """Type *text* at once (one query for the worker) and return the result links, page by page, as shown."""
    box = page.locator("input.md-search__input")
    box.click()
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.wait_for_function(f"!/Initializing/i.test({meta})")
    # An empty box first: the placeholder shows, so the next change of the line above the results is this query's.
    box.fill("")
    box.press("End")  # Material searches on keyup
    page.wait_for_function(f"/start/i.test({meta})")
    box.fill(text)
    box.press("End")
    page.wait_for_function(f"!/start/i.test({meta})")
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]


def anchors(links: list[str]) -> list[str]:
    """The results' pages and anchors, without the site's address and Material's ``?h=`` highlight."""
    return [re.sub(r"^https?://[^/]+/|\?h=[^#]*", "", link) for link in links]


def open_question_result(page, number: int) -> None:
    """Click the result of question *number* of the alpha lesson, among the results shown, and wait for its page."""
    page.locator(f'.md-search-result a[href*="#q-{number}"]').click()
    page.wait_for_url("**/lessons/01-alpha/**")


def test_a_word_of_one_answer_finds_that_question_and_opens_it(page, search_site) -> None:
    site, url = search_site
    terms = entry_terms(site / "search")
    assert [location for location, found in terms.items() if "okapi" in found] == ["lessons/01-alpha/#q-1"]
    page.goto(url + "/")
    assert anchors(query(page, "okapi")) == ["lessons/01-alpha/", "lessons/01-alpha/#q-1"]
    open_question_result(page, 1)
    assert_landed_on_open_answer(page, 1, "okapi")


def test_the_first_key_typed_already_lists_words_it_begins(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    # "o", on the way to "okapi": results at once, as Material's, rather than "No matching documents".
    assert "lessons/01-alpha/#q-1" in anchors(query(page, "o"))
    marked = page.locator('.md-search-result a[href*="#q-1"] mark').first.text_content() or ""  # maybe under "more"
    assert marked.lower().startswith("o")


def test_another_form_of_a_word_finds_it(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    # "networking" is no prefix of "networks", nor "runs" of "running": their stems are the same.
    assert "lessons/01-alpha/#q-1" in anchors(query(page, "networking"))
    assert "lessons/01-alpha/#q-2" in anchors(query(page, "runs"))
    assert page.locator('.md-search-result a[href*="#q-2"] mark').first.inner_text() == "running"


def test_a_result_found_by_another_form_of_the_word_lands_with_that_form_marked(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    # "runs" finds "running" by its stem, not as a prefix: the answer opened must mark "running", not nothing.
    query(page, "runs")
    open_question_result(page, 2)
    assert_landed_on_open_answer(page, 2, "running")


def test_the_lesson_title_above_its_results_opens_the_lesson_with_the_words_marked(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    # The lesson's own entry holds no answer: its title is listed above the question found, and leads to the page.
    links = query(page, "okapi")
    assert re.sub(r"^https?://[^/]+/", "", links[0]) == "lessons/01-alpha/?h=okapi"
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url("**/lessons/01-alpha/?h=okapi")
    page.wait_for_function("[...document.querySelectorAll('mark')].some(m => m.textContent === 'okapi')")


def test_plus_requires_a_word_and_minus_excludes_it(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    assert {"lessons/01-alpha/#q-2", "lessons/01-alpha/#q-3"} <= set(anchors(query(page, "alpha")))
    required = anchors(query(page, "+alpha +beta"))
    assert "lessons/01-alpha/#q-2" in required and "lessons/01-alpha/#q-3" not in required
    excluded = anchors(query(page, "alpha -beta"))
    assert "lessons/01-alpha/#q-3" in excluded and "lessons/01-alpha/#q-2" not in excluded


def test_a_word_that_javascript_objects_know_is_found_as_any_other(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    assert anchors(query(page, "constructor")) == ["lessons/01-alpha/", "lessons/01-alpha/#q-3"]
    # The one key that an object literal would not keep as a key: it sets the object's prototype instead.
    assert anchors(query(page, "__proto__")) == ["lessons/01-alpha/", "lessons/01-alpha/#q-3"]


def test_a_word_in_no_entry_finds_nothing(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    assert query(page, "zyzzyva") == []
    assert page.locator(".md-search-result__meta").inner_text() == "No matching documents"


def test_suggestions_complete_a_word_of_a_title(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/")
    query(page, "anim")
    page.wait_for_function("document.querySelector('.md-search__suggest').textContent === 'animals'")


def test_a_page_that_is_no_lesson_is_found(page, search_site) -> None:
    _, url = search_site
    page.goto(url + "/lessons/01-alpha/")
    assert anchors(query(page, "capybara")) == ["about/"]
    assert page.locator(".md-search-result mark").first.inner_text() == "capybara"


def test_a_lesson_page_fetches_the_head_only_until_the_learner_searches(page, search_site) -> None:
    _, url = search_site
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(url + "/lessons/01-alpha/", wait_until="networkidle")
    assert [u for u in fetched if "/search/" in u] == [url + "/search/search_index.json"]
    query(page, "okapi")
    chunks = [u.split("/search/")[1].split("?")[0] for u in fetched if "/search/sg/" in u]
    assert sorted(chunks) == ["sg/d0.js", "sg/pages.js", "sg/t0.js"]


def test_a_search_goes_on_after_a_chunk_failed_to_load_over_http(page, tmp_path) -> None:
    """Over http the worker fetches chunks side by side: one that is gone (a rebuild removed it while the tab was
    open) fails that search at once, and the next one runs."""
    root = tmp_path
    assert mkdocs_build(make_project(root, SEARCH_NOTES, config=SEARCH_CONFIG), root / "site").returncode == 0
    entries = sorted((root / "site" / "search" / "sg").glob("d*.js"))
    for chunk in entries:
        chunk.rename(chunk.with_suffix(".gone"))
    for url in serve(root / "site"):
        page.goto(url + "/")
        assert query(page, "okapi") == []
        for chunk in entries:
            chunk.with_suffix(".gone").rename(chunk)
        assert anchors(query(page, "capybara")) == ["about/"]


def test_an_edit_while_serving_is_found(page, tmp_path) -> None:
    from .test_serve import fetch, mkdocs_serve, wait_for

    config = make_project(tmp_path, {"lessons/01-alpha.md": "1. First?\n\n> Plain answer.\n"})
    with mkdocs_serve(config, dirty=True) as (base, _):
        assert wait_for(lambda: "Plain answer." in fetch(f"{base}/lessons/01-alpha/"))
        note = tmp_path / "docs" / "lessons" / "01-alpha.md"
        note.write_text(note.read_text(encoding="utf-8") + "\n2. Second?\n\n> The wombat digs.\n", encoding="utf-8")
        assert wait_for(lambda: "wombat" in fetch(f"{base}/lessons/01-alpha/"))
        assert wait_for(lambda: "wombat" in fetch(f"{base}/search/sg/t0.js"))
        page.goto(base + "/")
        assert "lessons/01-alpha/#q-2" in anchors(query(page, "wombat"))
        page.goto("about:blank")  # before the server stops: its live reload would fail in the page
