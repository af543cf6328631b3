"""The daily review in a real Chromium, with Playwright's clock letting days pass.

Cards are scheduled by FSRS from the log of reviews kept in the browser; these tests check what a
learner sees: cards coming back when due and not before, Again bringing a card back in the session,
the due counts on the home page and beside the review's link, export and import, and bad files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import make_project, mkdocs_build, serve
from .test_browser_selftest import DISABLED, FULL, serious_violations

pytestmark = pytest.mark.browser

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = 3_600_000
DAY = 24 * HOUR
SITE = "Test course"
DUE_KEY = "sg~due:Test%20course"

BASICS = """\
---
title: Basics
tags: [intro]
---
1. What is two plus two? #arithmetic

> Four

2. What colour is the sky on a clear day?

> Blue, because of **Rayleigh scattering** of **sunlight**.

3. Why do we dream?

> TODO
"""

SOLO = """\
---
title: Solo
---
1. Name the largest planet of the solar system.

> ![Jupiter](jupiter.png) Jupiter, a gas giant.
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("review")
    config = make_project(root, {"lessons/01-basics.md": BASICS, "lessons/02-solo.md": SOLO})
    (root / "docs" / "lessons" / "jupiter.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d2f1d80000000049454e44ae426082"
        )
    )
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    yield from serve(root / "site")


def open_review(page, url: str, query: str = "") -> None:
    page.goto(f"{url}/review/{query}")
    page.wait_for_selector(".sg-rv__options")


def counts(page) -> str:
    return page.locator(".sg-rv__counts").inner_text()


def question(page) -> str:
    return page.locator(".sg-card__q").inner_text()


def grade_label(page, grade: int) -> str:
    return page.locator(f'.sg-card__grades [data-sg-g="{grade}"] small').inner_text()


def due_times(page) -> dict[str, int]:
    page.clock.run_for(2000)  # the due times are written a moment after the last grade
    return page.evaluate("k => JSON.parse(localStorage.getItem(k) || '{\"d\": {}}').d", DUE_KEY)


def test_a_card_graded_good_comes_back_after_its_interval_and_not_before(page, course: str) -> None:
    page.clock.install(time=START)
    open_review(page, course, "?lesson=02-solo")
    assert counts(page) == "Nothing due today, 1 new."
    assert question(page) == "Name the largest planet of the solar system."
    expect(page.locator(".sg-card__a")).to_be_hidden()
    # The answer's image points where it did on the lesson page, and loads.
    assert page.locator(".sg-card__a img").get_attribute("src") == f"{course}/lessons/jupiter.png"
    page.keyboard.press("Space")
    expect(page.locator(".sg-card__a")).to_contain_text("a gas giant")
    page.wait_for_function("document.querySelector('.sg-card__a img').naturalWidth === 1")
    assert [grade_label(page, g) for g in (1, 2, 3, 4)] == ["1 min", "6 min", "10 min", "8 d"]
    page.keyboard.press("3")  # Good: the second learning step, ten minutes away, so again in this session
    assert question(page) == "Name the largest planet of the solar system."
    page.keyboard.press("Space")
    interval = grade_label(page, 3)
    days = int(re.fullmatch(r"(\d+) d", interval).group(1))
    assert days >= 2
    page.keyboard.press("3")
    expect(page.locator(".sg-rv__done")).to_contain_text("Session done: 2 reviews (Again 0, Hard 0, Good 2, Easy 0).")
    expect(page.locator(".sg-rv__done")).to_contain_text("0 cards by tomorrow")
    expect(page.locator('[data-sg-rv="ahead"]')).to_be_visible()

    # An hour later: nothing due.
    page.clock.fast_forward(HOUR)
    open_review(page, course, "?lesson=02-solo")
    assert counts(page) == "Nothing due today, 0 new."
    expect(page.locator(".sg-card")).to_be_hidden()
    page.goto(course + "/")
    expect(page.locator(".sg-dashboard")).to_contain_text("Nothing due")
    expect(page.locator("a.md-nav__link .sg-due")).to_have_count(0)

    # After its interval: due, on the review page, on the home page, and beside the review's link.
    page.clock.fast_forward(days * DAY)
    page.goto(course + "/")
    expect(page.locator(".sg-dashboard .sg-dash__lead")).to_contain_text("1 card due across 1 lesson")
    expect(page.locator('.sg-progress[data-sg-lesson="02-solo"]')).to_contain_text("1 of 1 known · 1 due · 0 new")
    expect(page.locator("a.md-nav__link .sg-due")).to_have_text("1 due")
    page.locator(".sg-dash__lead a", has_text="Review now").click()  # instant navigation
    page.wait_for_selector(".sg-card:not([hidden])")
    assert counts(page).startswith("1 card due today across 1 lesson")
    assert question(page) == "Name the largest planet of the solar system."


