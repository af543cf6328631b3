"""Paper: a lesson page prints as a worksheet or an answer key, the course from its print page.

Printed by Chromium (``page.pdf()``), read back with pypdf.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from study_guide.core.cards import read_cards

pytestmark = pytest.mark.browser
LESSON = "/lessons/01-deep-learning/"
RECORD_PRINT = "window.sgPrinted = 0; window.print = () => { window.sgPrinted += 1; };"


def squash(text: str) -> str:
    """Text without its white space: lines wrap differently on paper than in HTML."""
    return re.sub(r"\s+", "", text)


def pdf_text(page) -> tuple[str, int]:
    """What Chromium prints (A4, print media), as text without white space, and its number of pages."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return squash("".join(p.extract_text() for p in reader.pages)), len(reader.pages)


def pieces(fragment: str, shortest: int) -> list[str]:
    """The runs of text of an HTML fragment long enough to tell it apart, without white space."""
    soup = BeautifulSoup(fragment, "html.parser")
    return [squash(s) for s in soup.stripped_strings if len(squash(s)) >= shortest]


@pytest.fixture(scope="module")
def course(seed_site: Path) -> dict:
    return read_cards(seed_site / "assets" / "study-guide")


def open_lesson(page, seed_url: str) -> None:
    page.add_init_script(RECORD_PRINT)
    page.goto(seed_url + LESSON)
    page.wait_for_selector(".sg-toolbar[data-sg-ready]")


def test_a_lesson_prints_as_a_worksheet_every_question_no_answer(page, seed_url: str, course: dict) -> None:
    open_lesson(page, seed_url)
    questions = page.eval_on_selector_all(".sg-qa__question", "els => els.map(e => e.textContent)")
    assert len(questions) == 33  # the answered and the unanswered, each with its number as in the note
    page.locator("#q-3 > summary").click()  # an answer left open on screen stays off the worksheet
    text, pages = pdf_text(page)
    missing = [q for q in questions if squash(q) not in text]
    assert missing == []
    [lesson] = course["lessons"]
    answers = [piece for row in lesson["cards"] for piece in pieces(row[3], 25)]
    assert len(answers) > 40
    assert [a for a in answers if a in text] == []
    for screen_only in ("Testmode", "Showallanswers", "Playthelessonvideo", "Watchthelessonvideo", "Knewit", "Keyboardshortcuts"):
        assert screen_only not in text
    assert "Summary" not in text  # the lecture's outline would give answers away
    assert 1 < pages < 17  # the page printed 17 before this worksheet


def test_the_answer_key_prints_every_answer(page, seed_url: str, course: dict) -> None:
    open_lesson(page, seed_url)
    page.locator('.sg-toolbar [data-sg-do="more"]').click()
    page.get_by_role("button", name="Print answer key", exact=True).click()
    assert page.evaluate("window.sgPrinted") == 1
    # What prints is what the screen shows: every answer open.
    assert page.locator("details.sg-qa:not([open])").count() == 0
    text, pages = pdf_text(page)
    [lesson] = course["lessons"]
    assert [q for row in lesson["cards"] for q in pieces(row[2], 1) if q not in text] == []
    missing = [a for row in lesson["cards"] for a in pieces(row[3], 12) if a not in text]
    assert missing == []
    assert "Summary" in text  # the lecture's outline comes back with the answers
    # "Hide all answers": the worksheet again, on fewer pages.
    page.locator('.sg-toolbar [data-sg-do="hide"]').click()
    worksheet, worksheet_pages = pdf_text(page)
    assert pages > worksheet_pages and "Summary" not in worksheet


def test_print_buttons_and_print_media(page, seed_url: str) -> None:
    open_lesson(page, seed_url)
    page.locator('.sg-toolbar [data-sg-do="more"]').click()
    page.get_by_role("button", name="Print worksheet", exact=True).click()
    assert page.evaluate("window.sgPrinted") == 1
    assert page.locator("details.sg-qa[open]").count() == 0  # the worksheet leaves the answers as they were
    page.emulate_media(media="print")
    shown = "sel => document.querySelector(sel).getClientRects().length > 0"  # laid out at all
    for selector in (".sg-score", ".sg-toolbar__buttons", ".md-header", ".md-sidebar--primary", ".sg-video", "#s-1"):
        assert not page.evaluate(shown, selector), selector
    # Room to write under each question; no question cut from its first lines.
    room = page.evaluate("getComputedStyle(document.querySelector('#q-1')).paddingBottom")
    assert float(room.removesuffix("px")) > 50
    assert page.evaluate("getComputedStyle(document.querySelector('#q-1')).breakInside") == "avoid"
    page.emulate_media(media="screen")
    assert page.evaluate(shown, ".sg-score")


def test_every_page_links_the_print_styles_for_print_only(seed_site: Path) -> None:
    for path in ("index.html", "lessons/01-deep-learning/index.html", "review/index.html"):
        html = (seed_site / path).read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" href="([^"]*study-guide/[^"]*)"([^>]*)>', html)
        assert [(href.rsplit("/", 1)[1], rest) for href, rest in links] == [
            ("study-guide.css", ""),
            ("print.css", ' media="print"'),
        ]


def test_the_whole_course_prints_from_its_page(page, seed_url: str, course: dict) -> None:
    page.add_init_script(RECORD_PRINT)
    page.goto(seed_url + "/")
    page.evaluate("window.sgMarker = 1")
    # Through instant navigation, from the home page's link: the print page's script still runs.
    page.get_by_role("link", name="the whole course to print").click()
    page.wait_for_selector(".sg-print[data-sg-ready]")
    assert page.evaluate("window.sgMarker") == 1  # the page was swapped, not loaded
    [lesson] = course["lessons"]
    page_links = page.eval_on_selector_all(".sg-print__question a, .sg-print__answer img", "els => els.map(e => e.href || e.src)")
    assert all(link.startswith(("http://", "https://")) for link in page_links)
    text, pages = pdf_text(page)
    assert text.startswith(squash("Study guide Worksheets 1 lesson · 31 questions"))
    assert squash("Contents") in text and squash("Deep Learning · 31 questions") in text
    assert [q for row in lesson["cards"] for q in pieces(row[2], 1) if q not in text] == []
    assert [a for row in lesson["cards"] for a in pieces(row[3], 25) if a in text] == []
    assert squash("With the answers") not in text  # the controls are for the screen
    page.get_by_label("With the answers (answer key)").check()
    key, key_pages = pdf_text(page)
    assert squash("Answer key") in key
    assert [a for row in lesson["cards"] for a in pieces(row[3], 12) if a not in key] == []
    assert pages > 2 and key_pages > 2
    page.get_by_role("button", name="Print", exact=True).click()
    assert page.evaluate("window.sgPrinted") == 1
