"""What a learner sees in a real Chromium: questions visible, answers hidden until clicked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LESSON = "/lessons/01-deep-learning/"


def test_answers_hidden_until_clicked(page, seed_url: str) -> None:
    page.goto(seed_url + LESSON)
    questions = page.locator(".sg-qa .sg-qa__question")
    assert questions.count() == 33
    for i in range(33):
        assert questions.nth(i).is_visible()
    answers = page.locator("details.sg-qa .sg-qa__answer")
    assert answers.count() == 31
    assert all(not answers.nth(i).is_visible() for i in range(31))
    assert not page.get_by_text("Mark I perceptron built by Frank Rosenblatt").is_visible()

    page.locator("#q-3 > summary").click()
    assert page.get_by_text("Mark I perceptron built by Frank Rosenblatt").is_visible()
    assert not page.locator("#q-4 .sg-qa__answer").is_visible()


def test_answers_open_without_javascript(browser, seed_site, seed_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seed_url + LESSON)
    assert not page.locator("#q-31 .sg-qa__answer").is_visible()
    page.locator("#q-31 > summary").click()
    assert page.locator("#q-31 .sg-qa__answer").is_visible()
    context.close()


def test_readable_on_a_phone(browser, seed_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(seed_url + LESSON)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    assert page.locator("#q-1 > summary").is_visible()
    context.close()


def test_link_to_a_question_opens_its_answer(page, seed_url: str) -> None:
    page.goto(seed_url + LESSON + "#q-13")
    page.wait_for_function("document.getElementById('q-13').open")
    assert page.locator("#q-13 .sg-qa__answer img").is_visible()
    assert not page.locator("#q-12 .sg-qa__answer").is_visible()
    # Following another in-page link opens that one too, without a reload.
    page.evaluate("location.hash = '#q-31'")
    page.wait_for_function("document.getElementById('q-31').open")