def test_again_brings_a_card_back_in_the_session(page, course: str) -> None:
    page.clock.install(time=START)
    open_review(page, course, "?lesson=01-basics")
    assert counts(page) == "Nothing due today, 2 new."  # the unanswered question is no card
    first = question(page)
    page.keyboard.press("Space")
    page.keyboard.press("1")  # Again
    second = question(page)
    assert second != first
    page.locator(".sg-card__reveal").click()
    page.locator('[data-sg-g="3"]').click()
    assert question(page) == first  # back within the session
    page.keyboard.press("Space")
    page.keyboard.press("4")
    assert question(page) == second
    record = page.evaluate("k => JSON.parse(localStorage.getItem(k))", "sg:Test%20course:01-basics")
    assert sorted(len(card["r"]) for card in record["c"].values()) == [1, 2]
    assert [r[1] for card in record["c"].values() for r in card["r"]].count(1) == 1


def test_new_cards_per_day_and_filters_by_tag(page, course: str) -> None:
    page.clock.install(time=START)
    open_review(page, course, "?tag=arithmetic")
    assert counts(page) == "Nothing due today, 1 new."
    assert question(page) == "What is two plus two? #arithmetic"
    tags = page.locator('[data-sg-filter="tag"] option').all_inner_texts()
    assert tags == ["All tags", "#arithmetic", "#intro"]  # the lesson's tags apply to its cards
    page.locator('[data-sg-filter="tag"]').select_option("")
    assert counts(page) == "Nothing due today, 3 new."


def test_typing_an_answer_first_marks_the_key_terms(page, course: str) -> None:
    page.clock.install(time=START)
    open_review(page, course, "?lesson=01-basics")
    page.locator("[data-sg-typed]").check()
    while question(page) != "What colour is the sky on a clear day?":
        page.keyboard.press("Control+Enter")
        page.keyboard.press("4")
    box = page.locator(".sg-card__typed")
    expect(box).to_be_focused()
    box.type("It is blue: sunlight is scattered")
    page.keyboard.press("Space")  # typing, not revealing
    expect(page.locator(".sg-card__a")).to_be_hidden()
    page.keyboard.press("Control+Enter")
    terms = page.locator(".sg-card__terms")
    expect(terms).to_contain_text("✗ rayleigh scattering")  # both words are needed
    expect(terms).to_contain_text("✓ sunlight")
    expect(terms).to_contain_text("1 of 2 found")
    assert box.evaluate("b => b.readOnly")
    page.keyboard.press("2")  # the learner grades, not the page
    record = page.evaluate("k => JSON.parse(localStorage.getItem(k))", "sg:Test%20course:01-basics")
    assert [r[1] for card in record["c"].values() for r in card["r"]][-1] == 2


def open_data(page) -> None:
    page.evaluate("document.querySelector('.sg-rv__data').open = true")


def export(page) -> dict:
    open_data(page)
    with page.expect_download() as download:
        page.locator('[data-sg-rv="export"]').click()
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


def import_file(page, tmp_path: Path, doc: object, name: str = "progress.json") -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    open_data(page)
    page.locator("[data-sg-import]").set_input_files(str(path))
    note = page.locator(".sg-rv__note")
    expect(note).not_to_be_empty()
    text = note.inner_text()
    page.evaluate("document.querySelector('.sg-rv__note').textContent = ''")
    return text


def review_all(page, grade: int) -> None:
    while page.locator(".sg-card").is_visible():
        page.keyboard.press("Space")
        page.keyboard.press(str(grade))


