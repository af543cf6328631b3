"""Notes from anywhere are safe to build and open: every XSS vector in every place a note puts text, in a real Chromium.

Each vector goes into a lesson's title, a heading, a question, an answer (inline, and alone on
its line) and a summary bullet. Every page of the built site is opened with a dialog listener,
every request that would leave the site recorded (and refused), and every answer opened; then
no dialog may have opened, no script may have set the global the vectors set, nothing may have
left, nothing that can run may be left in the page, and the words around each vector must
still be shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from study_guide.core.search_chunks import read_chunks

from .conftest import MINIMAL_CONFIG, make_project, mkdocs_build, serve
from .xss import RUN, VECTORS

pytestmark = pytest.mark.browser

CONFIG = MINIMAL_CONFIG.replace("features: [navigation.instant]", "features: [navigation.instant]\n  font: false")
PLACES = ("hb", "ha", "qb", "qa", "ab", "aa", "cb", "bb", "ba")  # words before and after the vector, in each place
# What may not be left in a page's content: elements that run, load, or restyle the page.
FORBIDDEN = "script, iframe, object, embed, form, base, style, link, meta, frame, frameset, svg, math, template, noscript"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster")

INSPECT = """([forbidden, urlAttributes]) => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const article = document.querySelector("article");
  const found = [];
  // The dashboard's chart is ours, drawn by the front-end from the learner's stored reviews.
  const notOurs = (el) => !el.closest(".sg-dashboard");
  article.querySelectorAll(forbidden).forEach((el) => notOurs(el) && found.push("element " + el.tagName));
  for (const el of article.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (attr.name.startsWith("on")) found.push("attribute " + attr.name + " on " + el.tagName);
      if (urlAttributes.includes(attr.name) && /^(javascript|data|vbscript):/.test(value))
        found.push(attr.name + "=" + attr.value + " on " + el.tagName);
    }
  }
  return { found, text: article.innerText, xss: typeof window.xss !== "undefined" };
}"""
SETTLE = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def note(n: int, vector: str) -> str:
    return (
        f"---\ntitle: {json.dumps(f'Vector {n} {vector}')}\ndescription: {json.dumps(vector)}\n---\n"
        f"## Heading hb{n}z {vector} ha{n}z\n\n"
        f"1. Question qb{n}z {vector} qa{n}z?\n\n"
        f"> Answer ab{n}z {vector} aa{n}z\n>\n> {vector}\n>\n> Closing cb{n}z\n\n"
        f"## Summary\n\n- Bullet bb{n}z {vector} ba{n}z #xss\n"
    )


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("xss")
    notes = {f"lessons/{n:03d}-vector.md": note(n, vector) for n, vector in enumerate(VECTORS)}
    result = mkdocs_build(make_project(root, notes, config=CONFIG), root / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    server = serve(root / "site")
    yield root / "site", next(server)
    server.close()


def visit(browser: object, url: str) -> dict[str, object]:
    """Open *url*; what it left in the page, its text, and every dialog and request that left the site."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    left: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = url.split("/", 3)[:3]

    def only_the_site(route: object) -> None:
        request_url = route.request.url  # type: ignore[attr-defined]
        if request_url.split("/", 3)[:3] == base:
            route.continue_()  # type: ignore[attr-defined]
        else:
            left.append(request_url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", only_the_site)
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE)  # autofocus and toggle events run on the next frames
    seen = page.evaluate(INSPECT, [FORBIDDEN, list(URL_ATTRIBUTES)])
    page.evaluate(SETTLE)  # handlers of the answers just opened
    seen["xss"] = seen["xss"] or page.evaluate("typeof window.xss !== 'undefined'")
    context.close()
    return {**seen, "dialogs": dialogs, "left": left}


def test_there_are_at_least_fifty_vectors() -> None:
    assert len(VECTORS) >= 50
    assert len(set(VECTORS)) == len(VECTORS)


