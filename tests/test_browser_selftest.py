"""Self-testing in a real Chromium: reveal, grade, score, stored progress, keyboard, faults, accessibility."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import make_project, mkdocs_build, serve

pytestmark = pytest.mark.browser

LESSON = "/lessons/01-deep-learning/"
STORE = "sg:Study%20guide:01-deep-learning"  # the seed site's name, URI-encoded, then the lesson
TEST_STORE = "sg:Test%20course:01-quiz"


def open_lesson(page, base: str, path: str = LESSON) -> None:
    page.goto(base + path)
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")


MENU = ("missed", "shuffle", "order", "print", "key", "reset", "keys")  # less-used actions, behind "More"


def button(page, action: str):
    """A toolbar button; one of the menu's is shown first (opening the menu when it is closed)."""
    if action in MENU and page.locator("#sg-more").is_hidden():
        page.locator('.sg-toolbar [data-sg-do="more"]').click()
    return page.locator(f'.sg-toolbar [data-sg-do="{action}"]')


def reveal_and_grade(page, qid: str, verdict: str) -> None:
    """Open question *qid* by clicking it, then press "Knew it" or "Not yet"."""
    page.locator(f"#{qid} > summary").click()
    page.locator(f'#{qid} .sg-grade [data-sg-do="{verdict}"]').click()


def score(page) -> str:
    return page.locator(".sg-toolbar .sg-score__text").inner_text()


def stored(page, key: str = STORE) -> dict:
    return json.loads(page.evaluate("k => localStorage.getItem(k)", key) or "null")


def open_ids(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('details.sg-qa[open]')].map(d => d.id)")


def listeners(page, expression: str = "document") -> list[str]:
    """The event types listened to on an object of the page, one entry per listener (Chrome DevTools Protocol)."""
    cdp = page.context.new_cdp_session(page)
    try:
        handle = cdp.send("Runtime.evaluate", {"expression": expression})
        found = cdp.send("DOMDebugger.getEventListeners", {"objectId": handle["result"]["objectId"]})
    finally:
        cdp.detach()
    return sorted(entry["type"] for entry in found["listeners"])


def focused_question(page) -> str | None:
    return page.evaluate("(document.activeElement.closest('.sg-qa') || {}).id || null")


# ---- reveal, grade, score, reload, home page, instant navigation