def test_export_then_import_restores_the_same_schedule(page, course: str, tmp_path: Path) -> None:
    page.clock.install(time=START)
    open_review(page, course)
    review_all(page, 3)
    page.clock.fast_forward(3 * DAY)
    open_review(page, course)
    review_all(page, 2)
    before = due_times(page)
    assert len(before) == 3
    doc = export(page)
    assert (doc["format"], doc["version"], doc["site"]) == ("study-guide-progress", 2, SITE)
    reviews = doc["lessons"]["01-basics"]["cards"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", r[0]) for card in reviews.values() for r in card["reviews"])

    page.evaluate("localStorage.clear()")
    open_review(page, course)
    assert counts(page) == "Nothing due today, 3 new."
    said = import_file(page, tmp_path, doc)
    total = sum(len(card["reviews"]) for lesson in doc["lessons"].values() for card in lesson["cards"].values())
    assert said == f"Imported {total} reviews into 2 lessons."
    assert due_times(page) == before
    # The same file again adds nothing: no review is counted twice.
    assert import_file(page, tmp_path, doc) == f"Imported 0 reviews into 0 lessons; {total} were already here."
    assert due_times(page) == before


def test_two_browsers_exports_merge_into_their_union(browser, course: str, tmp_path: Path) -> None:
    docs = []
    for grade, hours in ((3, 0), (4, 5)):
        context = browser.new_context()
        page = context.new_page()
        page.clock.install(time=START)
        page.clock.fast_forward(hours * HOUR)
        open_review(page, course, "?lesson=01-basics")
        review_all(page, grade)
        docs.append(export(page))
        context.close()
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=START)
    open_review(page, course)
    first, second = (sum(len(c["reviews"]) for c in d["lessons"]["01-basics"]["cards"].values()) for d in docs)
    assert import_file(page, tmp_path, docs[0], "a.json") == f"Imported {first} reviews into 1 lesson."
    assert import_file(page, tmp_path, docs[1], "b.json") == f"Imported {second} reviews into 1 lesson."
    record = page.evaluate("k => JSON.parse(localStorage.getItem(k))", "sg:Test%20course:01-basics")
    merged = sorted(tuple(r) for card in record["c"].values() for r in card["r"])
    expected = sorted(
        (int(datetime.fromisoformat(r[0]).timestamp() * 1000), r[1])
        for doc in docs
        for card in doc["lessons"]["01-basics"]["cards"].values()
        for r in card["reviews"]
    )
    assert merged == expected and len(merged) == first + second
    context.close()


def test_bad_import_files_are_refused_or_skipped_with_a_plain_message(page, course: str, tmp_path: Path) -> None:
    page.clock.install(time=START)
    open_review(page, course)
    good = {"format": "study-guide-progress", "version": 2, "site": SITE, "lessons": {}}
    assert "not a progress export" in import_file(page, tmp_path, "{oops")
    assert "not a progress export" in import_file(page, tmp_path, {"hello": 1})
    assert "newer version" in import_file(page, tmp_path, {**good, "version": 3})
    assert import_file(page, tmp_path, {**good, "site": "Other course"}) == (
        "This file holds progress for “Other course”, not for this site (“Test course”): nothing was imported."
    )
    expect(page.locator(".sg-card")).to_be_visible()  # nothing broke: a card is still there to review
    edited = {
        **good,
        "lessons": {
            "01-basics": {
                "cards": {
                    "f00d": {"question": "gone", "reviews": [["2026-03-01T10:00:00Z", 3]]},
                    "not-a-key": {"reviews": [["2026-03-01T10:00:00Z", 3]]},
                    "beef": {"reviews": [["yesterday", 3], ["2026-03-01T10:00:00Z", 7], 5, ["2026-03-01T11:00:00Z", 4]]},
                }
            },
            "02-solo": "lots",
        },
    }
    assert import_file(page, tmp_path, edited) == (
        "Imported 2 reviews into 1 lesson. 2 reviews of questions no longer in the notes were kept aside."
        " 5 entries could not be read or saved and were skipped."
    )
    record = page.evaluate("k => JSON.parse(localStorage.getItem(k))", "sg:Test%20course:01-basics")
    assert set(record["c"]) == {"f00d", "beef"}  # kept aside, not deleted