@pytest.mark.parametrize("n", range(len(VECTORS)))
def test_no_vector_runs_and_the_text_around_it_stays(browser: object, xss_site: tuple[Path, str], n: int) -> None:
    _, url = xss_site
    seen = visit(browser, f"{url}/lessons/{n:03d}-vector/")
    assert seen["dialogs"] == [], VECTORS[n]
    assert not seen["xss"], VECTORS[n]
    assert seen["left"] == [], VECTORS[n]
    assert seen["found"] == [], VECTORS[n]
    missing = [place for place in PLACES if f"{place}{n}z" not in seen["text"]]
    assert missing == [], VECTORS[n]
    assert f"Vector {n}" in seen["text"]  # the title, shown as the page's heading


@pytest.mark.parametrize("path", ["", "tags/"])
def test_pages_listing_the_lessons_stay_inert(browser: object, xss_site: tuple[Path, str], path: str) -> None:
    _, url = xss_site
    seen = visit(browser, f"{url}/{path}")
    assert (seen["dialogs"], seen["xss"], seen["left"], seen["found"]) == ([], False, [], [])


def test_search_index_holds_no_live_html(xss_site: tuple[Path, str]) -> None:
    site, _ = xss_site
    docs = read_chunks(site / "search")
    lessons = [d for d in docs if d["location"].startswith("lessons/")]
    questions = {d["location"] for d in lessons if d["location"].endswith("#q-1")}
    assert questions == {f"lessons/{n:03d}-vector/#q-1" for n in range(len(VECTORS))}
    for doc in lessons:
        assert "<" not in doc["title"], doc
        # Result previews show the text as HTML: only bare paragraph, list and code tags may be in it.
        tags = set(re.findall(r"<[^>]*>", doc["text"]))
        assert tags <= {f"<{c}{t}>" for t in ("p", "li", "ol", "ul", "pre", "code", "sub", "sup") for c in ("", "/")}, doc


def test_the_harness_catches_what_runs_when_notes_are_trusted(browser: object, tmp_path: Path) -> None:
    """The same checks, on a site that trusts its notes: they must see the vectors run."""
    trusting = CONFIG.replace("  - study-guide\n", "  - study-guide:\n      raw_html: trust\n")
    vectors = [f"<img src=x onerror={RUN}>", f"<details open ontoggle={RUN}>x</details>"]
    notes = {f"lessons/{n:03d}-vector.md": note(n, vector) for n, vector in enumerate(vectors)}
    assert mkdocs_build(make_project(tmp_path, notes, config=trusting), tmp_path / "site", strict=False).returncode == 0
    server = serve(tmp_path / "site")
    url = next(server)
    try:
        first, second = (visit(browser, f"{url}/lessons/{n:03d}-vector/") for n in range(2))
    finally:
        server.close()
    assert first["dialogs"] and first["xss"] and first["found"]
    assert second["xss"] and second["found"]


def test_a_lesson_tag_shows_as_text_in_search_results(browser: object, tmp_path: Path) -> None:
    """Material writes a search result's tags as HTML: a tag that reads like markup must stay its words."""
    vector = f"<img src=x onerror={RUN}>"
    notes = {"lessons/tagged.md": f"---\ntags: [{json.dumps(vector)}]\n---\n1. Question zebrafish?\n\n> Answer.\n"}
    assert mkdocs_build(make_project(tmp_path, notes, config=CONFIG), tmp_path / "site", strict=False).returncode == 0
    server = serve(tmp_path / "site")
    url = next(server)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{url}/", wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("zebrafish")
        box.press("End")  # Material searches on keyup
        tag = page.locator(".md-search-result .md-tag").first
        tag.wait_for(state="attached")
        page.evaluate(SETTLE)
        assert tag.text_content() == vector
        assert dialogs == [] and not page.evaluate("typeof window.xss !== 'undefined'")
    finally:
        context.close()
        server.close()

