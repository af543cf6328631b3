"""What a learner sees, in a real Chromium: contrast of every control state in both palettes, the video
controls, answer text size, the shortcut dialog, single keys, a phone's width, search result counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import make_project, mkdocs_build, serve

pytestmark = pytest.mark.browser

LESSON = "/lessons/01-deep-learning/"

# WCAG relative luminance and contrast of an element's text against what is painted behind it:
# every background from the root down, composited, and the text's own alpha times its ancestors' opacity.
CONTRAST = """el => {
  const rgba = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
  const chain = [];
  let opacity = 1;
  for (let e = el; e; e = e.parentElement) {
    chain.unshift(getComputedStyle(e).backgroundColor);
    opacity *= Number(getComputedStyle(e).opacity);
  }
  const back = chain.reduce((below, c) => over(rgba(c), below), [255, 255, 255, 1]);
  const text = rgba(getComputedStyle(el).color);
  text[3] *= opacity;
  const linear = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = c => { const [r, g, b] = over(c, back).slice(0, 3).map(linear); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [a, b] = [lum(text), lum(back)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


@pytest.fixture(params=["light", "dark"])
def scheme_page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    """A page in the light or the dark palette, as the learner's system asks for."""
    context = browser.new_context(color_scheme=request.param)  # type: ignore[attr-defined]
    page = context.new_page()
    page.route("https://**", lambda route: route.abort())  # offline: the seed's web image fails fast
    page.scheme = request.param
    yield page
    context.close()


def open_lesson(page, base: str, path: str = LESSON) -> None:
    page.goto(base + path)
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    # The end state of each state is measured, not a frame of a colour transition (Material's buttons fade).
    page.add_style_tag(content=NO_TRANSITIONS)


def test_every_control_state_has_enough_contrast_in_both_palettes(scheme_page, seed_url: str) -> None:
    page = scheme_page
    open_lesson(page, seed_url)
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if page.scheme == "dark" else "default")
    measured: dict[str, float] = {}

    def measure(name: str, selector: str, *, hover: bool = False, focus: bool = False) -> None:
        control = page.locator(selector).first
        page.mouse.move(0, page.viewport_size["height"] - 1)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        if focus:
            page.keyboard.press("Shift")  # a key first: focus shown as from the keyboard (:focus-visible)
            control.focus()
        if hover:
            control.hover()
        measured[name] = page.evaluate(CONTRAST, control.element_handle())

    def states(name: str, selector: str) -> None:
        measure(f"{name} at rest", selector)
        measure(f"{name} hovered", selector, hover=True)
        measure(f"{name} focused", selector, focus=True)
        measure(f"{name} focused and hovered", selector, focus=True, hover=True)

    test, show, more = '[data-sg-do="test"]', '.sg-toolbar [data-sg-do="show"]', '[data-sg-do="more"]'
    states("Test mode", test)
    states("Show all answers", show)
    states("More", more)
    page.locator(more).click()
    for item in ("missed", "shuffle", "print", "key", "reset", "keys"):
        states(f"menu item {item}", f'#sg-more [data-sg-do="{item}"]')
    page.locator('#sg-more [data-sg-do="missed"]').click()
    page.locator(more).click()
    states("Only the ones I missed, pressed", '#sg-more [data-sg-do="missed"]')
    page.locator('#sg-more [data-sg-do="missed"]').click()

    page.locator(test).click()
    states("Test mode, pressed", test)
    measure("Show all answers, disabled", show)
    measure("Show all answers, disabled and hovered", show, hover=True)
    page.locator("#q-1 > summary").click()
    for grade in ("known", "missed"):
        states(f"grade {grade}", f'#q-1 .sg-grade [data-sg-do="{grade}"]')
    page.locator('#q-1 .sg-grade [data-sg-do="known"]').click()
    states("Knew it, pressed", '#q-1 .sg-grade [data-sg-do="known"]')
    page.locator('#q-1 .sg-grade [data-sg-do="missed"]').click()
    states("Not yet, pressed", '#q-1 .sg-grade [data-sg-do="missed"]')

    states("Play the lesson video here", ".sg-video__open")
    measure("the video's own page (link)", ".sg-video__link")
    page.keyboard.press("?")
    states("Close (shortcut dialog)", '#sg-keys [data-sg-do="close"]')
    measure("shortcut dialog text", "#sg-keys dd")

    low = {name: round(ratio, 2) for name, ratio in measured.items() if ratio < 4.5}
    assert low == {}, f"{page.scheme} palette: text below 4.5:1"
    assert len(measured) >= 60


def test_the_video_has_one_clear_control_and_a_quieter_link(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    video = page.locator(".sg-video")
    play = video.get_by_role("button", name="Play the lesson video here")
    expect(play).to_be_visible()
    assert video.get_by_role("button").count() == 1
    # A button that looks like one: filled, unlike the text around it.
    assert play.evaluate("b => getComputedStyle(b).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    link = video.get_by_role("link")
    expect(link).to_have_text("or watch it on YouTube")
    sizes = [float(x.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) for x in (link, play)]
    assert sizes[0] < sizes[1]


def test_answers_read_at_the_size_of_the_text_around_them(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    page.locator('.sg-toolbar [data-sg-do="show"]').click()
    size = "e => getComputedStyle(e).fontSize"
    body = page.locator(".sg-summary li").first.evaluate(size)
    assert page.locator("#q-31 .sg-qa__answer p").first.evaluate(size) == body == "16px"
    # A question without an answer looks like the others: same size, weight and frame, a quiet note.
    answered, unanswered = page.locator("#q-7 > summary"), page.locator("#q-8 .sg-qa__question")
    style = "e => { const s = getComputedStyle(e); return [s.fontSize, s.fontWeight, s.backgroundColor]; }"
    assert answered.evaluate(style) == unanswered.evaluate(style)
    frame = "e => { const s = getComputedStyle(e); return [s.borderLeftStyle, s.borderLeftColor, s.borderRadius]; }"
    assert page.locator("#q-7").evaluate(frame) == page.locator("#q-8").evaluate(frame)
    note = page.locator("#q-8 .sg-qa__none")
    expect(note).to_have_text("No answer yet.")
    assert float(note.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) < 16
    assert note.evaluate("e => getComputedStyle(e).fontWeight") == "400"


def test_shortcut_dialog_opens_in_view_after_scrolling(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    page.evaluate("scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("scrollY > 2000")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    viewport = page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus moved into it
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # From the menu too, where a mouse user finds it; closing gives focus back to the menu's button.
    page.locator('[data-sg-do="more"]').click()
    page.locator('#sg-more [data-sg-do="keys"]').click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.sgDo") == "more"


def focused_question(page) -> str | None:
    return page.evaluate("(document.activeElement.closest('.sg-qa') || {}).id || null")


def test_single_key_shortcuts_can_be_turned_off(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    page.keyboard.press("j")
    assert focused_question(page) == "q-1"
    page.keyboard.press("?")
    switch = page.get_by_role("checkbox", name="Single-key shortcuts")
    expect(switch).to_be_checked()
    switch.uncheck()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("t")
    assert focused_question(page) == "q-1" and page.locator('[data-sg-do="test"]').get_attribute("aria-pressed") == "false"
    page.reload()  # kept for the site, in this browser
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    page.locator('[data-sg-do="more"]').click()
    page.locator('#sg-more [data-sg-do="keys"]').click()
    expect(switch).not_to_be_checked()
    switch.check()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert focused_question(page) == "q-1"


def test_n_is_materials_next_page_outside_test_mode(page, tmp_path: Path) -> None:
    note = "---\ntitle: Lesson {0}\n---\n1. Question {0}?\n\n> Answer {0}.\n"
    config = make_project(tmp_path, {f"lessons/0{n}-lesson.md": note.format(n) for n in (1, 2)})
    assert mkdocs_build(config, tmp_path / "site").returncode == 0
    for base in serve(tmp_path / "site"):
        open_lesson(page, base, "/lessons/01-lesson/")
        page.keyboard.press("t")  # test mode: "n" grades, and stays on the page
        page.keyboard.press("n")
        expect(page.locator(".sg-status")).to_contain_text("Go to a question first")
        page.keyboard.press("t")
        page.keyboard.press("n")  # not ours now: Material's next page
        page.wait_for_url(base + "/lessons/02-lesson/")
        page.wait_for_selector(".sg-toolbar[data-sg-ready]")
        page.goto("about:blank")  # nothing left loading when the server stops


def test_a_phone_sees_the_whole_table_a_one_row_toolbar_and_the_score_while_scrolling(browser, seed_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.route("https://**", lambda route: route.abort())
    no_sideways_scroll = "document.documentElement.scrollWidth <= innerWidth"
    page.goto(seed_url + "/")
    page.wait_for_selector(".sg-progress[data-sg-ready]")
    assert page.evaluate(no_sideways_scroll)
    table = page.locator("article table")
    assert table.evaluate("t => { const w = t.parentElement; return w.scrollWidth <= w.clientWidth; }")
    known = page.locator(".sg-progress").bounding_box()
    assert known["x"] + known["width"] <= 390
    expect(page.locator(".sg-progress")).to_contain_text("0 of 31 known")

    open_lesson(page, seed_url)
    assert page.evaluate(no_sideways_scroll)
    shown = "[...document.querySelectorAll('.sg-toolbar__buttons > *')].filter(b => b.checkVisibility())"
    rows = page.evaluate(f"{shown}.map(b => b.getBoundingClientRect().top)")
    assert len(rows) == 3 and len(set(rows)) == 1, rows
    page.locator('[data-sg-do="more"]').click()  # the menu opens within the screen too
    menu = page.locator("#sg-more").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= 390
    assert page.evaluate(no_sideways_scroll)
    page.keyboard.press("Escape")

    # Far down a long lesson the score is still in view, under the header, and covers no question it moves to.
    page.keyboard.press("Shift")
    for _ in range(20):
        page.keyboard.press("j")
    assert focused_question(page) == "q-20"
    header = page.locator("header.md-header").bounding_box()
    score = page.locator(".sg-score").bounding_box()
    assert score["y"] == pytest.approx(header["y"] + header["height"], abs=1)
    assert page.locator("#q-20").bounding_box()["y"] >= score["y"] + score["height"]
    page.evaluate("location.hash = '#q-25'")  # a link to a question lands below the score too
    expect(page.locator("#q-25 .sg-qa__answer")).to_be_in_viewport()
    below = "(q, s) => q.open && q.getBoundingClientRect().top >= s.getBoundingClientRect().bottom - 1"
    page.wait_for_function(f"({below})(document.getElementById('q-25'), document.querySelector('.sg-score'))")
    context.close()


def test_search_counts_the_results_it_lists(page, seed_url: str) -> None:
    page.goto(seed_url + LESSON)
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function("(m => m && !/Initializing/i.test(m.textContent))(document.querySelector('.md-search-result__meta'))")
    box.press_sequentially("learning", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    listed = "[...document.querySelectorAll('.md-search-result__list article')].filter(a => +a.dataset.mdScore > 0).length"
    page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent === {listed} + ' results'")
    assert page.evaluate(listed) > 1