def test_dashboard_streak_chart_and_most_forgotten(page, course: str) -> None:
    page.clock.install(time=START)
    for _ in range(3):  # one Again a day, three days running
        open_review(page, course, "?lesson=01-basics")
        if not page.locator(".sg-card").is_visible():
            page.locator('[data-sg-rv="ahead"]').click()
        page.keyboard.press("Space")
        page.keyboard.press("1")
        page.clock.fast_forward(DAY)
    page.goto(course + "/")
    dash = page.locator(".sg-dashboard")
    expect(dash).to_contain_text("streak 3 days")  # today has no review yet: the streak is not broken
    chart = dash.locator("svg[role=img]")
    assert chart.get_attribute("aria-label") == "Reviews per day over the last 90 days: 3 in all, 1 on the busiest day."
    assert chart.locator("rect title").count() == 3  # a bar for each day with reviews, with its date and count
    forgotten = dash.locator(".sg-dash__forgotten li")
    expect(forgotten.first).to_contain_text("forgotten")
    forgotten.first.locator("a").click()
    anchor = page.url.split("#")[1]
    page.wait_for_function(f"document.getElementById('{anchor}') && document.getElementById('{anchor}').open")


def test_a_clock_that_moved_back_never_rewrites_a_cards_history(page, course: str) -> None:
    page.clock.install(time=START)
    open_review(page, course, "?lesson=02-solo")
    page.keyboard.press("Space")
    page.keyboard.press("1")
    page.clock.set_system_time(datetime(2026, 2, 27, 9, 0, tzinfo=UTC))  # three days back
    page.keyboard.press("Space")
    page.keyboard.press("3")
    expect(page.locator(".sg-rv__note")).to_contain_text("clock is behind your last review")
    record = page.evaluate("k => JSON.parse(localStorage.getItem(k))", "sg:Test%20course:02-solo")
    [card] = record["c"].values()
    assert [r[1] for r in card["r"]] == [1, 3] and card["r"][1][0] == card["r"][0][0] + 1


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_review_and_home_page_have_no_serious_accessibility_violations(page, seed_url: str, scheme: str) -> None:
    """The study site itself, light and dark: its review page mid-card, and its home page with the dashboard."""
    page.clock.install(time=START)
    page.add_init_script(
        f"localStorage.setItem('/.__palette', JSON.stringify({{index: {int(scheme == 'slate')}, color: {{scheme: '{scheme}'}}}}))"
    )
    open_review(page, seed_url)
    assert serious_violations(page) == []
    page.keyboard.press("Space")
    assert serious_violations(page) == []
    page.keyboard.press("1")
    page.locator("[data-sg-typed]").check()
    assert serious_violations(page) == []
    page.goto(seed_url + "/")
    expect(page.locator(".sg-dashboard")).to_contain_text("Most often forgotten")
    assert serious_violations(page) == []