def test_answers_hidden_by_default_with_an_empty_score(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    assert open_ids(page) == []
    assert not page.locator("#q-1 .sg-qa__answer").is_visible()
    assert score(page) == "0 of 31 known"
    bar = page.locator(".sg-toolbar [role=progressbar]")
    assert (bar.get_attribute("aria-valuenow"), bar.get_attribute("aria-valuemax")) == ("0", "31")
    # One row: the two most used actions, and a menu for the rest.
    for label in ("Test mode", "Show all answers", "More"):
        expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()
    more = page.get_by_role("button", name="More", exact=True)
    assert more.get_attribute("aria-expanded") == "false"
    more.click()
    assert more.get_attribute("aria-expanded") == "true"
    menu = ("Only the ones I missed", "Shuffle", "Print worksheet", "Print answer key", "Reset this lesson", "Keyboard shortcuts")
    for label in menu:
        expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()
    page.keyboard.press("Escape")  # closes the menu, back on its button
    expect(page.locator("#sg-more")).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.sgDo") == "more"
    # Grade buttons belong to test mode only.
    page.locator("#q-3 > summary").click()
    assert page.get_by_text("Mark I perceptron built by Frank Rosenblatt").is_visible()
    assert page.locator(".sg-grade").count() == 0 or not page.locator("#q-3 .sg-grade").is_visible()


def test_grade_survives_reload_and_reaches_the_home_page_through_instant_navigation(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    test_mode = button(page, "test")
    test_mode.click()
    assert test_mode.get_attribute("aria-pressed") == "true"
    assert not page.locator("#q-1 .sg-grade").is_visible()  # nothing to grade before the reveal
    reveal_and_grade(page, "q-1", "known")
    reveal_and_grade(page, "q-2", "missed")
    reveal_and_grade(page, "q-4", "known")
    assert score(page) == "2 of 31 known, 1 not yet"
    bar = page.locator(".sg-toolbar [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "2"
    assert bar.get_attribute("aria-valuetext") == "2 of 31 known"
    width = page.evaluate("document.querySelector('.sg-toolbar .sg-bar__fill').style.width")
    assert float(width.rstrip("%")) == pytest.approx(200 / 31)
    assert page.locator('#q-1 [data-sg-do="known"]').get_attribute("aria-pressed") == "true"
    record = stored(page)
    assert record["v"] == 2 and record["test"] is True
    key = page.locator("#q-1").get_attribute("data-sg-key")
    # A log of reviews: "Knew it" is Good (3), "Not yet" is Again (1), each with its time.
    assert record["c"][key]["t"] == "do you need these for deep learning"
    [[when, grade]] = record["c"][key]["r"]
    assert grade == 3 and abs(when / 1000 - time.time()) < 600
    assert [r[1] for r in record["c"][page.locator("#q-2").get_attribute("data-sg-key")]["r"]] == [1]

    page.reload()
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    assert score(page) == "2 of 31 known, 1 not yet"
    assert button(page, "test").get_attribute("aria-pressed") == "true"
    assert page.locator("#q-1").get_attribute("data-sg-grade") == "known"
    assert page.locator("#q-2").get_attribute("data-sg-grade") == "missed"
    assert open_ids(page) == []

    # Grading loaded the review's script, which keeps the due count of every card graded.
    page.wait_for_function("JSON.parse(localStorage.getItem('sg~due:Study%20guide') || '{}').d")
    due = page.evaluate("JSON.parse(localStorage.getItem('sg~due:Study%20guide')).d")
    assert len(due) == 3 and all(isinstance(t, int) for t in due.values())
    # Instant navigation: the page is swapped, not reloaded (the marker survives).
    ours = ("change", "click", "keydown", "toggle")  # what our scripts bind on the document
    page.evaluate("window.sgMarker = 1")
    page.locator("header a.md-logo").click()
    progress = page.locator(".sg-progress")
    expect(progress).to_contain_text("2 of 31 known")
    assert page.evaluate("window.sgMarker") == 1
    home_bar = progress.locator("[role=progressbar]")
    assert (home_bar.get_attribute("aria-valuenow"), home_bar.get_attribute("aria-valuemax")) == ("2", "31")
    expect(page.locator(".sg-dashboard")).to_contain_text("17 new today")  # the review's script is loaded now
    bound = [t for t in listeners(page) if t in ours]

    page.locator("article table a", has_text="Deep Learning").click()
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    assert page.evaluate("window.sgMarker") == 1
    assert page.locator(".sg-toolbar").count() == 1
    assert page.locator(".sg-toolbar button").count() == page.locator(".sg-toolbar button[data-sg-do]").count() == 12
    assert page.locator('.sg-toolbar [data-sg-do="test"]').count() == 1
    assert score(page) == "2 of 31 known, 1 not yet"
    # Listeners bound once: none added by the round trip; one click grades once, one key moves one question.
    assert [t for t in listeners(page) if t in ours] == bound
    reveal_and_grade(page, "q-5", "known")
    assert score(page) == "3 of 31 known, 1 not yet"
    assert page.locator("#q-5 .sg-grade").count() == 1
    page.locator("#q-5 > summary").focus()
    page.keyboard.press("j")
    assert focused_question(page) == "q-6"

    # A link to #q-N followed with instant navigation lands on that open answer (issue 5).
    page.locator("header a.md-logo").click()
    expect(page.locator(".sg-progress")).to_contain_text("3 of 31 known")
    page.evaluate(
        "() => { const a = document.createElement('a'); a.href = 'lessons/01-deep-learning/#q-13'; a.id = 'go';"
        " a.textContent = 'go'; document.querySelector('article').append(a); }"
    )
    page.locator("#go").click()
    page.wait_for_function("document.getElementById('q-13') && document.getElementById('q-13').open")
    assert page.evaluate("window.sgMarker") == 1
    expect(page.locator("#q-13 .sg-grade")).to_be_visible()  # test mode is still on: gradable at once


def test_keyboard_only_run_through_a_lesson(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    # Tab reaches the toolbar; Space presses its buttons.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.sgDo") == "test":
            break
    else:
        pytest.fail("Tab never reached the Test mode button")
    page.keyboard.press("Space")
    assert button(page, "test").get_attribute("aria-pressed") == "true"

    page.keyboard.press("j")
    assert focused_question(page) == "q-1"
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("r")
    assert open_ids(page) == ["q-1"]
    page.keyboard.press("y")  # Knew it, then on to the next question
    assert page.locator("#q-1").get_attribute("data-sg-grade") == "known"
    assert focused_question(page) == "q-2"
    page.keyboard.press("Enter")  # the native <summary> toggle still works
    assert "q-2" in open_ids(page)
    page.keyboard.press("2")  # Not yet
    assert page.locator("#q-2").get_attribute("data-sg-grade") == "missed"
    assert focused_question(page) == "q-3"
    page.keyboard.press("n")  # not revealed yet: nothing graded, and Material's "next page" does not fire
    assert page.locator("#q-3").get_attribute("data-sg-grade") is None
    expect(page.locator(".sg-status")).to_contain_text("Reveal the answer first")
    page.keyboard.press("Space")
    assert "q-3" in open_ids(page)
    page.keyboard.press("1")
    assert focused_question(page) == "q-4"
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert focused_question(page) == "q-2"
    page.keyboard.press("r")
    assert "q-2" not in open_ids(page)
    assert score(page) == "2 of 31 known, 1 not yet"
    # Unanswered questions are stops too, with nothing to reveal or grade.
    for _ in range(6):
        page.keyboard.press("j")
    assert focused_question(page) == "q-8"
    page.keyboard.press("y")
    assert page.locator("#q-8").get_attribute("data-sg-grade") is None

    # The shortcuts are listed in a dialog, opened from the menu or with "?".
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("next / previous question")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Keys typed into Material's search box, or with a modifier, are not ours.
    page.keyboard.press("Alt+j")
    page.keyboard.press("Control+k")
    assert focused_question(page) == "q-8"
    page.locator(".md-search__input").click()
    page.keyboard.type("jjry")
    assert page.locator(".md-search__input").input_value() == "jjry"
    page.keyboard.press("Escape")
    assert score(page) == "2 of 31 known, 1 not yet"
    assert page.url.split("#")[0].endswith(LESSON)  # "n" did not move on to another page


def test_show_all_and_hide_all(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    button(page, "show").click()
    assert len(open_ids(page)) == 31
    assert page.locator("#q-31 .sg-qa__answer").is_visible()
    button(page, "hide").click()
    assert open_ids(page) == []
    # Test mode hides every answer and keeps "Show all" out of reach.
    button(page, "show").click()
    button(page, "test").click()
    assert open_ids(page) == []
    assert button(page, "show").is_disabled()
    button(page, "test").click()
    assert button(page, "show").is_enabled()


def test_only_the_ones_i_missed(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    missed = button(page, "missed")
    button(page, "missed").click()
    expect(page.locator(".sg-status")).to_contain_text("Nothing missed yet")
    button(page, "missed").click()
    button(page, "test").click()
    reveal_and_grade(page, "q-1", "known")
    reveal_and_grade(page, "q-2", "missed")
    reveal_and_grade(page, "q-5", "missed")
    button(page, "missed").click()
    assert missed.get_attribute("aria-pressed") == "true"
    visible = page.evaluate("[...document.querySelectorAll('.sg-qa')].filter(q => q.checkVisibility()).map(q => q.id)")
    assert visible == ["q-2", "q-5"]
    # Graded "Knew it" while filtered: it stays until the filter is applied again.
    page.locator('#q-5 [data-sg-do="known"]').click()
    assert page.locator("#q-5").is_visible()
    button(page, "missed").click()
    button(page, "missed").click()
    visible = page.evaluate("[...document.querySelectorAll('.sg-qa')].filter(q => q.checkVisibility()).map(q => q.id)")
    assert visible == ["q-2"]
    button(page, "missed").click()
    assert missed.get_attribute("aria-pressed") == "false"
    assert page.evaluate("[...document.querySelectorAll('.sg-qa')].filter(q => q.checkVisibility()).length") == 33


def test_shuffle_keeps_every_question_and_its_id(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    original = [f"q-{n}" for n in range(1, 34)]
    ids = "[...document.querySelectorAll('.sg-qa')].map(q => q.id)"
    button(page, "test").click()
    reveal_and_grade(page, "q-7", "known")
    button(page, "shuffle").click()
    shuffled = page.evaluate(ids)
    assert sorted(shuffled) == sorted(original) and len(shuffled) == 33 and shuffled != original
    assert page.locator("#q-7").get_attribute("data-sg-grade") == "known"
    # Keyboard order follows the new order.
    page.keyboard.press("j")
    assert focused_question(page) == shuffled[0]
    page.keyboard.press("j")
    assert focused_question(page) == shuffled[1]
    button(page, "order").click()
    assert page.evaluate(ids) == original
    assert button(page, "order").is_hidden()


def test_reset_asks_first(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    button(page, "test").click()
    reveal_and_grade(page, "q-1", "known")
    reveal_and_grade(page, "q-2", "missed")
    page.once("dialog", lambda dialog: dialog.dismiss())
    button(page, "reset").click()
    assert score(page) == "1 of 31 known, 1 not yet"
    messages: list[str] = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    button(page, "reset").click()
    assert messages and "Forget your grades" in messages[0]
    assert score(page) == "0 of 31 known"
    assert page.locator("[data-sg-grade]").count() == 0
    assert page.locator('#q-1 [data-sg-do="known"]').get_attribute("aria-pressed") == "false"
    page.reload()
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    assert score(page) == "0 of 31 known"
    assert stored(page)["c"] == {}


# ---- faults: corrupt or foreign stored values, storage that throws


def test_corrupt_or_foreign_storage_is_survived(page, seed_url: str) -> None:
    q1 = "52fcd8a2abff"  # data-sg-key of question 1 (hash of its words)
    # stored value -> (score on the lesson page, what the home page shows, or None: not checked there)
    cases = {
        "{not json": ("0 of 31 known", "0 of 31 known"),
        "null": ("0 of 31 known", None),
        "[1, 2, 3]": ("0 of 31 known", None),
        '"known"': ("0 of 31 known", None),
        '{"v": 1, "q": "all of them"}': ("0 of 31 known", None),
        '{"v": 1, "q": {"__proto__": {"g": "known"}, "' + q1 + '": {"g": "maybe"}, "x": "known"}}': (
            "0 of 31 known",
            "0 of 31 known",
        ),
        '{"v": 1, "q": {"' + q1 + '": {"g": "known", "t": 5}}, "known": "lots", "total": -1}': ("1 of 31 known", "1 of 31 known"),
        '{"v": 1, "q": {}, "known": 1e999}': ("0 of 31 known", None),
        '{"v": 1, "q": {}, "known": 5000}': ("0 of 31 known", "0 of 31 known"),
        '{"v": 2, "c": {"' + q1 + '": {"t": "x", "r": [[1700000000000, 3], ["soon", 9], null, [-5, 1]]}}}': (
            "1 of 31 known",
            "1 of 31 known",
        ),
        '{"v": 2, "c": {"' + q1 + '": {"r": "lots"}, "zz": {"r": [[1700000000000, 3]]}}, "test": "yes"}': ("0 of 31 known", None),
        '{"v": 2, "c": [[1700000000000, 3]]}': ("0 of 31 known", None),
    }
    open_lesson(page, seed_url)
    for raw, (on_lesson, on_home) in cases.items():
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE, raw])
        if on_home is not None:
            page.goto(seed_url + "/")
            expect(page.locator(".sg-progress")).to_have_text(re.compile("^" + on_home))
        open_lesson(page, seed_url)
        assert score(page) == on_lesson, raw
        page.keyboard.press("t")
        reveal_and_grade(page, "q-3", "known")
        assert score(page).startswith(f"{int(on_lesson[0]) + 1} of 31 known"), raw
        assert stored(page)["v"] == 2, raw  # garbage is replaced by a good record on the first grade
        page.evaluate("k => localStorage.removeItem(k + '~unreadable')", STORE)
    # What could not be read at all was copied aside before the first grade replaced it, and the page said so.
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORE, "{not json"])
    open_lesson(page, seed_url)
    expect(page.locator(".sg-warn")).to_contain_text("kept aside")
    page.keyboard.press("t")
    reveal_and_grade(page, "q-3", "known")
    assert page.evaluate("k => localStorage.getItem(k + '~unreadable')", STORE) == "{not json"


def test_grades_of_the_first_format_are_carried_over_as_reviews(page, seed_url: str) -> None:
    """A learner's "Knew it" and "Not yet" from before become Good and Again reviews, dated when first read."""
    q1, q2 = "52fcd8a2abff", "dd6f38f13831"
    grades = {q1: {"g": "known", "t": "do you need these for deep learning"}, q2: {"g": "missed", "t": "x"}}
    old = {"v": 1, "q": grades, "test": True}
    page.add_init_script(f"if (!localStorage.getItem({STORE!r})) localStorage.setItem({STORE!r}, {json.dumps(old)!r})")
    open_lesson(page, seed_url)
    assert score(page) == "1 of 31 known, 1 not yet"
    assert button(page, "test").get_attribute("aria-pressed") == "true"
    record = stored(page)
    assert record["v"] == 2 and record["test"] is True
    assert [r[1] for r in record["c"][q1]["r"]] == [3] and [r[1] for r in record["c"][q2]["r"]] == [1]
    assert abs(record["c"][q1]["r"][0][0] / 1000 - time.time()) < 600

def test_progress_from_a_newer_format_is_left_alone(page, seed_url: str) -> None:
    newer = json.dumps({"v": 3, "grades": ["whatever the future holds"]})
    page.add_init_script(f"localStorage.setItem({STORE!r}, {newer!r})")
    open_lesson(page, seed_url)
    expect(page.locator(".sg-warn")).to_contain_text("newer version")
    button(page, "test").click()
    reveal_and_grade(page, "q-1", "known")
    assert score(page) == "1 of 31 known"
    assert page.evaluate("k => localStorage.getItem(k)", STORE) == newer


# Storage that throws on every call for our keys. Material's own inline palette script reads
# localStorage without a try (its __md_get), so throwing for its keys too would fail on Material, not us.
DISABLED = """
for (const name of ['getItem', 'setItem', 'removeItem']) {
  const real = Storage.prototype[name];
  Storage.prototype[name] = function (key, ...rest) {
    if (String(key).startsWith('sg:')) throw new DOMException('The operation is insecure.', 'SecurityError');
    return real.call(this, key, ...rest);
  };
}
"""
FULL = """
Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError'); };
"""


def test_disabled_storage_still_lets_you_test_yourself(page, seed_url: str) -> None:
    page.add_init_script(DISABLED)
    page.goto(seed_url + "/")
    expect(page.locator(".sg-progress")).to_have_text("not kept in this browser")
    open_lesson(page, seed_url)
    expect(page.locator(".sg-warn")).to_contain_text("does not let the site keep your progress")
    button(page, "test").click()
    reveal_and_grade(page, "q-1", "known")
    assert score(page) == "1 of 31 known"
    button(page, "shuffle").click()
    page.keyboard.press("j")
    assert focused_question(page) is not None


def test_full_storage_says_progress_is_not_saved(page, seed_url: str) -> None:
    page.add_init_script(FULL)
    open_lesson(page, seed_url)
    button(page, "test").click()
    reveal_and_grade(page, "q-1", "known")
    assert score(page) == "1 of 31 known"
    expect(page.locator(".sg-warn")).to_contain_text("could not be saved")


def test_without_javascript_the_toolbar_stays_hidden(browser, seed_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seed_url + LESSON)
    toolbar = page.locator(".sg-toolbar")
    assert toolbar.count() == 1 and not toolbar.is_visible()
    assert page.locator(".sg-toolbar button").count() == 0
    page.locator("#q-2 > summary").click()
    assert page.locator("#q-2 .sg-qa__answer").is_visible()
    context.close()


# ---- grades follow questions across edits of the note

NOTE_BEFORE = """\
---
title: Quiz
---
1. What is the capital city of France?

> Paris

2. Which river flows through Paris?

> The Seine

3. How many legs does a spider have?

> Eight

4. Name the largest planet in our solar system.

> Jupiter

5. Who wrote Hamlet?

> Shakespeare
"""

# Renumbered and reordered; 1 and 2 lightly edited, 3 rewritten, 5 deleted.
NOTE_AFTER = """\
---
title: Quiz
---
1. Name the largest planet of our solar system.

> Jupiter

2. How many eyes do most spiders have?

> Eight, mostly

3. What is the capital city of France?

> Paris

4. Which river runs through Paris?

> The Seine
"""


@pytest.fixture(scope="module")
def quiz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """A small site whose note the test rewrites and rebuilds; served from the same folder."""
    root = tmp_path_factory.mktemp("quiz")
    config = make_project(root, {"lessons/01-quiz.md": NOTE_BEFORE})
    site = root / "site"
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    for url in serve(site):
        yield config, site, url


def test_grades_follow_renumbered_and_lightly_edited_questions(page, quiz: tuple[Path, Path, str]) -> None:
    config, site, url = quiz
    open_lesson(page, url, "/lessons/01-quiz/")
    button(page, "test").click()
    for qid, verdict in (("q-1", "known"), ("q-2", "missed"), ("q-3", "known"), ("q-4", "known"), ("q-5", "known")):
        reveal_and_grade(page, qid, verdict)
    assert score(page) == "4 of 5 known, 1 not yet"

    (config.parent / "docs" / "lessons" / "01-quiz.md").write_text(NOTE_AFTER, encoding="utf-8")
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr

    page.reload()
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    grades = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('.sg-qa')].map(q => [q.id, q.dataset.sgGrade || null]))"
    )
    assert grades == {
        "q-1": "known",  # was 4: "in" became "of"
        "q-2": None,  # was 3, rewritten: a different question now
        "q-3": "known",  # was 1: only renumbered
        "q-4": "missed",  # was 2: "flows" became "runs"
    }
    assert score(page) == "2 of 4 known, 1 not yet"
    # The moved grades are stored under the new keys; the rewritten and deleted questions' are ignored.
    record = stored(page, TEST_STORE)
    keys = page.evaluate("[...document.querySelectorAll('.sg-qa')].map(q => q.dataset.sgKey)")
    assert record["c"][keys[0]]["t"] == "name the largest planet of our solar system"
    assert len(record["c"]) == 5  # the rewritten and deleted questions' reviews are kept aside, not deleted
    page.locator("header a.md-logo").click()
    expect(page.locator(".sg-progress")).to_have_text(re.compile("^2 of 4 known"))


# ---- a page with 2,000 questions


@pytest.fixture(scope="module")
def big_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("big")
    note = "---\ntitle: Big\n---\n" + "".join(
        f"{n}. Question {n}: what does rule {n * 7919 % 2003} of topic {n % 17} say?\n\n> Answer {n}, *with* emphasis.\n\n"
        for n in range(1, 2001)
    )
    config = make_project(root, {"lessons/01-big.md": note})
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    yield from serve(root / "site")


def test_two_thousand_questions_stay_smooth(page, big_url: str) -> None:
    start = time.monotonic()
    open_lesson(page, big_url, "/lessons/01-big/")
    assert time.monotonic() - start < 10
    assert score(page) == "0 of 2000 known"
    # Delegation: no listener on the questions themselves, only on the document.
    for selector in ("#q-1500", "#q-1500 > summary"):
        assert listeners(page, f"document.querySelector('{selector}')") == [], selector
    assert "toggle" in listeners(page)  # the check can see listeners: ours on the document
    assert page.locator(".sg-grade").count() == 0  # grade buttons are made on first reveal, not 4,000 up front

    start = time.monotonic()
    button(page, "test").click()
    reveal_and_grade(page, "q-1500", "known")
    assert score(page) == "1 of 2000 known"
    page.keyboard.press("j")
    assert focused_question(page) == "q-1501"
    page.keyboard.press("r")
    page.keyboard.press("n")
    assert score(page) == "1 of 2000 known, 1 not yet"
    assert time.monotonic() - start < 5

    start = time.monotonic()
    button(page, "test").click()
    button(page, "show").click()
    page.wait_for_function("document.querySelectorAll('details.sg-qa[open]').length === 2000")
    button(page, "hide").click()
    button(page, "shuffle").click()
    button(page, "missed").click()
    page.wait_for_function("[...document.querySelectorAll('.sg-qa')].filter(q => q.checkVisibility()).length === 1")
    assert time.monotonic() - start < 10


# ---- accessibility


def serious_violations(page) -> list[str]:
    # Material's tooltips fade for 0.25 s; measured mid-fade their text has too little contrast.
    page.mouse.move(1, page.viewport_size["height"] - 1)
    page.wait_for_function("!document.querySelector('.md-tooltip--active')")
    page.wait_for_timeout(300)
    results = Axe().run(page).response["violations"]
    found = []
    for violation in results:
        if violation["impact"] not in ("serious", "critical"):
            continue
        # The seed note ends with a broken two-line link that renders as an empty <a>: a content problem
        # of the seed (issue 9 asks for a warning on it), not of the self-test controls.
        nodes = [n for n in violation["nodes"] if not (violation["id"] == "link-name" and "lesson8a.html" in n["html"])]
        found += [f"{violation['id']} ({violation['impact']}): {n['html'][:120]}" for n in nodes]
    return found


def test_no_serious_accessibility_violations(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    assert serious_violations(page) == []
    button(page, "test").click()
    reveal_and_grade(page, "q-1", "known")
    reveal_and_grade(page, "q-2", "missed")
    page.locator("#q-3 > summary").click()
    button(page, "missed").click()
    button(page, "missed").click()
    page.locator('.sg-toolbar [data-sg-do="more"]').click()
    assert serious_violations(page) == []  # the menu open
    button(page, "keys").click()
    assert serious_violations(page) == []  # the shortcuts dialog open
    page.keyboard.press("Escape")
    page.locator("header a.md-logo").click()
    expect(page.locator(".sg-progress")).to_contain_text("1 of 31 known")
    assert serious_violations(page) == []
