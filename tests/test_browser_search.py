"""Searching in a real Chromium: a question's result lands on its open answer, highlighted."""

from __future__ import annotations

import pytest

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