def test_on_a_phone_one_card_fills_the_screen_and_the_grades_are_in_reach(browser, course: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_review(page, course)
    page.locator(".sg-card__reveal").tap()
    grades = page.locator(".sg-card__grades")
    expect(grades).to_be_visible()
    box = grades.bounding_box()
    assert box["y"] + box["height"] <= 844  # on screen without scrolling to it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for button in grades.locator("button").all():
        assert button.bounding_box()["height"] >= 44  # a thumb's target
    page.locator('[data-sg-g="3"]').tap()
    context.close()


def test_the_review_works_from_file_urls(browser, tmp_path: Path) -> None:
    """``make offline``: the review page, the dashboard and the print page open from disk, the cards and
    answers files included."""
    from .conftest import ROOT

    site = tmp_path / "offline"
    result = mkdocs_build(ROOT / "mkdocs-offline.yml", site)
    assert result.returncode == 0, result.stderr
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((site / "review.html").as_uri())
    page.wait_for_selector(".sg-card:not([hidden])")
    assert page.locator(".sg-rv__counts").inner_text() == "Nothing due today, 20 new."
    page.keyboard.press("Space")
    answer = page.locator(".sg-card__a")
    expect(answer).to_be_visible()
    expect(answer).not_to_have_attribute("data-sg-loading", "")  # the lesson's answers file, loaded from disk
    assert len(answer.inner_text()) > 20 and "could not be loaded" not in answer.inner_text()
    page.keyboard.press("4")
    page.goto((site / "index.html").as_uri())
    expect(page.locator(".sg-dashboard")).to_contain_text("19 new today")
    expect(page.locator(".sg-progress")).to_contain_text("1 of 31 known")
    page.goto((site / "print.html").as_uri())
    expect(page.locator(".sg-print__answer")).to_have_count(31)
    assert "could not be loaded" not in page.locator(".sg-print").inner_text()
    assert len(page.locator(".sg-print__answer").first.inner_text()) > 20
    context.close()
    assert errors == []


@pytest.mark.parametrize("why", ["empty answers file", "no DecompressionStream"])
def test_an_answer_that_cannot_be_read_says_so_and_the_card_can_be_graded(page, course: str, why: str) -> None:
    if why == "empty answers file":  # as a copy of the site that lost or truncated it would serve
        page.route("**/answers/*.js", lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
    else:  # a browser older than DecompressionStream("deflate-raw") (2023) cannot inflate the answers
        page.add_init_script("delete window.DecompressionStream")
    page.clock.install(time=START)
    open_review(page, course, "?lesson=02-solo")
    assert question(page) == "Name the largest planet of the solar system."
    page.keyboard.press("Space")
    expect(page.locator(".sg-card__a")).to_contain_text("The answer could not be loaded: build the site again")
    page.keyboard.press("4")
    expect(page.locator(".sg-rv__done")).to_contain_text("Session done: 1 review")


def test_cards_follow_renumbered_and_reworded_questions(page, tmp_path: Path) -> None:
    before = "1. What is the capital city of France?\n\n> Paris\n\n2. Who wrote Hamlet?\n\n> Shakespeare\n"
    after = (
        "1. Who was the author of Hamlet, the play?\n\n> Shakespeare\n\n"
        "2. What is the capital city of France, today?\n\n> Paris\n"
    )
    config = make_project(tmp_path, {"lessons/01-quiz.md": before})
    site = tmp_path / "site"
    assert mkdocs_build(config, site).returncode == 0
    for url in serve(site):
        page.clock.install(time=START)
        open_review(page, url)
        review_all(page, 4)  # Easy: both due in days
        (tmp_path / "docs" / "lessons" / "01-quiz.md").write_text(after, encoding="utf-8")
        assert mkdocs_build(config, site).returncode == 0
        page.clock.fast_forward(HOUR)
        open_review(page, url)
        # Renumbered and lightly reworded: still known, not new; rewritten: a new card, the old reviews kept aside.
        assert counts(page) == "Nothing due today, 1 new."
        assert question(page) == "Who was the author of Hamlet, the play?"
        expect(page.locator(".sg-rv__note")).to_have_text(
            "1 review of questions no longer in the notes was kept aside: export keeps them."
        )
        record = page.evaluate("k => JSON.parse(localStorage.getItem(k))", "sg:Test%20course:01-quiz")
        assert len(record["c"]) == 2 and all(len(card["r"]) == 1 for card in record["c"].values())


@pytest.mark.parametrize(
    ("script", "said"),
    [
        (DISABLED, "This browser does not let the site keep your progress: reviews last until you leave the page."),
        (FULL, "Your progress could not be saved: this browser's storage is full or turned off."),
    ],
)
def test_storage_that_is_off_or_full_leaves_the_review_working(page, course: str, script: str, said: str) -> None:
    page.add_init_script(script)
    open_review(page, course, "?lesson=01-basics")
    first = question(page)
    page.keyboard.press("Space")
    page.keyboard.press("1")
    page.keyboard.press("Space")
    page.keyboard.press("3")
    assert question(page) == first  # Again still brings it back: the session keeps its state in memory
    expect(page.locator(".sg-rv__note")).to_have_text(said)
    page.locator(".sg-rv__data").evaluate("d => d.open = true")
    page.locator('[data-sg-rv="export"]').click()  # no exception, whatever the storage does
