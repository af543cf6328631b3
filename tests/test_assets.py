"""The front-end stays small and to itself: what every page loads and what only the review loads, as shipped (minified)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from study_guide.core.frontend import minify, shipped_assets

from .conftest import ROOT

ASSETS = ROOT / "plugins" / "study_guide" / "core" / "assets"
EVERY_PAGE = ("study-guide.js", "study-guide.css")
REVIEW_ONLY = ("review.js", "review.css")  # the review page, the home page's dashboard, a lesson page once graded


def gzipped(names: tuple[str, ...]) -> dict[str, int]:
    """What the learner's browser downloads of each file: the shipped bytes, gzipped."""
    return {name: len(gzip.compress(shipped_assets()[name], compresslevel=9)) for name in names}


def test_what_every_page_loads_is_at_most_12_kb_gzipped() -> None:
    sizes = gzipped(EVERY_PAGE)
    assert sum(sizes.values()) <= 12 * 1024, f"gzipped sizes {sizes}"


def test_what_only_the_review_loads_is_at_most_15_kb_gzipped_more() -> None:
    sizes = gzipped(REVIEW_ONLY)
    assert sum(sizes.values()) <= 15 * 1024, f"gzipped sizes {sizes}"


def test_the_built_site_ships_exactly_these_files(seed_site: Path) -> None:
    assert set(EVERY_PAGE + REVIEW_ONLY) <= set(shipped_assets())
    for name, data in shipped_assets().items():
        assert (seed_site / "assets" / "study-guide" / name).read_bytes() == data, name
    # The review's script is no extra_javascript: only the pages that use it load it.
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert "study-guide/study-guide.js" in home and "review.js" not in home


def test_the_video_player_is_sent_messages_at_its_own_origin_only() -> None:
    js = (ASSETS / "study-guide.js").read_text(encoding="utf-8")
    calls = [line for line in js.splitlines() if "postMessage(" in line]
    assert calls and all(line.rstrip().endswith('"https://www.youtube-nocookie.com");') for line in calls)


def test_every_css_rule_styles_our_own_elements_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", (ASSETS / "study-guide.css").read_text(encoding="utf-8"), flags=re.DOTALL)
    # A comma inside :is(...) or :not(...) does not separate selectors.
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", css) for s in re.split(r",(?![^()]*\))", rule)]
    selectors = [s for s in selectors if s and not s.startswith(("@", "from", "to"))]
    assert selectors
    assert [s for s in selectors if ".sg-" not in s and "#sg-" not in s] == []


def test_our_css_and_js_come_before_the_sites_own(seed_site: Path) -> None:
    page = (seed_site / "index.html").read_text(encoding="utf-8")
    assert page.index("assets/study-guide/study-guide.css") < page.index("stylesheets/site.css")


def test_what_printing_loads_is_small_and_only_where_used(seed_site: Path) -> None:
    # print.css: linked by every page for print only (the screen never waits for it); print.js: the print page's.
    sizes = gzipped(("print.css", "print.js"))
    assert sum(sizes.values()) <= 4 * 1024, f"gzipped sizes {sizes}"
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    assert 'print.css" media="print">' in home and "print.js" not in home
    assert '<script src="../assets/study-guide/print.js"></script>' in (seed_site / "print" / "index.html").read_text(
        encoding="utf-8"
    )


def test_minifying_drops_comments_and_layout_only() -> None:
    """What runs is what we wrote: every string literal of the source is still in the shipped script."""
    for name in ("study-guide.js", "review.js", "print.js"):
        source = (ASSETS / name).read_text(encoding="utf-8")
        shipped = shipped_assets()[name].decode("utf-8")
        assert len(shipped) < len(source) * 0.85, f"{name}: minifying saved little"
        assert "/*" not in shipped and "\n//" not in shipped
        # Strings in the code (a line's part before any comment; comments quote words too).
        code = [re.split(r"(?:^|\s)(?://|/\*)|^\s*\*", line)[0] for line in source.splitlines()]
        strings = {s for line in code for s in re.findall(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""", line)}
        assert len(strings) > 50 and sorted(s for s in strings if s not in shipped) == [], name
    css = minify("x.css", b"/* why */\n.sg-a {\n  color: red;\n}\n")
    assert css == b".sg-a{color:red}"


def test_the_search_worker_is_small_and_keeps_the_notice_of_what_it_copies() -> None:
    # Loaded with every page (Material starts it), instead of Material's lunr worker (12 KB gzipped).
    shipped = shipped_assets()["search-worker.js"]
    assert len(gzip.compress(shipped, compresslevel=9)) <= 5.5 * 1024
    assert shipped.startswith(b"/*! Parts of this file come from Material for MkDocs (MIT")
    assert b"\n//" not in shipped and shipped.count(b"/*") == 1
